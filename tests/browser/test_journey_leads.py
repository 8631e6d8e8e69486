"""Browser journey of investigation leads (issues 11 and 12).

A member of the public's tip names a recruiter and his number; the national coordinator sends a suspect lead from
the tip (the form prefilled from the reporter's words) to DCI AHTCPU; the unit's investigator finds it in the
queue, reads it and accepts it: an investigation file opens with the recruiter, the organisation and the numbers.

Set-up data goes through the services; everything a user does goes through the pages.
Run: DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/python -m pytest tests/browser/test_journey_leads.py -q
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .test_journey_nrm import confirm_totp_device, expect_message, log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def lead_world(system_actor, make_user):
    from ctip.accounts.enums import Role
    from ctip.accounts.services import agency_create
    from ctip.intake.enums import Situation
    from ctip.intake.services import TipInput, tip_submit

    secretariat = agency_create(
        actor=system_actor, name="CTiP Secretariat (test)", short_name="CTiP", agency_type="secretariat", counties=[]
    )
    dci = agency_create(
        actor=system_actor,
        name="DCI Anti-Human Trafficking and Child Protection Unit (test)",
        short_name="DCI AHTCPU",
        agency_type="police",
        counties=[],
        national=True,
    )
    coordinator = make_user(Role.COORDINATOR, secretariat, username="coord")
    investigator = make_user(Role.INVESTIGATOR, dci, username="kiprono")
    for user in (coordinator, investigator):
        confirm_totp_device(user)
    tip, _pin = tip_submit(
        data=TipInput(
            situation=Situation.JOB_ABROAD,
            description="Three girls from our village were taken to Mombasa for jobs in Oman.",
            people_involved="Agent Mwangi 0712 345 678",
            language="en",
        )
    )
    return {"coordinator": coordinator, "investigator": investigator, "tip": tip}


def test_a_tip_becomes_a_lead_and_the_investigator_opens_a_file(page: Page, live_server, lead_world):
    tip = lead_world["tip"]
    log_in(page, lead_world["coordinator"])
    page.goto(f"{live_server.url}/intake/tips/{tip.public_id}/")
    page.get_by_role("link", name="Send a suspect lead to investigators").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Send a suspect lead to investigators")
    expect(page.get_by_label("People named (suspects: names, nicknames)")).to_have_value("Agent Mwangi")
    expect(page.get_by_label("Phone numbers")).to_have_value("0712345678")
    page.get_by_label("Organisations named (agencies, companies)").fill("Gulf Star Agencies Ltd")
    page.get_by_label("Recruiter Or Intermediary").check()
    page.get_by_role("button", name="Send the lead").click()
    expect_message(page, re.compile(r"Lead LD-\d{4}-\d{6} sent to DCI AHTCPU"))
    log_out(page)

    log_in(page, lead_world["investigator"])
    page.get_by_role("link", name="Investigation leads").first.click()
    page.locator("table").get_by_role("link", name=re.compile(r"LD-")).click()
    expect(page.locator("main")).to_contain_text("Agent Mwangi")
    expect(page.locator("main")).to_contain_text(tip.reference)
    page.get_by_label("OB number").fill("OB 14/12/2026")
    page.get_by_label("Police station").fill("Kilimani")
    page.get_by_role("button", name="Open the file").click()
    expect(page).to_have_url(re.compile(r"/justice/[0-9a-f-]{36}/$"))
    expect_message(page, re.compile(r"opened from lead LD-.*2 suspects and 1 identifiers added"))
    expect(page.locator("main")).to_contain_text("Gulf Star Agencies Ltd")
