"""Permission table for the routes of core, portal, notifications, audit, reference, the language switch and the
API description (ctip/core/tests/routes.py explains the table; the URL walk requires every route in one)."""

from __future__ import annotations

import pytest

from ctip.core.tests.routes import NA, Route, check_route, table_params

pytestmark = pytest.mark.django_db

EVERY_ROLE = NA("every signed-in role may: no role to refuse")
NO_RECORD = NA("no record in the URL: nothing of another agency to reach")
NATIONAL = NA("national reference data: no agency owns it")
PUBLIC = NA("public: no log-in, nothing per user or agency")


@pytest.fixture
def route_objects(db):
    from ctip.reference.models import Indicator

    return {"indicator": Indicator.objects.order_by("code").first()}


ROUTES = [
    Route(
        "core:favicon",
        public="the browser's own request for the site icon",
        anonymous=301,
        wrong_role=PUBLIC,
        other_agency=PUBLIC,
        allowed=PUBLIC,
    ),
    Route(
        "core:healthz",
        public="the load balancer's health check; answers the database state only",
        anonymous=200,
        wrong_role=PUBLIC,
        other_agency=PUBLIC,
        allowed=PUBLIC,
    ),
    Route(
        "set_language",
        method="post",
        data=lambda w: {"language": "sw", "next": "/"},
        public="the language switch works before log-in (the log-in page is bilingual)",
        anonymous=302,
        wrong_role=EVERY_ROLE,
        other_agency=NO_RECORD,
        allowed=(302, "case_worker"),
    ),
    Route("portal:home", anonymous=302, wrong_role=EVERY_ROLE, other_agency=NO_RECORD, allowed=(200, "case_worker")),
    Route("portal:tasks", anonymous=302, wrong_role=EVERY_ROLE, other_agency=NO_RECORD, allowed=(200, "case_worker")),
    Route(
        "notifications:inbox",
        anonymous=302,
        wrong_role=EVERY_ROLE,
        other_agency=NA("the user's own notifications only (test_inbox_shows_only_own_notifications_rendered)"),
        allowed=(200, "case_worker"),
    ),
    Route(
        "notifications:mark_read",
        method="post",
        anonymous=302,
        wrong_role=EVERY_ROLE,
        other_agency=NA("marks the user's own notifications only (test_mark_read_only_touches_own)"),
        allowed=(302, "case_worker"),
    ),
    Route(
        "api-schema",
        session=True,
        anonymous=401,
        wrong_role=EVERY_ROLE,
        other_agency=NO_RECORD,
        allowed=(200, "case_worker"),
    ),
    Route(
        "api-docs",
        session=True,
        anonymous=401,
        wrong_role=EVERY_ROLE,
        other_agency=NO_RECORD,
        allowed=(200, "case_worker"),
    ),
    # the audit trail is national: an auditor of any agency reads all of it
    Route(
        "audit:list",
        anonymous=302,
        wrong_role=(403, "case_worker"),
        other_agency=(200, "auditor"),
        allowed=(200, "auditor"),
    ),
    Route(
        "audit:export",
        anonymous=302,
        wrong_role=(403, "coordinator"),
        other_agency=(200, "auditor"),
        allowed=(200, "auditor"),
    ),
    Route(
        "api-audit-events",
        anonymous=401,
        wrong_role=(403, "case_worker"),
        other_agency=(200, "auditor"),
        allowed=(200, "auditor"),
    ),
    Route(
        "reference:index",
        anonymous=302,
        wrong_role=EVERY_ROLE,
        other_agency=NATIONAL,
        allowed=(200, "case_worker"),
    ),
    Route(
        "reference:indicator_edit",
        kwargs=lambda w: {"code": w.indicator.code},
        anonymous=302,
        wrong_role=(403, "case_worker"),
        other_agency=NATIONAL,
        allowed=(200, "coordinator"),
    ),
    *(
        Route(name, anonymous=401, wrong_role=EVERY_ROLE, other_agency=NATIONAL, allowed=(200, "case_worker"))
        for name in ("api-counties", "api-countries", "api-htcds-values", "api-offences", "api-indicators")
    ),
]


@pytest.mark.parametrize(("route", "who"), table_params(ROUTES))
def test_route_permission(route, who, route_world):
    check_route(route, who, route_world)
