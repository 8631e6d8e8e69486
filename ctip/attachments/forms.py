from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ctip.cases.enums import CaseSection

from .enums import AttachmentCategory
from .services import MAX_DESCRIPTION, MIN_REASON

ACCEPT = ".pdf,.docx,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class _AttachmentForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=AttachmentCategory.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word (DOCX), JPEG or PNG. The type is checked from the content, not the name."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept encrypted. Shown only to those who may see the file."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.CTIP_ATTACHMENT_MAX_BYTES
        if upload.size > limit:  # refused before the content is read into memory
            raise forms.ValidationError(
                _("The file is too big: at most %(size)s MB."), params={"size": f"{limit / (1024 * 1024):.0f}"}
            )
        return upload


class CaseAttachmentForm(_AttachmentForm):
    section = forms.ChoiceField(label=_("Case section"), choices=())
    field_order = ["section", "category", "file", "description"]

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(CaseSection.choices)
        self.fields["section"].choices = [(s, labels[s]) for s in CaseSection.values if s in sections]
        self.fields["section"].help_text = _("Who may see the file follows the section (shares name sections).")


class PersonAttachmentForm(_AttachmentForm):
    pass


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for removing"), min_length=MIN_REASON, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
