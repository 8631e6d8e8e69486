"""Trust Fund fixtures: the fund's officer, a victim case (a possible victim, decided by its case worker) and a case
still waiting for a decision, and helpers that write entries through the real services.

Dates are fixed days of 2026 in the past: nothing here depends on today's date."""

from __future__ import annotations

from datetime import date

import pytest

from ctip.accounts.enums import Role
from ctip.core.tests.world import register_person, shared_fixture

DAY = date(2026, 3, 2)


@pytest.fixture
def officer(users):
    return users[Role.TRUST_FUND_OFFICER]


@shared_fixture("users")
def victim_case(users):
    from ctip.cases import services as case_services
    from ctip.cases.tests.factories import open_case

    worker = users[Role.CASE_WORKER]
    case = open_case(worker, register_person)
    case_services.status_decide(
        actor=worker,
        case=case,
        expected_version=case.version,
        status="PossibleVictimOfTrafficking",
        decision_org="Police",
        decided_on=date(2026, 3, 1),
    )
    case.refresh_from_db()
    return case


@shared_fixture("users")
def undecided_case(users):
    from ctip.cases.tests.factories import open_case

    return open_case(users[Role.CASE_WORKER], register_person, first_name="Wanjiku", last_name="Mwangi")


def receive(actor, cents, *, source="government", day=DAY, **kw):
    from ctip.trustfund import services

    return services.receipt_record(
        actor=actor, data=services.ReceiptInput(entry_date=day, amount_cents=cents, source=source, **kw)
    )


def disburse(actor, cents, case_reference, *, purpose="medical", day=DAY, **kw):
    from ctip.trustfund import services

    return services.disbursement_record(
        actor=actor,
        data=services.DisbursementInput(
            entry_date=day,
            amount_cents=cents,
            purpose=purpose,
            case_reference=case_reference,
            approval_reference=kw.pop("approval_reference", "NATF/BOT/2026/014"),
            approval_date=kw.pop("approval_date", date(2026, 2, 27)),
        ),
    )
