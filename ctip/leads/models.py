"""Investigation leads (issues 11 and 12): what a tip, a recruitment complaint, a victim case or an officer says
about suspects, sent to an investigating agency (DCI AHTCPU, TOCU...) which accepts it (opening an investigation
file), joins it to a file it already has, or declines it with a reason.

The receiving agency owns a lead. Everything that may name someone (the summary, the suspects' names, the
identifiers, the reason for declining) is sealed with the identity vault. Suspects are not registered persons
yet: investigators register them through the file's suspect path (justice.services.suspect_add) once they act.
The source record is kept by reference only (its reference string, and the case for a lead from a case).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ctip.core.models import BaseModel
from ctip.people.sealed import SealedTextField

from .enums import LeadIdentifierKind, LeadSource, LeadStatus, LeadSuspectKind

TARGET = "leads.lead"


class Lead(BaseModel):
    reference = models.CharField(_("lead number"), max_length=20, unique=True, editable=False)
    owning_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="leads", verbose_name=_("investigating agency")
    )
    sender_agency = models.ForeignKey(
        "accounts.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sent by"),
    )
    source = models.CharField(_("source"), max_length=10, choices=LeadSource.choices)
    source_ref = models.CharField(_("source reference"), max_length=40, blank=True)
    source_case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="leads")
    summary = SealedTextField(_("what is known"))
    status = models.CharField(_("status"), max_length=10, choices=LeadStatus.choices, default=LeadStatus.NEW)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decline_reason = SealedTextField(_("reason for declining"), blank=True)
    investigation = models.ForeignKey(
        "justice.Investigation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leads",
        verbose_name=_("investigation file"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("investigation lead")
        verbose_name_plural = _("investigation leads")
        constraints = [
            models.CheckConstraint(condition=Q(source__in=LeadSource.values), name="lead_source"),
            models.CheckConstraint(condition=Q(status__in=LeadStatus.values), name="lead_status"),
            models.CheckConstraint(
                condition=~Q(source=LeadSource.CASE) | Q(source_case__isnull=False), name="lead_case_source_has_case"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[LeadStatus.ACCEPTED, LeadStatus.JOINED])
                | (Q(investigation__isnull=False) & Q(decided_at__isnull=False)),
                name="lead_acted_has_file",
            ),
            models.CheckConstraint(
                condition=~Q(status=LeadStatus.DECLINED) | Q(decided_at__isnull=False), name="lead_declined_has_date"
            ),
        ]
        indexes = [models.Index(fields=["owning_agency", "status", "-created_at"], name="lead_queue")]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status == LeadStatus.NEW


class LeadCounter(models.Model):
    """Per-year counter for lead numbers (LD-2026-000123), locked when incremented."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    value = models.PositiveIntegerField(default=0)


class LeadSuspect(models.Model):
    """Someone the source names: a person's name or an organisation's, with the roles said (HTCDS), sealed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # binds the sealed text

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="suspects")
    kind = models.CharField(_("suspect is"), max_length=14, choices=LeadSuspectKind.choices)
    name = SealedTextField(_("name"))
    roles = models.JSONField(_("roles (HTCDS)"), default=list)  # per_RoleInProcess value names
    note = SealedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=LeadSuspectKind.values), name="lead_suspect_kind")]


class LeadIdentifier(models.Model):
    """A phone, M-Pesa number or code, bank account, address, website or handle the source gives (sealed)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # binds the sealed text

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(_("kind"), max_length=14, choices=LeadIdentifierKind.choices)
    value = SealedTextField(_("value"))

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=LeadIdentifierKind.values), name="lead_identifier_kind")
        ]
