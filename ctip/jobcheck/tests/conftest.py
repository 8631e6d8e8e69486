"""The job-offer check's test parts: the seed rule set compiled without a database, a small agency register."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from ctip.core.tests.world import shared_fixture

SEED = Path(__file__).resolve().parent.parent / "seed" / "rules_v1.yaml"


def seed_doc() -> dict:
    return yaml.safe_load(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_rules():
    from ctip.jobcheck.rules import CompiledRuleSet, validate

    return CompiledRuleSet.compile(1, validate(seed_doc()))


def _agency(actor, licence, name, status="valid", phones=()):
    from ctip.recruitment import services

    return services.agency_create(
        actor=actor,
        data=services.AgencyInput(licence_number=licence, legal_name=name, contacts={"phone": list(phones)}),
        status=status,
        status_since=date(2024, 3, 1),
        status_source="NEA notice of 1 March 2024",
    )


@shared_fixture("users")
def agencies(users):
    """A licensed agency, a deregistered one with its look-alike, a suspended one."""
    officer = users["labour_officer"]
    return {
        "deregistered": _agency(officer, "RA/2019/0042", "Jakarta Ventures Ltd", "deregistered", ["0712 000 001"]),
        "lookalike": _agency(officer, "RA/2024/0311", "Jakartya Ventures Limited"),
        "valid": _agency(officer, "RA/2021/0100", "Upendo Recruitment Services"),
        "suspended": _agency(officer, "RA/2020/0077", "Safari Skills International", "suspended"),
    }


@pytest.fixture
def fresh():
    """Forget the in-memory register index and compiled rules (changed inside a test's transaction)."""
    from ctip.jobcheck import selectors
    from ctip.recruitment import selectors as register

    register.register_changed()
    selectors.rules_changed()
    return selectors


HIGH_RISK_POST = {
    "destination": "TH",
    "job": "sales_online",
    "salary_amount": "1,500",
    "salary_currency": "USD",
    "salary_period": "month",
    "fee_to": "individual",
    "fee_amount": "80k",
    "fee_currency": "KES",
    "visa": "tourist",
    "contact": "whatsapp",
    "agency_name": "",
    "departure": "days",
    "text": "Kazi ya haraka Bangkok! Hakuna interview. Tuma pesa ya visa leo.",
}

LOW_RISK_POST = {
    "destination": "DE",
    "job": "care",
    "salary_amount": "2,000",
    "salary_currency": "EUR",
    "salary_period": "month",
    "fee_to": "none",
    "fee_amount": "",
    "fee_currency": "KES",
    "visa": "work",
    "contact": "agency_office",
    "agency_name": "Upendo Recruitment Services",
    "departure": "months",
    "text": "",
}
