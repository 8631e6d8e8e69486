"""Every page: anonymous -> log-in (public pages: allowed), wrong role -> 403, other agency -> 404 where records
belong to an agency, allowed -> the page. A denied request changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from ctip.accounts.enums import Role
from ctip.core.tests.routes import covers
from ctip.intake.enums import CallStatus, TipStatus
from ctip.intake.models import HotlineCall, Tip

pytestmark = pytest.mark.django_db


def _pages(tip, call, job):
    t, c, j = tip.public_id, call.public_id, job.public_id
    return {
        # name: (method, url, roles allowed)
        "tip_list": ("get", "/intake/tips/", {Role.COORDINATOR}),
        "tip_detail": ("get", f"/intake/tips/{t}/", {Role.COORDINATOR}),
        "tip_review": ("post", f"/intake/tips/{t}/review/", {Role.COORDINATOR}),
        "tip_close": ("post", f"/intake/tips/{t}/close/", {Role.COORDINATOR}),
        "tip_message": ("post", f"/intake/tips/{t}/message/", {Role.COORDINATOR}),
        "tip_convert": ("get", f"/intake/tips/{t}/convert/", {Role.COORDINATOR}),
        "call_list": ("get", "/intake/calls/", {Role.COORDINATOR, Role.HOTLINE_OPERATOR}),
        "call_create": ("get", "/intake/calls/new/", {Role.COORDINATOR, Role.HOTLINE_OPERATOR}),
        "call_detail": ("get", f"/intake/calls/{c}/", {Role.COORDINATOR, Role.HOTLINE_OPERATOR}),
        "call_escalate": ("post", f"/intake/calls/{c}/escalate/", {Role.COORDINATOR, Role.HOTLINE_OPERATOR}),
        "call_convert": ("get", f"/intake/calls/{c}/convert/", {Role.COORDINATOR}),
        "import_index": ("get", "/intake/import/", {Role.COORDINATOR, Role.CASE_WORKER}),
        "import_sample": ("get", "/intake/import/sample.csv", {Role.COORDINATOR, Role.CASE_WORKER}),
        "import_status": ("get", f"/intake/import/{j}/", {Role.COORDINATOR, Role.CASE_WORKER}),
        "import_errors": ("get", f"/intake/import/{j}/errors.csv", {Role.COORDINATOR, Role.CASE_WORKER}),
    }


PAGE_NAMES = [
    "tip_list",
    "tip_detail",
    "tip_review",
    "tip_close",
    "tip_message",
    "tip_convert",
    "call_list",
    "call_create",
    "call_detail",
    "call_escalate",
    "call_convert",
    "import_index",
    "import_sample",
    "import_status",
    "import_errors",
]

PAGE_ROUTES = tuple(f"intake:{name}" for name in PAGE_NAMES)
TRIAGE = ("tip_review", "tip_close", "tip_message")


def _state():
    return (
        list(Tip.objects.order_by("pk").values_list("status", "version")),
        list(HotlineCall.objects.order_by("pk").values_list("status", "version")),
        Tip.objects.count(),
    )


@covers("anonymous", *PAGE_ROUTES)
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_anonymous_is_sent_to_log_in(name, tip, call, import_job):
    method, url, _roles = _pages(tip, call, import_job)[name]
    before = _state()
    response = getattr(Client(), method)(url)
    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]
    assert _state() == before


@pytest.mark.parametrize("name", PAGE_NAMES)
@pytest.mark.parametrize(
    "role", [Role.DATA_ANALYST, Role.AUDITOR, Role.SYSADMIN, Role.INVESTIGATOR, Role.SERVICE_PROVIDER]
)
@covers("wrong_role", *PAGE_ROUTES)
def test_wrong_role_is_refused(name, role, users, client_for, tip, call, import_job):
    method, url, roles = _pages(tip, call, import_job)[name]
    assert role not in roles
    before = _state()
    response = getattr(client_for(users[role]), method)(url)
    assert response.status_code == 403
    assert _state() == before


def test_roles_outside_each_page_are_refused(users, client_for, tip, call, import_job):
    """Each role not listed for a page gets 403 (hotline operators on triage and import, case workers on calls)."""
    pages = _pages(tip, call, import_job)
    for name, (method, url, roles) in pages.items():
        for role in (Role.HOTLINE_OPERATOR, Role.CASE_WORKER, Role.COORDINATOR):
            if role in roles:
                continue
            before = _state()
            response = getattr(client_for(users[role]), method)(url)
            assert response.status_code == 403, (name, role)
            assert _state() == before


@covers("allowed", *(f"intake:{n}" for n in PAGE_NAMES if n not in TRIAGE))
@pytest.mark.parametrize("name", [n for n in PAGE_NAMES if n not in ("tip_review", "tip_close", "tip_message")])
def test_allowed_roles_get_the_page(name, users, client_for, tip, call, import_job):
    method, url, roles = _pages(tip, call, import_job)[name]
    for role in roles:
        if name == "call_escalate":
            call.refresh_from_db()
            if call.status != CallStatus.LOGGED:
                continue
        data = {"version": call.version, "situation": "other"} if name == "call_escalate" else None
        response = (
            getattr(client_for(users[role]), method)(url, data)
            if data
            else getattr(client_for(users[role]), method)(url)
        )
        assert response.status_code == (200 if method == "get" else 302), (name, role, response.status_code)
        if name == "call_escalate":
            call.refresh_from_db()
            assert call.status == CallStatus.ESCALATED


@covers("allowed", *(f"intake:{n}" for n in TRIAGE))
def test_triage_actions_allowed(coordinator, client_for, tip):
    client = client_for(coordinator)
    assert client.post(f"/intake/tips/{tip.public_id}/review/", {"version": tip.version}).status_code == 302
    tip.refresh_from_db()
    assert tip.status == TipStatus.UNDER_REVIEW
    response = client.post(f"/intake/tips/{tip.public_id}/message/", {"version": tip.version, "message": "Asante."})
    assert response.status_code == 302
    tip.refresh_from_db()
    response = client.post(
        f"/intake/tips/{tip.public_id}/close/",
        {"version": tip.version, "reason": "referred_police", "message": "Passed to the police."},
    )
    assert response.status_code == 302
    tip.refresh_from_db()
    assert tip.status == TipStatus.CLOSED and tip.close_reason == "referred_police"


@pytest.mark.parametrize(
    "url",
    ["/intake/calls/{c}/", "/intake/calls/{c}/escalate/"],
)
@covers("other_agency", "intake:call_detail", "intake:call_escalate", "intake:call_list")
def test_other_agency_operator_cannot_reach_a_call(url, other_users, client_for, call):
    before = _state()
    client = client_for(other_users[Role.HOTLINE_OPERATOR])
    path = url.format(c=call.public_id)
    response = client.post(path, {"version": call.version}) if "escalate" in path else client.get(path)
    assert response.status_code == 404
    assert _state() == before
    listing = client.get("/intake/calls/")
    assert call.reference not in listing.content.decode()


@covers("other_agency", "intake:import_status", "intake:import_errors")
@pytest.mark.parametrize("url", ["/intake/import/{j}/", "/intake/import/{j}/errors.csv"])
def test_other_agency_case_worker_cannot_see_an_import(url, other_users, client_for, import_job):
    client = client_for(other_users[Role.CASE_WORKER])
    assert client.get(url.format(j=import_job.public_id)).status_code == 404


def test_national_coordinator_of_another_agency_sees_tips_and_calls(other_users, client_for, tip, call):
    client = client_for(other_users[Role.COORDINATOR])
    assert client.get(f"/intake/tips/{tip.public_id}/").status_code == 200
    assert client.get(f"/intake/calls/{call.public_id}/").status_code == 200


@covers("anonymous", "report:tip", "report:status")
@pytest.mark.parametrize("url", ["/report/", "/report/status/"])
def test_public_pages_are_open_to_anonymous(url):
    response = Client().get(url)
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content


def test_list_pages_have_a_fixed_number_of_queries(coordinator, client_for, submit_tip, log_call, operator):
    client = client_for(coordinator)
    for _ in range(3):
        submit_tip()
        log_call(operator)
    client.get("/intake/tips/")
    client.get("/intake/calls/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few_tips:
        client.get("/intake/tips/")
    with CaptureQueriesContext(connection) as few_calls:
        client.get("/intake/calls/")
    for _ in range(10):
        submit_tip()
        log_call(operator)
    with CaptureQueriesContext(connection) as many_tips:
        client.get("/intake/tips/")
    with CaptureQueriesContext(connection) as many_calls:
        client.get("/intake/calls/")
    assert len(many_tips) == len(few_tips)
    assert len(many_calls) == len(few_calls)
