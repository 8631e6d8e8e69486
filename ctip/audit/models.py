"""Append-only, hash-chained audit trail (ADR 0004, ADR 0010).

An event is written in two steps. In the caller's transaction, `audit_record` inserts it *sealed*: a random
`nonce` and `mac` = HMAC-SHA256(CTIP_AUDIT_KEY, canonical(content + nonce)), with no place in the chain yet.
Right after that transaction commits, `chain_pending` gives every committed, unchained event its place: `seq`,
`prev_hash` and `hash` = HMAC-SHA256(CTIP_AUDIT_KEY, canonical(content + mac + seq + previous hash)). Altering or
deleting any chained row breaks the chain at that row; altering a sealed row breaks its mac; recomputing either
needs the key, which is not in the database. The app has no update or delete path: the model refuses both, and
database triggers refuse them too, except setting the three chain columns once, from empty.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import catalogue


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit trail is append-only.")

    def delete(self):
        raise PermissionError("The audit trail is append-only.")

    _raw_delete = delete


class AuditEvent(models.Model):
    # The place in the chain: empty from the insert until `chain_pending` sets it (once; triggers refuse more).
    seq = models.BigIntegerField(_("sequence"), unique=True, null=True, blank=True)
    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
        db_constraint=False,
    )
    actor_label = models.CharField(_("user name"), max_length=150, blank=True)
    agency_id = models.BigIntegerField(_("agency"), null=True, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    target_type = models.CharField(_("record type"), max_length=60, blank=True)
    target_id = models.CharField(_("record id"), max_length=64, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    prev_hash = models.CharField(max_length=64, null=True, blank=True)
    hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # The seal set at insert (empty on events written before ADR 0010, which were chained at insert).
    nonce = models.CharField(max_length=32, unique=True, null=True, blank=True)
    mac = models.CharField(max_length=64, blank=True, default="")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        # Newest first by insertion: `seq` is empty for the few milliseconds before chaining, and the chain
        # follows insertion order among committed rows.
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["actor", "-id"], name="audit_event_actor_id_idx"),
            models.Index(fields=["target_type", "target_id"]),
            # The few sealed events waiting for their place in the chain: `chain_pending` reads only these.
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="audit_event_pending_idx"),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None or not kwargs.get("force_insert"):
            raise PermissionError("Audit events are written only by ctip.audit.services.audit_record.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit trail is append-only.")

    @property
    def action_label(self) -> str:
        """The event's label in the current language (ctip/audit/catalogue.py); a retired name as written."""
        return catalogue.label(self.action)


class AuditChainHead(models.Model):
    """One row: the last sequence number and hash. Locked while chaining (a few statements after the request's
    commit, never for a request), so the chain has no forks."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
