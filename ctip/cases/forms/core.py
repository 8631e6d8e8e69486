"""Forms of the case core: registration (identity + identification + circumstances + events), editing the
circumstances, status and assignment. Section forms (screening, consent, care...) are in forms/sections.py."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.accounts.selectors import agency_list, agency_users_who_can
from ctip.core.validators import validate_past_date
from ctip.reference.options_cache import CachedOptionsSelect
from ctip.reference.selectors import country_list, county_list, htcds_choices, htcds_values_cached

from ..enums import (
    HTCDS_CASE_FIELDS,
    CaseStatus,
    ClosureReason,
    EventType,
    IdentificationChannel,
    ImmigrationStatus,
    TraffickingStatus,
)
from ..services import EventInput

# The case list's "needs attention" filter: the caseload's columns (selectors.case_flag_q).
CASE_FLAG_CHOICES = [
    ("", _("Any")),
    ("overdue_follow_ups", _("Follow-up overdue")),
    ("overdue_care", _("Care action overdue")),
    ("awaiting_referral", _("Referral awaiting the provider's answer")),
    ("idle", _("No activity in 30 days")),
    ("unassigned", _("Nobody assigned")),
]

# Human labels for the HTCDS victim-context fields shown on the form.
HTCDS_FIELD_LABELS = {
    "vic_MethodOfRecruitment": _("How was the person recruited?"),
    "vic_MethodsOfControl": _("Methods of control"),
    "vic_TypeOfExploitation": _("Types of exploitation"),
    "vic_ForcedLabourIndustry": _("Forced-labour industry"),
    "vic_TypeOfSexExploitation": _("Types of sexual exploitation"),
    "vic_RelationshipToTrafficker": _("Relationship to the trafficker"),
    "vic_RecruitmentWebsitesAndApps": _("Websites and apps used to recruit"),
    "vic_ExploitationWebsitesAndApps": _("Websites and apps used to exploit"),
}
TRI_STATE = [("", _("Work it out from the date of birth")), ("yes", _("Yes, a child")), ("no", _("No, an adult"))]


def _htcds_field(field: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=HTCDS_FIELD_LABELS[field],
        required=False,
        choices=htcds_choices(field),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checks"}),
    )


class CircumstancesMixin(forms.Form):
    """Fields shared by registration and editing: circumstances, non-punishment, abroad/foreign."""

    narrative = forms.CharField(
        label=_("What happened (circumstances)"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Encrypted. Only officers with a need to know can read it; every read is recorded."),
    )
    faces_charges = forms.BooleanField(label=_("Faces criminal charges"), required=False)
    in_detention = forms.BooleanField(label=_("Is in detention"), required=False)
    detention_place = forms.CharField(label=_("Where charged or detained"), max_length=200, required=False)
    charges_note = forms.CharField(label=_("Charges (e.g. immigration offence)"), max_length=300, required=False)
    is_abroad = forms.BooleanField(label=_("Kenyan in distress abroad"), required=False)
    abroad_country = forms.ModelChoiceField(label=_("Country abroad"), queryset=None, required=False)
    abroad_city = forms.CharField(label=_("City abroad"), max_length=120, required=False)
    employer_name = forms.CharField(label=_("Employer abroad"), max_length=200, required=False)
    mission = forms.ModelChoiceField(label=_("Mission handling the case"), queryset=None, required=False)
    recruiting_agency_name = forms.CharField(label=_("Recruiting agency"), max_length=200, required=False)
    is_foreign = forms.BooleanField(label=_("Foreign national in Kenya"), required=False)
    immigration_status = forms.ChoiceField(
        label=_("Immigration status"), choices=[("", "—"), *ImmigrationStatus.choices], required=False
    )
    return_requested = forms.BooleanField(label=_("Wishes to return to the country of origin"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["abroad_country"].queryset = country_list()
        self.fields["mission"].queryset = agency_list(active_only=True).filter(agency_type="diaspora")
        for field in HTCDS_CASE_FIELDS:
            self.fields[field] = _htcds_field(field)

    def htcds(self) -> dict[str, list[str]]:
        return {field: list(self.cleaned_data.get(field) or []) for field in HTCDS_CASE_FIELDS}

    def case_fields(self) -> dict:
        d = self.cleaned_data
        return {
            "faces_charges": d["faces_charges"],
            "in_detention": d["in_detention"],
            "detention_place": d["detention_place"],
            "charges_note": d["charges_note"],
            "is_abroad": d["is_abroad"],
            "abroad_country_id": d["abroad_country"].pk if d["abroad_country"] else None,
            "abroad_city": d["abroad_city"],
            "employer_name": d["employer_name"],
            "mission_id": d["mission"].pk if d["mission"] else None,
            "recruiting_agency_name": d["recruiting_agency_name"],
            "is_foreign": d["is_foreign"],
            "immigration_status": d["immigration_status"],
            "return_requested": d["return_requested"],
        }


class CaseRegistrationForm(CircumstancesMixin):
    identified_on = forms.DateField(
        label=_("Date identified"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
        validators=[validate_past_date],
    )
    channel = forms.ChoiceField(
        label=_("How was the person identified?"),
        choices=[c for c in IdentificationChannel.choices if c[0] != IdentificationChannel.IMPORT],
        initial=IdentificationChannel.OFFICER,
    )
    identified_county = forms.ModelChoiceField(label=_("County where identified"), queryset=None, required=False)
    identified_country = forms.ModelChoiceField(
        label=_("Or country where identified (abroad)"), queryset=None, required=False
    )
    is_child = forms.ChoiceField(label=_("Child when identified?"), choices=TRI_STATE, required=False)
    field_order = ["identified_on", "channel", "identified_county", "identified_country", "is_child", "narrative"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["identified_county"].queryset = county_list()
        self.fields["identified_country"].queryset = country_list()

    def is_child_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("is_child") or "")

    def case_fields(self) -> dict:
        fields = super().case_fields()
        d = self.cleaned_data
        fields["identified_county_id"] = d["identified_county"].pk if d["identified_county"] else None
        fields["identified_country_id"] = d["identified_country"].pk if d["identified_country"] else None
        return fields


class CaseEditForm(CircumstancesMixin):
    version = forms.IntegerField(widget=forms.HiddenInput)


class EventForm(forms.Form):
    event_type = forms.ChoiceField(label=_("Event"), choices=[("", "—"), *EventType.choices], required=False)
    started_on = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_past_date],
    )
    ended_on = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_past_date],
    )
    county = forms.ModelChoiceField(label=_("County (in Kenya)"), queryset=None, required=False)
    country = forms.ModelChoiceField(label=_("Or country (abroad)"), queryset=None, required=False)
    city = forms.CharField(label=_("City or town"), max_length=120, required=False)
    description = forms.CharField(
        label=_("What happened"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = county_list()
        self.fields["country"].queryset = country_list()

    def clean(self):
        data = super().clean()
        filled = any(data.get(k) for k in ("started_on", "ended_on", "county", "country", "city", "description"))
        if filled and not data.get("event_type"):
            self.add_error("event_type", _("Choose recruitment, transit or exploitation."))
        return data

    def to_event(self) -> EventInput | None:
        d = self.cleaned_data
        if not d.get("event_type"):
            return None
        return EventInput(
            event_type=d["event_type"],
            started_on=d.get("started_on"),
            ended_on=d.get("ended_on"),
            county_id=d["county"].pk if d.get("county") else None,
            country_id=d["country"].pk if d.get("country") else None,
            city=d.get("city") or "",
            description=d.get("description") or "",
        )


EventFormSet = forms.formset_factory(EventForm, extra=3, max_num=10)


class StatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("New status"), choices=CaseStatus.choices)
    closure_reason = forms.ChoiceField(
        label=_("Reason for closing"), choices=[("", "—"), *ClosureReason.choices], required=False
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Officer"), queryset=None)
    is_lead = forms.BooleanField(label=_("Lead case worker"), required=False)

    def __init__(self, *args, agency=None, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        field.queryset = agency_users_who_can(agency=agency, action="case.view")
        if candidates is not None:  # the officers, read already (the case page: ctip.cases.selectors.case_team)
            field.choices = [("", field.empty_label), *((u.pk, field.label_from_instance(u)) for u in candidates)]


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Case number"), max_length=30, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any")), ("open", _("Open (not closed)")), *CaseStatus.choices],
        required=False,
    )
    trafficking_status = forms.ChoiceField(
        label=_("Trafficking status"), choices=[("", _("Any")), *TraffickingStatus.choices], required=False
    )
    # the option lists are the same for everyone: rendered once per language (ctip.reference.options_cache)
    county = forms.ModelChoiceField(
        label=_("County"), queryset=None, required=False, to_field_name="code", widget=CachedOptionsSelect
    )
    exploitation = forms.ChoiceField(label=_("Exploitation"), choices=(), required=False, widget=CachedOptionsSelect)
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=None, required=False, to_field_name="public_id", widget=CachedOptionsSelect
    )
    identified_from = forms.DateField(
        label=_("Identified from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    identified_to = forms.DateField(
        label=_("Identified until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
    # the caseload's links: one officer's cases, and one of its "needs attention" columns
    flag = forms.ChoiceField(label=_("Needs attention"), choices=CASE_FLAG_CHOICES, required=False)
    officer = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = county_list()
        self.fields["agency"].queryset = agency_list(active_only=True)
        self.fields["exploitation"].choices = [("", _("Any")), *htcds_values_cached("vic_TypeOfExploitation")]

    def to_filters(self):
        """The selector's filters from a valid form (no filter when unbound): one home for the case list, its
        exports and anything else that lists cases as the page does."""
        from ctip.cases.selectors import CaseFilters

        if not self.is_bound:
            return CaseFilters()
        d = self.cleaned_data
        return CaseFilters(
            status=d["status"],
            trafficking_status=d["trafficking_status"],
            county_id=d["county"].pk if d["county"] else None,
            exploitation=d["exploitation"],
            agency_id=d["agency"].pk if d["agency"] else None,
            identified_from=d["identified_from"],
            identified_to=d["identified_to"],
            text=d["q"],
            assigned_to_me=d["mine"],
            officer=str(d["officer"]) if d["officer"] else "",
            flag=d["flag"],
        )
