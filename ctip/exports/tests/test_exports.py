"""List exports through the real pages: who may export what, the file matches the list as the user sees it, names
only when asked and audited, large lists in the background with progress, files for their requester only and
gone after they expire."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from ctip.accounts.enums import Role
from ctip.audit.models import AuditEvent
from ctip.cases.tests.factories import open_case
from ctip.exports.enums import ExportStatus
from ctip.exports.models import ExportJob

pytestmark = pytest.mark.django_db

START = reverse("exports:start")


def _rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _post(client, **data):
    return client.post(START, {"kind": "cases", "format": "csv", "next": "/cases/", **data})


@pytest.fixture
def worker(users):
    return users[Role.CASE_WORKER]


@pytest.fixture
def cases(worker, make_person):
    made = [open_case(worker, make_person, first_name=f"Amani{i}") for i in range(3)]
    made.append(open_case(worker, make_person, first_name="Closed", identified_on=timezone.localdate()))
    return made


# --- permissions ----------------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client, cases):
    response = client.post(START, {"kind": "cases", "format": "csv"})
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    job = ExportJob.objects.create(kind="cases", file_format="csv")
    for name in ("detail", "status", "download"):
        response = client.get(reverse(f"exports:{name}", args=[job.public_id]))
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert client.get(reverse("exports:list")).status_code == 302


def test_a_role_without_the_list_gets_403(users, client_for, cases):
    response = _post(client_for(users[Role.DATA_ANALYST]))
    assert response.status_code == 403
    response = _post(client_for(users[Role.CASE_WORKER]), kind="referrals_in")  # no referral inbox for this role
    assert response.status_code in (200, 403)
    assert not ExportJob.objects.filter(created_by=users[Role.DATA_ANALYST]).exists()


def test_another_users_export_is_404(worker, users, other_users, client_for, cases):
    _post(client_for(worker))
    job = ExportJob.objects.get()
    for intruder in (users[Role.COORDINATOR], other_users[Role.CASE_WORKER]):
        for name in ("detail", "status", "download"):
            assert client_for(intruder).get(reverse(f"exports:{name}", args=[job.public_id])).status_code == 404


def test_other_agency_exports_only_what_it_sees(other_users, client_for, cases):
    rows = _rows(_post(client_for(other_users[Role.CASE_WORKER])))
    assert rows[1:] == []  # the home agency's cases are not its to see


# --- the file --------------------------------------------------------------------------------------------------


def test_the_csv_is_the_list_with_its_filters_and_no_names(worker, client_for, cases):
    response = _post(client_for(worker))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="ctip-cases-')
    rows = _rows(response)
    assert rows[0][:3] == ["Case number", "Status", "Trafficking status"]
    assert sorted(r[0] for r in rows[1:]) == sorted(c.reference for c in cases)
    assert "Amani0" not in response.content.decode()
    forms_of = rows[0].index("Forms of exploitation")
    assert {r[forms_of] for r in rows[1:]} == {"Forced labour"}  # labels, never codes
    filtered = _rows(_post(client_for(worker), q=cases[0].reference))
    assert [r[0] for r in filtered[1:]] == [cases[0].reference]
    start = AuditEvent.objects.filter(action="export.start").order_by("id").first()
    assert start.changes["rows"] == 4 and start.changes["with_names"] is False
    assert AuditEvent.objects.filter(action="export.download").count() == 2
    assert not AuditEvent.objects.filter(action="identity.list", changes__purpose="export").exists()


def test_names_only_when_asked_and_audited_as_an_identity_list(worker, client_for, cases):
    rows = _rows(_post(client_for(worker), include_names="1"))
    assert rows[0][:2] == ["Case number", "Person"]
    assert {r[1].split()[0] for r in rows[1:]} == {"Amani0", "Amani1", "Amani2", "Closed"}
    read = AuditEvent.objects.filter(action="identity.list").get()
    assert read.changes["purpose"] == "export" and len(read.changes["cases"]) == 4


def test_xlsx_has_the_same_rows(worker, client_for, cases):
    from openpyxl import load_workbook

    response = _post(client_for(worker), format="xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "Case number" and len(values) == 5


def test_cells_are_formula_safe():
    from ctip.exports.enums import ExportFormat
    from ctip.exports.services import _Writer

    writer = _Writer(ExportFormat.CSV, ["a", "b"])
    writer.write([['=HYPERLINK("http://x")', "+1"]])
    text = writer.finish()
    assert "'=HYPERLINK" in text and "'+1" in text


def test_invalid_filters_start_nothing(worker, client_for, cases):
    response = _post(client_for(worker), status="not-a-status")
    assert response.status_code == 302 and response["Location"] == "/cases/"
    response = _post(client_for(worker), format="pdf")
    assert response.status_code == 302
    assert not ExportJob.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="export.").exists()


def test_unknown_parameters_are_not_filters(worker, client_for, cases):
    _post(client_for(worker), evil="1", page="3")
    assert ExportJob.objects.get().filters == []


# --- large lists: in the background, with progress -----------------------------------------------------------


@override_settings(CTIP_EXPORT_INLINE_ROWS=2)
def test_a_large_list_is_written_in_the_background(worker, client_for, cases, django_capture_on_commit_callbacks):
    client = client_for(worker)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("exports:detail", args=[job.public_id])
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.rows_done == job.rows_total == 4
    page = client.get(reverse("exports:status", args=[job.public_id])).content.decode()
    assert reverse("exports:download", args=[job.public_id]) in page and "hx-get" not in page
    rows = _rows(client.get(reverse("exports:download", args=[job.public_id])))
    assert len(rows) == 5
    assert client.get(reverse("exports:list")).status_code == 200
    job.refresh_from_db()
    assert job.downloads == 1


@override_settings(CTIP_EXPORT_INLINE_ROWS=2)
def test_a_waiting_export_shows_progress_and_no_file(worker, client_for, cases):
    client = client_for(worker)
    _post(client)  # the on-commit hand-over to the worker never runs in this test: the job waits
    job = ExportJob.objects.get()
    page = client.get(reverse("exports:detail", args=[job.public_id])).content.decode()
    assert "0 of 4 rows" in page and "<progress" in page
    assert client.get(reverse("exports:download", args=[job.public_id])).status_code == 409


def test_files_expire(worker, client_for, cases):
    from django.core.management import call_command

    client = client_for(worker)
    with freeze_time("2026-11-02 08:00:00"):
        _post(client)
    job = ExportJob.objects.get()
    with freeze_time("2026-11-03 09:00:00"):
        assert client.get(reverse("exports:download", args=[job.public_id])).status_code == 409
    job.refresh_from_db()
    assert job.status == ExportStatus.EXPIRED and job.content == ""
    with freeze_time("2026-11-02 08:00:00"):
        _post(client)
    with freeze_time(timezone.now() + timedelta(days=400)):
        out = io.StringIO()
        call_command("exports_expire", stdout=out)
    assert "1 export file(s) expired" in out.getvalue()


def test_queries_do_not_grow_with_the_list(worker, client_for, make_person):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(worker)
    open_case(worker, make_person, first_name="Warm")
    _post(client, include_names="1")  # warm: the session and the cached option lists
    counts = []
    for more in (2, 10):
        for i in range(more):
            open_case(worker, make_person, first_name=f"Q{more}{i}")
        with CaptureQueriesContext(connection) as ctx:
            assert _post(client, include_names="1").status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_the_file_name_carries_nairobi_time(worker, client_for, cases):
    with freeze_time("2026-12-07 22:30:00"):  # 01:30 on 8 December in Nairobi
        response = _post(client_for(worker))
    assert 'filename="ctip-cases-20261208-0130.csv"' in response["Content-Disposition"]
