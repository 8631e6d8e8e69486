"""Browser journey of the job-offer risk check: a job seeker on a phone checks an offer (a fee to a person, a
tourist visa, Thailand) without logging in and is told it is high risk, and why, with where to report.

Run: DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/python -m pytest tests/browser/test_journey_jobcheck.py -q
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 375, "height": 667}


@pytest.fixture
def browser_context_args() -> dict:
    return {"viewport": PHONE}


def test_a_job_seeker_learns_an_offer_is_high_risk_and_why(page: Page):
    from ctip.jobcheck.models import CheckTally

    page.goto("/job-check/")
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Check a job offer abroad before you pay")
    main.get_by_label("Which country is the job in?").select_option(label="Thailand")
    main.get_by_label("What is the job?").select_option("sales_online")
    main.get_by_label("Salary offered").fill("1,500")
    main.locator("select[name=salary_currency]").select_option("USD")
    main.get_by_label("To a person (an agent, a friend, an M-Pesa number)").check()
    main.get_by_label("How much were you asked to pay?").fill("80k")
    main.get_by_label("Tourist or visit visa").check()
    main.get_by_label("WhatsApp").check()
    main.get_by_label("Within a week").check()
    main.get_by_label("Paste the advert or the message (optional)").fill(
        "Kazi ya haraka Bangkok! Customer service, no experience needed. Tuma pesa ya visa leo."
    )
    main.get_by_role("button", name="Check the offer").click()

    result = page.locator("#jobcheck-result")
    expect(result).to_have_attribute("data-level", "high")
    expect(result.get_by_role("heading", level=2)).to_have_text("High risk")
    for title in (
        "You would travel on a tourist or visit visa",
        "You are asked to pay a fee",
        "A country with a current warning: scam compounds",
        "The money goes to a person, not a company",
        "The message asks for money",
    ):
        expect(result.get_by_text(title, exact=True)).to_be_visible()
    expect(result.get_by_text("ILO Private Employment Agencies Convention 181", exact=False).first).to_be_visible()
    expect(result.get_by_text("call 1195", exact=False)).to_be_visible()
    expect(result.get_by_role("link", name="Check an agency's licence")).to_have_attribute("href", "/verify/")
    # The form keeps what was typed, and nothing but a count is kept.
    expect(main.get_by_label("How much were you asked to pay?")).to_have_value("80k")
    assert list(CheckTally.objects.values_list("level", "count")) == [("high", 1)]
    # Mobile-first: nothing wider than the phone's screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 2, width
