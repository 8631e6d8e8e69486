"""Every route has a permission test for each of the four cases (ctip/core/tests/routes.py says how a test claims
one). A new URL pattern without them fails here, with the list of what is missing."""

from __future__ import annotations

from ctip.core.tests.routes import CASES, NA, all_routes, claimed

# Patterns no test can reach, with the reason. Nothing else may be left out.
UNREACHABLE = {
    # django.conf.urls.i18n's own set_language, included under i18n/ after ctip's set_language at the same path
    # (i18n/setlang/) and the same name: the resolver always picks ctip's, which the tables cover.
}


def test_every_route_has_the_four_permission_tests():
    routes = all_routes()
    claims, rows = claimed()
    missing = []
    for name in sorted(routes):
        if name in UNREACHABLE:
            continue
        for case in CASES:
            if (name, case) in claims:
                continue
            missing.append(f"{name} ({routes[name]}): {case}")
    assert not missing, "routes without a permission test:\n" + "\n".join(missing)


def test_claims_name_real_routes():
    routes = all_routes()
    claims, rows = claimed()
    stale = sorted({name for name, _case in claims} - set(routes))
    assert not stale, f"permission tests claim routes that do not exist: {stale}"


def test_public_routes_say_why_and_test_what_anonymous_may_do():
    claims, rows = claimed()
    for name, routes in rows.items():
        if any(row.public for row in routes):
            assert all(len(row.public) >= 10 for row in routes if row.public), name
            # the anonymous case is a real request, not "not applicable"
            assert [who for who in claims[(name, "anonymous")] if "NA(" not in who], name
            assert not any(isinstance(row.anonymous, NA) for row in routes), name


def test_not_applicable_cases_say_why():
    _claims, rows = claimed()
    for name, routes in rows.items():
        for row in routes:
            for case, expected in row.expectations().items():
                if isinstance(expected, NA):
                    assert len(expected.reason) >= 10, (name, case, "say why the case does not apply")
                if isinstance(expected, tuple):
                    assert case != "anonymous", (name, "anonymous is nobody: give the status code alone")
                elif isinstance(expected, int):
                    assert case == "anonymous", (name, case, "say which role: (status, role)")
