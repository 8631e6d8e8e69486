"""API: every endpoint with anonymous (401), wrong role (403), other agency (404 / nothing of ours), allowed;
denied calls change nothing; errors have the project's shape {"code", "message", "fields"}."""

import pytest

from ctip.accounts.enums import Role
from ctip.core.tests.routes import covers
from ctip.referrals.models import Referral

pytestmark = pytest.mark.django_db

WRONG_ROLES = (Role.DATA_ANALYST, Role.AUDITOR, Role.SYSADMIN)


@pytest.fixture
def referral(send):
    return send()


def _endpoints(referral, shelter, case):
    r, p = referral.public_id, shelter.public_id
    create = {"case": str(case.public_id), "provider": str(p), "service_type": "psychosocial", "sections": ["care"]}
    return {
        "providers": ("get", "/api/v1/referrals/providers/", None),
        "provider": ("get", f"/api/v1/referrals/providers/{p}/", None),
        "list": ("get", "/api/v1/referrals/", None),
        "create": ("post", "/api/v1/referrals/", create),
        "detail": ("get", f"/api/v1/referrals/{r}/", None),
        "accept": ("post", f"/api/v1/referrals/{r}/accept/", {}),
        "decline": ("post", f"/api/v1/referrals/{r}/decline/", {"reason": "Full"}),
        "start": ("post", f"/api/v1/referrals/{r}/start/", {}),
        "complete": ("post", f"/api/v1/referrals/{r}/complete/", {}),
        "revoke": ("post", f"/api/v1/referrals/{r}/revoke/", {"reason": "Moved"}),
    }


NAMES = ["providers", "provider", "list", "create", "detail", "accept", "decline", "start", "complete", "revoke"]

API_ROUTES = (
    "api-referral-providers",
    "api-referral-provider",
    "api-referrals",
    "api-referral",
    "api-referral-transition",
)


def _state(referral):
    referral.refresh_from_db()
    return referral.status, referral.version, Referral.objects.count()


def _call(client, method, url, data):
    return getattr(client, method)(url, data, format="json") if method == "post" else client.get(url)


def _shape(response):
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    return body


@covers("anonymous", *API_ROUTES)
@pytest.mark.parametrize("name", NAMES)
def test_anonymous_gets_401(api_for, referral, shelter, case, name):
    method, url, data = _endpoints(referral, shelter, case)[name]
    before = _state(referral)
    response = _call(api_for(None), method, url, data)
    assert response.status_code == 401 and _shape(response)["code"] == "not_authenticated"
    assert _state(referral) == before


@covers("wrong_role", *API_ROUTES)
@pytest.mark.parametrize("name", NAMES)
def test_wrong_roles_get_403(api_for, users, referral, shelter, case, name):
    method, url, data = _endpoints(referral, shelter, case)[name]
    before = _state(referral)
    for role in WRONG_ROLES:
        response = _call(api_for(users[role]), method, url, data)
        assert response.status_code == 403, (role, name)
        assert _shape(response)["code"] == "permission_denied"
    assert _state(referral) == before


@covers("other_agency", "api-referrals", "api-referral", "api-referral-transition")
@pytest.mark.parametrize("name", ["create", "detail", "accept", "decline", "start", "complete", "revoke"])
def test_other_agency_gets_404(api_for, other_users, referral, shelter, case, name):
    method, url, data = _endpoints(referral, shelter, case)[name]
    before = _state(referral)
    response = _call(api_for(other_users[Role.CASE_WORKER]), method, url, data)
    assert response.status_code == 404 and _shape(response)["code"] == "not_found"
    assert _state(referral) == before


def test_other_agency_lists_hold_nothing_of_ours(api_for, other_users, referral):
    c = api_for(other_users[Role.CASE_WORKER])
    for box in ("inbox", "outbox", "all"):
        assert c.get(f"/api/v1/referrals/?box={box}").json()["results"] == []


def test_allowed_calls(api_for, sender, recipient, referral, shelter, case):
    s, r = api_for(sender), api_for(recipient)
    providers = s.get("/api/v1/referrals/providers/?service=shelter&county=047&beds=1").json()["results"]
    assert [p["id"] for p in providers] == [str(shelter.public_id)]
    assert providers[0]["available_beds"] == 2 and providers[0]["services"] == ["psychosocial", "shelter"]
    assert s.get(f"/api/v1/referrals/providers/{shelter.public_id}/").json()["name"] == "Test Safe House"
    outbox = s.get("/api/v1/referrals/?box=outbox").json()["results"]
    assert [x["reference"] for x in outbox] == [referral.reference]
    inbox = r.get("/api/v1/referrals/?box=inbox").json()["results"]
    assert [x["reference"] for x in inbox] == [referral.reference] and inbox[0]["overdue"] is False
    detail = r.get(f"/api/v1/referrals/{referral.public_id}/").json()
    assert detail["sections"] == ["care"] and detail["status"] == "sent" and "notes" not in detail
    created = s.post(
        "/api/v1/referrals/",
        {"case": str(case.public_id), "provider": str(shelter.public_id), "service_type": "psychosocial"},
        format="json",
    )
    assert created.status_code == 201 and created.json()["sections"] == []
    url = f"/api/v1/referrals/{referral.public_id}"
    assert r.post(f"{url}/accept/", {"version": referral.version}, format="json").json()["status"] == "accepted"
    assert r.post(f"{url}/start/", {}, format="json").json()["status"] == "in_progress"
    assert r.post(f"{url}/complete/", {"note": "ok"}, format="json").json()["status"] == "completed"
    other = created.json()["id"]
    assert s.post(f"/api/v1/referrals/{other}/revoke/", {"reason": "x"}, format="json").json()["status"] == "revoked"


def test_error_shapes(api_for, sender, recipient, referral, shelter, case):
    s, r = api_for(sender), api_for(recipient)
    bad = s.post("/api/v1/referrals/", {"case": str(case.public_id)}, format="json")
    assert bad.status_code == 400 and {"provider", "service_type"} <= set(_shape(bad)["fields"])
    url = f"/api/v1/referrals/{referral.public_id}"
    no_reason = r.post(f"{url}/decline/", {}, format="json")
    assert no_reason.status_code == 400 and "reason" in _shape(no_reason)["fields"]
    invalid = r.post(f"{url}/complete/", {}, format="json")
    assert invalid.status_code == 409 and _shape(invalid)["code"] == "invalid_transition"
    stale = r.post(f"{url}/accept/", {"version": referral.version + 3}, format="json")
    assert stale.status_code == 409 and _shape(stale)["code"] == "conflict"
    unknown = r.post(f"{url}/teleport/", {}, format="json")
    assert unknown.status_code == 404 and _shape(unknown)["code"] == "not_found"
    duplicate = s.post(
        "/api/v1/referrals/",
        {"case": str(case.public_id), "provider": str(shelter.public_id), "service_type": "shelter"},
        format="json",
    )
    assert duplicate.status_code == 409 and _shape(duplicate)["code"] == "already_referred"
    assert Referral.objects.count() == 1


def test_consent_required_code(api_for, users, shelter, case, make_person):
    from ctip.cases.tests.factories import open_case

    no_consent = open_case(users[Role.CASE_WORKER], make_person, first_name="Wanjiku")
    response = api_for(users[Role.INVESTIGATOR]).post(
        "/api/v1/referrals/",
        {"case": str(no_consent.public_id), "provider": str(shelter.public_id), "service_type": "shelter"},
        format="json",
    )
    assert response.status_code == 403 and _shape(response)["code"] == "consent_required"


def test_shelter_full_code(api_for, recipient, send, drive, users, make_person, shelter):
    from ctip.cases.tests.factories import open_case
    from ctip.referrals import services

    from .conftest import give_consent

    services.provider_update(
        actor=users[Role.COORDINATOR], provider=shelter, expected_version=shelter.version, shelter_capacity=1
    )
    drive(send(), "accepted")
    other = open_case(users[Role.CASE_WORKER], make_person, first_name="Njeri")
    give_consent(users[Role.CASE_WORKER], other)
    waiting = send(on_case=other)
    response = api_for(recipient).post(f"/api/v1/referrals/{waiting.public_id}/accept/", {}, format="json")
    assert response.status_code == 409 and _shape(response)["code"] == "shelter_full"
    waiting.refresh_from_db()
    assert waiting.status == "sent"
