"""The court pages: errors shown on the form with the input kept, edit conflicts refused and shown, victims named
PW1.. unless opened on demand (logged), the flags on the file page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ctip.audit.models import AuditEvent
from ctip.justice import services
from ctip.justice.models import CourtEvent, CourtStation
from ctip.reference.models import Offence

pytestmark = pytest.mark.django_db


@pytest.fixture
def charged(submitted, prosecutor, case):
    services.investigation_advise(actor=prosecutor, investigation=submitted, advice="charge")
    submitted.submissions.update(advised_at=timezone.now() - timedelta(days=120))
    submitted.refresh_from_db()
    sheet = services.charge_sheet_record(
        actor=prosecutor,
        investigation=submitted,
        court=CourtStation.objects.get(code="mombasa-mc"),
        court_case_number="MCCR/E77/2026",
        charged_on=timezone.localdate() - timedelta(days=100),
        counts=[services.CountInput(submitted.suspects.first(), Offence.objects.get(code="ctipa-3"))],
    )
    sheet.refresh_from_db()
    return submitted, sheet


def test_a_hearing_before_the_charge_is_shown_on_the_form(charged, prosecutor, client_for):
    f, sheet = charged
    day = (sheet.charged_on - timedelta(days=3)).isoformat()
    response = client_for(prosecutor).post(
        f"/justice/{f.public_id}/court/schedule/",
        {"schedule-kind": "hearing", "schedule-sits_on": day, "schedule-version": sheet.version},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "cannot be before the date of charge" in html and day in html  # the input is kept
    assert not CourtEvent.objects.exists()


def test_a_stale_form_is_refused_and_shown(charged, prosecutor, client_for):
    f, sheet = charged
    client = client_for(prosecutor)
    today = timezone.localdate().isoformat()
    ok = client.post(
        f"/justice/{f.public_id}/court/schedule/",
        {"schedule-kind": "mention", "schedule-sits_on": today, "schedule-version": sheet.version},
    )
    assert ok.status_code == 302
    stale = client.post(
        f"/justice/{f.public_id}/court/schedule/",
        {"schedule-kind": "hearing", "schedule-sits_on": today, "schedule-version": sheet.version},
    )
    assert stale.status_code == 400
    assert "Someone else changed this prosecution" in stale.content.decode()
    assert CourtEvent.objects.count() == 1


def test_a_fine_that_is_not_an_amount_is_a_form_error(charged, prosecutor, client_for):
    f, sheet = charged
    services.plea_record(actor=prosecutor, count=sheet.counts.get(), plea="guilty")
    response = client_for(prosecutor).post(
        f"/justice/{f.public_id}/court/counts/1/outcome/",
        {
            "outcome-verdict": "convicted",
            "outcome-decided_on": timezone.localdate().isoformat(),
            "outcome-fine": "lots",
        },
    )
    assert response.status_code == 400
    assert "Enter an amount in KSh" in response.content.decode()


def test_witnesses_are_pw_numbers_and_names_open_on_demand(charged, prosecutor, client_for, case):
    from ctip.people.identity import NAME_FIELDS, open_identity

    f, sheet = charged
    sheet = type(sheet).objects.select_related("investigation").get(pk=sheet.pk)
    services.witness_add(actor=prosecutor, sheet=sheet, case=case)
    name = open_identity(case.person, NAME_FIELDS).full_name
    client = client_for(prosecutor)
    page = client.get(f"/justice/{f.public_id}/witnesses/").content.decode()
    assert "PW1" in page and name not in page
    before = AuditEvent.objects.filter(action="identity.list").count()
    shown = client.get(f"/justice/{f.public_id}/witnesses/?show=names").content.decode()
    assert name in shown
    assert AuditEvent.objects.filter(action="identity.list").count() == before + 1
    court = client.get(f"/justice/{f.public_id}/court/").content.decode()
    assert name not in court


def test_flags_on_the_file_page_and_the_list(charged, prosecutor, investigator, client_for):
    f, _sheet = charged
    page = client_for(investigator).get(f"/justice/{f.public_id}/").content.decode()
    assert 'data-flag="pending"' in page  # charged 100 days ago, no hearing held
    listed = client_for(prosecutor).get("/justice/prosecutions/?flag=pending").content.decode()
    assert f.reference in listed
    none = client_for(prosecutor).get("/justice/prosecutions/?flag=victim_accused").content.decode()
    assert f.reference not in none
