"""List pages and list endpoints run a fixed number of queries however many rows they show (no N+1)."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ctip.accounts import services
from ctip.accounts.enums import Role
from ctip.reference.models import County

pytestmark = pytest.mark.django_db


def _queries(client, path, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _add_users(make_user, agency, n, prefix):
    for i in range(n):
        make_user(Role.INVESTIGATOR, agency, username=f"{prefix}-{i}")


def _add_agencies(system_actor, n, prefix):
    counties = list(County.objects.filter(code__in=["001", "047"]))
    for i in range(n):
        services.agency_create(actor=system_actor, name=f"{prefix} Agency {i}", agency_type="ngo", counties=counties)


def _add_grants(users, n):
    for _ in range(n):
        services.breakglass_open(
            actor=users[Role.CASE_WORKER],
            target_type="people.person",
            target_id=uuid.uuid4(),
            reason="Urgent protection need at the bus terminal",
        )


def test_user_list_page(users, make_user, agency, other_agency, client_for):
    client = client_for(users[Role.SYSADMIN])
    path = reverse("accounts:user_list")
    few = _queries(client, path)
    _add_users(make_user, other_agency, 5, "more")
    assert _queries(client, path) == few


def test_user_list_api(users, make_user, other_agency, api_token_for):
    client = api_token_for(users[Role.SYSADMIN])
    few = _queries(client, "/api/v1/users/")
    _add_users(make_user, other_agency, 5, "more")
    assert _queries(client, "/api/v1/users/") == few


def test_agency_list_page_and_api(users, system_actor, client_for, api_token_for):
    client = client_for(users[Role.CASE_WORKER])
    api = api_token_for(users[Role.CASE_WORKER])
    page, endpoint = _queries(client, reverse("accounts:agency_list")), _queries(api, "/api/v1/agencies/")
    _add_agencies(system_actor, 5, "Extra")
    assert _queries(client, reverse("accounts:agency_list")) == page
    assert _queries(api, "/api/v1/agencies/") == endpoint


def test_breakglass_list_page(users, client_for):
    client = client_for(users[Role.AUDITOR])
    path = reverse("accounts:breakglass_list")
    _add_grants(users, 1)
    few = _queries(client, path, status="all")
    _add_grants(users, 5)
    assert _queries(client, path, status="all") == few
