"""Accessibility: axe-core (bundled by axe-playwright-python, injected from the local package: no CDN) over the
landing page and the main list of every role, and over the public pages, in Chromium. 0 violations.

Signed-in pages are opened with a verified session made by the test client (log-in and TOTP have their own
journey in test_journey_login.py), so each role's pages are scanned without typing."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# each role's landing page and the list it lives in
ROLE_PAGES = {
    "sysadmin": ["/", "/accounts/users/"],
    "coordinator": ["/", "/people/duplicates/", "/intake/tips/"],
    "investigator": ["/", "/justice/", "/leads/"],
    "prosecutor": ["/", "/justice/"],
    "case_worker": ["/", "/cases/", "/tasks/", "/people/"],
    "service_provider": ["/", "/referrals/inbox/"],
    "labour_officer": ["/", "/recruitment/", "/jobcheck/"],
    "immigration_officer": ["/", "/cases/"],
    "consular_officer": ["/", "/cases/"],
    "hotline_operator": ["/", "/intake/calls/"],
    "data_analyst": ["/", "/stats/", "/stats/victims/"],
    "auditor": ["/", "/audit/"],
    "trust_fund_officer": ["/", "/trustfund/"],
}
PUBLIC_PAGES = [
    "/accounts/login/",
    "/report/",
    "/verify/",
    "/job-check/",
    "/verify/complaint/",
    "/verify/complaint/status/",
]


def _scan(page: Page, path: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    response = page.goto(path)
    assert response is not None and response.status == 200, (path, response and response.status)
    results = Axe().run(page)
    return [] if results.violations_count == 0 else [f"{path}:\n{results.generate_report()}"]


def _sign_in(page: Page, user, live_server) -> None:
    from django.conf import settings

    from ctip.core.tests.world import verified_client

    client = verified_client(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def test_public_pages_have_no_violations(page: Page):
    problems = [p for path in PUBLIC_PAGES for p in _scan(page, path)]
    assert not problems, "\n".join(problems)


def test_every_roles_main_pages_have_no_violations(new_page, users, live_server):
    problems = []
    for role, paths in ROLE_PAGES.items():
        page = new_page()
        _sign_in(page, users[role], live_server)
        for path in paths:
            problems += _scan(page, path)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("browser_context_args", [{"viewport": {"width": 390, "height": 844}}])
def test_the_case_workers_pages_on_a_phone(page: Page, users, live_server, browser_context_args):
    _sign_in(page, users["case_worker"], live_server)
    problems = [p for path in ROLE_PAGES["case_worker"] for p in _scan(page, path)]
    assert not problems, "\n".join(problems)
