"""Browser journey through the Trust Fund ledger.

The fund's officer logs in (TOTP), records a forfeiture receipt, tries a disbursement above the balance and is
told why it is refused (with the input kept), records a Board-approved disbursement to a victim case by its
number, reverses it, and reads the period's statement. An auditor then reads the ledger without the record
buttons. Set-up data (the victim case) goes through the services; everything a user does goes through the pages.

Run: DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/python -m pytest tests/browser/test_journey_trustfund.py -q
"""

from __future__ import annotations

import importlib
import re
from datetime import date

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import Page, expect

from .test_journey_login import enrol_totp, submit_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _entry_triggers(*, enabled: bool) -> None:
    """The ledger's append-only triggers refuse the DELETE that SQLite's flush runs after each transactional test:
    they stay on while the test runs and are lifted just before the flush (as the audit table's are)."""
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
def world(make_user, agency):
    from ctip.accounts.enums import Role
    from ctip.cases import services as case_services
    from ctip.cases.tests.factories import open_case
    from ctip.core.tests.world import register_person

    worker = make_user(Role.CASE_WORKER, agency, username="cw-tf")
    case = open_case(worker, register_person)
    case_services.status_decide(
        actor=worker,
        case=case,
        expected_version=case.version,
        status="ActualVictimOfTrafficking",
        decision_org="Police",
        decided_on=date(2026, 3, 1),
    )
    officer = make_user(Role.TRUST_FUND_OFFICER, agency, username="tf-officer", first_name="Njeri")
    auditor = make_user(Role.AUDITOR, agency, username="tf-auditor")
    return {"case": case, "officer": officer, "auditor": auditor}


def _fill(page: Page, values: dict[str, str]) -> None:
    main = page.locator("main")
    for label, value in values.items():
        field = main.get_by_label(label)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)


def test_officer_records_disburses_reverses_and_reads_the_statement(page: Page, new_page, world):
    today = timezone.localdate().isoformat()
    submit_login(page, "tf-officer", "Correct-Horse-Battery-9")
    enrol_totp(page, world["officer"])
    page.goto("/trustfund/")
    expect(page.locator("main")).to_contain_text("KSh 0.00")

    page.get_by_role("link", name="Record a receipt").click()
    _fill(
        page,
        {
            "Date received": today,
            "Amount (KSh)": "10,000",
            "Source": "Forfeited proceeds (court order)",
            "Court case number (forfeiture)": "MCCR/E55/2026",
            "Forfeiture order reference": "FO/1/2026",
        },
    )
    page.get_by_role("button", name="Record the receipt").click()
    expect(page.locator("main h1")).to_contain_text("TF-000001")

    page.goto("/trustfund/disbursements/new/")
    reference = world["case"].reference
    values = {
        "Date paid": today,
        "Amount (KSh)": "20,000.50",
        "Purpose": "Education",
        "Victim case number": reference,
        "Board approval reference": "NATF/BOT/2026/001",
        "Date of the Board's approval": today,
    }
    _fill(page, values)
    page.get_by_role("button", name="Record the disbursement").click()
    expect(page.locator("main")).to_contain_text(
        "The fund holds KSh 10,000.00: a disbursement of KSh 20,000.50 would overdraw it."
    )
    expect(page.locator("main").get_by_label("Victim case number")).to_have_value(reference)
    page.locator("main").get_by_label("Amount (KSh)").fill("2,500")
    page.get_by_role("button", name="Record the disbursement").click()
    expect(page.locator("main h1")).to_contain_text("TF-000002")
    expect(page.locator("main")).to_contain_text(reference)

    page.locator("main").get_by_label("Reason").select_option(label="Wrong amount")
    page.get_by_role("button", name="Record the reversing entry").click()
    expect(page.locator("main h1")).to_contain_text("TF-000003")
    expect(page.locator("main")).to_contain_text("TF-000002")

    page.goto("/trustfund/")
    expect(page.locator("main .balance")).to_contain_text("KSh 10,000.00")
    page.get_by_role("link", name="Statement").first.click()
    main = page.locator("main")
    expect(main).to_contain_text("Closing balance (KSh)")
    expect(main).to_contain_text("10,000.00")
    with page.expect_download() as download:
        main.get_by_role("link", name="Download as XLSX").click()
    assert re.fullmatch(r"trust-fund-statement-[\d-]+\.xlsx", download.value.suggested_filename)

    reader = new_page()
    submit_login(reader, "tf-auditor", "Correct-Horse-Battery-9")
    enrol_totp(reader, world["auditor"])
    reader.goto("/trustfund/")
    expect(reader.locator("main")).to_contain_text("TF-000003")
    expect(reader.locator("main").get_by_role("link", name="Record a receipt")).to_have_count(0)
