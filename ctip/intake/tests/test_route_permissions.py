"""Permission table for the intake routes the existing permission tests do not already claim (their `covers`
markers), and why some cases do not apply (ctip/core/tests/routes.py)."""

from __future__ import annotations

from ctip.core.tests.routes import NA, Route

NATIONAL_TIPS = NA(
    "tips are national: the coordinators of every agency triage them "
    "(test_national_coordinator_of_another_agency_sees_tips_and_calls)"
)
NATIONAL_COORDINATOR = NA("only coordinators may, and a coordinator sees every agency's calls (national scope)")
NO_RECORD = NA("no record in the URL: nothing of another agency to reach")
PUBLIC = NA("public: anyone may report a tip or check its status with the reference and PIN")

ROUTES = [
    *(
        Route(f"intake:{name}", other_agency=NATIONAL_TIPS)
        for name in ("tip_list", "tip_detail", "tip_review", "tip_close", "tip_message", "tip_convert")
    ),
    Route("intake:call_convert", other_agency=NATIONAL_COORDINATOR),
    *(Route(f"intake:{name}", other_agency=NO_RECORD) for name in ("call_create", "import_index", "import_sample")),
    *(
        Route(name, other_agency=NATIONAL_TIPS)
        for name in ("api-intake-tips", "api-intake-tip", "api-intake-tip-action")
    ),
    *(
        Route(name, public="the public reporting form", wrong_role=PUBLIC, other_agency=PUBLIC, allowed=PUBLIC)
        for name in ("report:tip", "report:status", "api-intake-public-tip", "api-intake-public-status")
    ),
]

# Every other case of the intake routes is claimed by the existing tests (test_views_permissions.py, test_api.py):
# no row here makes a request, so there is no table test.
