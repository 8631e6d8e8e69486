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

from ctip.audit.services import chain_after_commit
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

    real = case_services.case_register
    calls = {"n": 0}

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise ValidationFailed(fields={"identified_on": ["Refused for the test."]})
        return real(**kwargs)

    monkeypatch.setattr(case_services, "case_register", flaky)
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
    with django_capture_on_commit_callbacks(execute=False) as captured:
        job = services.import_start(actor=case_worker, file_name="Achieng-list.csv", content=_csv(*GOOD))
    callbacks = [c for c in captured if c is not chain_after_commit]  # the audit chaining step runs too
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
    with django_capture_on_commit_callbacks(execute=False) as captured:
        job = services.import_start(actor=case_worker, file_name="a.csv", content=_csv(*GOOD))
    callbacks = [c for c in captured if c is not chain_after_commit]
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


# --- unknown columns and formula cells refuse the whole file ----------------------------------------------------


def test_a_misspelt_column_refuses_the_csv_and_names_the_closest_column(case_worker):
    # given: prs_FirstName misspelt; before the fix its values were dropped and the cases had no first name
    content = _csv(*GOOD).replace(b"prs_FirstName", b"prs_FristName", 1)
    # when / then
    with pytest.raises(importer.FileInvalid) as refused:
        services.import_start(actor=case_worker, file_name="typo.csv", content=content)
    assert "prs_FristName" in refused.value.message
    assert refused.value.fields["file"] == ["Unknown column prs_FristName (column A): did you mean prs_FirstName?"]
    assert ImportJob.objects.count() == 0 and Person.objects.count() == 0 and Case.objects.count() == 0


def test_every_unknown_csv_column_is_named_with_or_without_a_suggestion(case_worker):
    header = HEADER + ",Remarks,vic_TypeOfExploitaton"
    content = ("\n".join([header, *(row + ",x,ForcedLabour" for row in GOOD)]) + "\n").encode()
    with pytest.raises(importer.FileInvalid) as refused:
        services.import_start(actor=case_worker, file_name="extra.csv", content=content)
    assert refused.value.fields["file"] == [
        "Unknown column Remarks (column I): rename it to an HTCDS column name or delete it.",
        "Unknown column vic_TypeOfExploitaton (column J): did you mean vic_TypeOfExploitation?",
    ]
    assert "Remarks" in refused.value.message and "vic_TypeOfExploitaton" in refused.value.message
    assert ImportJob.objects.count() == 0


def test_data_under_an_empty_header_refuses_the_file_and_names_the_column(case_worker):
    # given: a ninth column with no header (the officer forgot to name it); before, its values were dropped silently
    rows = [GOOD[0] + ",", GOOD[1] + ",Lives with an aunt in Kisumu", GOOD[2] + ","]
    content = ("\n".join([HEADER + ",", *rows]) + "\n").encode()
    with pytest.raises(importer.FileInvalid) as refused:
        services.import_start(actor=case_worker, file_name="unnamed.csv", content=content)
    assert refused.value.fields["file"] == [
        "Column I has no header but holds data (first in row 3): name it or delete it."
    ]
    assert "Nothing was imported." in refused.value.message and "Lives with" not in refused.value.message
    assert ImportJob.objects.count() == 0 and Person.objects.count() == 0


def test_an_empty_column_without_a_header_is_harmless(case_worker):
    # a trailing separator on every line makes an unnamed, empty column: nothing is lost, the file imports
    content = ("\n".join([HEADER + ",", *(row + "," for row in GOOD)]) + "\n").encode()
    job = services.import_start(actor=case_worker, file_name="trailing.csv", content=content)
    assert job.status == ImportStatus.DONE, job.errors
    assert job.rows_imported == 3


def _halima(**overrides) -> list:
    row = {
        "owner": "HOME",
        "first": "Halima",
        "last": "Testrow",
        "birth": "1994-03-03",
        "gender": "Feminine",
        "exploitation": "ForcedLabour",
    }
    row.update(overrides)
    return [row["owner"], "", row["first"], row["last"], "", row["birth"], row["gender"], "", "", ""]
    # columns: cas_CaseOwner .. vic_TraffickinStatusDecisionMakingOrg, as _xlsx writes them (B..K)


def test_a_formula_in_an_imported_cell_refuses_the_workbook_and_names_the_cell(case_worker):
    # given: the second name of row 4 is a formula (column E is prs_SecondName); openpyxl wrote no cached value,
    # so before the fix the cell was read as empty
    content = _xlsx([_halima(), _halima(first="Juma", last='=UPPER("testrow")')])
    # when / then
    with pytest.raises(importer.FileInvalid) as refused:
        services.import_start(actor=case_worker, file_name="f.xlsx", content=content)
    assert "E4" in refused.value.message and "Sheet" in refused.value.message
    [detail] = refused.value.fields["file"]
    assert detail.startswith("Sheet Sheet has formulas in cells E4.") and "paste them back as values only" in detail
    assert ImportJob.objects.count() == 0 and Case.objects.count() == 0


def test_formulas_outside_the_imported_columns_are_harmless(case_worker):
    # the row numbers in column A (no header) and a read-but-not-imported column may be computed
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(_xlsx([_halima(), _halima(first="Juma")])))
    ws = wb.active
    ws["A3"], ws["B4"] = "=ROW()-2", '="HO"&"ME"'
    out = io.BytesIO()
    wb.save(out)
    job = services.import_start(actor=case_worker, file_name="ok.xlsx", content=out.getvalue())
    assert job.status == ImportStatus.DONE, job.errors
    assert job.rows_imported == 2


def test_unknown_columns_and_formulas_are_reported_together(case_worker):
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(_xlsx([_halima()])))
    ws = wb.active
    ws["D1"] = "prs_FirstNam"  # the header of the first names (column D)
    ws["E3"] = "=D3"
    ws["G1"] = '=CONCAT("prs_","Birthdate")'
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(importer.FileInvalid) as refused:
        services.import_start(actor=case_worker, file_name="both.xlsx", content=out.getvalue())
    details = refused.value.fields["file"]
    assert details[0] == "Unknown column prs_FirstNam (column D): did you mean prs_FirstName?"
    assert details[1].startswith("Sheet Sheet has formulas in cells G1, E3.")


def test_the_upload_page_shows_the_unknown_column_and_the_suggestion(case_worker, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = _csv(*GOOD).replace(b"prs_FirstName", b"prs_FristName", 1)
    response = client_for(case_worker).post(
        "/intake/import/", {"file": SimpleUploadedFile("typo.csv", content, content_type="text/csv")}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "prs_FristName" in page and "did you mean prs_FirstName?" in page
    assert ImportJob.objects.count() == 0


# --- the API upload ---------------------------------------------------------------------------------------------

API = "/api/v1/intake/imports/"


def _upload(client, content: bytes, name: str = "upload.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(API, {"file": SimpleUploadedFile(name, content)}, format="multipart")


def test_api_upload_refuses_unknown_columns_with_the_error_shape(case_worker, api_client_for):
    content = _csv(*GOOD).replace(b"prs_FirstName", b"prs_FristName", 1)
    response = _upload(api_client_for(case_worker), content)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"code", "message", "fields"} and body["code"] == "validation_error"
    assert body["fields"]["file"] == ["Unknown column prs_FristName (column A): did you mean prs_FirstName?"]
    assert ImportJob.objects.count() == 0


def test_api_upload_refuses_formula_cells_with_the_error_shape(case_worker, api_client_for):
    content = _xlsx([_halima(birth="=DATE(1994,3,3)")])
    response = _upload(api_client_for(case_worker), content, "f.xlsx")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error" and "G3" in body["message"]
    assert ImportJob.objects.count() == 0


def test_api_upload_without_a_file_is_400(case_worker, api_client_for):
    response = api_client_for(case_worker).post(API, {}, format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error" and "file" in response.json()["fields"]


def test_api_upload_permissions(users, api_client_for, case_worker, agency):
    from ctip.accounts.enums import Role

    content = _csv(*GOOD)
    assert _upload(api_client_for(None), content).status_code == 401
    for role in (Role.HOTLINE_OPERATOR, Role.DATA_ANALYST, Role.AUDITOR, Role.SYSADMIN):
        response = _upload(api_client_for(users[role]), content)
        assert response.status_code == 403, role
        assert set(response.json()) == {"code", "message", "fields"}
    assert ImportJob.objects.count() == 0
    # allowed: the job is the uploader's agency's, and done
    response = _upload(api_client_for(case_worker), content)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == ImportStatus.DONE and body["rows_imported"] == 3
    assert body["agency"] == str(agency.public_id)


def test_api_upload_by_another_agency_is_that_agencys_and_invisible_here(other_users, api_client_for, case_worker):
    from ctip.accounts.enums import Role

    response = _upload(api_client_for(other_users[Role.CASE_WORKER]), _csv(*GOOD))
    assert response.status_code == 201
    job_id = response.json()["id"]
    assert api_client_for(case_worker).get(f"{API}{job_id}/").status_code == 404


# --- the header parser ------------------------------------------------------------------------------------------

KNOWN = sorted(importer.ALL_COLUMNS)


def _is_unknown(header: str) -> bool:
    key = header.strip().lower()
    return bool(key) and key not in importer._LOOKUP and key not in importer.KNOWN_NOT_IMPORTED


unknown_name = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_ ", max_size=30)


@settings(max_examples=200, deadline=None)
@given(
    known=st.lists(st.sampled_from([c for c in KNOWN if c != "prs_FirstName"]), unique=True, max_size=12),
    unknown=st.lists(unknown_name.filter(_is_unknown), unique_by=lambda h: h.strip().lower(), max_size=4),
    data=st.data(),
)
def test_header_parser_maps_every_known_column_and_names_every_unknown_one(known, unknown, data):
    # given: known columns under any of their spellings and in any letter case, some unknown ones, in any order
    spellings = [data.draw(st.sampled_from(importer.ALL_COLUMNS[c])) for c in ["prs_FirstName", *known]]
    headers = ["".join(ch.swapcase() if data.draw(st.booleans()) else ch for ch in h) for h in spellings]
    order = data.draw(st.permutations(headers + unknown))
    text = ",".join(order) + "\n" + ",".join("x" for _ in order) + "\n"
    # when
    try:
        rows, _ignored = importer.read_table(text.encode(), "csv")
    # then: refused exactly when a column is unknown, naming each one
    except importer.FileInvalid as exc:
        assert unknown, exc.message
        for name in unknown:
            assert name.strip() in exc.message
        assert len(exc.fields["file"]) == len(unknown)
    else:
        assert not unknown
        assert rows == [(2, dict.fromkeys(["prs_FirstName", *known], "x"))]


@settings(max_examples=200, deadline=None)
@given(column=st.sampled_from(KNOWN), data=st.data())
def test_one_typo_in_a_column_name_suggests_that_column(column, data):
    # one letter dropped, doubled or swapped with its neighbour, after the prefix (hte_, prs_...)
    start = column.index("_") + 1
    i = data.draw(st.integers(min_value=start, max_value=len(column) - 2))
    typo = data.draw(
        st.sampled_from(
            [
                column[:i] + column[i + 1 :],
                column[:i] + column[i] + column[i:],
                column[:i] + column[i + 1] + column[i] + column[i + 2 :],
            ]
        )
    )
    if typo.lower() in importer._LOOKUP:
        return  # the typo is itself a known spelling
    suggestion = importer.suggest_column(typo)
    # the column itself, or another one just as close (hte_RecruitmentCounrty: County or Country)
    assert suggestion == column or _one_edit_apart(typo.lower(), suggestion.lower()), suggestion


def _one_edit_apart(a: str, b: str) -> bool:
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]])
    short, long = sorted((a, b), key=len)
    return len(long) == len(short) + 1 and any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def test_suggestions_for_common_mistakes():
    assert importer.suggest_column("prs_FristName") == "prs_FirstName"
    assert importer.suggest_column("PRS first-name") == "prs_FirstName"
    assert importer.suggest_column("prs_LastNme") == "prs_SecondName"  # an alias leads to its column
    assert importer.suggest_column("Birthdate") == "prs_Birthdate"  # the prefix forgotten
    assert importer.suggest_column("cas_CaseOwnr") == "cas_CaseOwner"  # read but not imported: still its name
    assert importer.suggest_column("Remarks") is None
    assert importer.suggest_column("Date") is None  # hte_RecruitmentDate, hte_TransitDate...: no guess
    assert importer.suggest_column("") is None


@pytest.mark.parametrize("typed", ["Nairobi", "nairobi county", "47", "KE-30", "Nairobi City"])
def test_counties_are_accepted_as_commonly_written(parser, typed):
    plan = parser.parse(2, {"prs_FirstName": "Amina", "ctip_IdentifiedCounty": typed})
    assert plan.case_fields["identified_county_id"] == parser.ref.county("047")


@pytest.mark.parametrize(("typed", "value"), [("female", "female"), ("FEMALE", "female"), ("Intersex", "intersex")])
def test_choice_columns_accept_any_case_and_the_english_label(parser, typed, value):
    plan = parser.parse(2, {"prs_FirstName": "Amina", "ctip_Sex": typed})
    assert plan.identity.sex == value


def test_a_choice_error_lists_the_allowed_values(parser):
    with pytest.raises(importer.RowInvalid) as caught:
        parser.parse(2, {"prs_FirstName": "Amina", "prs_Gender": "F", "ctip_Sex": "woman"})
    assert caught.value.fields["prs_Gender"] == [
        "Not a value of this field: use one of Feminine, Masculine, TransgenderFeminine, TransgenderMasculine, "
        "NonConforming, NonSpecifiedUnknown."
    ]
    assert "female, male, intersex, unknown" in caught.value.fields["ctip_Sex"][0]


def test_the_same_error_is_reported_once_per_cell(parser):
    with pytest.raises(importer.RowInvalid) as caught:
        parser.parse(2, {"prs_FirstName": "Amina", "prs_Citizenship": "Atlantis;Lemuria;Atlantis"})
    assert len(caught.value.fields["prs_Citizenship"]) == 1
