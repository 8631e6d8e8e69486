"""The charge sheet: the office that advised to charge records each accused and count (statute and section),
the court and case number and the date of charge; bad input refused whole."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ctip.accounts.enums import Role
from ctip.audit.models import AuditEvent
from ctip.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from ctip.core.tests.querycount import LIMIT, count_queries
from ctip.justice import selectors, services
from ctip.justice.models import ChargeCount, ChargeSheet, CourtStation
from ctip.reference.models import Offence

pytestmark = pytest.mark.django_db


@pytest.fixture
def charged_advice(submitted, prosecutor):
    services.investigation_advise(actor=prosecutor, investigation=submitted, advice="charge")
    submitted.refresh_from_db()
    return submitted


def _counts(investigation, *codes):
    accused = investigation.suspects.first()
    return [services.CountInput(accused, Offence.objects.get(code=c)) for c in codes or ("ctipa-3",)]


def _record(actor, investigation, **kw):
    return services.charge_sheet_record(
        actor=actor,
        investigation=investigation,
        court=kw.pop("court", CourtStation.objects.get(code="milimani-mc")),
        court_case_number=kw.pop("court_case_number", "MCCR/E123/2026"),
        charged_on=kw.pop("charged_on", timezone.localdate()),
        counts=kw.pop("counts", None) or _counts(investigation, "ctipa-3", "ctipa-4"),
        **kw,
    )


def test_the_office_records_the_charge_sheet(charged_advice, prosecutor):
    sheet = _record(prosecutor, charged_advice)
    assert [(c.number, c.offence.code, c.plea) for c in sheet.counts.all()] == [
        (1, "ctipa-3", "not_taken"),
        (2, "ctipa-4", "not_taken"),
    ]
    assert AuditEvent.objects.filter(action="prosecution.charge").exists()
    _inv, access = selectors.investigation_get_for_user(user=prosecutor, public_id=charged_advice.public_id)
    assert selectors.lead_times(investigation=_inv).decision_to_charge == 0
    with pytest.raises(Conflict):  # one charge sheet per file
        _record(prosecutor, charged_advice)


def test_bad_counts_are_refused_and_nothing_is_saved(charged_advice, prosecutor, investigator):
    from ctip.justice.tests.conftest import open_file

    other = open_file(investigator, ob_number="OB 9")
    stranger = services.suspect_add(
        actor=investigator, investigation=other, roles=["Exploiter"], organisation_name="Other Ltd"
    ).suspect
    mine = charged_advice.suspects.first()
    s3 = Offence.objects.get(code="ctipa-3")
    with pytest.raises(ValidationFailed) as exc:
        _record(
            prosecutor,
            charged_advice,
            counts=[services.CountInput(mine, s3), services.CountInput(mine, s3), services.CountInput(stranger, s3)],
        )
    messages = " ".join(exc.value.fields["counts"])
    assert "Count 2 repeats another count" in messages and "Count 3: the accused is not a suspect" in messages
    with pytest.raises(ValidationFailed) as exc:
        _record(
            prosecutor,
            charged_advice,
            court=None,
            court_case_number="",
            charged_on=timezone.localdate() + timedelta(days=1),
        )
    assert set(exc.value.fields) == {"court", "court_case_number", "charged_on"}
    with pytest.raises(ValidationFailed) as exc:
        _record(prosecutor, charged_advice, charged_on=timezone.localdate() - timedelta(days=3))
    assert "charged_on" in exc.value.fields  # before the advice to charge
    Offence.objects.filter(code="ctipa-4").update(section="")
    with pytest.raises(ValidationFailed) as exc:
        _record(prosecutor, charged_advice)
    assert "Count 2: the offence has no section." in exc.value.fields["counts"]
    assert not ChargeSheet.objects.exists() and not ChargeCount.objects.exists()


def test_only_a_file_advised_to_charge_by_the_office(submitted, prosecutor, investigator, users):
    with pytest.raises(InvalidTransition):  # still awaiting advice
        _record(prosecutor, submitted)
    with pytest.raises(PermissionDenied):  # the investigator has no charge action
        _record(investigator, submitted)
    with pytest.raises(NotFound):  # a prosecutor of another office
        _record(users[Role.PROSECUTOR], submitted)


def test_charge_page_records_and_shows_the_sheet(charged_advice, prosecutor, investigator, client_for):
    client = client_for(prosecutor)
    url = f"/justice/{charged_advice.public_id}/charge/"
    page = client.get(url).content.decode()
    assert "Record the charge sheet" in page
    accused = charged_advice.suspects.first()
    data = {
        "court": "milimani-mc",
        "court_case_number": "",
        "charged_on": timezone.localdate().isoformat(),
        "version": charged_advice.version,
        "count0-accused": str(accused.public_id),
        "count0-offence": "ctipa-3",
        "count0-plea": "not_guilty",
    }
    response = client.post(url + "record/", data)
    assert response.status_code == 400
    assert "Milimani Law Courts" in response.content.decode()  # the input is kept
    response = client.post(url + "record/", {**data, "court_case_number": "MCCR/E7/2026"})
    assert response.status_code == 302
    shown = client_for(investigator).get(url).content.decode()
    assert "MCCR/E7/2026" in shown and "Gulf Jobs Ltd" in shown and "Not guilty" in shown


def test_count_without_offence_is_refused_on_the_form(charged_advice, prosecutor, client_for):
    accused = charged_advice.suspects.first()
    response = client_for(prosecutor).post(
        f"/justice/{charged_advice.public_id}/charge/record/",
        {
            "court": "nowhere",
            "court_case_number": "MCCR/1",
            "charged_on": timezone.localdate().isoformat(),
            "count0-accused": str(accused.public_id),
            "count0-plea": "not_taken",
        },
    )
    assert response.status_code == 400
    assert "A count names both the accused and the offence." in response.content.decode()
    assert not ChargeSheet.objects.exists()


@pytest.mark.parametrize("who", ["prosecutor", "investigator"])
def test_charge_page_bounded(charged_advice, prosecutor, investigator, client_for, who):
    _record(prosecutor, charged_advice)
    user = prosecutor if who == "prosecutor" else investigator
    client = client_for(user)
    client.get(f"/justice/{charged_advice.public_id}/")
    n = count_queries(client, f"/justice/{charged_advice.public_id}/charge/")
    print(f"QUERYCOUNT {who} /justice/<id>/charge/ {n}")
    assert n <= LIMIT


def test_court_stations_are_reference_data_and_an_inactive_one_is_refused(charged_advice, prosecutor):
    from ctip.justice.data.courts import COURTS

    assert CourtStation.objects.count() == len(COURTS) >= 40
    assert CourtStation.objects.filter(level="high_court").exists()
    assert {"Kibera Law Courts", "Garissa High Court", "Busia Law Courts"} <= set(
        CourtStation.objects.values_list("name", flat=True)
    )
    closed = CourtStation.objects.get(code="namanga")
    closed.is_active = False
    closed.save()
    with pytest.raises(ValidationFailed) as exc:
        _record(prosecutor, charged_advice, court=closed)
    assert set(exc.value.fields) == {"court"}
    assert not ChargeSheet.objects.exists()
