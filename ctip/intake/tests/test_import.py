"""Bulk import: all rows or none, a row-level error report, sealed upload blanked after processing, the
background path, the HTCDS Excel template, and a hypothesis test of the row parser."""

from __future__ import annotations

import contextlib
import csv
import io
from pathlib import Path

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctip.cases.models import Case
from ctip.core.errors import ValidationFailed
from ctip.intake import importer, services
from ctip.intake.enums import ImportStatus
from ctip.intake.models import ImportJob
from ctip.people.models import Person

pytestmark = pytest.mark.django_db

TEMPLATE = Path("/work/shared/data/htcds/HTCDS Excel Spreadsheet v2.0.xlsx")
HEADER = (
    "prs_FirstName,prs_SecondName,prs_Birthdate,prs_Gender,ctip_NationalID,vic_TypeOfExploitation,"
    "ctip_IsChild,ctip_IdentifiedOn"
)


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


GOOD = [
    "Achieng,Testrow,1990-05-01,Feminine,20000001,ForcedLabour;Servitude,no,2025-01-10",
    "Otieno,Testrow,1985-02-02,Masculine,20000002,ForcedLabour,,2025-01-11",
    "Wanjiru,Testrow,2012-07-07,Feminine,,ChildLabour,yes,2025-01-12",
]


def test_sample_file_imports(case_worker, sample_csv):
    job = services.import_start(actor=case_worker, file_name="htcds_import_sample.csv", content=sample_csv)
    assert job.status == ImportStatus.DONE, job.errors
    rows = sample_csv.decode().strip().count("\n")
    assert job.rows_imported == rows == len(job.case_references)
    cases = Case.objects.filter(reference__in=job.case_references)
    assert cases.count() == rows
    assert set(cases.values_list("channel", flat=True)) == {"import"}
    assert cases.filter(status="Closed", closure_reason="other").count() == 1
    assert cases.filter(status="ClosedReferred").count() == 1
    assert cases.filter(trafficking_status="ActualVictimOfTrafficking").count() == 2
    assert cases.filter(is_child=True).count() == 1
    assert job.content == ""


def test_imported_persons_already_registered_are_queued_for_duplicate_review(case_worker, make_person):
    from datetime import date

    from ctip.people.models import DuplicateCandidate

    existing = make_person(
        case_worker,
        first_name="Achieng",
        last_name="Testrow",
        date_of_birth=date(1990, 5, 1),
        identifiers=[("national_id", "20000001")],
    )
    job = services.import_start(actor=case_worker, file_name="ok.csv", content=_csv(*GOOD))
    assert job.status == ImportStatus.DONE and job.rows_imported == 3
    # the import never links by itself: it registers the row and queues the pair for an officer
    assert Person.objects.count() == 4
    assert job.possible_duplicates == 1
    [pair] = DuplicateCandidate.objects.all()
    imported = Case.objects.get(reference=job.case_references[0]).person
    assert {pair.person_a, pair.person_b} == {existing, imported}
    assert "national_id_same" in pair.reasons


def test_all_rows_pass_all_are_committed(case_worker):
    job = services.import_start(actor=case_worker, file_name="ok.csv", content=_csv(*GOOD))
    assert job.status == ImportStatus.DONE
    assert Person.objects.count() == 3 and Case.objects.count() == 3


def test_one_bad_row_commits_nothing_and_reports_by_row_and_column(case_worker, client_for):
    # given: rows 2-4 good, row 5 with four problems
    bad = "Kamau,Testrow,2090-01-01,Manly,123456789,Piracy,maybe,2025-01-13"
    # when
    job = services.import_start(actor=case_worker, file_name="bad.csv", content=_csv(*GOOD, bad))
    # then
    assert job.status == ImportStatus.INVALID
    assert Person.objects.count() == 0 and Case.objects.count() == 0
    where = {(e["row"], e["column"]) for e in job.errors}
    assert {
        (5, "prs_Birthdate"),
        (5, "prs_Gender"),
        (5, "ctip_NationalID"),
        (5, "vic_TypeOfExploitation"),
        (5, "ctip_IsChild"),
    } <= where
    assert all(e["row"] == 5 for e in job.errors)
    # the downloadable report: row, column, message; never the cell values
    response = client_for(case_worker).get(f"/intake/import/{job.public_id}/errors.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    report = list(csv.reader(io.StringIO(response.content.decode())))
    assert report[0] == ["row", "column", "message"]
    assert ["5", "prs_Gender"] in [r[:2] for r in report[1:]]
    text = response.content.decode()
    for value in ("Kamau", "2090-01-01", "123456789"):  # identity values; HTCDS codes may be named
        assert value not in text
    assert job.content == ""


def test_child_status_must_match_the_date_of_birth(case_worker):
    job = services.import_start(
        actor=case_worker,
        file_name="c.csv",
        content=_csv("Mwangi,Testrow,1980-01-01,Masculine,,ForcedLabour,yes,2025-01-10"),
    )
    assert job.status == ImportStatus.INVALID
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "ctip_IsChild")]


def test_same_document_twice_in_a_file_is_an_error(case_worker):
    job = services.import_start(
        actor=case_worker,
        file_name="d.csv",
        content=_csv(GOOD[0], GOOD[0].replace("Achieng", "Akinyi")),
    )
    assert job.status == ImportStatus.INVALID
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "ctip_NationalID")]


def test_a_failure_while_writing_rolls_everything_back(case_worker, monkeypatch):
    from ctip.cases import services as case_services

    real = case_services.case_open
    calls = {"n": 0}

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise ValidationFailed(fields={"identified_on": ["Refused for the test."]})
        return real(**kwargs)

    monkeypatch.setattr(case_services, "case_open", flaky)
    job = services.import_start(actor=case_worker, file_name="ok.csv", content=_csv(*GOOD))
    assert job.status == ImportStatus.INVALID
    assert job.errors == [{"row": 4, "column": "ctip_IdentifiedOn", "message": "Refused for the test."}]
    assert Person.objects.count() == 0 and Case.objects.count() == 0


def test_unreadable_files_are_refused_before_a_job_exists(case_worker):
    for content in (b"name,age\nA,1\n", b"\xff\xfe\x00bad", b"PK\x03\x04not a zip"):
        with pytest.raises(ValidationFailed):
            services.import_start(actor=case_worker, file_name="x.csv", content=content)
    with pytest.raises(ValidationFailed):
        services.import_start(actor=case_worker, file_name="x.csv", content=HEADER.encode() + b"\n")
    assert ImportJob.objects.count() == 0


def test_large_file_runs_as_a_background_task_and_upload_is_sealed(
    case_worker, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services.imports, "INLINE_IMPORT_ROWS", 2)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.import_start(actor=case_worker, file_name="Achieng-list.csv", content=_csv(*GOOD))
    assert job.status == ImportStatus.PENDING and len(callbacks) == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM intake_importjob")
        dump = repr(cursor.fetchall())
    assert "Achieng" not in dump and "20000001" not in dump and job.content
    # when the task runs (ImmediateBackend in tests)
    callbacks[0]()
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.rows_imported == 3
    assert job.rows_validated == 3 and job.percent == 100
    assert job.content == ""


def test_status_page_polls_until_finished(case_worker, client_for, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(services.imports, "INLINE_IMPORT_ROWS", 2)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.import_start(actor=case_worker, file_name="a.csv", content=_csv(*GOOD))
    client = client_for(case_worker)
    page = client.get(f"/intake/import/{job.public_id}/").content.decode()
    assert 'hx-trigger="every 2s"' in page and "Refresh" in page
    callbacks[0]()
    partial = client.get(f"/intake/import/{job.public_id}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial and "<html" not in partial
    assert "Imported" in partial


def test_upload_through_the_page(case_worker, client_for, sample_csv):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(case_worker)
    page = client.get("/intake/import/")
    assert b"/intake/import/sample.csv" in page.content
    response = client.post(
        "/intake/import/", {"file": SimpleUploadedFile("s.csv", sample_csv, content_type="text/csv")}
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/intake/import/{job.public_id}/"
    assert job.status == ImportStatus.DONE


def _xlsx(rows: list[list]) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    codes = ["cas_CaseOwner", "prs_Salutation", "prs_FirstName", "prs_SecondName", "con_Consent", "prs_Birthdate"]
    codes += ["prs_Gender", "prs_Citizenship", "vic_TraffickingStatus", "vic_TraffickinStatusDecisionMakingOrg"]
    codes += ["vic_TypeOfExploitation", "vic_LocationOfExploitation", "cas_Status"]
    ws.append([None, *codes])
    ws.append([None, "Case Owner", "Salutation", "First Name", "Second Name", "Consent", "Birthdate"])
    for i, row in enumerate(rows, start=1):
        ws.append([i, *row])
    for i in range(len(rows) + 1, 30):
        ws.append([i])  # the template numbers empty rows
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_excel_in_the_template_layout_imports(case_worker):
    from datetime import datetime

    content = _xlsx(
        [
            [
                "HOME",
                "Ms",
                "Halima",
                "Testrow",
                "Yes",
                datetime(1994, 3, 3),
                "Feminine",
                "KE",
                "",
                "",
                "ForcedLabour",
                "Doha",
                "Active",
            ],
            [
                "HOME",
                "Mr",
                "Juma",
                "Testrow",
                "",
                "1991-12-12",
                "Masculine",
                "TZ",
                "PossibleVictimOfTrafficking",
                "NGO",
                "",
                "",
                "FollowUp",
            ],
        ]
    )
    job = services.import_start(actor=case_worker, file_name="template.xlsx", content=content)
    assert job.file_format == "xlsx"
    assert job.status == ImportStatus.DONE, job.errors
    assert job.rows_total == 2
    cases = Case.objects.filter(reference__in=job.case_references)
    assert cases.filter(status="FollowUp", trafficking_status="PossibleVictimOfTrafficking").count() == 1
    assert cases.filter(events__event_type="Exploitation", events__city="Doha").count() == 1


def test_excel_errors_point_at_spreadsheet_rows(case_worker):
    content = _xlsx([["", "", "Halima", "Testrow", "", "not a date", "Feminine", "XX", "", "", "", "", ""]])
    job = services.import_start(actor=case_worker, file_name="t.xlsx", content=content)
    assert job.status == ImportStatus.INVALID
    assert {(e["row"], e["column"]) for e in job.errors} == {(3, "prs_Birthdate"), (3, "prs_Citizenship")}


@pytest.mark.skipif(not TEMPLATE.exists(), reason="the HTCDS template is not available")
def test_the_official_htcds_template_with_two_rows_imports(case_worker):
    import openpyxl

    wb = openpyxl.load_workbook(TEMPLATE)
    ws = wb.worksheets[0]
    columns = {c.value: c.column for c in ws[1] if c.value}
    for r, (first, last) in ((3, ("Rehema", "Testrow")), (4, ("Daudi", "Testrow"))):
        ws.cell(r, columns["prs_FirstName"], first)
        ws.cell(r, columns["prs_SecondName"], last)
        ws.cell(r, columns["prs_Gender"], "NonSpecifiedUnknown")
        ws.cell(r, columns["vic_TypeOfExploitation"], "ForcedLabour")
        ws.cell(r, columns["cas_Status"], "Active")
    out = io.BytesIO()
    wb.save(out)
    job = services.import_start(actor=case_worker, file_name="HTCDS.xlsx", content=out.getvalue())
    assert job.status == ImportStatus.DONE, job.errors
    assert job.rows_imported == 2


def test_operators_cannot_import(users, sample_csv):
    from ctip.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.import_start(actor=users["hotline_operator"], file_name="s.csv", content=sample_csv)
    assert ImportJob.objects.count() == 0


# --- the row parser never fails with anything but a validation error ------------------------------------------

COLUMNS = sorted(importer.ALL_COLUMNS)
cell = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "yes",
            "no",
            "KE",
            "047",
            "Nairobi",
            "1990-01-01",
            "31/12/2001",
            "2999-01-01",
            "ForcedLabour",
            "Closed",
            "ClosedReferred",
            "FollowUp",
            "Feminine",
            "0712345678",
            "12345678",
            "A1234567",
            ";;",
        ]
    ),
)


@pytest.fixture
def parser(db):
    return importer.RowParser(importer.Reference.load())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(row=st.dictionaries(st.sampled_from(COLUMNS), cell, max_size=len(COLUMNS)))
def test_random_rows_only_ever_raise_validation_errors(parser, row):
    try:
        plan = parser.parse(2, row)
    except importer.RowInvalid as exc:
        assert exc.fields
        for column, messages in exc.fields.items():
            assert column in importer.ALL_COLUMNS, column
            assert messages and all(isinstance(m, str) and m for m in messages)
    else:
        assert plan.row == 2
        assert plan.identity.first_name or plan.identity.last_name or plan.identity.aliases


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=300))
def test_random_file_text_only_ever_raises_file_errors(text):
    with contextlib.suppress(importer.FileInvalid):
        importer.read_table(text.encode(), "csv")
