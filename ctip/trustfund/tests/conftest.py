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


def make_forfeiture_order(users, *, court_case_number="MCCR/E412/2026", amount_cents=1_000_000_00, suffix="tf"):
    """A forfeiture order of KSh 1,000,000 on a charge sheet (court case `court_case_number`), built through the
    justice services: a file opened, submitted, advised, charged under s.3, the accused convicted, the order made.
    Dates are fixed days of early 2026."""
    from datetime import timedelta

    from django.utils import timezone

    from ctip.accounts.services import agency_create, user_create
    from ctip.core.tests.world import PASSWORD
    from ctip.justice import services as justice
    from ctip.justice.models import CourtStation
    from ctip.justice.tests.conftest import make_ready, open_file
    from ctip.reference.models import County, Offence

    admin = users[Role.SYSADMIN]
    odpp = agency_create(
        actor=admin,
        name=f"ODPP Office {suffix}",
        short_name=f"ODPP-{suffix}",
        agency_type="prosecution",
        counties=list(County.objects.filter(code="047")),
    )
    prosecutor = user_create(
        actor=admin, username=f"odpp-{suffix}", password=PASSWORD, role=Role.PROSECUTOR, agency=odpp
    )
    investigator = users[Role.INVESTIGATOR]
    investigation = make_ready(investigator, open_file(investigator))
    justice.investigation_submit(
        actor=investigator,
        investigation=investigation,
        agency=odpp,
        sections=["victims", "suspects", "offences", "evidence", "identifiers", "actions"],
        note="Please review",
    )
    investigation.refresh_from_db()
    justice.investigation_advise(actor=prosecutor, investigation=investigation, advice="charge")
    investigation.submissions.update(advised_at=timezone.now() - timedelta(days=400))
    investigation.refresh_from_db()
    accused = investigation.suspects.first()
    sheet = justice.charge_sheet_record(
        actor=prosecutor,
        investigation=investigation,
        court=CourtStation.objects.get(code="milimani-mc"),
        court_case_number=court_case_number,
        charged_on=date(2026, 1, 10),
        counts=[justice.CountInput(accused, Offence.objects.get(code="ctipa-3"), accused_sex="male")],
    )
    count = sheet.counts.get(number=1)
    justice.plea_record(actor=prosecutor, count=count, plea="not_guilty")
    justice.outcome_record(actor=prosecutor, count=count, verdict="convicted", decided_on=date(2026, 2, 1))
    sheet.refresh_from_db()
    order = justice.forfeiture_order_record(
        actor=prosecutor,
        sheet=sheet,
        accused=accused,
        amount_cents=amount_cents,
        assets="Toyota Land Cruiser KDA 123X and an M-Pesa float",
        ordered_on=date(2026, 2, 10),
    )
    return {"order": order, "sheet": sheet, "prosecutor": prosecutor, "investigation": investigation}


@shared_fixture("users")
def forfeiture(users):
    return make_forfeiture_order(users)
