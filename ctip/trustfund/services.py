"""Writes of the Trust Fund ledger (ARCHITECTURE.md rules 1-2): check the actor's right through
`accounts.access.require`, lock the ledger head, validate, write the entry and the new balance, and audit, in one
transaction. Entries are only ever added: a correction is a reversing entry.

Every write locks the one ledger-head row first (`select_for_update`), so writes are serialised: the balance a
disbursement is checked against is the balance it is written on, and two officers disbursing at the same moment
cannot overdraw the fund together (the second waits, then sees the first's entry)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.accounts.access import require
from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action
from ctip.audit.services import audit_record
from ctip.cases.enums import TraffickingStatus
from ctip.cases.models import Case
from ctip.core.errors import Conflict, InvalidTransition, ValidationFailed
from ctip.justice.models import ChargeSheet, ForfeitureOrder

from .enums import EntryKind, Purpose, ReceiptSource, ReversalReason
from .events import TrustFundEvent
from .models import HEAD_ID, TARGET, FundLedger, LedgerEntry
from .money import MAX_CENTS, format_ksh

VICTIM_STATUSES = (TraffickingStatus.POSSIBLE, TraffickingStatus.ACTUAL)


@dataclass(frozen=True)
class ReceiptInput:
    entry_date: date
    amount_cents: int
    source: str
    court_case_number: str = ""
    order_reference: str = ""
    receipt_reference: str = ""
    forfeiture_order: str = ""  # the public id of the court's order recorded in CTIP (justice.ForfeitureOrder)


@dataclass(frozen=True)
class DisbursementInput:
    entry_date: date
    amount_cents: int
    purpose: str
    case_reference: str
    approval_reference: str
    approval_date: date


# --- helpers ------------------------------------------------------------------------------------------------------


def lock_head() -> FundLedger:
    """The ledger head, locked until the transaction ends (created on first use)."""
    head = FundLedger.objects.select_for_update().filter(pk=HEAD_ID).first()
    if head is None:
        FundLedger.objects.get_or_create(pk=HEAD_ID)
        head = FundLedger.objects.select_for_update().get(pk=HEAD_ID)
    return head


def _check_amount(cents: int, errors: dict[str, list[str]]) -> None:
    if not isinstance(cents, int) or isinstance(cents, bool) or not 0 < cents <= MAX_CENTS:
        errors.setdefault("amount", []).append(_("Enter an amount above zero, in KSh with at most two decimals."))


def _check_date(value: date, name: str, errors: dict[str, list[str]]) -> None:
    if value > timezone.localdate():
        errors.setdefault(name, []).append(_("The date cannot be in the future."))


def _text(value: str, limit: int) -> str:
    return " ".join((value or "").split())[:limit]


def _write(actor: Actor, head: FundLedger, event: str, **fields) -> LedgerEntry:
    """Append one entry after the locked head and move the head's running balance and count with it."""
    balance = head.balance_cents + fields["amount_cents"]
    if balance < 0:  # the callers check first and say why; this is the last line before the DB constraint
        raise ValidationFailed(_("This entry would overdraw the fund."))
    entry = LedgerEntry(number=head.entry_count + 1, balance_after_cents=balance, recorded_by=actor, **fields)
    entry.save(force_insert=True)
    head.balance_cents = balance
    head.entry_count = entry.number
    head.updated_at = timezone.now()
    head.save(update_fields=["balance_cents", "entry_count", "updated_at"])
    changes = {
        "reference": entry.reference,
        "kind": entry.kind,
        "amount_cents": entry.amount_cents,
        "balance_after_cents": balance,
        "entry_date": entry.entry_date.isoformat(),
    }
    for name in ("source", "purpose", "case_reference", "court_case_number", "approval_reference", "reversal_reason"):
        if fields.get(name):
            changes[name] = fields[name]
    if entry.reverses_id:
        changes["reverses"] = fields["reverses"].reference
    if entry.forfeiture_order_id:
        changes["forfeiture_order"] = str(fields["forfeiture_order"].public_id)
    audit_record(actor=actor, action=event, target_type=TARGET, target_id=entry.public_id, changes=changes)
    return entry


def _charge_sheet_for(court_case_number: str) -> ChargeSheet | None:
    """The justice charge sheet with this court case number, when exactly one has it."""
    found = list(ChargeSheet.objects.filter(court_case_number__iexact=court_case_number).only("id")[:2])
    return found[0] if len(found) == 1 else None


def victim_case_exists(case_reference: str) -> bool:
    """Whether `case_reference` is the number of a victim case (a possible or actual victim): nothing else is read."""
    return Case.objects.filter(reference=case_reference, trafficking_status__in=VICTIM_STATUSES).exists()


# --- receipts -----------------------------------------------------------------------------------------------------


def _order_for(public_id: str) -> ForfeitureOrder | None:
    try:
        key = uuid.UUID(str(public_id).strip())
    except ValueError:
        return None
    return ForfeitureOrder.objects.select_related("charge_sheet").filter(public_id=key).first()


def _sheet_has_orders(court_case_number: str) -> bool:
    return ForfeitureOrder.objects.filter(charge_sheet__court_case_number__iexact=court_case_number).exists()


def order_received_cents(order: ForfeitureOrder) -> int:
    """Net cents received on `order` (its receipts less their reversals)."""
    total = LedgerEntry.objects.filter(forfeiture_order=order).aggregate(total=Sum("amount_cents"))["total"]
    return int(total or 0)


@transaction.atomic
def receipt_record(*, actor: Actor, data: ReceiptInput) -> LedgerEntry:
    """Money paid into the fund. Forfeited proceeds are recorded against the court's order recorded in CTIP
    (`forfeiture_order`, its public id): the court case number and the charge sheet come from it, and the amount
    may not exceed what remains unreceived on the order (checked under the ledger head's lock, so two receipts at
    the same moment cannot together exceed it). An order made before or outside CTIP is named by its court case
    number and order reference instead; a court case in CTIP with forfeiture orders must name one of them."""
    require(actor, Action.TRUSTFUND_RECORD)
    errors: dict[str, list[str]] = {}
    _check_amount(data.amount_cents, errors)
    _check_date(data.entry_date, "entry_date", errors)
    if data.source not in ReceiptSource.values:
        errors["source"] = [_("Choose where the money came from.")]
    forfeiture = data.source == ReceiptSource.FORFEITURE
    court_case_number = _text(data.court_case_number, 40)
    order_reference = _text(data.order_reference, 60)
    order = None
    if data.forfeiture_order:
        order = _order_for(data.forfeiture_order)
        if order is None:
            errors["forfeiture_order"] = [_("No forfeiture order recorded in CTIP has this reference.")]
        elif not forfeiture and "source" not in errors:
            errors["source"] = [_("Money received under a forfeiture order is forfeited proceeds: choose that source.")]
        else:
            court_case_number = order.charge_sheet.court_case_number
            if "entry_date" not in errors and data.entry_date < order.ordered_on:
                errors["entry_date"] = [
                    _("The order was made on %(date)s: money is received under it on or after that day.")
                    % {"date": order.ordered_on.isoformat()}
                ]
    elif forfeiture:
        if not court_case_number:
            errors["court_case_number"] = [_("Forfeited proceeds need the court case number.")]
        elif _sheet_has_orders(court_case_number):
            errors["forfeiture_order"] = [
                _(
                    "Court case %(case)s has forfeiture orders recorded in CTIP: choose the order the money was "
                    "paid under."
                )
                % {"case": court_case_number}
            ]
        if not order_reference:
            errors["order_reference"] = [_("Forfeited proceeds need the reference of the forfeiture order.")]
    if errors:
        raise ValidationFailed(fields=errors)
    head = lock_head()
    if order is not None:
        received = order_received_cents(order)
        remaining = order.amount_cents - received
        if data.amount_cents > remaining:
            raise ValidationFailed(
                fields={
                    "amount": [
                        _(
                            "The order is for KSh %(ordered)s and KSh %(received)s of it has been received: at most "
                            "KSh %(remaining)s remains to be received on it."
                        )
                        % {
                            "ordered": format_ksh(order.amount_cents),
                            "received": format_ksh(received),
                            "remaining": format_ksh(max(remaining, 0)),
                        }
                    ]
                }
            )
    return _write(
        actor,
        head,
        TrustFundEvent.FORFEITURE_RECEIPT if order is not None else TrustFundEvent.RECEIPT,
        kind=EntryKind.RECEIPT,
        entry_date=data.entry_date,
        amount_cents=data.amount_cents,
        source=data.source,
        forfeiture_order=order,
        court_case_number=court_case_number if forfeiture else "",
        order_reference=order_reference if forfeiture else "",
        charge_sheet=(order.charge_sheet if order else _charge_sheet_for(court_case_number)) if forfeiture else None,
        receipt_reference=_text(data.receipt_reference, 60),
    )


# --- disbursements ------------------------------------------------------------------------------------------------


def _overdraw_error(balance: int, cents: int) -> ValidationFailed:
    return ValidationFailed(
        fields={
            "amount": [
                _("The fund holds KSh %(balance)s: a disbursement of KSh %(amount)s would overdraw it.")
                % {"balance": format_ksh(balance), "amount": format_ksh(cents)}
            ]
        }
    )


@transaction.atomic
def disbursement_record(*, actor: Actor, data: DisbursementInput) -> LedgerEntry:
    """Money paid out to a victim on the Board's approval. The victim case is named by its number only, checked to
    be a victim case; the amount must not exceed the balance at the moment of writing (under the head's lock)."""
    require(actor, Action.TRUSTFUND_RECORD)
    errors: dict[str, list[str]] = {}
    _check_amount(data.amount_cents, errors)
    _check_date(data.entry_date, "entry_date", errors)
    _check_date(data.approval_date, "approval_date", errors)
    if "approval_date" not in errors and "entry_date" not in errors and data.approval_date > data.entry_date:
        errors["approval_date"] = [_("The Board approves a disbursement before it is paid.")]
    if data.purpose not in Purpose.values:
        errors["purpose"] = [_("Choose what the disbursement pays for.")]
    approval_reference = _text(data.approval_reference, 60)
    if not approval_reference:
        errors["approval_reference"] = [_("Give the reference of the Board's approval.")]
    case_reference = _text(data.case_reference, 20).upper()
    if not case_reference or not victim_case_exists(case_reference):
        errors["case_reference"] = [_("No victim case has this number: check the number on the Board's approval.")]
    if errors:
        raise ValidationFailed(fields=errors)
    head = lock_head()
    if data.amount_cents > head.balance_cents:
        raise _overdraw_error(head.balance_cents, data.amount_cents)
    return _write(
        actor,
        head,
        TrustFundEvent.DISBURSEMENT,
        kind=EntryKind.DISBURSEMENT,
        entry_date=data.entry_date,
        amount_cents=-data.amount_cents,
        purpose=data.purpose,
        case_reference=case_reference,
        approval_reference=approval_reference,
        approval_date=data.approval_date,
    )


# --- reversals ----------------------------------------------------------------------------------------------------


@transaction.atomic
def entry_reverse(*, actor: Actor, entry: LedgerEntry, reason: str, entry_date: date | None = None) -> LedgerEntry:
    """Correct `entry` by a reversing entry of the opposite amount, once. A reversing entry is not itself reversed
    (record the right entry instead). Reversing a receipt must not overdraw the fund."""
    require(actor, Action.TRUSTFUND_RECORD)
    if reason not in ReversalReason.values:
        raise ValidationFailed(fields={"reason": [_("Choose why the entry is reversed.")]})
    entry_date = entry_date or timezone.localdate()
    errors: dict[str, list[str]] = {}
    _check_date(entry_date, "entry_date", errors)
    if errors:
        raise ValidationFailed(fields=errors)
    head = lock_head()
    original = LedgerEntry.objects.get(pk=entry.pk)
    if original.kind == EntryKind.REVERSAL:
        raise InvalidTransition(
            _("A reversing entry cannot itself be reversed: record the correct entry as a new receipt or disbursement.")
        )
    already = LedgerEntry.objects.filter(reverses=original).only("number").first()
    if already is not None:
        raise Conflict(
            _("Entry %(entry)s was already reversed by entry %(reversal)s.")
            % {"entry": original.reference, "reversal": already.reference}
        )
    if head.balance_cents - original.amount_cents < 0:
        raise ValidationFailed(
            _(
                "The fund holds KSh %(balance)s: reversing this receipt of KSh %(amount)s would overdraw it. "
                "Record the money paid back first."
            )
            % {"balance": format_ksh(head.balance_cents), "amount": original.amount}
        )
    return _write(
        actor,
        head,
        TrustFundEvent.REVERSAL,
        kind=EntryKind.REVERSAL,
        entry_date=entry_date,
        amount_cents=-original.amount_cents,
        reverses=original,
        reversal_reason=reason,
        # The reversal nets against the same category, so the statement's totals by source and purpose are right.
        source=original.source,
        purpose=original.purpose,
        case_reference=original.case_reference,
        court_case_number=original.court_case_number,
        order_reference=original.order_reference,
        approval_reference=original.approval_reference,
        approval_date=original.approval_date,
        charge_sheet=original.charge_sheet,
        forfeiture_order=original.forfeiture_order,
    )
