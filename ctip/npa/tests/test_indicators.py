"""The computed indicators count what CTIP holds over the plan's period (and nothing outside it), in one query;
counts of victims and offenders are published protected (below 11 suppressed, the rest rounded); the overview and
its XLSX show them against the targets."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ctip.accounts.enums import Role
from ctip.audit.models import AuditEvent
from ctip.justice.tests.conftest import (  # noqa: F401  (fixtures)
    _shared_case,
    _shared_file,
    _shared_odpp_agency,
    _shared_odpp_users,
    case,
    file,
    investigator,
    odpp_agency,
    odpp_users,
    prosecutor,
    submit,
    submitted,
)
from ctip.npa.indicators import metric_values, published
from ctip.stats.tests.conftest import open_victim

from .conftest import make_campaign, make_training

pytestmark = pytest.mark.django_db

START, END = date(2024, 1, 1), date(2024, 12, 31)


def test_trainings_and_campaigns_are_counted_in_the_period_only(users, other_users):
    worker = users[Role.CASE_WORKER]
    make_training(worker, held_on=date(2024, 3, 1), participants={"police": (6, 9), "labour": (3, 2)})
    make_training(other_users[Role.CASE_WORKER], held_on=date(2024, 11, 30), participants={"ngo": (10, 0)})
    make_training(worker, held_on=date(2023, 12, 31), participants={"police": (50, 50)})  # before
    make_campaign(worker, start=date(2024, 7, 30), end=date(2024, 8, 30), reach=25_000)
    make_campaign(worker, start=date(2024, 12, 31), end=date(2025, 1, 31), reach=1_000)
    make_campaign(worker, start=date(2025, 1, 1), end=date(2025, 1, 31), reach=7)  # after
    with CaptureQueriesContext(connection) as ctx:
        values = metric_values(START, END)
    assert len(ctx.captured_queries) == 1
    assert values["trainings_held"] == 2
    assert values["persons_trained"] == 30
    assert values["women_trained"] == 19
    assert values["men_trained"] == 11
    assert values["campaigns_held"] == 2
    assert values["campaign_reach"] == 26_000


def test_victims_are_counted_by_the_date_identified_and_published_protected(users):
    worker = users[Role.CASE_WORKER]
    for n in range(12):
        open_victim(worker, n=n, identified_on=date(2024, 2, 1) + timedelta(days=n))
    open_victim(worker, n=99, identified_on=date(2025, 2, 1))
    values = metric_values(START, END)
    assert values["victims_identified"] == 12
    shown = published(values)
    assert shown["victims_identified"].value == 10  # 12 rounded to the nearest 10
    assert shown["trainings_held"].value == 0  # not a count of persons at risk: exact
    assert published({**values, "victims_identified": 7})["victims_identified"].value is None


def test_prosecutions_and_persons_convicted(submitted, prosecutor):  # noqa: F811
    from ctip.justice import services as justice
    from ctip.justice.models import CourtStation
    from ctip.reference.models import Offence

    today = timezone.localdate()
    justice.investigation_advise(actor=prosecutor, investigation=submitted, advice="charge")
    submitted.submissions.update(advised_at=timezone.now() - timedelta(days=120))
    submitted.refresh_from_db()
    accused = submitted.suspects.first()
    sheet = justice.charge_sheet_record(
        actor=prosecutor,
        investigation=submitted,
        court=CourtStation.objects.get(code="milimani-mc"),
        court_case_number="MCCR/E77/2026",
        charged_on=today - timedelta(days=100),
        counts=[
            justice.CountInput(accused, Offence.objects.get(code="ctipa-3"), accused_sex="male"),
            justice.CountInput(accused, Offence.objects.get(code="ctipa-4"), accused_sex="male"),
        ],
    )
    for count in sheet.counts.all():
        justice.plea_record(actor=prosecutor, count=count, plea="not_guilty")
        justice.outcome_record(
            actor=prosecutor,
            count=count,
            verdict="convicted",
            decided_on=today - timedelta(days=10),
            imprisonment_months=120,
        )
    values = metric_values(today - timedelta(days=365), today)
    assert values["prosecutions"] == 1
    assert values["convictions"] == 1  # one person convicted on two counts
    before = metric_values(today - timedelta(days=365), today - timedelta(days=101))
    assert (before["prosecutions"], before["convictions"]) == (0, 0)


def test_the_overview_shows_indicators_against_targets(users, npa_world, client_for):
    page = client_for(users[Role.DATA_ANALYST]).get(f"/npa/plans/{npa_world['plan'].public_id}/").content.decode()
    # the computed "Officers trained" (target 40): the home and other agency's sessions of 2024, 20 + 20 persons
    assert "Officers trained:\n40 / target 40 (100%)" in page
    assert "Counties with a referral directory:\n12 / target 47 (25%)" in page
    assert "Secretariat survey 2024" in page


def test_the_overview_exports_as_a_formula_safe_workbook(users, npa_world, client_for):
    from openpyxl import load_workbook

    from ctip.npa import services

    coordinator = users[Role.COORDINATOR]
    services.activity_save(
        actor=coordinator,
        objective=npa_world["objective"],
        data=services.ActivityInput(number="1.1.2", title='=HYPERLINK("http://x")'),
    )
    response = client_for(users[Role.DATA_ANALYST]).get(f"/npa/plans/{npa_world['plan'].public_id}/xlsx/")
    assert response.status_code == 200
    book = load_workbook(BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    rows = list(book.worksheets[1].iter_rows(values_only=True))
    assert rows[0][2] == "Activity"
    titles = [r[2] for r in rows[1:]]
    assert "1.1.1 Train frontline officers" in titles
    assert all(not str(t).startswith("=") for t in titles)
    officers = next(r for r in rows if r[6] == "Officers trained")
    assert (officers[9], officers[10], officers[11]) == (40, 40, 100)
    pillars = list(book.worksheets[0].iter_rows(values_only=True))
    prevention = next(r for r in pillars if r[0] == "Prevention")
    assert prevention[1:3] == (1, 2)
    assert AuditEvent.objects.filter(action="npa.overview_export").count() == 1
