"""API: every endpoint's permissions (anonymous, wrong role, other agency, allowed), the public endpoints' rate
limits and same-error status checks, and the error shape {"code", "message", "fields"}."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from ctip.accounts.enums import Role
from ctip.core.tests.routes import covers
from ctip.intake import ratelimit
from ctip.intake.enums import CallStatus, TipStatus
from ctip.intake.models import HotlineCall, Tip

pytestmark = pytest.mark.django_db

BASE = "/api/v1/intake"


def _endpoints(tip, call, job):
    t, c, j = tip.public_id, call.public_id, job.public_id
    return {
        "tips": ("get", f"{BASE}/tips/", None, {Role.COORDINATOR}),
        "tip": ("get", f"{BASE}/tips/{t}/", None, {Role.COORDINATOR}),
        "tip_review": ("post", f"{BASE}/tips/{t}/review/", {}, {Role.COORDINATOR}),
        "tip_close": ("post", f"{BASE}/tips/{t}/close/", {"reason": "duplicate"}, {Role.COORDINATOR}),
        "tip_message": ("post", f"{BASE}/tips/{t}/message/", {"message": "ok"}, {Role.COORDINATOR}),
        "calls": ("get", f"{BASE}/calls/", None, {Role.COORDINATOR, Role.HOTLINE_OPERATOR}),
        "call_create": (
            "post",
            f"{BASE}/calls/",
            {"caller_type": "victim", "summary": "A call.", "call_at": timezone.now().isoformat()},
            {Role.COORDINATOR, Role.HOTLINE_OPERATOR},
        ),
        "call": ("get", f"{BASE}/calls/{c}/", None, {Role.COORDINATOR, Role.HOTLINE_OPERATOR}),
        "call_escalate": ("post", f"{BASE}/calls/{c}/escalate/", {}, {Role.COORDINATOR, Role.HOTLINE_OPERATOR}),
        "imports": ("get", f"{BASE}/imports/", None, {Role.COORDINATOR, Role.CASE_WORKER}),
        "import": ("get", f"{BASE}/imports/{j}/", None, {Role.COORDINATOR, Role.CASE_WORKER}),
    }


NAMES = [
    "tips",
    "tip",
    "tip_review",
    "tip_close",
    "tip_message",
    "calls",
    "call_create",
    "call",
    "call_escalate",
    "imports",
    "import",
]

API_ROUTES = (
    "api-intake-tips",
    "api-intake-tip",
    "api-intake-tip-action",
    "api-intake-calls",
    "api-intake-call",
    "api-intake-call-escalate",
    "api-intake-imports",
    "api-intake-import",
)


def _state():
    return (
        list(Tip.objects.order_by("pk").values_list("status", "version")),
        list(HotlineCall.objects.order_by("pk").values_list("status", "version")),
    )


def _call(client, method, url, data):
    return getattr(client, method)(url, data, format="json") if method == "post" else client.get(url)


@covers("anonymous", *API_ROUTES)
@pytest.mark.parametrize("name", NAMES)
def test_anonymous_gets_401(name, tip, call, import_job):
    method, url, data, _roles = _endpoints(tip, call, import_job)[name]
    before = _state()
    response = _call(APIClient(), method, url, data)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert _state() == before


@covers("wrong_role", *API_ROUTES)
@pytest.mark.parametrize("name", NAMES)
def test_wrong_roles_get_403(name, users, api_client_for, tip, call, import_job):
    method, url, data, roles = _endpoints(tip, call, import_job)[name]
    for role in (Role.HOTLINE_OPERATOR, Role.CASE_WORKER, Role.DATA_ANALYST, Role.AUDITOR, Role.SYSADMIN):
        if role in roles:
            continue
        before = _state()
        response = _call(api_client_for(users[role]), method, url, data)
        assert response.status_code == 403, (name, role)
        assert set(response.json()) == {"code", "message", "fields"}
        assert _state() == before


@covers("allowed", *API_ROUTES)
@pytest.mark.parametrize("name", NAMES)
def test_allowed_roles_succeed(name, users, api_client_for, tip, call, import_job):
    method, url, data, roles = _endpoints(tip, call, import_job)[name]
    role = sorted(roles)[0]
    response = _call(api_client_for(users[role]), method, url, data)
    assert response.status_code == (201 if name in ("call_create", "call_escalate") else 200), (name, response.content)


def test_tip_detail_returns_the_text_and_audits_the_read(coordinator, api_client_for, tip):
    from ctip.audit.models import AuditEvent

    body = api_client_for(coordinator).get(f"{BASE}/tips/{tip.public_id}/").json()
    assert "Riyadh" in body["text"]["description"]
    assert AuditEvent.objects.filter(action="tip.read", actor=coordinator).count() == 1


def test_invalid_transition_is_409(coordinator, api_client_for, tip):
    client = api_client_for(coordinator)
    assert client.post(f"{BASE}/tips/{tip.public_id}/close/", {"reason": "duplicate"}, format="json").status_code == 200
    response = client.post(f"{BASE}/tips/{tip.public_id}/review/", {}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    tip.refresh_from_db()
    assert tip.status == TipStatus.CLOSED


def test_unknown_action_is_404(coordinator, api_client_for, tip):
    response = api_client_for(coordinator).post(f"{BASE}/tips/{tip.public_id}/explode/", {}, format="json")
    assert response.status_code == 404


@covers("other_agency", "api-intake-call", "api-intake-call-escalate", "api-intake-calls")
def test_other_agency_operator_cannot_see_or_escalate_a_call(other_users, api_client_for, call):
    client = api_client_for(other_users[Role.HOTLINE_OPERATOR])
    assert client.get(f"{BASE}/calls/{call.public_id}/").status_code == 404
    assert client.post(f"{BASE}/calls/{call.public_id}/escalate/", {}, format="json").status_code == 404
    assert call.reference not in str(client.get(f"{BASE}/calls/").json())
    call.refresh_from_db()
    assert call.status == CallStatus.LOGGED


@covers("other_agency", "api-intake-import", "api-intake-imports")
def test_other_agency_case_worker_cannot_see_an_import(other_users, api_client_for, import_job):
    client = api_client_for(other_users[Role.CASE_WORKER])
    assert client.get(f"{BASE}/imports/{import_job.public_id}/").status_code == 404
    assert client.get(f"{BASE}/imports/").json()["results"] == []


def test_call_create_validation_error_shape(operator, api_client_for):
    response = api_client_for(operator).post(f"{BASE}/calls/", {"caller_type": "alien"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error" and "caller_type" in body["fields"]
    assert HotlineCall.objects.count() == 0


# --- public endpoints ----------------------------------------------------------------------------------------

PUBLIC_TIP = {
    "situation": "child_at_risk",
    "description": "A girl of 12 sells goods at night near the stage and does not go to school.",
    "county": "47",
    "contact": "",
}


@covers("anonymous", "api-intake-public-tip", "api-intake-public-status")
def test_public_tip_anonymous_and_status_with_pin_in_body():
    client = APIClient()
    created = client.post(f"{BASE}/public/tips/", PUBLIC_TIP, format="json")
    assert created.status_code == 201
    ref, pin = created.json()["reference"], created.json()["pin"]
    tip = Tip.objects.get(reference=ref)
    assert tip.county.code == "047" and not tip.has_contact
    status = client.post(f"{BASE}/public/tips/status/", {"reference": ref, "pin": pin}, format="json")
    assert status.status_code == 200
    assert status.json()["status"] == "received" and status.json()["message"] == ""


def test_public_status_is_post_only():
    assert APIClient().get(f"{BASE}/public/tips/status/?reference=TIP-AAAA-AAAA&pin=123456").status_code == 405


def test_public_status_wrong_pin_and_wrong_reference_same_error(submit_tip):
    tip, pin = submit_tip()
    client = APIClient()
    wrong_pin = client.post(
        f"{BASE}/public/tips/status/", {"reference": tip.reference, "pin": f"{(int(pin) + 1) % 10**6:06d}"}
    )
    wrong_ref = client.post(f"{BASE}/public/tips/status/", {"reference": "TIP-ZZZZ-ZZZZ", "pin": pin})
    assert wrong_pin.status_code == wrong_ref.status_code == 404
    assert wrong_pin.json() == wrong_ref.json()


def test_public_tip_is_rate_limited():
    client = APIClient()
    for _ in range(ratelimit.TIP_SUBMIT.count):
        assert client.post(f"{BASE}/public/tips/", PUBLIC_TIP, format="json").status_code == 201
    response = client.post(f"{BASE}/public/tips/", PUBLIC_TIP, format="json")
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert Tip.objects.count() == ratelimit.TIP_SUBMIT.count


def test_public_status_guessing_is_rate_limited(submit_tip):
    tip, pin = submit_tip()
    client = APIClient()
    for i in range(ratelimit.STATUS_CHECK.count):
        client.post(f"{BASE}/public/tips/status/", {"reference": tip.reference, "pin": f"{i:06d}"})
    response = client.post(f"{BASE}/public/tips/status/", {"reference": tip.reference, "pin": pin})
    assert response.status_code == 429


def test_public_status_failures_do_not_lock_the_reporter_out(submit_tip, monkeypatch):
    monkeypatch.setattr(ratelimit, "_now", lambda: 3600 * 24 * 1000 + 10.0)
    tip, pin = submit_tip()
    url = f"{BASE}/public/tips/status/"
    for i in range(ratelimit.STATUS_FAILURES_PER_REFERENCE.count):
        wrong = f"{(int(pin) + 1 + i) % 10**6:06d}"
        assert (
            APIClient()
            .post(url, {"reference": tip.reference, "pin": wrong}, REMOTE_ADDR=f"198.51.100.{i + 1}")
            .status_code
            == 404
        )
    # the reference is guarded: the reporter's PIN still works; a new address gets only a few wrong tries
    response = APIClient().post(url, {"reference": tip.reference, "pin": pin}, REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 200 and response.json()["reference"] == tip.reference
    codes = [
        APIClient()
        .post(url, {"reference": tip.reference, "pin": f"{(int(pin) + 500 + i) % 10**6:06d}"}, REMOTE_ADDR="192.0.2.8")
        .status_code
        for i in range(ratelimit.STATUS_FAILURES_PER_CLIENT_AND_REFERENCE.count + 1)
    ]
    assert codes == [404] * ratelimit.STATUS_FAILURES_PER_CLIENT_AND_REFERENCE.count + [429]


def test_public_tip_validation_errors():
    response = APIClient().post(f"{BASE}/public/tips/", {"situation": "x", "county": "999"}, format="json")
    assert response.status_code == 400
    assert {"situation", "description"} <= set(response.json()["fields"])
    assert Tip.objects.count() == 0


def test_public_tip_no_ip_in_audit():
    from ctip.audit.models import AuditEvent

    APIClient().post(f"{BASE}/public/tips/", PUBLIC_TIP, format="json", REMOTE_ADDR="203.0.113.77")
    assert AuditEvent.objects.get(action="tip.submit").ip is None
