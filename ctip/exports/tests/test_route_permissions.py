"""Permission table of every export route (ctip/core/tests/routes.py): exact status codes.

An export belongs to the user who asked for it: nobody else reaches it, whatever their role or agency (404). Asking
for one needs the list's own action (the case list: case.view), so a role without the list gets 403."""

from __future__ import annotations

import pytest

from ctip.core.tests.routes import NA, Route, check_route, table_params

pytestmark = pytest.mark.django_db

OWN = NA("every signed-in user reaches their own exports only; no role is refused the page itself")
NO_RECORD = NA("no record in the URL: the list shows the user's own exports only")


@pytest.fixture
def route_objects(users):
    from ctip.exports.models import ExportJob

    job = ExportJob.objects.create(
        kind="cases", file_format="csv", status="done", content="\ufeffCase number\n", created_by=users["case_worker"]
    )
    return {"job": job}


def _job(w):
    return {"public_id": w.job.public_id}


ROUTES = [
    Route("exports:list", anonymous=302, wrong_role=OWN, other_agency=NO_RECORD, allowed=(200, "case_worker")),
    Route(
        "exports:start",
        method="post",
        data=lambda w: {"kind": "cases", "format": "csv"},
        anonymous=302,
        wrong_role=(403, "data_analyst"),
        other_agency=NA("the list itself is scoped: another agency's export leaves the record out (test_exports)"),
        allowed=(200, "case_worker"),
    ),
    Route(
        "exports:detail",
        kwargs=_job,
        anonymous=302,
        wrong_role=(404, "coordinator"),
        other_agency=(404, "case_worker"),
        allowed=(200, "case_worker"),
    ),
    Route(
        "exports:status",
        kwargs=_job,
        anonymous=302,
        wrong_role=(404, "auditor"),
        other_agency=(404, "case_worker"),
        allowed=(200, "case_worker"),
    ),
    Route(
        "exports:download",
        kwargs=_job,
        anonymous=302,
        wrong_role=(404, "investigator"),
        other_agency=(404, "case_worker"),
        allowed=(200, "case_worker"),
    ),
]


@pytest.mark.parametrize(("route", "case"), table_params(ROUTES))
def test_route_permissions(route, case, route_world):
    check_route(route, case, route_world)
