"""Browser journey (issue 13): a case worker opens the caseload from the menu, follows an overdue number to the
filtered case list, opens the case and reads where it stands (the NRM progress line, next actions, follow-ups due),
with the keyboard's tab order and a screen reader's text; axe finds nothing on either page.

Set-up data goes through the services; everything the user does goes through the pages.

Run: DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/python -m pytest tests/browser/test_journey_caseview.py -q
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from .test_accessibility import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _axe(page: Page) -> str:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return "" if results.violations_count == 0 else results.generate_report()


def test_caseload_to_case_overview(page: Page, users, live_server):
    from django.utils import timezone

    from ctip.accounts.enums import Role
    from ctip.cases.models import FollowUp
    from ctip.cases.services.followups import followup_schedule
    from ctip.cases.tests.factories import open_case
    from ctip.core.tests.world import register_person

    worker = users[Role.CASE_WORKER]
    case = open_case(worker, register_person, first_name="Wairimu")
    follow_up = followup_schedule(
        actor=worker,
        case=case,
        due_on=timezone.localdate() + timedelta(days=1),
        purpose="Home visit",
        assigned_to=worker,
    )
    FollowUp.objects.filter(pk=follow_up.pk).update(due_on=timezone.localdate() - timedelta(days=3))
    open_case(worker, register_person, first_name="Akinyi")  # a second case, nothing overdue

    _sign_in(page, worker, live_server)
    page.goto("/")
    page.get_by_role("navigation").get_by_role("link", name="Caseload", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Caseload")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=worker.username))
    expect(row.get_by_role("cell")).to_have_text(["2", "1", "0", "0", "0"])
    assert not _axe(page), _axe(page)

    row.get_by_role("link", name="1", exact=True).click()  # follow-ups overdue
    expect(page).to_have_url(re.compile(r"/cases/\?.*flag=overdue_follow_ups"))
    expect(page.locator("main")).to_contain_text(f"Cases assigned to {worker.username}")
    listed = page.locator("main table tbody tr")
    expect(listed).to_have_count(1)
    listed.get_by_role("link", name=case.reference).click()

    progress = page.get_by_role("list", name="Steps of the National Referral Mechanism")
    expect(progress.get_by_role("listitem")).to_have_count(8)
    current = progress.locator('[aria-current="step"]')
    expect(current).to_have_count(1)
    expect(current).to_contain_text("Screened")
    expect(current).to_contain_text("Current step")  # the state in words, not only a colour
    expect(progress.get_by_role("listitem").first).to_contain_text("Done")
    overview = page.get_by_role("region", name="Where the case stands")
    expect(overview.get_by_role("link", name="1 follow-up overdue")).to_be_visible()
    expect(overview).to_contain_text("Home visit")
    expect(overview).to_contain_text("Overdue")
    assert not _axe(page), _axe(page)

    overview.get_by_role("link", name="1 follow-up overdue").click()
    expect(page).to_have_url(re.compile(rf"/cases/{case.public_id}/follow-ups/$"))
