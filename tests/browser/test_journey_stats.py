"""Browser journey through the statistics (issue 14): a data analyst signs in, goes from the home page to the
statistics, opens the victims dashboard, sees the trend line and the county bars drawn by the vendored Chart.js
(no CSP violation), the tables beside them with small cells suppressed, filters by county, gets a bad filter
refused beside its field, and downloads the CSV.

Set-up data goes through the services; everything the analyst does goes through the pages.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .test_csp import violations, watch
from .test_journey_login import PASSWORD, submit_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_analyst_reads_the_victims_dashboard(page: Page, live_server, make_user, agency, make_person):
    from ctip.accounts.enums import Role
    from ctip.cases import services
    from ctip.reference.models import County

    worker = make_user(Role.CASE_WORKER, agency, username="cw-stats")
    analyst = make_user(Role.DATA_ANALYST, agency, username="analyst-stats")
    nairobi = County.objects.get(code="047").pk
    for i in range(13):
        person = make_person(worker, f"Wanjiru{i}", "Kamau", sex="female", date_of_birth=date(1999, 1, 1))
        services.case_open(
            actor=worker,
            person=person,
            identified_on=date(2025, 2, 1),
            identified_county_id=nairobi,
            htcds={"vic_TypeOfExploitation": ["ForcedLabour"]},
        )
    console = watch(page)

    submit_login(page, analyst.username, PASSWORD)
    page.get_by_test_id("stats-landing-link").click()
    expect(page.locator("main h1")).to_have_text("Statistics")
    page.locator("main").get_by_role("link", name="Victims identified").first.click()
    expect(page.locator("main h1")).to_have_text("Victims identified")

    # the charts are drawn (Chart.js marks the canvas) and the table beside them holds the published numbers
    trend = page.locator("#chart-victims-by-year")
    expect(trend).to_be_visible()
    page.wait_for_function("() => !!(window.Chart && window.Chart.getChart('chart-victims-by-year'))")
    page.wait_for_function("() => !!window.Chart.getChart('chart-victims-by-county')")
    assert "2025: 10" in (trend.get_attribute("aria-label") or "")
    county_table = page.get_by_test_id("figure-victims-by-county")
    expect(county_table.locator("tr", has_text="Nairobi").locator("td")).to_have_text("10")
    expect(county_table.locator("tr", has_text="Mombasa").locator("td")).to_have_text("fewer than 11")
    assert not violations(page, console), violations(page, console)

    # filter by county, then a bad date range shown beside its field
    page.get_by_test_id("stats-filters").get_by_label("County").select_option("047")
    page.get_by_test_id("stats-filters").get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"county=047"))
    page.get_by_test_id("stats-filters").get_by_label("From").fill("2025-06-01")
    page.get_by_test_id("stats-filters").get_by_label("Until").fill("2025-01-01")
    page.get_by_test_id("stats-filters").get_by_role("button", name="Filter").click()
    expect(page.locator(".field.has-error")).to_contain_text("The end date is before the start date.")

    # the CSV download of the county's figures
    page.goto("/stats/victims/?county=047")
    with page.expect_download() as download:
        page.get_by_test_id("stats-downloads").get_by_role("link", name="CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Victims identified by year" in text and "<11" in text
    assert not violations(page, console), violations(page, console)
