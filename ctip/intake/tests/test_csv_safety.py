"""The import error report and the import sample contain no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io

import pytest

from ctip.core.spreadsheets import FORMULA_START
from ctip.intake.enums import ImportFormat, ImportStatus
from ctip.intake.models import ImportJob

pytestmark = pytest.mark.django_db


def test_error_report_neutralises_formulas(users, client_for):
    # given an import whose report names a column heading typed by the uploader, and a message quoting it
    case_worker = users["case_worker"]
    job = ImportJob.objects.create(
        owning_agency_id=case_worker.agency_id,
        created_by=case_worker,
        status=ImportStatus.INVALID,
        file_format=ImportFormat.CSV,
        errors=[
            {"row": 2, "column": '=HYPERLINK("http://evil.example","x")', "message": "@SUM(1)"},
            {"row": 3, "column": "prs_Gender", "message": "+1 is not a value of this list."},
        ],
    )
    # when
    response = client_for(case_worker).get(f"/intake/import/{job.public_id}/errors.csv")
    # then
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1] == ["2", '\'=HYPERLINK("http://evil.example","x")', "'@SUM(1)"]
    assert rows[2] == ["3", "prs_Gender", "'+1 is not a value of this list."]
    assert not any(cell.startswith(FORMULA_START) for row in rows for cell in row)


def test_sample_file_has_no_formula_cell(users, client_for):
    response = client_for(users["case_worker"]).get("/intake/import/sample.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) > 1
    assert not any(cell.startswith(FORMULA_START) for row in rows for cell in row)
