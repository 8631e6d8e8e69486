"""The criminal-justice, shelter, recruitment-enforcement and Trust Fund figures on known data written through
the real services: exact counts in the figures, small cells hidden once published, amounts shown as recorded."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from ctip.accounts.enums import Role
from ctip.justice.tests.conftest import *  # noqa: F403 - the justice app's fixtures (a charged file), reused
from ctip.justice.tests.conftest import (  # noqa: F401 - their module-scoped halves
    _shared_case,
    _shared_file,
    _shared_odpp_agency,
    _shared_odpp_users,
)
from ctip.stats import selectors
from ctip.stats.filters import Filters
from ctip.stats.tables import publish, publish_all

from .conftest import open_victim

pytestmark = pytest.mark.django_db


def _fig(figures, key):
    return next(f for f in figures if f.key == key)


def _row(figure, key):
    return figure.counts[[k for k, _l in figure.rows].index(key)]


@pytest.fixture
def convicted(submitted, prosecutor):
    """A file charged 100 days ago (one accused, one count under s.3 of the CTIP Act), convicted: 30 years."""
    from ctip.justice import services
    from ctip.justice.models import CourtStation
    from ctip.reference.models import Offence

    services.investigation_advise(actor=prosecutor, investigation=submitted, advice="charge")
    submitted.submissions.update(advised_at=timezone.now() - timedelta(days=120))  # before the charge
    submitted.refresh_from_db()
    accused = submitted.suspects.first()
    today = timezone.localdate()
    sheet = services.charge_sheet_record(
        actor=prosecutor,
        investigation=submitted,
        court=CourtStation.objects.get(code="milimani-mc"),
        court_case_number="MCCR/E77/2026",
        charged_on=today - timedelta(days=100),
        counts=[services.CountInput(accused, Offence.objects.get(code="ctipa-3"), accused_sex="male")],
    )
    count = sheet.counts.get(number=1)
    services.plea_record(actor=prosecutor, count=count, plea="not_guilty")
    services.outcome_record(
        actor=prosecutor,
        count=count,
        verdict="convicted",
        decided_on=today - timedelta(days=10),
        imprisonment_months=360,
        fine_cents=None,
    )
    return sheet


def test_justice_figures_count_persons_outcomes_sentences_and_lead_times(convicted, analyst):
    figures = selectors.justice_figures(user=analyst, filters=Filters())
    prosecuted = _fig(figures, "justice-prosecuted-by-law-and-sex")
    male = [k for k, _l in prosecuted.columns].index("male")
    assert _row(prosecuted, "ctip_act")[male] == 1
    assert sum(map(sum, prosecuted.counts)) == 1
    assert _row(_fig(figures, "justice-convicted-by-law-and-sex"), "ctip_act")[male] == 1
    assert _row(_fig(figures, "justice-outcomes"), "convicted") == 1
    assert _row(_fig(figures, "justice-sentences"), "gt_10y") == 1
    charged = _fig(figures, "justice-charged-by-law")
    assert _row(charged, "ctip_act") == 1 and _row(charged, "lighter") == 0
    lead = _fig(figures, "justice-lead-times")
    assert _row(lead, "file_to_charge")[0] == 1
    assert _row(lead, "file_to_advice")[0] == 1 and _row(lead, "identification_to_file")[0] == 1
    # published: every one of these small counts is hidden, medians over one file too
    for published in publish_all(figures):
        for row in published.rows:
            for (key, _label), cell in zip(published.columns, row.cells, strict=True):
                assert cell.value is None or key.startswith("exact_"), (published.key, row.key, cell.value)
    # a period without the charge has none of it
    later = selectors.justice_figures(user=analyst, filters=Filters(date_from=timezone.localdate() - timedelta(days=5)))
    assert sum(map(sum, _fig(later, "justice-prosecuted-by-law-and-sex").counts)) == 0


def test_shelter_occupancy_counts_beds_and_victims_placed(users, provider, analyst):
    from ctip.referrals.models import Referral

    worker = users[Role.CASE_WORKER]
    for i in range(3):
        victim = open_victim(worker, n=i)
        Referral.objects.create(
            reference=f"RF-S-{i}",
            case=victim,
            provider=provider,
            sender_agency_id=victim.owning_agency_id,
            service_type="shelter",
            status="accepted" if i < 2 else "completed",
            sent_at=timezone.now(),
            responded_at=timezone.now(),
            started_at=timezone.now() if i == 2 else None,
            completed_at=timezone.now() if i == 2 else None,
            sent_by=worker,
            response_due_at=timezone.now(),
        )
    figure = _fig(selectors.shelter_figures(user=analyst, filters=Filters()), "shelter-occupancy")
    assert figure.rows == [("047", "Nairobi City")]
    assert figure.counts == [[5, 2]]  # 5 beds, 2 placed (the completed stay has left)
    published = publish(figure)
    assert published.rows[0].cells[0].value == 5  # beds as registered
    assert published.rows[0].cells[1].value is None  # 2 victims: hidden


def test_recruitment_enforcement_figures(users, analyst):
    from ctip.recruitment import services
    from ctip.recruitment.tests.conftest import make_agency, make_complaint

    officer = users[Role.LABOUR_OFFICER]
    for i in range(12):
        make_complaint(description=f"Complaint {i}: paid and no job.")
    agency = make_agency(officer, "RA/2022/0001", "Test Recruiters Ltd")
    services.agency_set_status(
        actor=officer,
        agency=agency,
        status="deregistered",
        effective_on=timezone.localdate(),
        source="NEA notice",
        expected_version=agency.version,
    )
    figures = selectors.recruitment_figures(user=analyst, filters=Filters())
    by_status = _fig(figures, "recruitment-complaints-by-status")
    assert _row(by_status, "new") == 12
    assert _row(_fig(figures, "recruitment-complaints-by-source"), "public") == 12
    assert _row(_fig(figures, "recruitment-licence-actions"), "deregistered") == 1
    published = {p.key: p for p in publish_all(figures)}
    assert published["recruitment-complaints-by-status"].totals[0].value == 10  # 12, rounded
    assert all(r.cells[0].value is None for r in published["recruitment-licence-actions"].rows)
    # another period: none
    none = selectors.recruitment_figures(
        user=analyst, filters=Filters(date_from=date(2001, 1, 1), date_to=date(2001, 12, 31))
    )
    assert sum(_fig(none, "recruitment-complaints-by-status").counts) == 0


def test_trust_fund_amounts_are_shown_and_disbursement_counts_protected(users, analyst):
    from ctip.cases.tests.factories import open_case
    from ctip.core.tests.world import register_person
    from ctip.trustfund.tests.conftest import DAY, disburse, receive

    officer = users[Role.TRUST_FUND_OFFICER]
    from ctip.cases import services as case_services

    victim = open_case(users[Role.CASE_WORKER], register_person)
    case_services.status_decide(
        actor=users[Role.CASE_WORKER],
        case=victim,
        expected_version=victim.version,
        status="PossibleVictimOfTrafficking",
        decision_org="Police",
        decided_on=date(2026, 3, 1),
    )
    receive(officer, 10_000_000)  # KSh 100,000
    disburse(officer, 2_500_050, victim.reference)  # KSh 25,000.50
    filters = Filters(date_from=date(DAY.year, 1, 1), date_to=date(DAY.year, 12, 31))
    figures = selectors.trustfund_figures(user=analyst, filters=filters)
    by_period = _fig(figures, "trustfund-by-period")
    assert len(by_period.rows) == 12 and by_period.rows[DAY.month - 1][1] == f"{DAY.year}-{DAY.month:02d}"
    assert by_period.counts[DAY.month - 1] == [100_000, 25_001, 1]
    published = publish(by_period)
    march = published.rows[DAY.month - 1].cells
    assert march[0].value == 100_000 and march[1].value == 25_001 and march[2].value is None
    assert published.totals[0].value == 100_000
    by_purpose = publish(_fig(figures, "trustfund-by-purpose"))
    medical = next(r for r in by_purpose.rows if r.key == "medical")
    assert medical.cells[0].value is None and medical.cells[1].value == 25_001
