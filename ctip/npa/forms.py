"""Forms of the plan-of-action pages: input shape only (the services decide). Every edit form carries the record's
version, so a stale form is refused (conflict) instead of overwriting someone else's change."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ctip.accounts.enums import AgencyType
from ctip.core.validators import validate_not_before_1900

from .enums import (
    ActivityStatus,
    CampaignChannel,
    IndicatorSource,
    Metric,
    Pillar,
    PlanStatus,
    ReportStatus,
    TrainingTopic,
)

NO_NAMES = _("Describe the work, never a victim: no names or details that could identify someone.")


class DateInput(forms.DateInput):
    input_type = "date"


def _date(label, required=True):
    return forms.DateField(label=label, widget=DateInput, required=required, validators=[validate_not_before_1900])


def _version():
    return forms.IntegerField(widget=forms.HiddenInput, required=False)


def _period(form, start: str, end: str):
    data = form.cleaned_data
    if data.get(start) and data.get(end) and data[end] < data[start]:
        form.add_error(end, _("The end of the period cannot be before its start."))


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    start_date = _date(_("Starts on"))
    end_date = _date(_("Ends on"))
    status = forms.ChoiceField(label=_("Status"), choices=PlanStatus.choices)
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000, required=False
    )
    version = _version()

    def clean(self):
        data = super().clean()
        _period(self, "start_date", "end_date")
        return data


class ObjectiveForm(forms.Form):
    pillar = forms.ChoiceField(label=_("Pillar"), choices=Pillar.choices)
    number = forms.CharField(label=_("Number"), max_length=10, help_text=_("As in the plan, e.g. 2.1."))
    title = forms.CharField(label=_("Objective"), max_length=300)
    version = _version()


class ActivityForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=10, help_text=_("As in the plan, e.g. 2.1.3."))
    title = forms.CharField(label=_("Activity"), max_length=300)
    agencies = forms.TypedMultipleChoiceField(
        label=_("Responsible agencies"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("These agencies report the activity's progress."),
    )
    start_date = _date(_("Starts on"), required=False)
    end_date = _date(_("Due by"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices)
    version = _version()

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].choices = [(a.pk, str(a)) for a in agencies]

    def clean(self):
        data = super().clean()
        _period(self, "start_date", "end_date")
        return data


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=300)
    source = forms.ChoiceField(label=_("Source"), choices=IndicatorSource.choices)
    metric = forms.ChoiceField(
        label=_("Computed from"),
        choices=[("", "—"), *Metric.choices],
        required=False,
        help_text=_("For a computed indicator: what CTIP counts over the plan's period."),
    )
    baseline = forms.DecimalField(label=_("Baseline"), max_digits=14, decimal_places=2, required=False)
    target = forms.DecimalField(label=_("Target"), max_digits=14, decimal_places=2)
    actual = forms.DecimalField(
        label=_("Actual (entered)"),
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("For an entered indicator only: a computed one is counted by CTIP."),
    )
    source_note = forms.CharField(
        label=_("Source of the figure"),
        max_length=300,
        required=False,
        help_text=_("For an entered indicator: the report, survey or records the figure comes from."),
    )
    version = _version()

    def clean(self):
        data = super().clean()
        for name in ("baseline", "target", "actual"):
            value = data.get(name)
            if value is not None and value < 0:
                self.add_error(name, _("The figure cannot be below zero."))
        return data


class ReportForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("e.g. the review workshop's name."))
    period_start = _date(_("Period from"))
    period_end = _date(_("Period to"))
    status = forms.ChoiceField(label=_("Status"), choices=ReportStatus.choices)
    achievements = forms.CharField(
        label=_("Achievements"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=8000,
        required=False,
        help_text=NO_NAMES,
    )
    gaps = forms.CharField(label=_("Gaps"), widget=forms.Textarea(attrs={"rows": 4}), max_length=8000, required=False)
    challenges = forms.CharField(
        label=_("Challenges"), widget=forms.Textarea(attrs={"rows": 4}), max_length=8000, required=False
    )
    version = _version()

    def clean(self):
        data = super().clean()
        _period(self, "period_start", "period_end")
        return data


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices)
    note = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        required=False,
        help_text=NO_NAMES,
    )
    version = _version()


class _CountyField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(label=_("County"), required=False, **kwargs)


class TrainingForm(forms.Form):
    """A session and its participants: women and men for each type of agency they came from."""

    title = forms.CharField(label=_("Title"), max_length=200)
    topic = forms.ChoiceField(label=_("Curriculum"), choices=TrainingTopic.choices)
    held_on = _date(_("Date"))
    county = _CountyField()
    version = _version()

    def __init__(self, *args, counties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", _("National / several counties")), *counties]
        for value, label in AgencyType.choices:
            for sex, sex_label in (("female", _("women")), ("male", _("men"))):
                self.fields[f"{value}_{sex}"] = forms.IntegerField(
                    label=f"{label}: {sex_label}", min_value=0, max_value=100_000, required=False
                )

    def participant_rows(self):
        """(label, women field, men field) for each type of agency, for the template's table."""
        return [(label, self[f"{value}_female"], self[f"{value}_male"]) for value, label in AgencyType.choices]

    def participants(self) -> dict[str, tuple[int, int]]:
        data = self.cleaned_data
        return {
            value: (data.get(f"{value}_female") or 0, data.get(f"{value}_male") or 0) for value in AgencyType.values
        }

    def clean(self):
        data = super().clean()
        if not self.errors and not any(f + m for f, m in self.participants().values()):
            self.add_error(None, _("Give how many women and men took part, by type of agency."))
        return data


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    channel = forms.ChoiceField(label=_("Channel"), choices=CampaignChannel.choices)
    county = _CountyField()
    start_date = _date(_("From"))
    end_date = _date(_("To"))
    reach = forms.IntegerField(
        label=_("People reached"),
        min_value=0,
        max_value=100_000_000,
        help_text=_("Listeners, viewers, participants or people reached, as the channel measures them."),
    )
    version = _version()

    def __init__(self, *args, counties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", _("National / several counties")), *counties]

    def clean(self):
        data = super().clean()
        _period(self, "start_date", "end_date")
        return data
