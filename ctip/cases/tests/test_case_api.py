"""Case API: permissions, the error shape, registration with the existing-person check, status conflicts."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ctip.accounts.enums import Role
from ctip.cases.models import Case
from ctip.core.tests.routes import covers
from ctip.people.models import Person

from .factories import open_case

pytestmark = pytest.mark.django_db


def token_client(user):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


PAYLOAD = {
    "person": {
        "first_name": "Jebet",
        "last_name": "Koech",
        "date_of_birth": "1999-09-09",
        "identifiers": [{"kind": "phone", "value": "0733 444 555"}],
    },
    "identified_on": "2026-04-02",
    "identified_county": "047",
    "htcds": {"vic_TypeOfExploitation": ["ForcedLabour"]},
    "events": [{"event_type": "Exploitation", "started_on": "2025-10-01", "country": "SA", "city": "Riyadh"}],
}


@covers("anonymous", "api-cases", "api-case")
def test_anonymous_gets_401_with_error_shape(client):
    for url in ("/api/v1/cases/", "/api/v1/cases/00000000-0000-0000-0000-000000000000/"):
        response = client.get(url)
        assert response.status_code == 401
        assert set(response.json()) >= {"code", "message", "fields"}


@covers("wrong_role", "api-cases")
def test_roles_without_case_view_get_403(users):
    for role in (Role.DATA_ANALYST, Role.AUDITOR, Role.SYSADMIN):
        assert token_client(users[role]).get("/api/v1/cases/").status_code == 403
        assert token_client(users[role]).post("/api/v1/cases/", PAYLOAD, format="json").status_code == 403
    assert not Case.objects.exists()


@covers("other_agency", "api-cases", "api-case", "api-case-status")
def test_other_agency_gets_404(users, other_users, make_person):
    case = open_case(users[Role.CASE_WORKER], make_person)
    c = token_client(other_users[Role.CASE_WORKER])
    assert c.get(f"/api/v1/cases/{case.public_id}/").status_code == 404
    response = c.post(f"/api/v1/cases/{case.public_id}/status/", {"status": "FollowUp", "version": case.version})
    assert response.status_code == 404
    assert case.reference not in str(c.get("/api/v1/cases/").json())


@covers("allowed", "api-cases", "api-case-status")
def test_register_list_detail_and_status(users):
    c = token_client(users[Role.CASE_WORKER])
    response = c.post("/api/v1/cases/", PAYLOAD, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference"].startswith("CT-2026-") and body["identified_county"] == "047"
    assert "Jebet" not in str(body)  # no identity in case output
    listing = c.get("/api/v1/cases/?exploitation=ForcedLabour").json()
    assert [r["id"] for r in listing["results"]] == [body["id"]]
    assert c.get(f"/api/v1/cases/{body['id']}/").json()["version"] == body["version"]
    ok = c.post(f"/api/v1/cases/{body['id']}/status/", {"status": "FollowUp", "version": body["version"]})
    assert ok.status_code == 200 and ok.json()["status"] == "FollowUp"
    stale = c.post(f"/api/v1/cases/{body['id']}/status/", {"status": "Active", "version": body["version"]})
    assert stale.status_code == 409 and stale.json()["code"]


def test_bad_input_is_a_400_with_fields_and_nothing_saved(users):
    c = token_client(users[Role.CASE_WORKER])
    bad = {**PAYLOAD, "identified_county": "999"}
    response = c.post("/api/v1/cases/", bad, format="json")
    assert response.status_code == 400 and "county" in response.json()["fields"]
    bad = {**PAYLOAD, "identified_on": "2099-01-01"}
    response = c.post("/api/v1/cases/", bad, format="json")
    assert response.status_code == 400 and "identified_on" in response.json()["fields"]
    bad = {**PAYLOAD, "htcds": {"vic_TypeOfExploitation": ["Nonsense"]}}
    assert c.post("/api/v1/cases/", bad, format="json").status_code == 400
    bad = {**PAYLOAD, "person": {**PAYLOAD["person"], "identifiers": [{"kind": "phone", "value": "123"}]}}
    response = c.post("/api/v1/cases/", bad, format="json")
    assert response.status_code == 400
    assert not Case.objects.exists() and not Person.objects.exists()


def test_possible_duplicate_then_link_with_token(users, other_users, make_person):
    existing = make_person(other_users[Role.CASE_WORKER], "Jebet", "Koech", identifiers=[("phone", "0733444555")])
    c = token_client(users[Role.CASE_WORKER])
    response = c.post("/api/v1/cases/", PAYLOAD, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "possible_duplicate" and body["candidates"][0]["person"] == str(existing.public_id)
    assert body["candidates"][0]["name"] == ""  # another agency's person: no name
    link = {**{k: v for k, v in PAYLOAD.items() if k != "person"}, "person_id": str(existing.public_id)}
    assert c.post("/api/v1/cases/", link, format="json").status_code == 400  # no token
    link["link_token"] = body["link_token"]
    other = token_client(users[Role.INVESTIGATOR])
    assert other.post("/api/v1/cases/", link, format="json").status_code == 400  # token of another user
    response = c.post("/api/v1/cases/", link, format="json")
    assert response.status_code == 201
    assert Case.objects.get().person == existing and Person.objects.count() == 1


def test_confirm_new_person(users, make_person):
    make_person(users[Role.CASE_WORKER], "Jebet", "Koech", identifiers=[("phone", "0733444555")])
    c = token_client(users[Role.CASE_WORKER])
    assert c.post("/api/v1/cases/", {**PAYLOAD, "confirm_new_person": True}, format="json").status_code == 201
    assert Person.objects.count() == 2
