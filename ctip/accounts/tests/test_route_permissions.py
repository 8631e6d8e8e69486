"""Permission table for the accounts routes the existing permission tests do not already claim (their `covers`
markers), and why some cases do not apply (ctip/core/tests/routes.py)."""

from __future__ import annotations

import pytest

from ctip.core.tests.routes import NA, Route, check_route, table_params
from ctip.core.tests.world import PASSWORD

pytestmark = pytest.mark.django_db

EVERY_ROLE = NA("every signed-in role may: no role to refuse")
NO_RECORD = NA("no record in the URL: nothing of another agency to reach")
NATIONAL_ADMIN = NA("national: administration by the system administrator, who belongs to no agency")
OWN_ACCOUNT = NA("the signed-in user's own account or second factor only")
PUBLIC = NA("public: the way in, before any log-in")

ROUTES = [
    Route(
        "accounts:login",
        public="the log-in page",
        anonymous=200,
        wrong_role=PUBLIC,
        other_agency=PUBLIC,
        allowed=PUBLIC,
    ),
    Route(
        "accounts:logout",
        method="post",
        anonymous=302,
        wrong_role=EVERY_ROLE,
        other_agency=OWN_ACCOUNT,
        allowed=(302, "case_worker"),
    ),
    Route("accounts:mfa_setup", wrong_role=EVERY_ROLE, other_agency=OWN_ACCOUNT),
    Route("accounts:mfa_verify", wrong_role=EVERY_ROLE, other_agency=OWN_ACCOUNT),
    Route("accounts:profile", wrong_role=EVERY_ROLE, other_agency=OWN_ACCOUNT),
    Route("accounts:role_matrix", wrong_role=EVERY_ROLE, other_agency=NO_RECORD),
    Route("accounts:agency_list", wrong_role=EVERY_ROLE, other_agency=NA("the agency directory is national")),
    *(
        Route(f"accounts:{name}", other_agency=NATIONAL_ADMIN)
        for name in ("user_list", "user_create", "user_detail", "agency_create", "agency_edit")
    ),
    Route("api-me", wrong_role=EVERY_ROLE, other_agency=OWN_ACCOUNT),
    Route("api-agencies", wrong_role=EVERY_ROLE, other_agency=NA("the agency directory is national")),
    Route("api-users", other_agency=NATIONAL_ADMIN),
    Route(
        "api-token",
        method="post",
        data=lambda w: {"username": w.users["data_analyst"].username, "password": PASSWORD},
        public="exchanges a password (and the second-factor code) for a token",
        anonymous=200,
        wrong_role=PUBLIC,
        other_agency=PUBLIC,
        allowed=PUBLIC,
    ),
]


@pytest.mark.parametrize(("route", "who"), table_params(ROUTES))
def test_route_permission(route, who, route_world):
    check_route(route, who, route_world)
