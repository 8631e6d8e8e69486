"""Permission table of the data-exchange routes (ctip/core/tests/routes.py): exact status codes.

The CTDC comparison is national aggregate data (statistics roles); loading a CTDC file is a reference-data edit
(coordinators). Neither has a record in the URL."""

from __future__ import annotations

import pytest

from ctip.core.tests.routes import NA, Route, check_route, table_params

pytestmark = pytest.mark.django_db

NATIONAL = NA("national aggregate and reference data: no record in the URL, no agency's own records")

ROUTES = [
    Route(
        "exchange:ctdc",
        anonymous=302,
        wrong_role=(403, "case_worker"),
        other_agency=NATIONAL,
        allowed=(200, "data_analyst"),
    ),
    Route(
        "exchange:ctdc_upload",
        method="post",
        data=lambda w: {"name": "Empty"},
        anonymous=302,
        wrong_role=(403, "data_analyst"),
        other_agency=NATIONAL,
        allowed=(400, "coordinator"),  # no file: the form comes back with its error (the load is tested in test_ctdc)
    ),
]


@pytest.mark.parametrize(("route", "case"), table_params(ROUTES))
def test_route_permissions(route, case, route_world):
    check_route(route, case, route_world)
