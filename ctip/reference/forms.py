from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Strength


class IndicatorForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("Indicator (English)"), max_length=200)
    text_sw = forms.CharField(label=_("Indicator (Kiswahili)"), max_length=240, required=False)
    strength = forms.ChoiceField(label=_("Strength"), choices=Strength.choices)
    is_active = forms.BooleanField(label=_("In use in screenings"), required=False)
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the audit trail, e.g. 'checked against ILO WCMS_105023, p. 3'."),
    )
