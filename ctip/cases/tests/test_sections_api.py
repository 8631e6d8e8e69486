"""Case section API: permissions for every endpoint (anonymous, wrong role, other agency, share-limited agency,
allowed), the error shape, conflicts, and that sealed text never comes back."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ctip.accounts.enums import Role
from ctip.accounts.services import share_grant
from ctip.cases import services
from ctip.cases.models import Case, Consent, FollowUp, Screening, StatusDecision, TimelineEntry
from ctip.core.tests.routes import covers
from ctip.core.tests.world import register_person, shared_fixture

from .factories import open_case

SECTION_ROUTES = (
    "api-case-screening",
    "api-case-decision",
    "api-case-consent",
    "api-case-follow-ups",
    "api-case-follow-up-done",
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
STRONG_ADULT = ["AL-DR-01", "AL-DR-02", "AL-EX-01", "AL-EX-02", "AL-CD-01", "AL-CD-02"]


def token_client(user):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@shared_fixture("users")
def world(users):
    worker = users[Role.CASE_WORKER]
    case = open_case(worker, register_person)
    follow_up = services.followup_schedule(
        actor=worker, case=case, due_on=TODAY + timedelta(days=2), purpose="Home visit", assigned_to=worker
    )
    case.refresh_from_db()
    return {"case": case, "follow_up": follow_up, "worker": worker}


def _endpoints(world):
    case = world["case"]
    base = f"/api/v1/cases/{case.public_id}"
    worker = world["worker"]
    return {
        # name: (method, url, payload, section, action)
        "screening": (
            "post",
            f"{base}/screening/",
            {"indicator_list": "adult_labour", "indicators": ["AL-DR-01"], "screened_on": str(TODAY)},
            "status",
            "case.screen",
        ),
        "decision": (
            "post",
            f"{base}/decision/",
            {
                "version": case.version,
                "status": "PossibleVictimOfTrafficking",
                "decision_org": "Police",
                "decided_on": str(TODAY),
            },
            "status",
            "case.screen",
        ),
        "consent_get": ("get", f"{base}/consent/", None, "consent", "case.view"),
        "consent_post": (
            "post",
            f"{base}/consent/",
            {"given_by": "self", "given_on": str(TODAY), "purpose_explained": True, "sharing": True},
            "consent",
            "case.edit",
        ),
        "follow_ups_get": ("get", f"{base}/follow-ups/", None, "follow_ups", "case.view"),
        "follow_ups_post": (
            "post",
            f"{base}/follow-ups/",
            {"due_on": str(TODAY), "purpose": "Call", "assigned_to": str(worker.public_id)},
            "follow_ups",
            "case.edit",
        ),
        "follow_up_done": (
            "post",
            f"{base}/follow-ups/{world['follow_up'].public_id}/done/",
            {"outcome": "All well"},
            "follow_ups",
            "case.view",
        ),
    }


# what an allowed call answers: 200 for a read or a change to an existing record, 201 for a new record
ALLOWED_STATUS = {
    "screening": 201,
    "decision": 201,
    "consent_get": 200,
    "consent_post": 201,
    "follow_ups_get": 200,
    "follow_ups_post": 201,
    "follow_up_done": 200,
}
NAMES = ["screening", "decision", "consent_get", "consent_post", "follow_ups_get", "follow_ups_post", "follow_up_done"]


def _call(client, world, name):
    method, url, payload, _section, _action = _endpoints(world)[name]
    if method == "get":
        return client.get(url)
    return client.post(url, payload, format="json")


def _snapshot(case):
    case.refresh_from_db()
    return (
        case.version,
        case.trafficking_status,
        Screening.objects.count(),
        StatusDecision.objects.count(),
        Consent.objects.count(),
        FollowUp.objects.count(),
        FollowUp.objects.filter(done_at__isnull=False).count(),
        TimelineEntry.objects.filter(case=case).count(),
    )


def _is_error(response, code):
    body = response.json()
    assert set(body) == {"code", "message", "fields"}, body
    assert body["code"] == code, body


@covers("anonymous", *SECTION_ROUTES)
@pytest.mark.parametrize("name", NAMES)
def test_anonymous_gets_401(world, name):
    before = _snapshot(world["case"])
    response = _call(APIClient(), world, name)
    assert response.status_code == 401
    _is_error(response, "not_authenticated")
    assert _snapshot(world["case"]) == before


@covers("wrong_role", *SECTION_ROUTES)
@pytest.mark.parametrize("name", NAMES)
def test_roles_without_the_action_get_403(users, world, name):
    before = _snapshot(world["case"])
    for role in (Role.DATA_ANALYST, Role.AUDITOR, Role.SYSADMIN):
        response = _call(token_client(users[role]), world, name)
        assert response.status_code == 403, role
        _is_error(response, "permission_denied")
    assert _snapshot(world["case"]) == before


@covers("other_agency", *SECTION_ROUTES)
@pytest.mark.parametrize("name", NAMES)
def test_other_agency_gets_404(other_users, world, name):
    before = _snapshot(world["case"])
    response = _call(token_client(other_users[Role.CASE_WORKER]), world, name)
    assert response.status_code == 404
    _is_error(response, "not_found")
    assert _snapshot(world["case"]) == before


@pytest.mark.parametrize("name", ["screening", "decision", "consent_post", "follow_ups_post", "follow_up_done"])
def test_national_viewer_may_not_change_another_agencys_case(other_users, world, name):
    before = _snapshot(world["case"])
    response = _call(token_client(other_users[Role.COORDINATOR]), world, name)
    assert response.status_code == 403
    assert _snapshot(world["case"]) == before


@pytest.mark.parametrize("name", NAMES)
def test_share_limited_agency_sees_only_shared_sections(users, other_users, world, name):
    officer = other_users[Role.LABOUR_OFFICER]  # a frontline role: it has every action, at agency scope
    case = world["case"]
    share_grant(
        actor=world["worker"],
        target_type="cases.case",
        target_id=case.public_id,
        owning_agency_id=case.owning_agency_id,
        agency=officer.agency,
        sections=["follow_ups"],
        reason="Follow-up by the labour office",
    )
    before = _snapshot(case)
    _method, _url, _payload, section, _action = _endpoints(world)[name]
    response = _call(token_client(officer), world, name)
    if section == "follow_ups":
        assert response.status_code == ALLOWED_STATUS[name], response.json()
    else:
        assert response.status_code == 404
        _is_error(response, "not_found")
        assert _snapshot(case) == before


@covers("allowed", *SECTION_ROUTES)
@pytest.mark.parametrize("name", NAMES)
def test_allowed(world, name):
    response = _call(token_client(world["worker"]), world, name)
    assert response.status_code == ALLOWED_STATUS[name], response.json()


# --- behaviour -------------------------------------------------------------------------------------------------


def test_screening_returns_suggestion_and_rationale(world):
    c = token_client(world["worker"])
    case = world["case"]
    response = c.post(
        f"/api/v1/cases/{case.public_id}/screening/",
        {
            "indicator_list": "adult_labour",
            "indicators": STRONG_ADULT,
            "screened_on": str(TODAY),
            "notes": "Met at the airport",
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["suggestion"] == "ActualVictimOfTrafficking" and body["indicators"] == sorted(STRONG_ADULT)
    assert any(item["code"] == "delphi.likely" and item["text"] for item in body["rationale"])
    assert "airport" not in str(body)


def test_screening_validation_error_shape(world):
    c = token_client(world["worker"])
    response = c.post(
        f"/api/v1/cases/{world['case'].public_id}/screening/",
        {"indicator_list": "adult_labour", "indicators": ["XX-01"], "screened_on": str(TODAY + timedelta(days=1))},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error" and {"indicator_codes", "screened_on"} <= set(body["fields"])
    assert not Screening.objects.exists()


def test_decision_conflict_is_409(world):
    c = token_client(world["worker"])
    url = f"/api/v1/cases/{world['case'].public_id}/decision/"
    payload = _endpoints(world)["decision"][2]
    first = c.post(url, payload, format="json")
    assert first.status_code == 201
    assert first.json()["case_trafficking_status"] == "PossibleVictimOfTrafficking"
    assert first.json()["case_version"] == payload["version"] + 1
    again = c.post(url, {**payload, "status": "ActualVictimOfTrafficking"}, format="json")
    assert again.status_code == 409
    _is_error(again, "conflict")
    assert Case.objects.get(pk=world["case"].pk).trafficking_status == "PossibleVictimOfTrafficking"
    assert StatusDecision.objects.count() == 1


def test_decision_with_a_screening_of_another_case_is_refused(world, make_person):
    worker = world["worker"]
    other = open_case(worker, make_person, first_name="Other")
    foreign = services.screening_record(
        actor=worker, case=other, indicator_list="adult_labour", indicator_codes=[], screened_on=TODAY
    )
    payload = {**_endpoints(world)["decision"][2], "screening": str(foreign.public_id)}
    response = token_client(worker).post(f"/api/v1/cases/{world['case'].public_id}/decision/", payload, format="json")
    assert response.status_code == 400 and "screening" in response.json()["fields"]
    assert not StatusDecision.objects.exists()


def test_consent_get_and_post(world, make_person):
    worker = world["worker"]
    c = token_client(worker)
    url = f"/api/v1/cases/{world['case'].public_id}/consent/"
    assert c.get(url).json() == {"in_force": None, "sharing_allowed": False, "results": []}
    created = c.post(url, _endpoints(world)["consent_post"][2], format="json")
    assert created.status_code == 201
    listing = c.get(url).json()
    assert listing["in_force"] == created.json()["id"] and listing["sharing_allowed"] is True
    from datetime import date

    child = open_case(worker, make_person, first_name="Wanjiru", date_of_birth=date(2014, 1, 5))
    response = c.post(
        f"/api/v1/cases/{child.public_id}/consent/",
        {"given_by": "self", "given_on": str(TODAY), "purpose_explained": True},
        format="json",
    )
    assert response.status_code == 400 and "given_by" in response.json()["fields"]
    response = c.post(
        f"/api/v1/cases/{child.public_id}/consent/",
        {"given_by": "guardian", "giver_name": "Mama Wanjiru", "given_on": str(TODAY), "purpose_explained": True},
        format="json",
    )
    assert response.status_code == 201 and "Mama" not in str(response.json())


def test_follow_ups_list_schedule_and_done(world, users):
    worker = world["worker"]
    c = token_client(worker)
    url = f"/api/v1/cases/{world['case'].public_id}/follow-ups/"
    rows = c.get(url).json()
    assert [r["purpose"] for r in rows] == ["Home visit"] and rows[0]["has_outcome"] is False
    response = c.post(
        url, {"due_on": str(TODAY), "purpose": "Call", "assigned_to": str(users[Role.DATA_ANALYST].public_id)}
    )
    assert response.status_code == 400 and "assigned_to" in response.json()["fields"]
    response = c.post(
        url, {"due_on": str(TODAY), "purpose": "Call", "assigned_to": "00000000-0000-0000-0000-000000000000"}
    )
    assert response.status_code == 400 and "assigned_to" in response.json()["fields"]
    done_url = f"{url}{world['follow_up'].public_id}/done/"
    response = c.post(done_url, {"outcome": "Settled in Kisumu"})
    assert response.status_code == 200 and response.json()["has_outcome"] is True
    assert "Kisumu" not in str(c.get(url).json())
    again = c.post(done_url, {"outcome": "again"})
    assert again.status_code == 409
    _is_error(again, "invalid_transition")
