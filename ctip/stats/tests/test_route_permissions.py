"""Permission table for every route of the statistics app (ctip/core/tests/routes.py): anonymous, a role without
statistics.view, and the roles that have it, with exact status codes. The figures are national aggregates with no
record in the URL, so "another agency" does not apply."""

from __future__ import annotations

import pytest

from ctip.accounts.enums import Role
from ctip.core.tests.routes import NA, Route, check_route, table_params

pytestmark = pytest.mark.django_db

NATIONAL = NA("national aggregates: no record in the URL and nothing that belongs to an agency")


def _page(name, kwargs=None, allowed=(200, "data_analyst"), **kw):
    return Route(
        name,
        kwargs=kwargs,
        anonymous=302,
        wrong_role=(403, "case_worker"),
        other_agency=NATIONAL,
        allowed=allowed,
        **kw,
    )


def _api(name, kwargs=None, **kw):
    return Route(
        name,
        kwargs=kwargs,
        anonymous=401,
        wrong_role=(403, "case_worker"),
        other_agency=NATIONAL,
        allowed=(200, "data_analyst"),
        **kw,
    )


ROUTES = [
    _page("stats:index", check=lambda r, w, case: case != "allowed" or "stats-dashboards" in r.content.decode()),
    _page("stats:dashboard", kwargs=lambda w: {"slug": "victims"}),
    _page("stats:export", kwargs=lambda w: {"slug": "victims", "fmt": "csv"}),
    _api("api-stats"),
    _api("api-stats-dashboard", kwargs=lambda w: {"slug": "referrals"}),
]


@pytest.mark.parametrize(("route", "who"), table_params(ROUTES))
def test_route_permission(route, who, route_world):
    check_route(route, who, route_world)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.DATA_ANALYST, Role.AUDITOR])
def test_roles_with_statistics_see_every_dashboard(role, users, client_for):
    client = client_for(users[role])
    for path in ("/stats/", "/stats/victims/", "/stats/referrals/", "/stats/justice/", "/stats/justice/export.xlsx"):
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize(
    "role",
    [Role.SYSADMIN, Role.CASE_WORKER, Role.INVESTIGATOR, Role.PROSECUTOR, Role.SERVICE_PROVIDER, Role.HOTLINE_OPERATOR],
)
def test_roles_without_statistics_get_403(role, users, client_for, api_client_for):
    client = client_for(users[role])
    for path in ("/stats/", "/stats/victims/", "/stats/victims/export.csv"):
        assert client.get(path).status_code == 403, path
    response = api_client_for(users[role]).get("/api/v1/stats/victims/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_unknown_dashboard_or_format_is_404(analyst, client_for, api_client_for):
    client = client_for(analyst)
    assert client.get("/stats/nothing/").status_code == 404
    assert client.get("/stats/victims/export.pdf").status_code == 404
    response = api_client_for(analyst).get("/api/v1/stats/nothing/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_analyst_landing_links_to_the_dashboards(analyst, client_for):
    body = client_for(analyst).get("/").content.decode()
    assert 'href="/stats/"' in body
    body = client_for(analyst).get("/stats/").content.decode()
    for slug in ("victims", "referrals", "justice"):
        assert f'href="/stats/{slug}/"' in body
