"""The investigation file and its hand-over to the prosecutor (issue 11).

The investigating unit's agency owns a file. Everything that may name someone (identifiers found, the action log,
reasons, the prosecutor's requests) is sealed with the identity vault. Suspects who are persons are in the person
registry (people.Person, registered through people.services.person_register_or_link); organisations are named.
The hand-over to a prosecutor's office is an accounts.RecordShare of named sections, made by a Submission and
revoked when the file comes back.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.core.models import BaseModel
from ctip.people.sealed import SealedTextField

from .enums import (
    AdjournmentReason,
    Advice,
    AppealResult,
    Appellant,
    ClosureReason,
    CourtEventKind,
    CourtEventStatus,
    CourtLevel,
    EvidenceItem,
    EvidenceState,
    IdentifierKind,
    InvestigatingUnit,
    InvestigationStatus,
    Origin,
    Plea,
    Sex,
    SuspectKind,
    Verdict,
    VictimRole,
)

TARGET = "justice.investigation"
EDITABLE_STATUSES = frozenset({InvestigationStatus.OPEN, InvestigationStatus.CHARGE_ADVISED})


class Investigation(BaseModel):
    reference = models.CharField(_("file number"), max_length=20, unique=True, editable=False)
    owning_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="investigations",
        verbose_name=_("investigating agency"),
    )
    origin = models.CharField(_("opened"), max_length=10, choices=Origin.choices, default=Origin.OWN)
    opened_on = models.DateField(_("date opened"), default=timezone.localdate)
    ob_number = models.CharField(_("OB number"), max_length=40)
    police_station = models.CharField(_("police station"), max_length=120)
    unit = models.CharField(_("investigating unit"), max_length=12, choices=InvestigatingUnit.choices)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="investigations", verbose_name=_("officers")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=InvestigationStatus.choices, default=InvestigationStatus.OPEN
    )
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    # The prosecution office the file is with (or was charged by); set by a submission.
    prosecution_agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closure_reason = models.CharField(_("reason for closing"), max_length=24, choices=ClosureReason.choices, blank=True)
    closure_note = SealedTextField(_("closing note"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("investigation file")
        verbose_name_plural = _("investigation files")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=InvestigationStatus.values), name="investigation_status"),
            models.CheckConstraint(condition=Q(unit__in=InvestigatingUnit.values), name="investigation_unit"),
            models.CheckConstraint(condition=Q(origin__in=Origin.values), name="investigation_origin"),
            models.CheckConstraint(
                condition=~Q(status=InvestigationStatus.CLOSED)
                | (Q(closure_reason__in=ClosureReason.values) & Q(closed_at__isnull=False)),
                name="investigation_closed_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=InvestigationStatus.WITH_ODPP) | Q(prosecution_agency__isnull=False),
                name="investigation_with_odpp_has_office",
            ),
        ]
        indexes = [
            models.Index(fields=["owning_agency", "status", "-opened_on"], name="investigation_unit_list"),
            models.Index(fields=["prosecution_agency", "status"], name="investigation_odpp"),
            models.Index(fields=["status", "opened_on"], name="investigation_figures"),
            # issue 11 at scale: the unit's list newest first and the office's review queue oldest first, read in
            # index order so a page stops after its rows (bench/justice.py)
            models.Index(fields=["owning_agency", "opened_on", "id"], name="investigation_unit_recent"),
            models.Index(
                fields=["prosecution_agency", "status", "status_changed_at", "id"], name="investigation_queue"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class InvestigationCounter(models.Model):
    """Per-year counter for file numbers (IV-2026-000123), locked when incremented."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    value = models.PositiveIntegerField(default=0)


class InvestigationCase(models.Model):
    """A victim case linked to a file: its victim is a complainant or a witness."""

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="case_links")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="investigation_links")
    role = models.CharField(_("victim's role"), max_length=12, choices=VictimRole.choices)
    linked_at = models.DateTimeField(default=timezone.now)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["linked_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["investigation", "case"], name="investigation_case_once"),
            models.CheckConstraint(condition=Q(role__in=VictimRole.values), name="investigation_case_role"),
        ]


class Suspect(BaseModel):
    """A person in the registry or a named organisation (a recruitment agency...), with HTCDS roles."""

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="suspects")
    kind = models.CharField(_("suspect is"), max_length=14, choices=SuspectKind.choices)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="suspect_in"
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    roles = models.JSONField(_("roles (HTCDS)"), default=list)  # per_RoleInProcess value names
    note = SealedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SuspectKind.values), name="suspect_kind"),
            models.CheckConstraint(
                condition=(Q(kind=SuspectKind.PERSON) & Q(person__isnull=False) & Q(organisation_name=""))
                | (Q(kind=SuspectKind.ORGANISATION) & Q(person__isnull=True) & ~Q(organisation_name="")),
                name="suspect_person_or_organisation",
            ),
            models.UniqueConstraint(
                fields=["investigation", "person"], condition=Q(person__isnull=False), name="suspect_person_once"
            ),
        ]


class InvestigationOffence(models.Model):
    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="offences")
    offence = models.ForeignKey("reference.Offence", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["offence__position"]
        constraints = [models.UniqueConstraint(fields=["investigation", "offence"], name="investigation_offence_once")]


class FoundIdentifier(models.Model):
    """A phone, M-Pesa number or transaction code, bank account or address found in the investigation (sealed)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # binds the sealed text

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(_("kind"), max_length=14, choices=IdentifierKind.choices)
    value = SealedTextField(_("value"))
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=IdentifierKind.values), name="found_identifier_kind")
        ]


class ActionEntry(models.Model):
    """One line of the action log: what was done, when (sealed free text)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # binds the sealed text

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="actions")
    done_on = models.DateField(_("date"))
    text = SealedTextField(_("action taken"))
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-done_on", "-id"]


class Evidence(models.Model):
    """One item of the SOP evidence checklist: present, not applicable, or missing (with a reason)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # binds the sealed text

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="evidence")
    item = models.CharField(_("item"), max_length=20, choices=EvidenceItem.choices)
    state = models.CharField(_("state"), max_length=16, choices=EvidenceState.choices, default=EvidenceState.MISSING)
    reason = SealedTextField(_("reason it is missing"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["investigation", "item"], name="evidence_item_once"),
            models.CheckConstraint(condition=Q(item__in=EvidenceItem.values), name="evidence_item_valid"),
            models.CheckConstraint(condition=Q(state__in=EvidenceState.values), name="evidence_state_valid"),
        ]


class Submission(BaseModel):
    """One hand-over of the file to a prosecutor's office and the prosecutor's advice: the exchange both sides see."""

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="submissions")
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("prosecution office")
    )
    sections = models.JSONField(_("sections shared"), default=list)  # FileSection values
    note = SealedTextField(_("note for the prosecutor"), blank=True)
    gaps = models.JSONField(_("evidence gaps at submission"), default=list)  # EvidenceItem values missing
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    share = models.ForeignKey("accounts.RecordShare", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    advice = models.CharField(_("advice"), max_length=24, choices=Advice.choices, blank=True)
    advice_text = SealedTextField(_("requests or reason"), blank=True)
    advised_at = models.DateTimeField(_("advised at"), null=True, blank=True)
    advised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(_("file returned at"), null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(advice="") | Q(advice__in=Advice.values), name="submission_advice"),
            models.CheckConstraint(
                condition=Q(advice="") | Q(advised_at__isnull=False), name="submission_advised_has_date"
            ),
        ]
        indexes = [models.Index(fields=["agency", "advice", "submitted_at"], name="submission_queue")]


class CourtStation(models.Model):
    """A Kenyan law court (reference data loaded by migration from ctip/justice/data/courts.py)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    level = models.CharField(_("level"), max_length=12, choices=CourtLevel.choices)
    county = models.CharField(_("county"), max_length=40)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("court station")
        verbose_name_plural = _("court stations")
        constraints = [models.CheckConstraint(condition=Q(level__in=CourtLevel.values), name="court_station_level")]

    def __str__(self) -> str:
        return self.name


class ChargeSheet(BaseModel):
    """The charges the prosecution office brought on a file it advised to charge: court and case number, the
    date of charge, and the counts."""

    investigation = models.OneToOneField(Investigation, on_delete=models.PROTECT, related_name="charge_sheet")
    prosecution_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    court = models.ForeignKey(
        "justice.CourtStation", on_delete=models.PROTECT, related_name="charge_sheets", verbose_name=_("court station")
    )
    court_case_number = models.CharField(_("court case number"), max_length=40)
    charged_on = models.DateField(_("date of charge"))

    class Meta:
        verbose_name = _("charge sheet")
        verbose_name_plural = _("charge sheets")
        indexes = [models.Index(fields=["prosecution_agency", "charged_on"], name="charge_sheet_office")]


class ChargeCount(models.Model):
    """One count: an accused (a suspect of the file) charged with one offence (statute and section)."""

    charge_sheet = models.ForeignKey(ChargeSheet, on_delete=models.CASCADE, related_name="counts")
    number = models.PositiveSmallIntegerField(_("count"))
    accused = models.ForeignKey(Suspect, on_delete=models.PROTECT, related_name="counts", verbose_name=_("accused"))
    offence = models.ForeignKey("reference.Offence", on_delete=models.PROTECT, related_name="+")
    plea = models.CharField(_("plea"), max_length=12, choices=Plea.choices, default=Plea.NOT_TAKEN)
    accused_sex = models.CharField(_("sex of the accused"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(condition=Q(accused_sex__in=Sex.values), name="charge_count_sex"),
            models.UniqueConstraint(fields=["charge_sheet", "number"], name="charge_count_number_once"),
            models.UniqueConstraint(fields=["charge_sheet", "accused", "offence"], name="charge_count_once"),
            models.CheckConstraint(condition=Q(plea__in=Plea.values), name="charge_count_plea"),
        ]


# --- the court diary, victim-witnesses, outcomes and orders -------------------------------------------------------


class CourtEvent(BaseModel):
    """One sitting of the court diary: scheduled, then held or adjourned (with a reason and the next date)."""

    charge_sheet = models.ForeignKey(ChargeSheet, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("sitting"), max_length=12, choices=CourtEventKind.choices)
    sits_on = models.DateField(_("date"))
    status = models.CharField(
        _("outcome"), max_length=10, choices=CourtEventStatus.choices, default=CourtEventStatus.SCHEDULED
    )
    adjournment_reason = models.CharField(
        _("reason for adjournment"), max_length=24, choices=AdjournmentReason.choices, blank=True
    )
    note = SealedTextField(_("note"), blank=True)
    next_on = models.DateField(_("next date"), null=True, blank=True)

    class Meta:
        ordering = ["sits_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=CourtEventKind.values), name="court_event_kind"),
            models.CheckConstraint(condition=Q(status__in=CourtEventStatus.values), name="court_event_status"),
            models.CheckConstraint(
                condition=~Q(status=CourtEventStatus.ADJOURNED) | Q(adjournment_reason__in=AdjournmentReason.values),
                name="court_event_adjourned_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(next_on__isnull=True) | Q(next_on__gt=models.F("sits_on")), name="court_event_next_after"
            ),
        ]
        indexes = [models.Index(fields=["status", "sits_on"], name="court_event_diary")]


class VictimWitness(BaseModel):
    """A victim of a linked case called as a prosecution witness (PW1, PW2...): court-facing views show the
    pseudonym, never the identity (s.11)."""

    charge_sheet = models.ForeignKey(ChargeSheet, on_delete=models.CASCADE, related_name="witnesses")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(_("witness number"))
    protection_referred_on = models.DateField(_("referred for witness protection on"), null=True, blank=True)
    impact_statement = SealedTextField(_("victim impact statement (s.12)"), blank=True)
    impact_recorded_on = models.DateField(_("impact statement recorded on"), null=True, blank=True)
    interpreter_language = models.CharField(_("interpreter needed (language)"), max_length=60, blank=True)
    testimony_dates = models.JSONField(_("testimony dates"), default=list)  # ISO dates, ascending

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["charge_sheet", "case"], name="victim_witness_once"),
            models.UniqueConstraint(fields=["charge_sheet", "number"], name="victim_witness_number_once"),
        ]

    @property
    def pseudonym(self) -> str:
        return f"PW{self.number}"


class CountOutcome(BaseModel):
    """The court's decision on one count (an accused and an offence), and the sentence on a conviction."""

    count = models.OneToOneField(ChargeCount, on_delete=models.CASCADE, related_name="outcome")
    verdict = models.CharField(_("outcome"), max_length=12, choices=Verdict.choices)
    decided_on = models.DateField(_("date of decision"))
    imprisonment_months = models.PositiveIntegerField(_("imprisonment (months)"), null=True, blank=True)
    fine_cents = models.BigIntegerField(_("fine (KSh cents)"), null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(verdict__in=Verdict.values), name="count_outcome_verdict"),
            models.CheckConstraint(
                condition=Q(verdict=Verdict.CONVICTED)
                | (Q(imprisonment_months__isnull=True) & Q(fine_cents__isnull=True)),
                name="count_outcome_sentence_needs_conviction",
            ),
            models.CheckConstraint(condition=Q(fine_cents__isnull=True) | Q(fine_cents__gt=0), name="count_fine_gt0"),
        ]


class RestitutionOrder(BaseModel):
    """A restitution or compensation order (s.13): an accused to pay a victim, named by their case's reference."""

    charge_sheet = models.ForeignKey(ChargeSheet, on_delete=models.CASCADE, related_name="restitution_orders")
    accused = models.ForeignKey(Suspect, on_delete=models.PROTECT, related_name="+", verbose_name=_("accused"))
    beneficiary_case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("beneficiary (victim case)")
    )
    amount_cents = models.BigIntegerField(_("amount (KSh cents)"))
    ordered_on = models.DateField(_("date of the order"))

    class Meta:
        ordering = ["ordered_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount_cents__gt=0), name="restitution_amount_gt0")]


class ForfeitureOrder(BaseModel):
    """A confiscation or forfeiture order (s.17). Its public_id is what the Trust Fund records a receipt against;
    the assets are described in sealed text (accounts, plots and vehicles can name people)."""

    charge_sheet = models.ForeignKey(ChargeSheet, on_delete=models.CASCADE, related_name="forfeiture_orders")
    accused = models.ForeignKey(Suspect, on_delete=models.PROTECT, related_name="+", verbose_name=_("accused"))
    amount_cents = models.BigIntegerField(_("value (KSh cents)"))
    assets = SealedTextField(_("assets forfeited"))
    ordered_on = models.DateField(_("date of the order"))

    class Meta:
        ordering = ["ordered_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount_cents__gt=0), name="forfeiture_amount_gt0")]


class Appeal(BaseModel):
    """An appeal against the outcome for one accused: who filed it, when, and its result."""

    charge_sheet = models.ForeignKey(ChargeSheet, on_delete=models.CASCADE, related_name="appeals")
    accused = models.ForeignKey(Suspect, on_delete=models.PROTECT, related_name="+", verbose_name=_("accused"))
    appellant = models.CharField(_("filed by"), max_length=12, choices=Appellant.choices)
    filed_on = models.DateField(_("filed on"))
    result = models.CharField(_("result"), max_length=16, choices=AppealResult.choices, default=AppealResult.PENDING)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    class Meta:
        ordering = ["filed_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(appellant__in=Appellant.values), name="appeal_appellant"),
            models.CheckConstraint(condition=Q(result__in=AppealResult.values), name="appeal_result"),
            models.CheckConstraint(
                condition=Q(result=AppealResult.PENDING) | Q(decided_on__isnull=False), name="appeal_decided_has_date"
            ),
        ]
