"""Forms of complaints about recruitment (public and officers), triage, the distress case, the watchlist.
Shape only: the services check the rest (countries, the agency chosen, phone numbers, M-Pesa codes)."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.core.validators import validate_past_date
from ctip.reference.selectors import country_list

from . import evidence as evidence_files
from .complaints_services import ComplaintInput, TriageDecision
from .enums import TRIAGE_OUTCOMES, AgainstKind, ComplaintActionKind, ComplaintStatus, Whereabouts


def split_values(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[\n;,]+", text or "") if p.strip()]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service (type by content, size)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(files) > evidence_files.MAX_FILES:
            raise forms.ValidationError(_("At most 5 files."))
        for f in files:
            if f.size > evidence_files.MAX_BYTES:
                raise forms.ValidationError(_("Each file may be at most 5 MB."))
        return files


def read_uploads(files) -> list[evidence_files.Upload]:
    return [evidence_files.Upload(content=f.read(), name=f.name or "") for f in files or []]


class ComplaintForm(forms.Form):
    against_kind = forms.ChoiceField(
        label=_("Who is the complaint against?"), choices=AgainstKind.choices, widget=forms.RadioSelect
    )
    agency_query = forms.CharField(
        label=_("Search the agency (name, licence number or phone)"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "search"}),
    )
    agency_licence = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)
    against_name = forms.CharField(
        label=_("Name of the agent or agency"),
        max_length=200,
        required=False,
        help_text=_("When the agency is not registered, or the complaint is about a person."),
    )
    amount_paid = forms.DecimalField(
        label=_("Money paid (KSh)"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    paid_to_numbers = forms.CharField(
        label=_("M-Pesa numbers you paid to"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
        help_text=_("Separate several with commas."),
    )
    transaction_codes = forms.CharField(
        label=_("M-Pesa transaction codes"),
        max_length=300,
        required=False,
        help_text=_("From the confirmation SMS, e.g. QGH7XK2L9P. Separate several with commas."),
    )
    job_promised = forms.CharField(label=_("Job promised"), max_length=120, required=False)
    destination_country = forms.ModelChoiceField(
        label=_("Country of the job"), queryset=None, required=False, empty_label="—"
    )
    whereabouts = forms.ChoiceField(
        label=_("Where is the person now?"), choices=Whereabouts.choices, widget=forms.RadioSelect
    )
    current_country = forms.ModelChoiceField(
        label=_("Country where the person is now (if abroad)"), queryset=None, required=False, empty_label="—"
    )
    description = forms.CharField(label=_("What happened?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    contact = forms.CharField(
        label=_("How can we reach you? (optional)"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to stay anonymous. Follow your complaint with the reference and PIN."),
    )
    evidence = MultipleFileField(
        label=_("Evidence (optional)"),
        required=False,
        help_text=_("Photos (JPEG, PNG) or PDF documents, up to 5 files of 5 MB each: receipts, adverts, messages."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination_country"].queryset = country_list()
        self.fields["current_country"].queryset = country_list()

    def to_input(self, language: str = "") -> ComplaintInput:
        d = self.cleaned_data
        amount: Decimal | None = d["amount_paid"]
        return ComplaintInput(
            whereabouts=d["whereabouts"],
            description=d["description"],
            against_kind=d["against_kind"],
            agency_licence=d["agency_licence"],
            against_name=d["against_name"],
            amount_paid_cents=None if amount is None else int((amount * 100).to_integral_value()),
            paid_to_numbers=split_values(d["paid_to_numbers"]),
            transaction_codes=split_values(d["transaction_codes"]),
            job_promised=d["job_promised"],
            destination_country_id=d["destination_country"].pk if d["destination_country"] else None,
            current_country_id=d["current_country"].pk if d["current_country"] else None,
            contact=d["contact"],
            language=language,
        )


class ComplaintStatusForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=30)
    pin = forms.CharField(label=_("PIN"), max_length=10, widget=forms.PasswordInput(attrs={"inputmode": "numeric"}))


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("open", _("Open (received or under review)")), ("", _("All")), *ComplaintStatus.choices],
        required=False,
    )
    distress = forms.BooleanField(label=_("Only people abroad in distress"), required=False)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class TriageForm(VersionForm):
    outcome = forms.ChoiceField(
        label=_("Action taken"),
        choices=[(k.value, k.label) for k in ComplaintActionKind if k in TRIAGE_OUTCOMES],
        widget=forms.RadioSelect,
    )
    effective_on = forms.DateField(
        label=_("Suspension or deregistration takes effect on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_past_date],
        help_text=_("Today when left empty."),
    )
    note = forms.CharField(
        label=_("Note (internal: the complainant never sees it)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a referral to the DCI and for no action (the reason)."),
    )

    def to_decision(self) -> TriageDecision:
        d = self.cleaned_data
        return TriageDecision(outcome=d["outcome"], note=d["note"], effective_on=d["effective_on"])


class EvidenceForm(VersionForm):
    evidence = MultipleFileField(label=_("Add evidence"))


class DistressCaseForm(VersionForm):
    identified_on = forms.DateField(
        label=_("Date identified"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_past_date],
    )
    abroad_city = forms.CharField(label=_("City abroad"), max_length=120, required=False)


class WatchForm(forms.Form):
    reason = forms.CharField(
        label=_("Why watch this agency?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
