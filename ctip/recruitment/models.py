"""The register of private employment (recruitment) agencies licensed by NEA, with their status history,
contacts, directors (persons in the identity vault), guarantee and job orders.

The agencies are organisations, not victims: their names, licence numbers, status and office are public (the
public verification page shows them). Their directors are persons: linked through the people registry (identity
sealed in the vault), never shown publicly.
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
    AgainstKind,
    AgencyStatus,
    ComplaintActionKind,
    ComplaintSource,
    ComplaintStatus,
    ContactKind,
    EvidenceType,
    ImportStatus,
    Whereabouts,
)

TARGET = "recruitment.recruitmentagency"
COMPLAINT_TARGET = "recruitment.complaint"


class RecruitmentAgency(BaseModel):
    licence_number = models.CharField(_("licence number"), max_length=40)
    licence_key = models.CharField(max_length=40, unique=True, editable=False)  # names.licence_key
    legal_name = models.CharField(_("legal name"), max_length=200)
    trading_name = models.CharField(_("trading name"), max_length=200, blank=True)
    name_key = models.CharField(max_length=200, editable=False, db_index=True)  # names.name_key(legal_name)
    status = models.CharField(_("status"), max_length=20, choices=AgencyStatus.choices, default=AgencyStatus.VALID)
    status_since = models.DateField(_("status since"), default=timezone.localdate)
    status_source = models.CharField(_("source of the status"), max_length=300, blank=True)
    office_address = models.CharField(_("physical office"), max_length=300, blank=True)
    county = models.ForeignKey(
        "reference.County", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    guarantee_issuer = models.CharField(_("guarantee issuer"), max_length=200, blank=True)
    guarantee_amount_cents = models.BigIntegerField(_("guarantee amount (KSh cents)"), null=True, blank=True)
    guarantee_expires_on = models.DateField(_("guarantee expiry"), null=True, blank=True)

    class Meta:
        ordering = ["legal_name", "id"]
        verbose_name = _("recruitment agency")
        verbose_name_plural = _("recruitment agencies")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=AgencyStatus.values), name="recruiter_status_valid"),
            models.CheckConstraint(condition=~Q(licence_key=""), name="recruiter_licence_present"),
            models.CheckConstraint(
                condition=Q(guarantee_amount_cents__isnull=True) | Q(guarantee_amount_cents__gte=0),
                name="recruiter_guarantee_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["status", "legal_name"], name="recruiter_status_name")]

    def __str__(self) -> str:
        return f"{self.legal_name} ({self.licence_number})"

    @property
    def guarantee_ksh(self) -> str:
        """The guarantee amount in shillings, written with thousands separators ("1,500,000.00")."""
        return "" if self.guarantee_amount_cents is None else f"{self.guarantee_amount_cents / 100:,.2f}"

    @property
    def display_name(self) -> str:
        if self.trading_name and self.trading_name != self.legal_name:
            return f"{self.legal_name} ({self.trading_name})"
        return self.legal_name


class AgencyStatusChange(models.Model):
    """One entry of an agency's status history: what changed, from when, on which published source."""

    agency = models.ForeignKey(RecruitmentAgency, on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField(_("status"), max_length=20, choices=AgencyStatus.choices)
    previous_status = models.CharField(_("previous status"), max_length=20, choices=AgencyStatus.choices, blank=True)
    effective_on = models.DateField(_("effective on"))
    source = models.CharField(_("source notice"), max_length=300)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The complaint whose triage decided this change (a suspension or deregistration), when there is one.
    complaint = models.ForeignKey(
        "recruitment.Complaint", null=True, blank=True, on_delete=models.PROTECT, related_name="status_changes"
    )

    class Meta:
        ordering = ["-effective_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=AgencyStatus.values), name="recruiter_history_status_valid"),
            models.CheckConstraint(condition=~Q(source=""), name="recruiter_history_has_source"),
        ]


class AgencyContact(models.Model):
    """A phone, e-mail, website or social-media handle of an agency, as written and as compared."""

    agency = models.ForeignKey(RecruitmentAgency, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=10, choices=ContactKind.choices)
    value = models.CharField(_("value"), max_length=200)
    normalized = models.CharField(max_length=200)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ContactKind.values), name="recruiter_contact_kind_valid"),
            models.UniqueConstraint(fields=["agency", "kind", "normalized"], name="recruiter_contact_once"),
        ]
        indexes = [models.Index(fields=["kind", "normalized"], name="recruiter_contact_lookup")]


class AgencyDirector(models.Model):
    """A director of an agency: a person of the people registry (identity in the vault, never shown publicly)."""

    agency = models.ForeignKey(RecruitmentAgency, on_delete=models.CASCADE, related_name="directors")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["agency", "person"], name="recruiter_director_once")]


class JobOrder(BaseModel):
    """A demand an agency holds from an employer abroad: who, where, what role, how many, what pay, how long."""

    agency = models.ForeignKey(RecruitmentAgency, on_delete=models.CASCADE, related_name="job_orders")
    employer = models.CharField(_("employer"), max_length=200)
    country = models.ForeignKey(
        "reference.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    role = models.CharField(_("role"), max_length=120)
    workers = models.PositiveIntegerField(_("number of workers"))
    salary_cents = models.BigIntegerField(_("monthly salary (cents)"))
    salary_currency = models.CharField(_("salary currency"), max_length=3, default="USD")
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))

    class Meta:
        ordering = ["-valid_until", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(workers__gte=1), name="joborder_workers_positive"),
            models.CheckConstraint(condition=Q(salary_cents__gte=0), name="joborder_salary_not_negative"),
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("valid_from")), name="joborder_dates_order"),
        ]

    @property
    def salary_units(self) -> str:
        return f"{self.salary_cents / 100:,.2f}"


class AgencyImport(BaseModel):
    """One upload of the NEA published list: applied whole, or refused whole with its row-level report."""

    file_name = models.CharField(_("file"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("agencies added"), default=0)
    updated = models.PositiveIntegerField(_("agencies updated"), default=0)
    status_changes = models.PositiveIntegerField(_("status changes"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)  # [{"row", "column", "message"}]

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ImportStatus.values), name="recruiter_import_status_valid")
        ]


class Complaint(BaseModel):
    """A complaint about a recruitment agency or agent, from the public (reference and PIN, anonymous allowed) or
    an officer. Everything the complainant wrote, and whatever may name someone (the agent, the numbers paid), is
    sealed; the public status page shows the status only, never the triage notes."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    pin_hash = models.CharField(max_length=128, editable=False)  # Django password hash; "!" = no public status
    source = models.CharField(_("source"), max_length=10, choices=ComplaintSource.choices)
    status = models.CharField(_("status"), max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.NEW)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    against_kind = models.CharField(_("complaint against"), max_length=14, choices=AgainstKind.choices)
    agency = models.ForeignKey(
        RecruitmentAgency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("agency"),
    )
    against_name = SealedTextField(_("name of the agent or agency"), blank=True)
    amount_paid_cents = models.BigIntegerField(_("amount paid (KSh cents)"), null=True, blank=True)
    paid_to_numbers = SealedTextField(_("M-Pesa numbers paid to"), blank=True)
    transaction_codes = SealedTextField(_("M-Pesa transaction codes"), blank=True)
    job_promised = models.CharField(_("job promised"), max_length=120, blank=True)
    destination_country = models.ForeignKey(
        "reference.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("destination country"),
    )
    whereabouts = models.CharField(_("where the person is now"), max_length=20, choices=Whereabouts.choices)
    current_country = models.ForeignKey(
        "reference.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("country where the person is now"),
    )
    description = SealedTextField(_("what happened"))
    contact = SealedTextField(_("contact"), blank=True)
    has_contact = models.BooleanField(default=False)
    language = models.CharField(max_length=8, blank=True)
    evidence_count = models.PositiveSmallIntegerField(default=0)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("distress case")
    )
    lead_reference = models.CharField(_("investigation lead"), max_length=30, blank=True)
    # The complainant, when an officer identified them (people.services.person_register_or_link); else None.
    complainant = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("complainant"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ComplaintStatus.values), name="complaint_status_valid"),
            models.CheckConstraint(condition=Q(source__in=ComplaintSource.values), name="complaint_source_valid"),
            models.CheckConstraint(condition=Q(against_kind__in=AgainstKind.values), name="complaint_against_valid"),
            models.CheckConstraint(condition=Q(whereabouts__in=Whereabouts.values), name="complaint_where_valid"),
            models.CheckConstraint(
                condition=~Q(against_kind=AgainstKind.AGENCY) | Q(agency__isnull=False),
                name="complaint_agency_named",
            ),
            models.CheckConstraint(
                condition=Q(amount_paid_cents__isnull=True) | Q(amount_paid_cents__gte=0),
                name="complaint_amount_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="complaint_queue"),
            models.Index(fields=["agency", "-created_at"], name="complaint_agency"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def in_distress(self) -> bool:
        return self.whereabouts == Whereabouts.ABROAD_DISTRESS

    @property
    def amount_ksh(self) -> str:
        return "" if self.amount_paid_cents is None else f"{self.amount_paid_cents / 100:,.2f}"


class ComplaintAction(models.Model):
    """One step of a complaint's triage: what was decided, by whom, with the officer's note (sealed, internal)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="actions")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("action"), max_length=20, choices=ComplaintActionKind.choices)
    note = SealedTextField(_("note"), blank=True)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status_change = models.ForeignKey(
        AgencyStatusChange, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ComplaintActionKind.values), name="complaint_action_kind")
        ]


class ComplaintEvidence(models.Model):
    """A file attached to a complaint: a JPEG, PNG or PDF (type checked by content), kept outside any served
    folder (settings.CTIP_PRIVATE_FILES) under a random name; read only by authorised officers, each read audited."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="evidence")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    content_type = models.CharField(max_length=20, choices=EvidenceType.choices)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=80, unique=True, editable=False)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(content_type__in=EvidenceType.values), name="complaint_evidence_type")
        ]


class WatchlistEntry(models.Model):
    """An agency officers keep an eye on, with the reason (sealed); removed entries stay as history."""

    agency = models.ForeignKey(RecruitmentAgency, on_delete=models.CASCADE, related_name="watch_entries")
    reason = SealedTextField(_("reason"))
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-added_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency"], condition=Q(removed_at__isnull=True), name="recruiter_watch_once"
            )
        ]
