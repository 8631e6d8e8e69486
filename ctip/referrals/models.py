"""The service-provider directory and NRM referrals.

A referral hands one service need of a victim case to a provider agency, sharing only the sections of the case
the sender chose (an accounts.RecordShare created by the referral). Free text (the sender's notes, reasons) may
name people: it is sealed with the identity vault.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.cases.enums import ServiceType
from ctip.core.models import BaseModel
from ctip.people.sealed import SealedTextField

from .enums import OCCUPYING_STATUSES, OPEN_STATUSES, REFERRAL_TRANSITIONS, AcceptsSex, ReferralStatus

TARGET = "referrals.referral"
PROVIDER_TARGET = "referrals.serviceprovider"


class ServiceProvider(BaseModel):
    """One agency's entry in the NRM directory: what it offers, where, to whom, and its shelter beds."""

    agency = models.OneToOneField(
        "accounts.Agency", on_delete=models.PROTECT, related_name="service_provider", verbose_name=_("agency")
    )
    counties = models.ManyToManyField(
        "reference.County", verbose_name=_("counties served"), blank=True, related_name="+"
    )
    national = models.BooleanField(_("serves the whole country"), default=False)
    shelter_capacity = models.PositiveIntegerField(_("shelter beds"), default=0)
    accepts_children = models.BooleanField(_("accepts children"), default=True)
    accepts_adults = models.BooleanField(_("accepts adults"), default=True)
    accepts_sex = models.CharField(_("accepts"), max_length=10, choices=AcceptsSex.choices, default=AcceptsSex.ANY)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    # Organisation contacts (the office), never a victim's.
    phone = models.CharField(_("office phone"), max_length=20, blank=True)
    email = models.EmailField(_("office e-mail"), blank=True)
    notes = models.TextField(_("notes for referring officers"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["agency__name"]
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        constraints = [
            models.CheckConstraint(condition=Q(accepts_sex__in=AcceptsSex.values), name="provider_accepts_sex_valid"),
            models.CheckConstraint(
                condition=Q(accepts_children=True) | Q(accepts_adults=True), name="provider_accepts_someone"
            ),
        ]

    def __str__(self) -> str:
        return str(self.agency)


class ProviderService(models.Model):
    """One service a provider offers (a row each, so the directory can be searched by service on any database)."""

    provider = models.ForeignKey(ServiceProvider, on_delete=models.CASCADE, related_name="offered")
    service_type = models.CharField(_("service"), max_length=30, choices=ServiceType.choices)

    class Meta:
        ordering = ["service_type"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "service_type"], name="provider_service_once"),
            models.CheckConstraint(condition=Q(service_type__in=ServiceType.values), name="provider_service_valid"),
        ]
        indexes = [models.Index(fields=["service_type", "provider"], name="provider_service_lookup")]


class Referral(BaseModel):
    reference = models.CharField(_("referral number"), max_length=20, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals")
    provider = models.ForeignKey(ServiceProvider, on_delete=models.PROTECT, related_name="referrals")
    # The case's owning agency when the referral was sent: the sending side (outbox, revocation, notifications).
    sender_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="referrals_sent")
    service_type = models.CharField(_("service"), max_length=30, choices=ServiceType.choices)
    sections = models.JSONField(_("sections shared"), default=list, blank=True)  # CaseSection values
    notes = SealedTextField(_("notes for the provider"), blank=True)
    consent_override = models.BooleanField(_("shared without consent"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    response_due_at = models.DateTimeField(_("response due"))
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decline_reason = SealedTextField(_("reason for declining"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completion_note = SealedTextField(_("completion note"), blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = SealedTextField(_("reason for revoking"), blank=True)
    share = models.ForeignKey("accounts.RecordShare", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ReferralStatus.values), name="referral_status_valid"),
            models.CheckConstraint(condition=Q(service_type__in=ServiceType.values), name="referral_service_valid"),
            models.CheckConstraint(
                condition=Q(status=ReferralStatus.SENT)
                | Q(status=ReferralStatus.REVOKED)
                | Q(responded_at__isnull=False),
                name="referral_responded_when_answered",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.DECLINED) | ~Q(decline_reason=""),
                name="referral_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.REVOKED) | (Q(revoked_at__isnull=False) & ~Q(revoke_reason="")),
                name="referral_revoked_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.COMPLETED) | Q(completed_at__isnull=False),
                name="referral_completed_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[ReferralStatus.IN_PROGRESS, ReferralStatus.COMPLETED])
                | Q(started_at__isnull=False),
                name="referral_started_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["provider", "status", "-sent_at"], name="referral_inbox"),
            models.Index(fields=["sender_agency", "status", "-sent_at"], name="referral_outbox"),
            models.Index(fields=["status", "response_due_at"], name="referral_overdue"),
            models.Index(fields=["case", "status"], name="referral_case"),
        ]

    def __str__(self) -> str:
        return self.reference

    # --- guards (the services decide; these only answer questions) ------------------------------------
    def can_become(self, status: str) -> bool:
        return status in REFERRAL_TRANSITIONS.get(self.status, frozenset())

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def occupies_bed(self) -> bool:
        return self.service_type == ServiceType.SHELTER and self.status in OCCUPYING_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.status == ReferralStatus.SENT and self.response_due_at < timezone.now()


class ReferralCounter(models.Model):
    """Per-year counter for human-readable referral numbers (RF-2026-000123), locked when incremented."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    value = models.PositiveIntegerField(default=0)
