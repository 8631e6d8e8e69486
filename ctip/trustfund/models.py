"""The National Assistance Trust Fund's ledger (issue 11, Counter-Trafficking in Persons Act s.22-24).

Money is exact: every amount is an integer number of cents (BigIntegerField), never a float or a decimal string.
An entry is never edited or deleted: the model and its queryset refuse both, and database triggers refuse UPDATE
and DELETE on the entries table (migration 0002; 0003 re-creates them after its table change), as they do on the
audit trail. A correction is a reversing entry pointing at the entry it reverses, at most once.

A receipt of forfeited proceeds names the court's forfeiture order recorded in CTIP (`forfeiture_order`); the
receipts against one order never add up to more than its value (the services check it under the head's lock).

`FundLedger` is one row, the ledger head: the running balance and the number of entries, locked
(`select_for_update`) by every write, so two disbursements at the same moment are decided one after the other and
cannot together overdraw the fund. `manage.py trustfund_reconcile` checks it, and each entry's running balance,
against the sum of the entries.

A disbursement names the beneficiary's victim case by its case number only (checked to exist when recorded):
no link to the case record, nothing about the person.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import EntryKind, Purpose, ReceiptSource, ReversalReason
from .money import format_ksh

TARGET = "trustfund.entry"
HEAD_ID = 1


class FundLedger(models.Model):
    """The ledger head (one row, id 1): the running balance, kept in step by the services under a row lock."""

    balance_cents = models.BigIntegerField(_("balance (cents)"), default=0)
    entry_count = models.PositiveIntegerField(_("entries"), default=0)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("Trust Fund ledger")
        constraints = [
            models.CheckConstraint(condition=Q(id=HEAD_ID), name="fund_ledger_single_row"),
            models.CheckConstraint(condition=Q(balance_cents__gte=0), name="fund_ledger_not_overdrawn"),
        ]


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Trust Fund entries are never edited: record a reversing entry.")

    def delete(self):
        raise PermissionError("Trust Fund entries are never deleted: record a reversing entry.")

    _raw_delete = delete


class LedgerEntry(models.Model):
    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    number = models.PositiveIntegerField(_("entry number"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    entry_date = models.DateField(_("date"))
    # The entry's effect on the balance, in cents: > 0 for a receipt, < 0 for a disbursement, the opposite of the
    # reversed entry's for a reversal. The balance after it is kept for reconciliation.
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    balance_after_cents = models.BigIntegerField(_("balance after (cents)"))
    # Receipts.
    source = models.CharField(_("source"), max_length=16, choices=ReceiptSource.choices, blank=True)
    charge_sheet = models.ForeignKey(
        "justice.ChargeSheet",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("charge sheet"),
    )
    # Forfeited proceeds: the court's order as recorded in CTIP (justice.ForfeitureOrder), when it is. A receipt names
    # an order recorded in CTIP whenever its court case is in CTIP; the free-text court case number and order
    # reference stay for orders made before or outside CTIP (and for receipts recorded before the link existed).
    forfeiture_order = models.ForeignKey(
        "justice.ForfeitureOrder",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("forfeiture order"),
    )
    court_case_number = models.CharField(_("court case number"), max_length=40, blank=True)
    order_reference = models.CharField(_("forfeiture order reference"), max_length=60, blank=True)
    receipt_reference = models.CharField(_("receipt or bank reference"), max_length=60, blank=True)
    # Disbursements: the beneficiary's victim case by number only, and the Board's approval.
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices, blank=True)
    case_reference = models.CharField(_("victim case number"), max_length=20, blank=True, db_index=True)
    approval_reference = models.CharField(_("Board approval reference"), max_length=60, blank=True)
    approval_date = models.DateField(_("date of the Board's approval"), null=True, blank=True)
    # Reversals.
    reverses = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
        verbose_name=_("reverses entry"),
    )
    reversal_reason = models.CharField(_("reason"), max_length=20, choices=ReversalReason.choices, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("Trust Fund entry")
        verbose_name_plural = _("Trust Fund entries")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EntryKind.values), name="ledger_entry_kind"),
            models.CheckConstraint(
                condition=Q(source="") | Q(source__in=ReceiptSource.values), name="ledger_entry_source"
            ),
            models.CheckConstraint(
                condition=Q(purpose="") | Q(purpose__in=Purpose.values), name="ledger_entry_purpose"
            ),
            models.CheckConstraint(
                condition=Q(reversal_reason="") | Q(reversal_reason__in=ReversalReason.values),
                name="ledger_entry_reversal_reason",
            ),
            models.CheckConstraint(condition=Q(balance_after_cents__gte=0), name="ledger_entry_not_overdrawn"),
            models.CheckConstraint(
                condition=~Q(kind=EntryKind.RECEIPT)
                | (Q(amount_cents__gt=0) & Q(source__in=ReceiptSource.values) & Q(reverses__isnull=True)),
                name="ledger_receipt_shape",
            ),
            models.CheckConstraint(
                condition=~Q(kind=EntryKind.RECEIPT, source=ReceiptSource.FORFEITURE)
                | (~Q(court_case_number="") & (~Q(order_reference="") | Q(forfeiture_order__isnull=False))),
                name="ledger_forfeiture_has_order",
            ),
            models.CheckConstraint(
                condition=~Q(kind=EntryKind.DISBURSEMENT)
                | (
                    Q(amount_cents__lt=0)
                    & Q(purpose__in=Purpose.values)
                    & ~Q(case_reference="")
                    & ~Q(approval_reference="")
                    & Q(approval_date__isnull=False)
                    & Q(reverses__isnull=True)
                ),
                name="ledger_disbursement_shape",
            ),
            models.CheckConstraint(
                condition=~Q(kind=EntryKind.REVERSAL)
                | (~Q(amount_cents=0) & Q(reverses__isnull=False) & Q(reversal_reason__in=ReversalReason.values)),
                name="ledger_reversal_shape",
            ),
            models.CheckConstraint(
                condition=Q(forfeiture_order__isnull=True) | Q(source=ReceiptSource.FORFEITURE),
                name="ledger_order_is_forfeiture",
            ),
        ]
        indexes = [models.Index(fields=["entry_date", "number"], name="ledger_entry_date")]

    def __str__(self) -> str:
        return f"TF-{self.number:06d}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Trust Fund entries are never edited: record a reversing entry.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Trust Fund entries are never deleted: record a reversing entry.")

    @property
    def reference(self) -> str:
        return str(self)

    @property
    def amount(self) -> str:
        return format_ksh(abs(self.amount_cents))

    @property
    def signed_amount(self) -> str:
        return format_ksh(self.amount_cents)

    @property
    def balance_after(self) -> str:
        return format_ksh(self.balance_after_cents)
