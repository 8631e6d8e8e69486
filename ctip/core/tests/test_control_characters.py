"""NUL bytes in a request: a 400 everywhere (PostgreSQL refuses NUL in text and answered 500), before any view."""

from __future__ import annotations

import pytest

from ctip.accounts.enums import Role
from ctip.accounts.tests.helpers import assert_error_shape

pytestmark = pytest.mark.django_db

API_FILTERS = [
    "/api/v1/referrals/providers/?q=%00",
    "/api/v1/referrals/?status=%00",
    "/api/v1/cases/?q=ab%00cd",
    "/api/v1/persons/?q=%00",
    "/api/v1/reference/counties/?q=%00",
    "/api/v1/referrals/providers/?%00=1",
]

UI_FILTERS = [
    "/cases/?q=%00",
    "/people/?q=x%00",
    "/referrals/providers/?q=%00",
    "/accounts/users/?q=%00",
    "/audit/?action=%00",
    "/intake/tips/?status=%00",
]


@pytest.mark.parametrize("url", API_FILTERS)
def test_api_filters_with_a_nul_byte_are_a_400_with_the_error_shape(users, api_client_for, url):
    response = api_client_for(users[Role.COORDINATOR]).get(url)
    body = assert_error_shape(response, 400, "bad_request")
    assert "NUL" in body["message"]


@pytest.mark.parametrize("url", UI_FILTERS)
def test_page_filters_with_a_nul_byte_are_the_400_page(users, client_for, url):
    response = client_for(users[Role.SYSADMIN if url.startswith(("/accounts", "/audit")) else Role.COORDINATOR]).get(
        url
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert b"NUL byte" in response.content


def test_anonymous_pages_and_paths_refuse_nul_too(client):
    assert client.get("/report/status/?reference=%00").status_code == 400
    assert client.get("/reference/indicators/%00/").status_code == 400
    assert client.get("/api/v1/intake/public/tips/status/?reference=%00").status_code == 400


def test_form_posts_and_json_bodies_with_a_nul_byte_are_refused_before_the_view(client, users, api_client_for):
    from ctip.audit.models import AuditEvent

    before = AuditEvent.objects.count()
    response = client.post("/accounts/login/", {"username": "admin\x00", "password": "x"})
    assert response.status_code == 400
    assert AuditEvent.objects.count() == before  # no failed log-in recorded: the view never ran
    api = api_client_for(users[Role.CASE_WORKER])
    response = api.post("/api/v1/persons/", '{"first_name": "A\\u0000"}', content_type="application/json")
    assert_error_shape(response, 400, "bad_request")
    # an escaped backslash followed by "u0000" is ordinary text, not a NUL: the view answers as usual
    response = api.post("/api/v1/persons/", '{"first_name": "A\\\\u0000"}', content_type="application/json")
    assert response.status_code != 400 or response.json()["code"] != "bad_request"


def test_ordinary_requests_pass(users, client_for, api_client_for):
    assert client_for(users[Role.COORDINATOR]).get("/cases/?q=Achieng%20O").status_code == 200
    assert api_client_for(users[Role.COORDINATOR]).get("/api/v1/referrals/providers/?q=a").status_code == 200
