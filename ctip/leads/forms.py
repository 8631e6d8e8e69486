"""Forms of the lead pages: input shape only (the services decide)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ctip.justice.enums import InvestigatingUnit

from .enums import LeadIdentifierKind, LeadSuspectKind
from .parsing import split_lines
from .services import IdentifierInput, SuspectInput

LINES = _("One per line.")
IDENTIFIER_FIELDS = [
    ("phones", LeadIdentifierKind.PHONE, _("Phone numbers")),
    ("mpesa_numbers", LeadIdentifierKind.MPESA_NUMBER, _("M-Pesa numbers")),
    ("mpesa_codes", LeadIdentifierKind.MPESA_CODE, _("M-Pesa transaction codes")),
    ("bank_accounts", LeadIdentifierKind.BANK_ACCOUNT, _("Bank accounts")),
    ("websites", LeadIdentifierKind.WEBSITE, _("Websites")),
    ("handles", LeadIdentifierKind.HANDLE, _("Social-media handles")),
]


def _lines(label):
    return forms.CharField(
        label=label, required=False, max_length=4000, help_text=LINES, widget=forms.Textarea(attrs={"rows": 2})
    )


class LeadForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Send to (investigating agency)"), queryset=None, to_field_name="public_id")
    summary = forms.CharField(
        label=_("What is known (who, what, where, when)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Encrypted. Only the receiving unit's investigators read it; every read is recorded."),
    )
    persons = _lines(_("People named (suspects: names, nicknames)"))
    organisations = _lines(_("Organisations named (agencies, companies)"))
    roles = forms.MultipleChoiceField(
        label=_("Their roles (HTCDS)"), required=False, choices=(), widget=forms.CheckboxSelectMultiple
    )
    phones = _lines(_("Phone numbers"))
    mpesa_numbers = _lines(_("M-Pesa numbers"))
    mpesa_codes = _lines(_("M-Pesa transaction codes"))
    bank_accounts = _lines(_("Bank accounts"))
    websites = _lines(_("Websites"))
    handles = _lines(_("Social-media handles"))

    def __init__(self, *args, agencies=None, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["roles"].choices = list(roles)

    def suspects(self) -> list[SuspectInput]:
        d = self.cleaned_data
        roles = list(d.get("roles") or [])
        return [SuspectInput(name=n, kind=LeadSuspectKind.PERSON, roles=roles) for n in split_lines(d["persons"])] + [
            SuspectInput(name=n, kind=LeadSuspectKind.ORGANISATION, roles=roles)
            for n in split_lines(d["organisations"])
        ]

    def identifiers(self) -> list[IdentifierInput]:
        d = self.cleaned_data
        return [
            IdentifierInput(kind=kind, value=value)
            for name, kind, _label in IDENTIFIER_FIELDS
            for value in split_lines(d[name])
        ]


class AcceptForm(forms.Form):
    ob_number = forms.CharField(label=_("OB number"), max_length=40)
    police_station = forms.CharField(label=_("Police station"), max_length=120)
    unit = forms.ChoiceField(label=_("Investigating unit"), choices=InvestigatingUnit.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class JoinForm(forms.Form):
    file_number = forms.CharField(
        label=_("Number of your unit's investigation file"), max_length=20, help_text=_("For example IV-2026-000123.")
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_file_number(self):
        return self.cleaned_data["file_number"].strip().upper()


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Encrypted. Say why (another unit's matter, not enough to act on, already investigated...)."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
