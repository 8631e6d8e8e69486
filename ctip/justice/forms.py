"""Forms of the investigation pages: input shape only (the services decide)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ctip.core.validators import validate_past_date

from .enums import (
    AdjournmentReason,
    Advice,
    AppealResult,
    Appellant,
    ClosureReason,
    CourtEventKind,
    CourtEventStatus,
    EvidenceItem,
    EvidenceState,
    FileSection,
    IdentifierKind,
    InvestigatingUnit,
    Plea,
    Sex,
    Verdict,
    VictimRole,
)


class FileForm(forms.Form):
    ob_number = forms.CharField(label=_("OB number"), max_length=40)
    police_station = forms.CharField(label=_("Police station"), max_length=120)
    unit = forms.ChoiceField(label=_("Investigating unit"), choices=InvestigatingUnit.choices)
    officers = forms.ModelMultipleChoiceField(label=_("Officers"), queryset=None, required=False)
    victim_role = forms.ChoiceField(label=_("Victim's role in the file"), choices=VictimRole.choices, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, officers=None, from_case=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = officers
        if not from_case:
            del self.fields["victim_role"]


class LinkCaseForm(forms.Form):
    case_reference = forms.CharField(label=_("Case number"), max_length=20)
    role = forms.ChoiceField(label=_("Victim's role in the file"), choices=VictimRole.choices)


class OrganisationSuspectForm(forms.Form):
    organisation_name = forms.CharField(label=_("Organisation (e.g. a recruitment agency)"), max_length=200)
    roles = forms.MultipleChoiceField(label=_("Roles (HTCDS)"), choices=(), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = list(roles)


class PersonSuspectForm(forms.Form):
    roles = forms.MultipleChoiceField(label=_("Roles (HTCDS)"), choices=(), widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = list(roles)


class OffenceForm(forms.Form):
    offence = forms.ModelChoiceField(label=_("Offence"), queryset=None, to_field_name="code")

    def __init__(self, *args, offences=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offence"].queryset = offences


class IdentifierForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=IdentifierKind.choices)
    value = forms.CharField(label=_("Identifier"), max_length=300)


class ActionForm(forms.Form):
    done_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}), validators=[validate_past_date]
    )
    text = forms.CharField(label=_("Action taken"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class EvidenceForm(forms.Form):
    item = forms.ChoiceField(label=_("Item"), choices=EvidenceItem.choices)
    state = forms.ChoiceField(label=_("State"), choices=EvidenceState.choices)
    reason = forms.CharField(label=_("Why it is missing"), max_length=2000, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SubmitForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Prosecution office"), queryset=None, to_field_name="public_id")
    sections = forms.MultipleChoiceField(
        label=_("Sections handed over"),
        choices=FileSection.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=FileSection.values,
    )
    note = forms.CharField(
        label=_("Note for the prosecutor"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class AdviceForm(forms.Form):
    advice = forms.ChoiceField(label=_("Advice"), choices=Advice.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Requests for further investigation, or the reason for no further action"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason for closing"), choices=ClosureReason.choices)
    note = forms.CharField(
        label=_("Closing note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ChargeSheetForm(forms.Form):
    court = forms.ModelChoiceField(label=_("Court station"), queryset=None, to_field_name="code")
    court_case_number = forms.CharField(label=_("Court case number"), max_length=40)
    charged_on = forms.DateField(label=_("Date of charge"), widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        from .selectors import court_choices

        super().__init__(*args, **kwargs)
        self.fields["court"].queryset = court_choices()


class CountForm(forms.Form):
    accused = forms.ChoiceField(label=_("Accused"), choices=(), required=False)
    offence = forms.ModelChoiceField(label=_("Offence"), queryset=None, to_field_name="code", required=False)
    plea = forms.ChoiceField(label=_("Plea"), choices=Plea.choices, initial=Plea.NOT_TAKEN, required=False)
    accused_sex = forms.ChoiceField(
        label=_("Sex of the accused"), choices=Sex.choices, initial=Sex.UNKNOWN, required=False
    )

    def __init__(self, *args, accused=(), offences=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accused"].choices = [("", "—"), *accused]
        self.fields["offence"].queryset = offences

    def clean(self):
        data = super().clean()
        if bool(data.get("accused")) != bool(data.get("offence")):
            raise forms.ValidationError(_("A count names both the accused and the offence."))
        return data


COUNT_ROWS = 6


def count_forms(data=None, *, accused=(), offences=None) -> list[CountForm]:
    return [CountForm(data, prefix=f"count{n}", accused=accused, offences=offences) for n in range(COUNT_ROWS)]


# --- the court ------------------------------------------------------------------------------------------------------

_DATE = {"widget": forms.DateInput(attrs={"type": "date"})}
MAX_KSH_CENTS = 10**15  # a thousand billion shillings: beyond any order


def parse_ksh(text: str) -> int:
    """KSh as typed ("12,500", "12500.50", "KSh 1,000") to integer cents; ValueError when it is not an amount."""
    cleaned = (text or "").strip().upper().removeprefix("KSH").strip().replace(",", "").replace(" ", "")
    if not cleaned or cleaned.count(".") > 1:
        raise ValueError(text)
    whole, _dot, frac = cleaned.partition(".")
    if not whole.isdigit() or (frac and (not frac.isdigit() or len(frac) > 2)):
        raise ValueError(text)
    cents = int(whole) * 100 + int((frac or "0").ljust(2, "0"))
    if cents > MAX_KSH_CENTS:
        raise ValueError(text)
    return cents


class KshField(forms.CharField):
    """An amount in Kenya shillings, cleaned to integer cents."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("help_text", _("In KSh, e.g. 250,000 or 1,500.50"))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        try:
            return parse_ksh(value)
        except ValueError as exc:
            raise forms.ValidationError(_("Enter an amount in KSh, e.g. 250,000 or 1,500.50.")) from exc


class ScheduleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Sitting"), choices=CourtEventKind.choices)
    sits_on = forms.DateField(label=_("Date"), **_DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SittingForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(CourtEventStatus.HELD, _("Held")), (CourtEventStatus.ADJOURNED, _("Adjourned"))],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label=_("Reason for adjournment"), choices=[("", "—"), *AdjournmentReason.choices], required=False
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    next_on = forms.DateField(label=_("Next date"), required=False, **_DATE)
    next_kind = forms.ChoiceField(label=_("Next sitting"), choices=[("", "—"), *CourtEventKind.choices], required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PleaForm(forms.Form):
    plea = forms.ChoiceField(label=_("Plea"), choices=[(Plea.GUILTY, _("Guilty")), (Plea.NOT_GUILTY, _("Not guilty"))])
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class OutcomeForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Outcome"), choices=Verdict.choices)
    decided_on = forms.DateField(label=_("Date of decision"), **_DATE)
    imprisonment_months = forms.IntegerField(label=_("Imprisonment (months)"), required=False, min_value=0)
    fine = KshField(label=_("Fine (KSh)"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class _AccusedForm(forms.Form):
    accused = forms.ChoiceField(label=_("Accused"), choices=())

    def __init__(self, *args, accused=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accused"].choices = [("", "—"), *accused]


class RestitutionForm(_AccusedForm):
    beneficiary_case = forms.ChoiceField(label=_("Beneficiary (victim case number)"), choices=())
    amount = KshField(label=_("Amount (KSh)"))
    ordered_on = forms.DateField(label=_("Date of the order"), **_DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beneficiary_case"].choices = [("", "—"), *cases]


class ForfeitureForm(_AccusedForm):
    amount = KshField(label=_("Value (KSh)"))
    assets = forms.CharField(label=_("Assets forfeited"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    ordered_on = forms.DateField(label=_("Date of the order"), **_DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AppealForm(_AccusedForm):
    appellant = forms.ChoiceField(label=_("Filed by"), choices=Appellant.choices)
    filed_on = forms.DateField(label=_("Filed on"), **_DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AppealDecisionForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"), choices=[c for c in AppealResult.choices if c[0] != AppealResult.PENDING]
    )
    decided_on = forms.DateField(label=_("Decided on"), **_DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class WitnessAddForm(forms.Form):
    case = forms.ChoiceField(label=_("Victim (case number)"), choices=())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [("", "—"), *cases]


class WitnessForm(forms.Form):
    protection_referred_on = forms.DateField(label=_("Referred for witness protection on"), required=False, **_DATE)
    interpreter_language = forms.CharField(label=_("Interpreter needed (language)"), max_length=60, required=False)
    impact_statement = forms.CharField(
        label=_("Victim impact statement (s.12)"),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Leave empty to keep the statement already recorded."),
    )
    impact_recorded_on = forms.DateField(label=_("Statement recorded on"), required=False, **_DATE)
    testified_on = forms.DateField(label=_("Testified on (add a date)"), required=False, **_DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
