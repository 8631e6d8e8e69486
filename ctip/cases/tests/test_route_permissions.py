"""Permission table for the case routes the existing permission tests do not already claim (their `covers`
markers), and why some cases do not apply (ctip/core/tests/routes.py)."""

from __future__ import annotations

import pytest

from ctip.core.tests.routes import NA, Route, check_route, table_params
from ctip.core.tests.world import register_person, shared_fixture

from .factories import open_case

pytestmark = pytest.mark.django_db


@shared_fixture("users")
def route_case(users):
    from ctip.cases import services

    case = open_case(users["case_worker"], register_person)
    services.case_assign(actor=users["case_worker"], case=case, user=users["investigator"], is_lead=False)
    case.refresh_from_db()
    return case


@pytest.fixture
def route_objects(route_case):
    return {"case": route_case}


def _case(w):
    return {"public_id": w.case.public_id}


def _not_listed(response, w, case):
    assert w.case.reference not in response.content.decode()


def _home_officers_not_listed(response, w, case):
    """Another agency's case worker reads their own agency's caseload: no officer of the home agency in it."""
    if case == "other_agency":
        body = response.content.decode()
        assert w.users["case_worker"].username not in body and w.users["investigator"].username not in body


ROUTES = [
    Route(
        "cases:caseload",
        anonymous=302,
        wrong_role=(403, "service_provider"),
        other_agency=(200, "case_worker"),
        check=_home_officers_not_listed,
        allowed=(200, "case_worker"),
    ),
    Route(
        "cases:create",
        other_agency=NA("a case opens in the registering user's own agency"),
        allowed=(200, "case_worker"),
    ),
    Route("cases:list", other_agency=(200, "case_worker"), check=_not_listed),
    Route(
        "cases:status",
        method="post",
        kwargs=_case,
        data=lambda w: {"version": w.case.version, "status": "FollowUp"},
        allowed=(302, "case_worker"),
    ),
    Route(
        "cases:assign",
        method="post",
        kwargs=_case,
        data=lambda w: {"user": w.users["prosecutor"].pk},
        allowed=(302, "case_worker"),
    ),
    Route(
        "cases:unassign",
        method="post",
        kwargs=lambda w: {"public_id": w.case.public_id, "user_id": w.users["investigator"].public_id},
        anonymous=302,
        wrong_role=(403, "data_analyst"),
        other_agency=(404, "case_worker"),
        allowed=(302, "case_worker"),
    ),
    # a role that may not see cases at all gets 403 before any record is read (accounts.access.require), as the pages
    Route("api-case", kwargs=_case, wrong_role=(403, "data_analyst"), allowed=(200, "case_worker")),
    Route(
        "api-case-status",
        method="post",
        kwargs=_case,
        data=lambda w: {"version": w.case.version, "status": "FollowUp"},
        anonymous=401,
        wrong_role=(403, "data_analyst"),
    ),
]


@pytest.mark.parametrize(("route", "who"), table_params(ROUTES))
def test_route_permission(route, who, route_world):
    check_route(route, who, route_world)
