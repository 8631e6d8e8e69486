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


# --- complaints ------------------------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17 + b"\x00\x00\x00\x00IEND\xaeB`\x82"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    """Evidence files go to a folder of the test's own (never var/)."""
    settings.CTIP_PRIVATE_FILES = tmp_path / "private"
    return settings.CTIP_PRIVATE_FILES


def complaint_input(**overrides):
    from ctip.recruitment.complaints_services import ComplaintInput

    values = {
        "whereabouts": "in_kenya",
        "description": "The agent took my money and never called back.",
        "against_kind": "unregistered",
        "against_name": "Mr Broker Otieno",
        "amount_paid_cents": 4_500_000,
        "paid_to_numbers": ["0712 345 678"],
        "transaction_codes": ["QGH7XK2L9P"],
        "job_promised": "Housemaid",
    }
    values.update(overrides)
    return ComplaintInput(**values)


def make_complaint(actor=None, uploads=(), **overrides):
    from ctip.recruitment import complaints_services

    complaint, pin = complaints_services.complaint_submit(
        actor=actor, data=complaint_input(**overrides), uploads=list(uploads)
    )
    return complaint, pin
