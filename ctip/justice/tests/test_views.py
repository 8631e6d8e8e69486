"""The investigation pages end to end: opening from a case, errors shown with the input kept, the gaps before
submission, the prosecutor's queue and advice, the figures, the menu."""

from __future__ import annotations

import pytest

from ctip.accounts.enums import Role
from ctip.justice.models import Investigation

from .conftest import make_ready, open_file

pytestmark = pytest.mark.django_db


def test_investigator_opens_a_file_from_the_case_page(case, investigator, client_for):
    client = client_for(investigator)
    page = client.get(f"/cases/{case.public_id}/").content.decode()
    assert f"/justice/new/{case.public_id}/" in page
    response = client.post(
        f"/justice/new/{case.public_id}/",
        {"ob_number": "OB 7/2026", "police_station": "Kilimani", "unit": "ahtcpu", "victim_role": "complainant"},
    )
    assert response.status_code == 302
    investigation = Investigation.objects.get()
    assert response["Location"] == f"/justice/{investigation.public_id}/"
    assert investigation.case_links.get().case_id == case.pk
    detail = client.get(response["Location"]).content.decode()
    assert case.reference in detail and "OB 7/2026" in detail


def test_case_page_has_no_investigation_button_for_a_case_worker(case, users, client_for):
    page = client_for(users[Role.CASE_WORKER]).get(f"/cases/{case.public_id}/").content.decode()
    assert "/justice/new/" not in page


def test_open_form_keeps_input_on_error(investigator, client_for):
    response = client_for(investigator).post(
        "/justice/new/", {"ob_number": "OB 8/2026", "police_station": "", "unit": "ahtcpu"}
    )
    assert response.status_code == 200
    assert "OB 8/2026" in response.content.decode()
    assert not Investigation.objects.exists()


def test_edit_conflict_is_refused_and_shown(file, investigator, client_for):
    client = client_for(investigator)
    stale = file.version
    data = {"ob_number": "OB 1", "police_station": "Central", "unit": "tocu", "version": stale}
    assert client.post(f"/justice/{file.public_id}/edit/", data).status_code == 302
    response = client.post(f"/justice/{file.public_id}/edit/", {**data, "ob_number": "OB 2"})
    assert response.status_code == 200
    assert "Someone else changed this file" in response.content.decode()
    file.refresh_from_db()
    assert file.ob_number == "OB 1"


def test_submission_page_shows_the_gaps_and_refuses_unexplained_ones(file, investigator, odpp_agency, client_for):
    from ctip.justice.models import Evidence

    make_ready(investigator, file, missing=("phone_records",))
    Evidence.objects.filter(investigation=file, item="contracts").update(state="missing")
    client = client_for(investigator)
    page = client.get(f"/justice/{file.public_id}/exchange/").content.decode()
    assert "Awaiting Safaricom reply" in page and "Contracts" in page
    file.refresh_from_db()
    response = client.post(
        f"/justice/{file.public_id}/exchange/submit/",
        {"agency": odpp_agency.public_id, "sections": ["suspects"], "note": "Kindly review", "version": file.version},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Evidence is missing without a reason" in body and "Kindly review" in body
    file.refresh_from_db()
    assert file.status == "open"


def test_prosecutor_queue_and_advice(submitted, prosecutor, investigator, client_for):
    client = client_for(prosecutor)
    assert submitted.reference in client.get("/justice/queue/").content.decode()
    url = f"/justice/{submitted.public_id}/exchange/advise/"
    response = client.post(url, {"advice": "further_investigation", "text": "", "version": submitted.version})
    assert response.status_code == 400
    response = client.post(
        url, {"advice": "further_investigation", "text": "Get the phone records", "version": submitted.version}
    )
    assert response.status_code == 302 and response["Location"] == "/justice/queue/"
    assert submitted.reference not in client.get("/justice/queue/").content.decode()
    page = client_for(investigator).get(f"/justice/{submitted.public_id}/exchange/?show=text").content.decode()
    assert "Get the phone records" in page and "Further investigation" in page


def test_evidence_form_error_is_shown(file, investigator, client_for):
    response = client_for(investigator).post(
        f"/justice/{file.public_id}/evidence/set/", {"item": "contracts", "state": "missing", "reason": ""}
    )
    assert response.status_code == 400
    assert "Say why it is missing" in response.content.decode()


def test_figures_suppress_small_counts(investigator, users, client_for):
    for i in range(3):
        open_file(investigator, ob_number=f"OB {i}")
    page = client_for(users[Role.DATA_ANALYST]).get("/justice/figures/").content.decode()
    assert "fewer than 11" in page
    assert "too few files to show" in page


def test_figures_round_larger_counts(investigator, users):
    from ctip.justice import selectors

    for i in range(16):
        open_file(investigator, ob_number=f"OB {i}")
    figures = selectors.figures(user=users[Role.COORDINATOR])
    open_row = next(r for r in figures.by_status if r.label == "Open")
    assert open_row.count.value == 20


@pytest.mark.parametrize(
    ("role", "expected", "absent"),
    [
        (Role.INVESTIGATOR, ["/justice/"], ["/justice/queue/", "/justice/figures/"]),
        (Role.PROSECUTOR, ["/justice/", "/justice/queue/"], ["/justice/figures/"]),
        (Role.DATA_ANALYST, ["/justice/figures/"], ['href="/justice/"']),
        (Role.SYSADMIN, [], ["/justice/"]),
    ],
)
def test_menu_by_role(role, expected, absent, users, client_for):
    page = client_for(users[role]).get("/").content.decode()
    for url in expected:
        assert f'href="{url}"' in page
    for url in absent:
        assert url not in page
