"""The victim case: one person's path through the National Referral Mechanism, owned by one agency.

Free text that may name people (the narrative, a guardian's name) is sealed with the identity vault; the
rest is case data that need-to-know rules protect (visible_q / record_access on target type "cases.case").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ctip.core.models import BaseModel
from ctip.people.enums import Sex
from ctip.people.sealed import SealedTextField

from .enums import (
    CaseStatus,
    ClosureReason,
    ConsentGiver,
    DecisionMakingOrg,
    EventType,
    IdentificationChannel,
    ImmigrationStatus,
    RepatriationStep,
    ServiceType,
    TraffickingStatus,
)

TARGET = "cases.case"


class Case(BaseModel):
    reference = models.CharField(_("case number"), max_length=20, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases")
    owning_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="cases", verbose_name=_("owning agency")
    )
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.ACTIVE)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    closure_reason = models.CharField(_("closure reason"), max_length=20, choices=ClosureReason.choices, blank=True)
    closure_note = SealedTextField(_("closure note"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Current trafficking status (denormalised from the latest StatusDecision; history is in StatusDecision).
    trafficking_status = models.CharField(
        _("trafficking status"), max_length=40, choices=TraffickingStatus.choices, blank=True
    )
    decision_org = models.CharField(
        _("deciding organisation type"), max_length=40, choices=DecisionMakingOrg.choices, blank=True
    )
    # Identification.
    identified_on = models.DateField(_("date identified"))
    channel = models.CharField(
        _("identification channel"), max_length=20, choices=IdentificationChannel.choices, default="officer"
    )
    identifying_agency_type = models.CharField(_("identified by (agency type)"), max_length=20, blank=True)
    identified_county = models.ForeignKey(
        "reference.County",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("county where identified"),
    )
    identified_country = models.ForeignKey(
        "reference.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("country where identified"),
    )
    is_child = models.BooleanField(_("child when identified"), default=False)
    age_at_identification = models.PositiveSmallIntegerField(_("age when identified"), null=True, blank=True)
    # The person's sex when identified, copied from the sealed identity when the case opens (as the age is), so
    # statistics count victims by sex without opening any identity (ctip/stats). Blank when not recorded.
    sex_at_identification = models.CharField(
        _("sex when identified"), max_length=10, choices=Sex.choices, blank=True, default=""
    )
    narrative = SealedTextField(_("circumstances"), blank=True)
    # Non-punishment (CTIP Act s.14).
    faces_charges = models.BooleanField(_("faces criminal charges"), default=False)
    in_detention = models.BooleanField(_("in detention"), default=False)
    detention_place = models.CharField(_("where charged or detained"), max_length=200, blank=True)
    charges_note = models.CharField(_("charges (e.g. immigration offence)"), max_length=300, blank=True)
    # Kenyans in distress abroad.
    is_abroad = models.BooleanField(_("Kenyan in distress abroad"), default=False)
    abroad_country = models.ForeignKey(
        "reference.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("country abroad"),
    )
    abroad_city = models.CharField(_("city abroad"), max_length=120, blank=True)
    employer_name = models.CharField(_("employer abroad"), max_length=200, blank=True)
    mission = models.ForeignKey(
        "accounts.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("mission handling the case"),
    )
    recruiting_agency_name = models.CharField(_("recruiting agency"), max_length=200, blank=True)
    # Foreign victims in Kenya.
    is_foreign = models.BooleanField(_("foreign national in Kenya"), default=False)
    immigration_status = models.CharField(
        _("immigration status"), max_length=20, choices=ImmigrationStatus.choices, blank=True
    )
    return_requested = models.BooleanField(_("wishes to return to the country of origin"), default=False)
    # Re-trafficking.
    previous_case = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="later_cases",
        verbose_name=_("earlier case of the same person"),
    )
    retrafficked = models.BooleanField(_("re-trafficked"), default=False)

    class Meta:
        ordering = ["-identified_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=CaseStatus.values), name="case_status_valid"),
            models.CheckConstraint(
                condition=Q(trafficking_status="") | Q(trafficking_status__in=TraffickingStatus.values),
                name="case_trafficking_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["Closed", "ClosedReferred"]) | ~Q(closure_reason=""),
                name="case_closed_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["owning_agency", "status", "-identified_on"], name="case_agency_status"),
            models.Index(fields=["status", "-identified_on"], name="case_status_date"),
            models.Index(fields=["identified_county", "-identified_on"], name="case_county_date"),
            models.Index(fields=["-identified_on", "-id"], name="case_date"),
            # "My tasks": an agency's cases still waiting for a status decision, oldest first.
            models.Index(
                fields=["owning_agency", "identified_on", "id"],
                condition=models.Q(trafficking_status=""),
                name="case_awaiting_decision",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.status in {CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED}

    @property
    def non_punishment_flag(self) -> bool:
        return self.faces_charges or self.in_detention


class CaseAttribute(models.Model):
    """One value of a multi-valued HTCDS victim-context field (vic_TypeOfExploitation = ForcedLabour, ...)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attributes")
    field = models.CharField(max_length=40)
    value = models.CharField(max_length=80)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "field", "value"], name="case_attribute_once")]
        indexes = [models.Index(fields=["field", "value", "case"], name="case_attribute_lookup")]


class CaseAssignment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_assignments")
    is_lead = models.BooleanField(_("lead case worker"), default=False)
    assigned_at = models.DateTimeField(auto_now_add=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"], condition=Q(ended_at__isnull=True), name="case_assignment_active_once"
            )
        ]


class TraffickingEvent(BaseModel):
    """HTCDS hte_: a dated step (recruitment, transit, exploitation) with its place."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    event_type = models.CharField(_("event"), max_length=20, choices=EventType.choices)
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    county = models.ForeignKey("reference.County", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    country = models.ForeignKey("reference.Country", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    city = models.CharField(_("city or town"), max_length=120, blank=True)
    description = SealedTextField(_("description"), blank=True)

    class Meta:
        ordering = ["started_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(event_type__in=EventType.values), name="event_type_valid"),
            models.CheckConstraint(
                condition=Q(started_on__isnull=True)
                | Q(ended_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="event_dates_ordered",
            ),
        ]


class Screening(BaseModel):
    """A Delphi indicator checklist filled in for the case; the system's suggestion and its rationale."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="screenings")
    indicator_list = models.CharField(_("indicator list"), max_length=20)  # adult_labour, child_sexual, ...
    indicators = models.ManyToManyField("reference.Indicator", related_name="+", blank=True)
    suggestion = models.CharField(_("suggested status"), max_length=40, choices=TraffickingStatus.choices)
    rationale = models.JSONField(_("rationale"), default=list)  # list of {code, params}: rendered translated
    screened_on = models.DateField(_("screening date"))
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    notes = SealedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-screened_on", "-id"]


class StatusDecision(BaseModel):
    """The officer's decision on trafficking status: history is kept, the latest is copied onto the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    status = models.CharField(_("trafficking status"), max_length=40, choices=TraffickingStatus.choices)
    decision_org = models.CharField(_("deciding organisation type"), max_length=40, choices=DecisionMakingOrg.choices)
    deciding_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("decision date"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    screening = models.ForeignKey(Screening, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rationale = SealedTextField(_("reasons"), blank=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=TraffickingStatus.values), name="decision_status_valid")
        ]


class Consent(BaseModel):
    """Informed consent (HTCDS con_ checklist). Withdrawal keeps the record and stops sharing."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    purpose_explained = models.BooleanField(_("purpose of collecting data explained"), default=False)
    data_use = models.BooleanField(_("agrees to the use of data for assistance"), default=False)
    sharing = models.BooleanField(_("agrees to sharing with service providers"), default=False)
    research_use = models.BooleanField(_("agrees to anonymised research use"), default=False)
    right_of_access = models.BooleanField(_("told of the right to see and correct their data"), default=False)
    retention = models.BooleanField(_("told how long data are kept"), default=False)
    withdrawal = models.BooleanField(_("told they may withdraw consent"), default=False)
    given_by = models.CharField(_("consent given by"), max_length=20, choices=ConsentGiver.choices)
    giver_name = SealedTextField(_("name of guardian or officer"), blank=True)
    given_on = models.DateField(_("date given"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = SealedTextField(_("reason for withdrawal"), blank=True)

    class Meta:
        ordering = ["-given_on", "-id"]

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class NeedsAssessment(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="needs_assessments")
    needs = models.JSONField(_("needs"), default=list)  # list of ServiceType values
    urgent = models.BooleanField(_("urgent"), default=False)
    assessed_on = models.DateField(_("assessment date"))
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    notes = SealedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]


class CarePlan(BaseModel):
    """Individual care plan (HTCDS spl_): type, objectives, actions, planned and actual end."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="care_plans")
    plan_type = models.CharField(_("support plan type"), max_length=40)  # HTCDS spl_Type value name
    objectives = SealedTextField(_("objectives"))
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class CarePlanAction(BaseModel):
    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="actions")
    description = SealedTextField(_("action"))
    service_type = models.CharField(_("service"), max_length=30, choices=ServiceType.choices, blank=True)
    responsible_agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    planned_on = models.DateField(_("planned date"), null=True, blank=True)
    done_on = models.DateField(_("date done"), null=True, blank=True)

    class Meta:
        ordering = ["planned_on", "id"]


class ServiceDelivery(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services")
    service_type = models.CharField(_("service"), max_length=30, choices=ServiceType.choices)
    provider = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    delivered_on = models.DateField(_("date delivered"))
    notes = SealedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-delivered_on", "-id"]


class Repatriation(BaseModel):
    """A step of returning a person home: a Kenyan from abroad, or a foreign victim to their country."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="repatriation_steps")
    step = models.CharField(_("step"), max_length=30, choices=RepatriationStep.choices)
    planned_on = models.DateField(_("planned date"), null=True, blank=True)
    done_on = models.DateField(_("date done"), null=True, blank=True)
    notes = SealedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["planned_on", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "step"], name="repatriation_step_once")]


class FollowUp(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    due_on = models.DateField(_("due"))
    purpose = models.CharField(_("purpose"), max_length=200)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="follow_ups")
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = SealedTextField(_("outcome"), blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["assigned_to", "done_at", "due_on"], name="followup_todo")]


class TimelineEntry(models.Model):
    """What happened to the case, in order, for everyone allowed to see the case. Never identity data: the
    summary is a message code plus non-identifying parameters, rendered (translated) at display time."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    section = models.CharField(max_length=30, blank=True)  # CaseSection it belongs to ("" = case-level)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "-at"], name="timeline_case_at")]


class CaseCounter(models.Model):
    """Per-year counter for human-readable case numbers (CT-2026-000123), locked when incremented."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    value = models.PositiveIntegerField(default=0)
