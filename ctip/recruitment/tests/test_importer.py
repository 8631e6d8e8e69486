"""The NEA list parser (pure) and the all-or-nothing import."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctip.recruitment import importer, services
from ctip.recruitment.models import AgencyContact, AgencyImport, AgencyStatusChange, RecruitmentAgency

COUNTIES = {"nairobi": "047", "047": "047", "mombasa": "001", "001": "001"}
TODAY = date(2024, 7, 1)


def csv_bytes(rows, header=None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    header = header or list(dict.fromkeys(k for row in rows for k in row))
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    return out.getvalue().encode()


GOOD = [
    {
        "Registration Number": "RA/2024/1",
        "Agency Name": "Kilele Agency Ltd",
        "Status": "Valid",
        "County": "Nairobi",
        "Phone": "0712 345 678; 0733 000 111",
        "Email": "info@kilele.co.ke",
        "Guarantee Amount": "1,500,000",
    },
    {
        "Registration Number": "RA/2019/9",
        "Agency Name": "Jakarta Ventures",
        "Status": "De-registered",
        "Status Date": "15/03/2024",
    },
]


def test_read_and_parse_the_published_form():
    rows = importer.read_list(csv_bytes(GOOD))
    parsed, errors = importer.parse_all(rows, counties=COUNTIES, today=TODAY)
    assert errors == []
    first, second = parsed
    assert (first.licence_key, first.status, first.county) == ("RA20241", "valid", "047")
    assert first.contacts == {"phone": ["0712 345 678", "0733 000 111"], "email": ["info@kilele.co.ke"]}
    assert first.guarantee_amount_cents == 150_000_000
    assert (second.status, second.status_date) == ("deregistered", date(2024, 3, 15))


def test_unknown_column_refuses_the_file_with_a_suggestion():
    with pytest.raises(importer.FileInvalid) as exc:
        importer.read_list(
            csv_bytes([{"Registration Number": "1", "Agency Name": "A", "Status": "valid", "Stauts2": "x"}])
        )
    assert any("Stauts2" in m for m in exc.value.fields["file"])


def test_missing_required_column_refuses_the_file():
    with pytest.raises(importer.FileInvalid) as exc:
        importer.read_list(csv_bytes([{"Agency Name": "A", "Status": "valid"}]))
    assert any("licence_number" in m for m in exc.value.fields["file"])


@pytest.mark.parametrize("content", [b"", b"\xff\xfe\x00bad", b"a,b\n", b"Agency Name,Status\n"])
def test_bad_files_refused(content):
    with pytest.raises(importer.FileInvalid):
        importer.read_list(content)


def test_row_errors_name_row_and_column():
    rows = importer.read_list(
        csv_bytes(
            [
                {"Licence Number": "", "Agency Name": "A", "Status": "valid", "County": "Atlantis"},
                {"Licence Number": "RA/2", "Agency Name": "B", "Status": "maybe", "Phone": "12"},
                {"Licence Number": "ra-2", "Agency Name": "C", "Status": "valid", "Guarantee Amount": "-5"},
            ]
        )
    )
    _parsed, errors = importer.parse_all(rows, counties=COUNTIES, today=TODAY)
    found = {(e["row"], e["column"]) for e in errors}
    # Row 4's licence number repeats row 3's, but row 3 is refused already: the duplicate is not reported twice.
    assert found == {
        (2, "licence_number"),
        (2, "county"),
        (3, "status"),
        (3, "phones"),
        (4, "guarantee_amount_ksh"),
    }


def test_same_licence_twice_in_a_file():
    rows = importer.read_list(
        csv_bytes(
            [
                {"Licence Number": "RA/2", "Agency Name": "B", "Status": "valid"},
                {"Licence Number": "ra-2", "Agency Name": "C", "Status": "valid"},
            ]
        )
    )
    _parsed, errors = importer.parse_all(rows, counties=COUNTIES, today=TODAY)
    assert [(e["row"], e["column"]) for e in errors] == [(3, "licence_number")]


cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            dict.fromkeys(
                (
                    "licence_number",
                    "legal_name",
                    "status",
                    "county",
                    "phones",
                    "status_date",
                    "guarantee_amount_ksh",
                    "emails",
                ),
                cell,
            )
        ),
        min_size=1,
        max_size=5,
    )
)
def test_parser_never_crashes_and_accounts_for_every_row(rows):
    content = csv_bytes(rows)
    try:
        table = importer.read_list(content)
    except importer.FileInvalid:
        return
    parsed, errors = importer.parse_all(table, counties=COUNTIES, today=TODAY)
    rows_with_errors = {e["row"] for e in errors}
    assert len(parsed) + len(rows_with_errors) == len(table)
    for item in parsed:
        assert item.licence_key and item.legal_name and item.status


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10**12), st.integers(0, 99))
def test_amounts_round_trip(shillings, cents):
    assert importer.parse_amount_cents(f"{shillings:,}.{cents:02d}") == shillings * 100 + cents
    assert importer.parse_amount_cents(f"KSh {shillings}") == shillings * 100


# --- the import service ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_all_or_nothing(officer, register):
    bad = GOOD + [{"Registration Number": "RA/3", "Agency Name": "", "Status": "valid"}]
    record = services.import_list(
        actor=officer,
        file_name="nea.csv",
        content=csv_bytes(bad, list(GOOD[0]) + ["Status Date"]),
        source="NEA list 1 July 2024",
    )
    assert record.status == "refused"
    assert record.errors == [{"row": 4, "column": "legal_name", "message": "Enter the agency's name."}]
    assert not RecruitmentAgency.objects.filter(licence_key="RA20241").exists()


@pytest.mark.django_db
def test_import_adds_updates_and_records_status_changes(officer, register):
    rows = GOOD + [
        {"Registration Number": "RA/2021/0100", "Agency Name": "Upendo Recruitment Services", "Status": "Suspended"}
    ]
    record = services.import_list(
        actor=officer,
        file_name="nea.csv",
        content=csv_bytes(rows, list(GOOD[0]) + ["Status Date"]),
        source="NEA list 1 July 2024",
    )
    assert record.errors == []
    assert (record.status, record.rows, record.created, record.updated, record.status_changes) == (
        "applied",
        3,
        2,
        1,
        1,
    )
    upendo = RecruitmentAgency.objects.get(licence_key="RA20210100")
    assert upendo.status == "suspended" and upendo.status_source == "NEA list 1 July 2024"
    assert AgencyContact.objects.filter(agency=upendo).count() == 1  # no phone cell: the register's phone stays
    change = AgencyStatusChange.objects.filter(agency=upendo).first()
    assert (change.previous_status, change.status) == ("valid", "suspended")
    kilele = RecruitmentAgency.objects.get(licence_key="RA20241")
    assert kilele.county.code == "047" and kilele.guarantee_amount_cents == 150_000_000
    assert AgencyContact.objects.filter(agency=kilele, kind="phone").count() == 2
    assert AgencyImport.objects.count() == 1


@pytest.mark.django_db
def test_import_needs_the_status_right(users):
    from ctip.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.import_list(actor=users["investigator"], file_name="x.csv", content=csv_bytes(GOOD), source="NEA")


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["Nairobi", "Nairobi County", "nairobi city", "47", "047", "KE-30"])
def test_counties_as_commonly_written_match_the_case_import(typed):
    """One county vocabulary for every import (ctip.reference.places): the NEA list takes what the case import takes."""
    from ctip.recruitment.selectors import county_lookup

    row = {"licence_number": "RA/2024/001", "legal_name": "Test Agency Ltd", "status": "valid", "county": typed}
    parsed = importer.parse_row(2, row, counties=county_lookup(), today=date(2026, 12, 1))
    assert parsed.county == "047"
