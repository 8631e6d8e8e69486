"""Intake records: anonymous public tips, hotline calls and bulk-import jobs.

Everything a reporter or caller wrote, and the uploaded import file, is sealed with the identity vault (free
text may name people; the file holds identities). The columns hold vault tokens bound to the record and field
("intake.tip:<public id>:description"); selectors decrypt and audit the read. No reporter identity and no IP
address is ever stored: the rate limits use a keyed hash held in the cache only (ratelimit.py).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ctip.core.models import BaseModel
from ctip.people.sealed import SealedTextField

from .enums import (
    CallerType,
    CallLanguage,
    CallStatus,
    ImportFormat,
    ImportStatus,
    Situation,
    TipCloseReason,
    TipSource,
    TipStatus,
    Urgency,
)

TIP_TARGET = "intake.tip"
CALL_TARGET = "intake.hotlinecall"
IMPORT_TARGET = "intake.importjob"


class Tip(BaseModel):
    """A report of possible trafficking from the public (or a hotline call escalated for triage)."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    pin_hash = models.CharField(max_length=128, editable=False)  # Django password hash; "!" = no public status
    source = models.CharField(_("source"), max_length=10, choices=TipSource.choices, default=TipSource.PUBLIC)
    status = models.CharField(_("status"), max_length=20, choices=TipStatus.choices, default=TipStatus.NEW)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    situation = models.CharField(_("type of situation"), max_length=30, choices=Situation.choices)
    county = models.ForeignKey(
        "reference.County", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    country = models.ForeignKey(
        "reference.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("country"),
    )
    language = models.CharField(_("language of the report"), max_length=8, blank=True)
    has_contact = models.BooleanField(_("reporter left a contact"), default=False)
    # --- sealed (SealedTextField: vault token in the column, opened on first read) ---
    place = SealedTextField(blank=True)  # city, town or place in the reporter's words
    occurred = SealedTextField(blank=True)  # when, in the reporter's words
    description = SealedTextField(blank=True)
    people_involved = SealedTextField(blank=True)  # names / phones of suspects or victims
    contact = SealedTextField(blank=True)  # how to reach the reporter, if they chose to say
    message_to_reporter = SealedTextField(blank=True)
    close_note = SealedTextField(blank=True)
    # --- triage ---
    message_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(_("reason for closing"), max_length=20, choices=TipCloseReason.choices, blank=True)
    reviewer = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewer")
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    converted_at = models.DateTimeField(null=True, blank=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    call = models.OneToOneField(
        "intake.HotlineCall", null=True, blank=True, on_delete=models.PROTECT, related_name="tip"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=TipStatus.values), name="tip_status_valid"),
            models.CheckConstraint(condition=Q(situation__in=Situation.values), name="tip_situation_valid"),
            models.CheckConstraint(condition=Q(source__in=TipSource.values), name="tip_source_valid"),
            models.CheckConstraint(
                condition=~Q(status=TipStatus.CLOSED) | Q(close_reason__in=TipCloseReason.values),
                name="tip_closed_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=TipStatus.CONVERTED) | Q(case__isnull=False), name="tip_converted_has_case"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="tip_status_created"),
            models.Index(fields=["situation", "-created_at"], name="tip_situation_created"),
            models.Index(fields=["county", "-created_at"], name="tip_county_created"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in (TipStatus.NEW, TipStatus.UNDER_REVIEW)


class HotlineCall(BaseModel):
    """One call to the counter-trafficking hotline, logged by the operator who took it."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    owning_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("owning agency")
    )
    status = models.CharField(_("status"), max_length=20, choices=CallStatus.choices, default=CallStatus.LOGGED)
    caller_type = models.CharField(_("caller"), max_length=20, choices=CallerType.choices)
    urgency = models.CharField(_("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL)
    language = models.CharField(_("language"), max_length=8, choices=CallLanguage.choices, default="sw")
    county = models.ForeignKey(
        "reference.County", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    country = models.ForeignKey(
        "reference.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("country"),
    )
    city = SealedTextField(blank=True)  # sealed
    summary = SealedTextField(blank=True)  # sealed
    call_at = models.DateTimeField(_("call time"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=0)
    follow_up_needed = models.BooleanField(_("follow-up needed"), default=False)
    escalated_at = models.DateTimeField(null=True, blank=True)
    converted_at = models.DateTimeField(null=True, blank=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-call_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=CallStatus.values), name="call_status_valid"),
            models.CheckConstraint(condition=Q(caller_type__in=CallerType.values), name="call_caller_type_valid"),
            models.CheckConstraint(condition=Q(urgency__in=Urgency.values), name="call_urgency_valid"),
            models.CheckConstraint(
                condition=~Q(status=CallStatus.CONVERTED) | Q(case__isnull=False), name="call_converted_has_case"
            ),
        ]
        indexes = [
            models.Index(fields=["owning_agency", "-call_at"], name="call_agency_time"),
            models.Index(fields=["status", "-call_at"], name="call_status_time"),
        ]

    def __str__(self) -> str:
        return self.reference


class ImportJob(BaseModel):
    """One bulk import of cases from the HTCDS template or a CSV. All rows are imported, or none."""

    owning_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("owning agency")
    )
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    file_format = models.CharField(_("format"), max_length=8, choices=ImportFormat.choices)
    file_name = SealedTextField(blank=True)  # sealed: a file name can name a person
    content = SealedTextField(blank=True)  # sealed base64 of the upload; blanked once processed
    rows_total = models.PositiveIntegerField(default=0)
    rows_validated = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    # imported persons CTIP found may be persons already registered: queued for review (people:duplicates)
    possible_duplicates = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"row", "column", "message"}]: never cell values
    case_references = models.JSONField(default=list, blank=True)
    failure = models.CharField(max_length=300, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ImportStatus.values), name="import_status_valid"),
            models.CheckConstraint(condition=Q(file_format__in=ImportFormat.values), name="import_format_valid"),
        ]

    def __str__(self) -> str:
        return f"Import {str(self.public_id)[:8]}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.INVALID, ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 0
        done = self.rows_imported if self.status in (ImportStatus.IMPORTING, ImportStatus.DONE) else self.rows_validated
        return min(100, int(100 * done / self.rows_total))
