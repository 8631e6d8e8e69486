"""The recruitment register's test parts: a small register with a deregistered agency and its look-alike."""

from __future__ import annotations

from datetime import date

import pytest

from ctip.core.tests.world import shared_fixture


def make_agency(actor, licence, name, status="valid", phones=(), trading="", county_id=None, since=None):
    from ctip.recruitment import services

    return services.agency_create(
        actor=actor,
        data=services.AgencyInput(
            licence_number=licence,
            legal_name=name,
            trading_name=trading,
            county_id=county_id,
            contacts={"phone": list(phones)},
        ),
        status=status,
        status_since=since or date(2024, 3, 1),
        status_source="NEA notice of 1 March 2024",
    )


@shared_fixture("users")
def register(users):
    """Four agencies: two licensed, one deregistered with its look-alike re-registration, one suspended."""
    officer = users["labour_officer"]
    return {
        "deregistered": make_agency(
            officer, "RA/2019/0042", "Jakarta Ventures Ltd", "deregistered", phones=["0712 000 001"]
        ),
        "lookalike": make_agency(officer, "RA/2024/0311", "Jakartya Ventures Limited", phones=["0733 000 002"]),
        "valid": make_agency(officer, "RA/2021/0100", "Upendo Recruitment Services", phones=["0722 111 222"]),
        "suspended": make_agency(officer, "RA/2020/0077", "Safari Skills International", "suspended"),
    }


@pytest.fixture
def officer(users):
    return users["labour_officer"]


@pytest.fixture
def fresh_index():
    """Forget the in-memory public index (the register changed inside a test's transaction)."""
    from ctip.recruitment import selectors

    selectors.register_changed()
    return selectors
