"""Browser journeys through the person registry (issue 13): find a person by name without the name reaching the
URL, open the person and see their cases; the national coordinator reviews a cross-agency pair blind, reads the
field-by-field agreement, asks the owning agency, whose case worker answers.

Run: DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/python -m pytest tests/browser/test_journey_registry.py -q
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from .test_journey_nrm import confirm_totp_device, log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _person(actor, first, last, **fields):
    from ctip.core.tests.world import register_person

    return register_person(actor, first, last, **fields)


def test_find_by_name_and_see_the_cases(page: Page, make_user, agency):
    from ctip.accounts.enums import Role
    from ctip.cases.services import case_open

    worker = make_user(Role.CASE_WORKER, agency, username="cw-registry")
    confirm_totp_device(worker)
    person = _person(worker, "Akinyi", "Odiambo", date_of_birth=date(1998, 3, 14))
    case = case_open(
        actor=worker,
        person=person,
        identified_on=date(2026, 3, 1),
        narrative="Recruited through a job advert.",
        htcds={"vic_TypeOfExploitation": ["ForcedLabour"]},
    )
    log_in(page, worker)
    page.goto("/people/")
    form = page.get_by_test_id("name-search")
    form.get_by_label("Name").fill("Akinyi Odhiambo")
    form.get_by_label("Year of birth (optional)").fill("1998")
    form.get_by_role("button", name="Find by name").click()
    results = page.get_by_test_id("name-results")
    expect(results).to_contain_text("Akinyi Odiambo")
    assert "Akinyi" not in page.url and "Odhiambo" not in page.url
    assert all("Odhiambo" not in url for url in page.requested_urls)
    results.get_by_role("link", name=person.ref).click()
    expect(page).to_have_url(re.compile(rf"/people/{person.public_id}/$"))
    cases = page.get_by_test_id("person-cases")
    expect(cases).to_contain_text(case.reference)
    expect(cases).to_contain_text("Your agency's case")


def test_blind_review_ask_and_answer(page: Page, make_user, agency, other_agency):
    from ctip.accounts.enums import Role
    from ctip.people.models import DuplicateCandidate

    coordinator = make_user(Role.COORDINATOR, agency, username="halima-national")
    other_worker = make_user(Role.CASE_WORKER, other_agency, username="baraka-ngo")
    for user in (coordinator, other_worker):
        confirm_totp_device(user)
    mine = _person(coordinator, "Mohamed", "Abdi", date_of_birth=date(1998, 3, 14))
    theirs = _person(other_worker, "Muhammad", "Abdy", date_of_birth=date(1998, 3, 14))
    a, b = sorted((mine, theirs), key=lambda p: p.pk)
    pair = DuplicateCandidate.objects.create(person_a=a, person_b=b, score=0.8, reasons=["name_phonetic_variant"])

    log_in(page, coordinator)
    page.goto(f"/people/duplicates/{pair.public_id}/")
    expect(page.get_by_text("Identity restricted.")).to_be_visible()
    agreement = page.get_by_test_id("agreement")
    expect(agreement.get_by_role("row", name=re.compile("Date of birth"))).to_contain_text("Same")
    expect(page.locator("main")).not_to_contain_text("Abdy")
    page.get_by_role("button", name="Ask the owning agency to confirm").click()
    expect(page.get_by_test_id("confirmations")).to_contain_text("Waiting for the owning agency")
    log_out(page)

    log_in(page, other_worker)
    page.goto("/people/duplicates/")
    page.get_by_test_id("confirmation-inbox").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Is this the same person?")
    expect(page.locator("main")).not_to_contain_text("Mohamed")
    page.get_by_label("Confirmed: the same person").check()
    page.get_by_role("button", name="Send the answer").click()
    expect(page.locator("main")).to_contain_text("Your answer was sent to the reviewer.")
