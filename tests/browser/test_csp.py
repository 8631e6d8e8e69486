"""The Content-Security-Policy breaks nothing: the main pages, an htmx-boosted case section, the API docs (Swagger
UI) and the browsable API load and run in Chromium without a single CSP violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .test_journey_login import PASSWORD, enrol_totp, submit_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile);
});
"""


def watch(page: Page) -> list[str]:
    """Record CSP violations: the DOM event (added before any page script) and Chromium's console errors."""
    messages: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    return messages


def violations(page: Page, console: list[str]) -> list[str]:
    return console + page.evaluate("window.__cspViolations || []")


def test_main_pages_run_without_csp_violations(page: Page, live_server, make_user, agency, make_person):
    from ctip.accounts.enums import Role
    from ctip.cases.tests.factories import open_case

    coordinator = make_user(Role.COORDINATOR, agency, username="coord-csp", first_name="Amina")
    case = open_case(coordinator, make_person)
    console = watch(page)

    for path in ("/accounts/login/", "/report/"):
        page.goto(path)
        expect(page.locator("main")).to_be_visible()
    submit_login(page, coordinator.username, PASSWORD)
    enrol_totp(page, coordinator)
    expect(page).to_have_url(f"{live_server.url}/")

    for path in (
        "/",
        "/tasks/",
        "/cases/",
        "/people/",
        "/referrals/",
        "/intake/tips/",
        "/notifications/",
        "/accounts/profile/",
        "/accounts/agencies/",
        "/reference/",
        f"/cases/{case.public_id}/",
    ):
        page.goto(path)
        expect(page.locator("main h1").first).to_be_visible()
        assert not violations(page, console), (path, violations(page, console))

    # An htmx-boosted case section: the link is followed by htmx (XHR + swap), not a full page load.
    page.goto(f"/cases/{case.public_id}/follow-ups/")
    expect(page.locator("main h1").first).to_be_visible()
    assert page.evaluate("typeof window.htmx") == "object", "htmx did not load under the policy"
    # the language switch is the one script-driven control (static/ctip/ctip.js): choosing submits the form
    with page.expect_navigation():
        page.locator("#lang-select").select_option("sw")
    expect(page.locator("html")).to_have_attribute("lang", "sw")
    assert not violations(page, console), violations(page, console)

    # Swagger UI renders the schema (its start-up script is a separate URL), and the browsable API loads.
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("CTIP API")
    page.goto("/api/v1/me/")
    expect(page.locator("body")).to_contain_text(coordinator.username)
    assert not violations(page, console), violations(page, console)

    # error pages
    page.goto("/no-such-page/")
    expect(page.locator("main h1")).to_be_visible()
    page.goto("/cases/?q=%00")
    expect(page.locator("main")).to_contain_text("NUL")
    assert not violations(page, console), violations(page, console)
