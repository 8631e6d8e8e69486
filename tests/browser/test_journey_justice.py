"""Browser journey through the criminal-justice chain (issue 11).

An investigator opens a file from a victim case, adds a suspect and evidence, and submits it to the ODPP; the
prosecutor asks for phone records; the investigator adds them and resubmits; the prosecutor advises to charge and
charges under s.3 at Milimani; a hearing is held; the accused is convicted with a sentence and a restitution order
for the victim; the court orders the agency's assets forfeited, and the forfeited amount enters the Trust Fund's
ledger: the fund's officer finds the order by its court case number and records the receipt against it, the
period's statement shows it, and the prosecution page shows it received.

Set-up data goes through the services; everything a user does goes through the pages.

Run: DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/python -m pytest tests/browser/test_journey_justice.py -q
"""

from __future__ import annotations

import importlib
import re
from datetime import date

import pytest
from django.db import connection
from playwright.sync_api import Page, expect

from .test_journey_nrm import confirm_totp_device, expect_message, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ORGANISATION = "Gulf Bright Recruiters Ltd"


def _entry_triggers(*, enabled: bool) -> None:
    """The Trust Fund ledger's append-only triggers refuse the DELETE that SQLite's flush runs after each
    transactional test: they stay on while the test runs and are lifted just before the flush (as in the Trust Fund
    journey)."""
    migration = importlib.import_module("ctip.trustfund.migrations.0002_append_only_triggers")
    with connection.schema_editor() as editor:
        migration.drop_triggers(None, editor)
        if enabled:
            migration.create_triggers(None, editor)


@pytest.fixture(autouse=True, scope="module")
def _entry_triggers_restored(django_db_setup, django_db_blocker):
    yield
    with django_db_blocker.unblock():
        _entry_triggers(enabled=True)


@pytest.fixture(autouse=True)
def _entries_flushable(transactional_db, _entry_triggers_restored):
    _entry_triggers(enabled=True)
    yield
    _entry_triggers(enabled=False)


@pytest.fixture
def justice_world(system_actor, make_user):
    from django.utils import timezone

    from ctip.accounts.enums import Role
    from ctip.accounts.services import agency_create
    from ctip.cases.services import case_open
    from ctip.people.identity import Identity
    from ctip.people.services import person_register
    from ctip.reference.models import County

    nairobi = list(County.objects.filter(code="047"))
    police = agency_create(
        actor=system_actor,
        name="DCI Anti-Human Trafficking Unit",
        short_name="DCI-AHTCPU",
        agency_type="police",
        counties=nairobi,
    )
    odpp = agency_create(
        actor=system_actor,
        name="ODPP Nairobi Office",
        short_name="ODPP-NBI",
        agency_type="prosecution",
        counties=nairobi,
    )
    secretariat = agency_create(
        actor=system_actor,
        name="Counter-Trafficking Secretariat",
        short_name="CTIP-SEC",
        agency_type="secretariat",
        counties=nairobi,
    )
    investigator = make_user(Role.INVESTIGATOR, police, username="dci-investigator", first_name="Otieno")
    prosecutor = make_user(Role.PROSECUTOR, odpp, username="odpp-prosecutor", first_name="Njeri")
    fund_officer = make_user(Role.TRUST_FUND_OFFICER, secretariat, username="natf-officer", first_name="Wambui")
    for user in (investigator, prosecutor, fund_officer):
        confirm_totp_device(user)
    person = person_register(
        actor=investigator,
        identity=Identity(first_name="Amina", last_name="Hassan", date_of_birth=date(2000, 5, 2), sex="female"),
    )
    case = case_open(
        actor=investigator,
        person=person,
        identified_on=timezone.localdate(),
        narrative="Recruited for a housemaid job in Riyadh; passport taken on arrival.",
    )
    return investigator, prosecutor, case, fund_officer


def _tab(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="File sections").get_by_role("link", name=name, exact=True).click()


def _evidence(page: Page, item: str, state: str, reason: str = "") -> None:
    row = page.locator("tr", has=page.get_by_role("cell", name=item, exact=True))
    row.get_by_label("State").select_option(state)
    if reason:
        row.get_by_label("Why it is missing").fill(reason)
    row.get_by_role("button", name="Save").click()
    expect_message(page, "Changes saved.")


def test_file_to_conviction_with_restitution_and_forfeiture_into_the_trust_fund(page: Page, new_page, justice_world):
    from django.utils import timezone

    investigator, prosecutor, case, fund_officer = justice_world
    today = timezone.localdate().isoformat()

    # The investigator opens a file from the victim case.
    log_in(page, investigator)
    page.goto(f"/cases/{case.public_id}/")
    page.get_by_role("link", name="Open an investigation file").click()
    page.get_by_label("OB number").fill("OB 14/03/2026")
    page.get_by_label("Police station").fill("Kilimani")
    page.get_by_label("Investigating unit").select_option("ahtcpu")
    page.get_by_role("button", name="Open the file").click()
    expect_message(page, re.compile(r"Investigation file IV-\d{4}-\d{6} opened\."))
    file_url = page.url
    expect(page.locator("main")).to_contain_text(case.reference)

    # A suspect (the recruitment agency) and the offence.
    page.get_by_label("Organisation (e.g. a recruitment agency)").fill(ORGANISATION)
    page.locator("input[name=roles]").first.check()
    page.get_by_role("button", name="Add the organisation").click()
    expect_message(page, "Changes saved.")
    page.locator("select[name=offence]").select_option("ctipa-3")
    page.get_by_role("button", name="Add the offence").click()
    expect_message(page, "Changes saved.")
    expect(page.locator("main")).to_contain_text(ORGANISATION)

    # Evidence: all present but the phone records, missing with a reason.
    _tab(page, "Evidence checklist")
    for item in (
        "Victim statement",
        "Travel documents",
        "Contracts",
        "Payment records",
        "Medical report",
        "Witness statements",
        "Exhibit register",
    ):
        _evidence(page, item, "present")
    _evidence(page, "Age assessment (child)", "not_applicable")
    _evidence(page, "Phone records", "missing", "Awaiting the Safaricom subscriber data")

    # Submit to the ODPP.
    _tab(page, "Exchange with the prosecutor")
    expect(page.locator(".alert")).to_contain_text("Awaiting the Safaricom subscriber data")
    page.get_by_label("Prosecution office").select_option(label="ODPP-NBI")
    page.get_by_role("button", name="Submit the file").click()
    expect_message(page, "File submitted to the prosecutor.")

    # The prosecutor asks for the phone records.
    odpp = new_page()
    log_in(odpp, prosecutor)
    odpp.goto("/justice/queue/")
    odpp.get_by_role("link", name=re.compile(r"IV-\d{4}-\d{6}")).first.click()
    _tab(odpp, "Exchange with the prosecutor")
    odpp.get_by_role("radio", name="Further investigation").check()
    odpp.get_by_label(re.compile("Requests for further investigation")).fill(
        "Obtain the phone records of the recruiter's line from Safaricom."
    )
    odpp.get_by_role("button", name="Record the advice").click()
    expect_message(odpp, "Advice recorded.")

    # The investigator adds them and resubmits.
    page.goto(file_url)
    _tab(page, "Evidence checklist")
    _evidence(page, "Phone records", "present")
    _tab(page, "Exchange with the prosecutor")
    expect(page.locator("main")).to_contain_text("The evidence checklist has no gaps.")
    page.get_by_label("Prosecution office").select_option(label="ODPP-NBI")
    page.get_by_role("button", name="Submit the file").click()
    expect_message(page, "File submitted to the prosecutor.")

    # The prosecutor advises to charge and charges under s.3.
    odpp.goto(file_url)
    _tab(odpp, "Exchange with the prosecutor")
    odpp.get_by_role("radio", name="Charge", exact=True).check()
    odpp.get_by_role("button", name="Record the advice").click()
    expect_message(odpp, "Advice recorded.")
    _tab(odpp, "Charge sheet")
    odpp.get_by_label("Court station").select_option("milimani-mc")
    odpp.get_by_label("Court case number").fill("MCCR/E412/2026")
    odpp.get_by_label("Date of charge").fill(today)
    odpp.locator("select[name=count0-accused]").select_option(index=1)
    odpp.locator("select[name=count0-offence]").select_option("ctipa-3")
    odpp.locator("select[name=count0-plea]").select_option("not_guilty")
    odpp.locator("select[name=count0-accused_sex]").select_option("unknown")
    odpp.get_by_role("button", name="Record the charge sheet").click()
    expect_message(odpp, "Charge sheet recorded.")
    expect(odpp.locator("main")).to_contain_text("Milimani Law Courts (Chief Magistrate)")

    # A hearing is held.
    _tab(odpp, "Court")
    odpp.locator("select[name=schedule-kind]").select_option("hearing")
    odpp.locator("input[name=schedule-sits_on]").fill(today)
    odpp.get_by_role("button", name="Add to the diary").click()
    expect_message(odpp, "Changes saved.")
    odpp.get_by_text("Record this sitting").click()
    odpp.locator("details[open]").get_by_role("radio", name="Held").check()
    odpp.locator("details[open]").get_by_role("button", name="Save").click()
    expect_message(odpp, "Changes saved.")
    expect(odpp.locator("main")).to_contain_text("Held")

    # Convicted: ten years and a fine of KSh 500,000; restitution of KSh 200,000 to the victim.
    odpp.get_by_text("Record the outcome").click()
    form = odpp.locator("details[open]")
    form.locator("select[name=outcome-verdict]").select_option("convicted")
    form.locator("input[name=outcome-decided_on]").fill(today)
    form.locator("input[name=outcome-imprisonment_months]").fill("120")
    form.locator("input[name=outcome-fine]").fill("500,000")
    form.get_by_role("button", name="Save").click()
    expect_message(odpp, "Changes saved.")
    expect(odpp.locator("main")).to_contain_text("Convicted")
    expect(odpp.locator("main")).to_contain_text("120 months of imprisonment")
    expect(odpp.locator("main")).to_contain_text("KSh 500,000")

    odpp.get_by_text("Record a restitution order").click()
    form = odpp.locator("details[open]")
    form.locator("select[name=restitution-accused]").select_option(index=1)
    form.locator("select[name=restitution-beneficiary_case]").select_option(case.reference)
    form.locator("input[name=restitution-amount]").fill("200,000")
    form.locator("input[name=restitution-ordered_on]").fill(today)
    form.get_by_role("button", name="Save the order").click()
    expect_message(odpp, "Changes saved.")
    expect(odpp.locator("main")).to_contain_text("KSh 200,000")
    expect(odpp.locator("main")).to_contain_text(case.reference)

    # The investigating unit sees the outcome too.
    page.goto(file_url)
    _tab(page, "Court")
    expect(page.locator("main")).to_contain_text("Convicted")
    expect(page.get_by_role("button", name="Add to the diary")).to_have_count(0)

    # The court orders the agency's assets forfeited: KSh 1,500,000.
    odpp.get_by_text("Record a forfeiture order").click()
    form = odpp.locator("details[open]")
    form.locator("select[name=forfeiture-accused]").select_option(index=1)
    form.locator("input[name=forfeiture-amount]").fill("1,500,000")
    form.locator("textarea[name=forfeiture-assets]").fill("Bank account at KCB Moi Avenue and two Toyota Probox cars")
    form.locator("input[name=forfeiture-ordered_on]").fill(today)
    form.get_by_role("button", name="Save the order").click()
    expect_message(odpp, "Changes saved.")
    expect(odpp.locator("main .fund-received")).to_have_text("received into the Trust Fund: KSh 0 of KSh 1,500,000")

    # The forfeited amount enters the Trust Fund: the fund's officer finds the order by its court case number and
    # records the receipt against it; more than the order is refused with the reason.
    fund = new_page()
    log_in(fund, fund_officer)
    fund.goto("/trustfund/receipts/new/")
    fund.get_by_label("Court case number to find").fill("E412/2026")
    fund.get_by_role("button", name="Find orders").click()
    main = fund.locator("main")
    expect(main.locator("table.order-choices")).to_contain_text("MCCR/E412/2026")
    expect(main.locator("table.order-choices")).to_contain_text("1,500,000.00")
    expect(main).not_to_contain_text("Toyota Probox")  # the assets stay sealed
    expect(main.get_by_label("Court's order recorded in CTIP")).to_have_value(re.compile(r"[0-9a-f-]{36}"))
    expect(main.get_by_label("Source")).to_have_value("forfeiture")
    main.get_by_label("Date received").fill(today)
    main.get_by_label("Amount (KSh)").fill("1,500,000.01")
    main.get_by_label("Receipt or bank reference").fill("CBK/NATF/2026/041")
    fund.get_by_role("button", name="Record the receipt").click()
    expect(main).to_contain_text("at most KSh 1,500,000.00 remains to be received on it")
    main.get_by_label("Amount (KSh)").fill("1,500,000")
    fund.get_by_role("button", name="Record the receipt").click()
    expect(fund.locator("main h1")).to_contain_text("TF-000001")
    expect(main).to_contain_text("MCCR/E412/2026")
    fund.goto("/trustfund/")
    expect(fund.locator("main .balance")).to_contain_text("KSh 1,500,000.00")
    fund.get_by_role("link", name="Statement").first.click()
    expect(main).to_contain_text("Forfeited proceeds (court order)")
    expect(main).to_contain_text("1,500,000.00")

    # The prosecution page shows the order received in full.
    odpp.reload()
    expect(odpp.locator("main .fund-received")).to_have_text(
        "received into the Trust Fund: KSh 1,500,000 of KSh 1,500,000"
    )
