"""Reads of the Trust Fund ledger, scoped by the user (ARCHITECTURE.md rule 3).

Who reads it: the fund's officers (who also write), national coordinators and auditors (trustfund.view, national);
nobody else. The ledger holds no identity: a disbursement names its victim case by number only. Balances are
always sums of entries (`ledger_sum`); the head's running balance is checked against them by `reconcile`."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from ctip.accounts.access import require
from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action
from ctip.audit.services import audit_record
from ctip.core.errors import NotFound
from ctip.justice.models import ForfeitureOrder

from .enums import EntryKind, Purpose, ReceiptSource
from .events import TrustFundEvent
from .models import HEAD_ID, TARGET, FundLedger, LedgerEntry
from .money import format_ksh


def entries_for_user(*, user: Actor, kind: str = "") -> QuerySet[LedgerEntry]:
    """The ledger, newest entry first, each with what it reverses and what reversed it (no query per row)."""
    require(user, Action.TRUSTFUND_VIEW)
    qs = LedgerEntry.objects.select_related("reverses", "reversed_by")
    if kind in EntryKind.values:
        qs = qs.filter(kind=kind)
    return qs.order_by("-number")


def entry_get_for_user(*, user: Actor, public_id) -> LedgerEntry:
    require(user, Action.TRUSTFUND_VIEW)
    entry = (
        LedgerEntry.objects.select_related(
            "reverses", "reversed_by", "recorded_by", "charge_sheet", "forfeiture_order__charge_sheet__court"
        )
        .filter(public_id=public_id)
        .first()
    )
    if entry is None:
        raise NotFound()
    return entry


def ledger_sum(*, until: date | None = None, before: date | None = None) -> int:
    """The balance as the sum of the entries (cents), all of them or those dated up to `until` / before `before`."""
    qs = LedgerEntry.objects.all()
    if until is not None:
        qs = qs.filter(entry_date__lte=until)
    if before is not None:
        qs = qs.filter(entry_date__lt=before)
    return int(qs.aggregate(total=Sum("amount_cents"))["total"] or 0)


def balance_for_user(*, user: Actor) -> int:
    """The fund's balance now (cents): the sum of every entry."""
    require(user, Action.TRUSTFUND_VIEW)
    return ledger_sum()


# --- forfeiture orders: what the fund received on each ---------------------------------------------------------------

ORDER_CHOICES = 20  # orders offered at most by one search


def received_by_order(order_ids: Iterable[int]) -> dict[int, int]:
    """Net cents the fund received on each of these forfeiture orders (receipts less their reversals): one query.
    Registered with ctip.justice.fund, so the prosecution page can show it without importing the Trust Fund."""
    ids = list(order_ids)
    if not ids:
        return {}
    rows = (
        LedgerEntry.objects.filter(forfeiture_order_id__in=ids)
        .order_by()
        .values("forfeiture_order_id")
        .annotate(total=Sum("amount_cents"))
        .values_list("forfeiture_order_id", "total")
    )
    return {order_id: int(total or 0) for order_id, total in rows}


def _received_subquery():
    return Coalesce(
        Subquery(
            LedgerEntry.objects.filter(forfeiture_order_id=OuterRef("pk"))
            .order_by()
            .values("forfeiture_order_id")
            .annotate(total=Sum("amount_cents"))
            .values("total")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


@dataclass
class OrderChoice:
    """A forfeiture order as the fund's officer sees it: the court case, the court, the date and the value, what
    was received on it and what remains. Never the accused nor the assets (sealed): the ledger names no one."""

    public_id: str
    court_case_number: str
    court: str
    ordered_on: date
    amount_cents: int
    received_cents: int

    @property
    def remaining_cents(self) -> int:
        return max(self.amount_cents - self.received_cents, 0)

    @property
    def amount(self) -> str:
        return format_ksh(self.amount_cents)

    @property
    def received(self) -> str:
        return format_ksh(self.received_cents)

    @property
    def remaining(self) -> str:
        return format_ksh(self.remaining_cents)

    @property
    def label(self) -> str:
        return _("%(case)s, %(court)s: order of %(date)s for KSh %(amount)s (KSh %(remaining)s not yet received)") % {
            "case": self.court_case_number,
            "court": self.court,
            "date": self.ordered_on.isoformat(),
            "amount": self.amount,
            "remaining": self.remaining,
        }


def _order_choices(qs: QuerySet[ForfeitureOrder]) -> list[OrderChoice]:
    rows = (
        qs.annotate(received=_received_subquery())
        .order_by("charge_sheet__court_case_number", "ordered_on", "id")
        .values_list(
            "public_id",
            "charge_sheet__court_case_number",
            "charge_sheet__court__name",
            "ordered_on",
            "amount_cents",
            "received",
        )[:ORDER_CHOICES]
    )
    return [
        OrderChoice(str(p), number, court, day, amount, int(got or 0)) for p, number, court, day, amount, got in rows
    ]


def forfeiture_orders_for_receipt(*, user: Actor, search: str = "", public_id: str = "") -> list[OrderChoice]:
    """Forfeiture orders the fund's officer may record a receipt against: those whose court case number contains
    `search` (or whose public id it is), or the one order `public_id`; 20 at most, one query."""
    require(user, Action.TRUSTFUND_RECORD)
    qs = ForfeitureOrder.objects.all()
    if public_id:
        try:
            return _order_choices(qs.filter(public_id=uuid.UUID(str(public_id))))
        except ValueError:
            return []
    search = " ".join((search or "").split())[:60]
    if len(search) < 2:
        return []
    try:
        return _order_choices(qs.filter(public_id=uuid.UUID(search)))
    except ValueError:
        return _order_choices(qs.filter(charge_sheet__court_case_number__icontains=search))


# --- the statement ------------------------------------------------------------------------------------------------


@dataclass
class StatementLine:
    entry: LedgerEntry
    receipt_cents: int
    payment_cents: int
    balance_cents: int

    @property
    def balance(self) -> str:
        return format_ksh(self.balance_cents)


@dataclass
class Total:
    code: str
    label: str
    cents: int

    @property
    def amount(self) -> str:
        return format_ksh(self.cents)


@dataclass
class Statement:
    start: date
    end: date
    opening_cents: int
    lines: list[StatementLine]
    by_source: list[Total]
    by_purpose: list[Total]
    receipts_cents: int = 0
    payments_cents: int = 0
    closing_cents: int = 0
    reversals: int = 0
    labels: dict = field(default_factory=dict)

    @property
    def opening(self) -> str:
        return format_ksh(self.opening_cents)

    @property
    def closing(self) -> str:
        return format_ksh(self.closing_cents)

    @property
    def receipts(self) -> str:
        return format_ksh(self.receipts_cents)

    @property
    def payments(self) -> str:
        return format_ksh(self.payments_cents)


def statement_for_user(*, user: Actor, start: date, end: date, export: str = "") -> Statement:
    """The statement of `start`..`end` (dates of the entries, both included): opening balance (entries dated
    before), every entry of the period in date order with its running balance, closing balance, and the totals
    by source (receipts, net of their reversals) and by purpose (disbursements, net of theirs). Four queries
    whatever the period holds. An export (`pdf`, `xlsx`) is recorded in the audit trail."""
    require(user, Action.TRUSTFUND_VIEW)
    opening = ledger_sum(before=start)
    period = LedgerEntry.objects.filter(entry_date__gte=start, entry_date__lte=end)
    lines: list[StatementLine] = []
    balance = opening
    receipts = payments = reversals = 0
    for entry in period.select_related("reverses", "forfeiture_order").order_by("entry_date", "number"):
        balance += entry.amount_cents
        into = max(entry.amount_cents, 0)
        out = max(-entry.amount_cents, 0)
        receipts += into
        payments += out
        reversals += entry.kind == EntryKind.REVERSAL
        lines.append(StatementLine(entry, into, out, balance))
    sources = dict(
        period.exclude(source="").order_by().values("source").annotate(t=Sum("amount_cents")).values_list("source", "t")
    )
    purposes = dict(
        period.exclude(purpose="")
        .order_by()
        .values("purpose")
        .annotate(t=Sum("amount_cents"))
        .values_list("purpose", "t")
    )
    statement = Statement(
        start=start,
        end=end,
        opening_cents=opening,
        lines=lines,
        by_source=[Total(code, str(label), int(sources.get(code) or 0)) for code, label in ReceiptSource.choices],
        by_purpose=[Total(code, str(label), -int(purposes.get(code) or 0)) for code, label in Purpose.choices],
        receipts_cents=receipts,
        payments_cents=payments,
        closing_cents=balance,
        reversals=reversals,
    )
    if export:
        audit_record(
            actor=user,
            action=TrustFundEvent.STATEMENT,
            target_type=TARGET,
            changes={"format": export, "from": start.isoformat(), "to": end.isoformat(), "entries": len(lines)},
        )
    return statement


# --- reconciliation -----------------------------------------------------------------------------------------------


@dataclass
class Reconciliation:
    sum_cents: int
    head_balance_cents: int | None
    head_entries: int | None
    entries: int
    # Entries whose stored running balance is not the sum of the entries up to them, and numbers missing.
    bad_running: list[int] = field(default_factory=list)
    gaps: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        head_ok = (self.head_balance_cents is None and self.entries == 0) or (
            self.head_balance_cents == self.sum_cents and self.head_entries == self.entries
        )
        return head_ok and not self.bad_running and not self.gaps

    def problems(self) -> Iterator[str]:
        if self.head_balance_cents != self.sum_cents and not (self.head_balance_cents is None and self.entries == 0):
            yield _("The ledger head's balance (KSh %(head)s) is not the sum of the entries (KSh %(sum)s).") % {
                "head": format_ksh(self.head_balance_cents or 0),
                "sum": format_ksh(self.sum_cents),
            }
        if self.head_entries is not None and self.head_entries != self.entries:
            yield _("The ledger head counts %(head)s entries; the ledger holds %(count)s.") % {
                "head": self.head_entries,
                "count": self.entries,
            }
        for number in self.bad_running[:20]:
            yield _("Entry TF-%(number)06d: its running balance is not the sum of the entries up to it.") % {
                "number": number
            }
        for number in self.gaps[:20]:
            yield _("Entry TF-%(number)06d is missing.") % {"number": number}


def reconcile() -> Reconciliation:
    """Check the stored running balances (the head's and each entry's) against the sums of the entries. Reads every
    entry once, in number order, streamed."""
    head = FundLedger.objects.filter(pk=HEAD_ID).first()
    totals = LedgerEntry.objects.aggregate(total=Sum("amount_cents"), count=Count("id"))
    result = Reconciliation(
        sum_cents=int(totals["total"] or 0),
        head_balance_cents=head.balance_cents if head else None,
        head_entries=head.entry_count if head else None,
        entries=int(totals["count"] or 0),
    )
    running = 0
    expected = 1
    rows = LedgerEntry.objects.order_by("number").values_list("number", "amount_cents", "balance_after_cents")
    for number, amount, balance_after in rows.iterator(chunk_size=2000):
        while expected < number:
            result.gaps.append(expected)
            expected += 1
        expected = number + 1
        running += amount
        if balance_after != running:
            result.bad_running.append(number)
    return result
