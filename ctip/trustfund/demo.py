"""Demo data for the Trust Fund: a small ledger consistent with the rest of the demo, recorded through the real
services (so every entry is audited and the head's running balance reconciles). Registered by the demo generator as
an extension after the others: `add_demo_trustfund(seed=, result=, actor=, progress=)`. Receipts: a government
allocation, a donation, and the forfeited proceeds received against up to three demo forfeiture orders (all of an
order's value, or a half or a quarter of it, dated on or after the order; one forfeiture of an order made before
CTIP, by its court case number, when the demo has no order yet). Disbursements: to demo victim cases (possible or
actual victims), by case number, each with a Board approval; one of them reversed (wrong amount) and recorded again.
Dates are within the last four months, the latest in the current month, so the default statement shows some.
Deterministic for a seed; does nothing when the ledger already has entries."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ctip.accounts.enums import Role
from ctip.accounts.models import User
from ctip.cases.models import Case
from ctip.justice.models import ForfeitureOrder

from . import services
from .enums import Purpose
from .models import LedgerEntry

PURPOSES = [Purpose.MEDICAL, Purpose.EDUCATION, Purpose.BUSINESS, Purpose.SHELTER, Purpose.REPATRIATION, Purpose.LEGAL]
DISBURSEMENTS = 6
FORFEITURE_RECEIPTS = 3


def add_demo_trustfund(*, seed: int, result, actor, progress=None) -> None:
    made = {"trustfund_entries": 0}
    officer = User.objects.filter(role=Role.TRUST_FUND_OFFICER, is_active=True).order_by("id").first()
    if officer is None or LedgerEntry.objects.exists():
        result.extra.update(made)
        return
    rng = random.Random(f"trustfund:{seed}")
    today = timezone.localdate()

    def day(days_ago: int):
        return today - timedelta(days=max(0, min(days_ago, 120)))

    year = today.year
    with transaction.atomic():
        entries = [
            services.receipt_record(
                actor=officer,
                data=services.ReceiptInput(
                    entry_date=day(120),
                    amount_cents=5_000_000_00,
                    source="government",
                    receipt_reference=f"EXCHEQUER/{year}/Q{(today.month - 1) // 3 + 1}",
                ),
            ),
            services.receipt_record(
                actor=officer,
                data=services.ReceiptInput(
                    entry_date=day(90), amount_cents=750_000_00, source="donation", receipt_reference="KCB-TT-004512"
                ),
            ),
        ]
        orders = list(
            ForfeitureOrder.objects.filter(ordered_on__lte=today)
            .select_related("charge_sheet")
            .order_by("id")[:FORFEITURE_RECEIPTS]
        )
        for n, order in enumerate(orders, start=1):
            # the whole value, or a first half or quarter of it, received on or after the order's date
            entries.append(
                services.receipt_record(
                    actor=officer,
                    data=services.ReceiptInput(
                        entry_date=max(order.ordered_on, day(75 - 10 * n)),
                        amount_cents=order.amount_cents // rng.choice([1, 2, 4]),
                        source="forfeiture",
                        forfeiture_order=str(order.public_id),
                        receipt_reference=f"CBK/NATF/{year}/{n:03d}",
                    ),
                )
            )
        if not orders:  # no order recorded in CTIP yet: one made before CTIP, named by its court case number
            entries.append(
                services.receipt_record(
                    actor=officer,
                    data=services.ReceiptInput(
                        entry_date=day(65),
                        amount_cents=rng.choice([250_000_00, 1_200_000_00, 480_000_50, 96_500_00]),
                        source="forfeiture",
                        court_case_number=f"HCCR/{rng.randint(100, 999)}/{year - 3}",
                        order_reference=f"FO/1/{year - 3}",
                    ),
                )
            )
        cases = list(
            Case.objects.filter(trafficking_status__in=services.VICTIM_STATUSES)
            .order_by("id")
            .values_list("reference", flat=True)[:DISBURSEMENTS]
        )
        paid = []
        for n, reference in enumerate(cases, start=1):
            paid_on = day(60 - 9 * n)
            paid.append(
                services.disbursement_record(
                    actor=officer,
                    data=services.DisbursementInput(
                        entry_date=paid_on,
                        amount_cents=rng.randrange(15_000, 150_000, 500) * 100,
                        purpose=PURPOSES[(n - 1) % len(PURPOSES)],
                        case_reference=reference,
                        approval_reference=f"NATF/BOT/{year}/{n:03d}",
                        approval_date=paid_on - timedelta(days=rng.randint(2, 14)),
                    ),
                )
            )
        entries += paid
        if len(paid) >= 2:
            wrong = paid[1]
            entries.append(services.entry_reverse(actor=officer, entry=wrong, reason="wrong_amount", entry_date=today))
            entries.append(
                services.disbursement_record(
                    actor=officer,
                    data=services.DisbursementInput(
                        entry_date=today,
                        amount_cents=abs(wrong.amount_cents) // 2,
                        purpose=wrong.purpose,
                        case_reference=wrong.case_reference,
                        approval_reference=wrong.approval_reference,
                        approval_date=wrong.approval_date,
                    ),
                )
            )
    made["trustfund_entries"] = len(entries)
    result.extra.update(made)
    if progress:
        progress(0)
