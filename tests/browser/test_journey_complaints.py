"""Browser journey of issue 12: a job seeker on a phone checks an agency and learns it is deregistered, checks an
offer (a fee, a tourist visa, Thailand) and is told it is high risk and why, files a complaint with a receipt (a
missing answer first: the receipt is kept, not chosen again), keeps the reference and PIN; a labour officer triages
it and refers it to the DCI; the lead appears for the DCI investigator; the complainant then sees that it was
passed to the police, and nothing internal.

Run: DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/python -m pytest tests/browser/test_journey_complaints.py -q
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .test_journey_login import PHONE, login_with_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def world(make_user, agency, tmp_path, settings):
    from datetime import date

    from ctip.accounts.enums import Role
    from ctip.accounts.models import Agency
    from ctip.recruitment import selectors, services

    settings.CTIP_PRIVATE_FILES = tmp_path / "private"
    Agency.objects.filter(pk=agency.pk).update(national=True)  # the DCI unit a referral goes to
    officer = make_user(Role.LABOUR_OFFICER, agency, username="labour-browser")
    investigator = make_user(Role.INVESTIGATOR, agency, username="dci-browser")
    services.agency_create(
        actor=officer,
        data=services.AgencyInput(licence_number="RA/2019/0042", legal_name="Jakarta Ventures Ltd"),
        status="deregistered",
        status_since=date(2024, 6, 1),
        status_source="NEA notice of 1 June 2024",
    )
    services.agency_create(
        actor=officer,
        data=services.AgencyInput(licence_number="RA/2021/0100", legal_name="Upendo Recruitment Services"),
        status="valid",
        status_since=date(2024, 3, 1),
        status_source="NEA notice of 1 March 2024",
    )
    selectors.register_changed()
    return {"officer": officer, "investigator": investigator}


def test_complaint_from_the_public_to_a_dci_referral(page: Page, new_page, world, tmp_path):
    phone = new_page(viewport=PHONE)
    # the job seeker checks the agency: deregistered
    phone.goto("/verify/")
    phone.get_by_label("Agency name, licence number or phone number").fill("Jakarta Ventures")
    phone.locator("main form").get_by_role("button", name="Check", exact=True).click()
    result = phone.locator("main article").first
    expect(result).to_contain_text("Jakarta Ventures Ltd")
    expect(result).to_contain_text("Deregistered", ignore_case=True)  # the status badge is in capitals

    # then the offer: high risk, and why
    phone.goto("/job-check/")
    main = phone.locator("main")
    main.get_by_label("Which country is the job in?").select_option(label="Thailand")
    main.get_by_label("What is the job?").select_option("sales_online")
    main.get_by_label("Salary offered").fill("1,500")
    main.locator("select[name=salary_currency]").select_option("USD")
    main.get_by_label("To a person (an agent, a friend, an M-Pesa number)").check()
    main.get_by_label("How much were you asked to pay?").fill("80k")
    main.get_by_label("Tourist or visit visa").check()
    main.get_by_label("WhatsApp").check()
    main.get_by_label("Within a week").check()
    main.get_by_label("Name of the agency (if any)").fill("Jakarta Ventures")
    main.get_by_role("button", name="Check the offer").click()
    verdict = phone.locator("#jobcheck-result")
    expect(verdict).to_have_attribute("data-level", "high")
    expect(verdict.get_by_text("You would travel on a tourist or visit visa", exact=True)).to_be_visible()
    expect(verdict.get_by_text("You are asked to pay a fee", exact=True)).to_be_visible()

    # and complains about the agency
    phone.goto("/verify/")
    phone.get_by_role("link", name="Complain about a recruitment agency or agent").click()
    form = phone.locator("main form")
    form.get_by_label("A registered agency").check()
    form.get_by_label("Search the agency (name, licence number or phone)").fill("Jakarta Ventres")
    form.get_by_role("button", name="Search the register").click()
    phone.locator("main form").get_by_text("Jakarta Ventures Ltd").click()
    form = phone.locator("main form")
    form.get_by_label("Money paid (KSh)").fill("45000")
    form.get_by_label("M-Pesa numbers you paid to").fill("0712 345 678")
    form.get_by_label("M-Pesa transaction codes").fill("QGH7XK2L9P")
    form.get_by_label("Job promised").fill("Driver")
    form.get_by_label("In Kenya").check()
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(PDF)
    form.get_by_label("Evidence (optional)").set_input_files(str(receipt))
    form.get_by_role("button", name="Send the complaint").click()  # "What happened?" forgotten
    form = phone.locator("main form")
    expect(form.locator("#evidence-kept")).to_contain_text("1 file kept")
    form.get_by_label("What happened?").fill("They took the visa fee and stopped answering my calls.")
    form.get_by_role("button", name="Send the complaint").click()
    expect(phone.locator("h1")).to_have_text("Your complaint was received")
    codes = phone.locator("main dd code").all_inner_texts()
    reference, pin = codes[0], codes[1]
    assert re.fullmatch(r"CMP-[A-Z2-9]{4}-[A-Z2-9]{4}", reference) and re.fullmatch(r"\d{6}", pin)

    # the labour officer triages it
    login_with_totp(page, world["officer"])
    page.goto("/recruitment/complaints/")
    page.get_by_role("link", name=reference).click()
    expect(page.locator("main")).to_contain_text("They took the visa fee")
    expect(page.locator("main")).to_contain_text("+254712345678")
    page.get_by_role("button", name="Start the review").click()
    page.get_by_label("Referred to the DCI (investigation lead)").check()
    page.get_by_label("Note (internal: the complainant never sees it)").fill("Same agent named in two other complaints")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("main")).to_contain_text("Referred to the police (DCI)")
    expect(page.locator("main")).to_contain_text("LD-")
    lead = re.search(r"LD-[\d-]+", page.locator("main").inner_text()).group(0)

    # the lead appears for the DCI investigator, naming the agency and the complaint
    dci = new_page()
    login_with_totp(dci, world["investigator"])
    dci.goto("/leads/")
    dci.locator("table").get_by_role("link", name=lead).click()
    expect(dci.locator("main")).to_contain_text("Jakarta Ventures Ltd")
    expect(dci.locator("main")).to_contain_text(reference)

    # the complainant follows it: passed to the police, no internal note
    phone.goto("/verify/complaint/status/")
    phone.get_by_label("Reference").fill(reference)
    phone.get_by_label("PIN").fill(pin)
    phone.get_by_role("button", name="Check").click()
    expect(phone.locator("main")).to_contain_text("passed to the police (DCI)")
    expect(phone.locator("main")).not_to_contain_text("two other complaints")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 2
