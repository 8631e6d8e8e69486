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


def _report(w=None):
    """A finished report (its files written by hand: what the routes serve, not how it was made)."""
    from datetime import date

    from django.utils import timezone

    from ctip.stats.models import AnnualReport

    return AnnualReport.objects.create(
        date_from=date(2025, 1, 1),
        date_to=date(2025, 12, 31),
        small_cell=11,
        status="done",
        generated_at=timezone.now(),
        parameters={"date_from": "2025-01-01", "date_to": "2025-12-31", "small_cell": 11, "rounding": 10},
        pdf=b"%PDF-1.7 test",
        xlsx=b"PK test",
    )


def _report_kwargs(w):
    return {"public_id": _report().public_id}


ROUTES = [
    _page("stats:index", check=lambda r, w, case: case != "allowed" or "stats-dashboards" in r.content.decode()),
    _page("stats:dashboard", kwargs=lambda w: {"slug": "victims"}),
    _page("stats:export", kwargs=lambda w: {"slug": "victims", "fmt": "csv"}),
    _page("stats:dashboard", kwargs=lambda w: {"slug": "recruitment"}, label="recruitment"),
    _page("stats:dashboard", kwargs=lambda w: {"slug": "trustfund"}, label="trustfund"),
    _page("stats:reports"),
    Route(
        "stats:reports",
        method="post",
        label="generate",
        data=lambda w: {"date_from": "2025-01-01", "date_to": "2025-06-30"},
        anonymous=302,
        wrong_role=(403, "auditor"),  # sees the reports, may not generate one
        other_agency=NATIONAL,
        allowed=(302, "data_analyst"),
    ),
    _page("stats:report", kwargs=_report_kwargs),
    _page("stats:report_status", kwargs=_report_kwargs),
    _page("stats:report_download", kwargs=lambda w: {**_report_kwargs(w), "fmt": "pdf"}),
    _page("stats:report_download", kwargs=lambda w: {**_report_kwargs(w), "fmt": "xlsx"}, label="xlsx"),
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
    for slug in ("victims", "referrals", "justice", "recruitment", "trustfund", "reports"):
        assert f'href="/stats/{slug}/"' in body


def test_report_pages_for_each_role(users, client_for):
    report = _report()
    for role in (Role.COORDINATOR, Role.DATA_ANALYST, Role.AUDITOR):
        client = client_for(users[role])
        body = client.get("/stats/reports/").content.decode()
        assert ('data-testid="report-form"' in body) is (role != Role.AUDITOR), role
        assert client.get(f"/stats/reports/{report.public_id}/").status_code == 200
        assert client.get(f"/stats/reports/{report.public_id}/report.xlsx").status_code == 200
    for role in (Role.CASE_WORKER, Role.SYSADMIN, Role.PROSECUTOR):
        client = client_for(users[role])
        assert client.get("/stats/reports/").status_code == 403
        assert client.get(f"/stats/reports/{report.public_id}/report.pdf").status_code == 403


def test_unknown_report_or_format_is_404(analyst, client_for):
    import uuid

    client = client_for(analyst)
    assert client.get(f"/stats/reports/{uuid.uuid4()}/").status_code == 404
    assert client.get(f"/stats/reports/{uuid.uuid4()}/report.pdf").status_code == 404
    assert client.get(f"/stats/reports/{_report().public_id}/report.csv").status_code == 404
