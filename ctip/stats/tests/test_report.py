"""The annual report: written in the background (progress, files, audit), every cell protected like the
dashboards, the same numbers for the same period and data, SDG 16.2.2 rates from the published counts and the
KNBS 2019 population, and bad input answered on the form."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from ctip.accounts.enums import Role
from ctip.audit.models import AuditEvent
from ctip.core.errors import PermissionDenied, ValidationFailed
from ctip.core.tests.world import shared_fixture
from ctip.stats import report as report_builder
from ctip.stats import services
from ctip.stats.models import AnnualReport, Population
from ctip.stats.tables import published_from_dict

from .conftest import open_victim

pytestmark = pytest.mark.django_db

START, END = date(2024, 1, 1), date(2025, 12, 31)


@shared_fixture("users")
def known(users):
    """20 women in Nairobi (forced labour), 12 boys in Mombasa (sexual exploitation), 3 women abroad (Saudi
    Arabia, forced labour) and 1 intersex adult: several small cells."""
    worker = users[Role.CASE_WORKER]
    for i in range(20):
        open_victim(worker, n=i, sex="female", identified_on=date(2025, 3, 1))
    for i in range(12):
        open_victim(
            worker,
            n=100 + i,
            sex="male",
            born=date(2010, 1, 1),
            county="001",
            identified_on=date(2025, 6, 1),
            exploitation="SexualExploitation",
        )
    for i in range(3):
        open_victim(worker, n=200 + i, sex="female", county=None, abroad="SA", identified_on=date(2024, 8, 1))
    open_victim(worker, n=300, sex="intersex", identified_on=date(2025, 2, 1))


def _generate(actor, django_capture_on_commit_callbacks, date_from=START, date_to=END) -> AnnualReport:
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_start(actor=actor, date_from=date_from, date_to=date_to)
    report.refresh_from_db()
    return report


def _cells(sections):
    """Every value the report shows (cells and totals of every table)."""
    for section in sections:
        for figure in section["figures"]:
            for row in figure["rows"]:
                yield figure, [*row["cells"], row["total"]]
            yield figure, [*(figure["totals"] or []), figure["grand_total"]]


def _figure(sections, section_key, figure_key):
    section = next(s for s in sections if s["key"] == section_key)
    return published_from_dict(next(f for f in section["figures"] if f["key"] == figure_key))


def test_report_is_written_in_the_background_with_its_files_and_audit(
    known, analyst, django_capture_on_commit_callbacks
):
    report = _generate(analyst, django_capture_on_commit_callbacks)
    assert report.status == "done", report.failure
    assert report.percent == 100 and report.steps_done == report.steps_total == 5
    assert [s["key"] for s in report.sections] == ["committee", "tip", "glotip", "sdg"]
    assert report.parameters["small_cell"] == 11 and report.parameters["rounding"] == 10
    assert report.parameters["population_reference_year"] == 2019
    assert report.small_cell == 11 and report.generated_at is not None
    actions = list(
        AuditEvent.objects.filter(target_id=str(report.public_id)).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["stats.report_start", "stats.report_done"]
    # the XLSX: an About sheet with the parameters, then one sheet per table, suppressed cells as "<11"
    book = load_workbook(io.BytesIO(bytes(report.xlsx)))
    about = [[c for c in row if c is not None] for row in book.worksheets[0].iter_rows(values_only=True)]
    assert ["Suppression threshold", 11] in about
    assert any("2024-01-01" in str(row) for row in about)
    assert len(book.worksheets) == 1 + sum(len(s["figures"]) for s in report.sections)
    values = [c for ws in book.worksheets[1:] for row in ws.iter_rows(values_only=True) for c in row]
    assert "<11" in values
    if report_builder.HTML is not None:
        assert bytes(report.pdf).startswith(b"%PDF")


def test_every_cell_of_the_report_is_protected(known, analyst, django_capture_on_commit_callbacks):
    report = _generate(analyst, django_capture_on_commit_callbacks)
    for figure, cells in _cells(report.sections):
        for j, cell in enumerate(cells):
            if cell is None or cell["v"] is None or not figure["rows"]:
                continue  # hidden, or the total of an empty table
            key = figure["columns"][j][0] if j < len(figure["columns"]) else ""
            if key.startswith("exact_") or key in ("rate", "median_days"):
                continue  # amounts, populations, rates and medians are not counts
            value = cell["v"]
            assert value >= 10, (figure["key"], value)  # from an exact count of 11 or more (rounded: 10 at least)
            assert value % 10 == 0, (figure["key"], value)
    # the 3 women abroad and the 1 intersex victim are hidden wherever they would show
    abroad = _figure(report.sections, "glotip", "kenyans-abroad-by-destination")
    assert [c.value for r in abroad.rows for c in r.cells] == [None]
    by_sex = _figure(report.sections, "committee", "victims-by-sex")
    intersex = next(r for r in by_sex.rows if r.key == "intersex")
    assert intersex.cells[0].value is None
    # and a second cell of its line with it, so the total cannot give it away
    assert sum(1 for r in by_sex.rows if r.cells[0].value is None and r.key != "unknown") >= 1
    tip = _figure(report.sections, "tip", "victims-by-age-group-and-sex")
    assert tip.kind == "crosstab"


def test_same_period_same_numbers(known, analyst, django_capture_on_commit_callbacks):
    first = _generate(analyst, django_capture_on_commit_callbacks)
    second = _generate(analyst, django_capture_on_commit_callbacks)
    assert json.dumps(first.sections, sort_keys=True) == json.dumps(second.sections, sort_keys=True)
    assert first.parameters == second.parameters
    again = report_builder.build_sections(user=analyst, date_from=START, date_to=END)
    assert json.dumps(again, sort_keys=True) == json.dumps(first.sections, sort_keys=True)
    # another period gives other numbers
    only_2024 = report_builder.build_sections(user=analyst, date_from=date(2024, 1, 1), date_to=date(2024, 12, 31))
    assert json.dumps(only_2024, sort_keys=True) != json.dumps(first.sections, sort_keys=True)


def test_sdg_rates_use_the_published_counts_and_knbs_2019(known, analyst):
    sections = report_builder.build_sections(user=analyst, date_from=START, date_to=END)
    sdg = _figure(sections, "sdg", "sdg-by-sex")
    rows = {r.key: r for r in sdg.rows}
    total = rows["total"].cells
    assert total[1].value == 47_564_296
    # 36 victims -> published as 40 -> 40 * 100,000 / 47,564,296 = 0.08
    assert total[0].value == 40 and total[2].value == Decimal("0.08")
    female = rows["female"].cells
    assert female[1].value == 24_014_716
    assert female[2].value == (Decimal(female[0].value) * 100_000 / 24_014_716).quantize(Decimal("0.01"))
    assert rows["intersex"].cells[0].value is None and rows["intersex"].cells[2].value is None
    # no age-group population is recorded: counts only, and the note names the source needed
    by_age = _figure(sections, "sdg", "sdg-by-age-group")
    assert all(r.cells[2].value is None for r in by_age.rows)
    assert "Volume III" in by_age.note


def test_population_can_be_updated_and_is_used(known, analyst, system_actor):
    assert Population.objects.get(reference_year=2019, sex="total", age_group="all").count == 47_564_296
    services.population_set(
        actor="test", reference_year=2019, sex="total", age_group="0-17", count=22_000_000, source="KNBS Vol III"
    )
    sections = report_builder.build_sections(user=analyst, date_from=START, date_to=END)
    child = next(r for r in _figure(sections, "sdg", "sdg-by-age-group").rows if r.key == "child")
    assert child.cells[1].value == 22_000_000 and child.cells[2].value is not None
    assert AuditEvent.objects.filter(action="stats.population_set").count() == 1
    with pytest.raises(ValidationFailed) as exc:
        services.population_set(actor="test", reference_year=2019, sex="other", count=0, source="")
    assert set(exc.value.fields) == {"sex", "count", "source"}


def test_report_needs_the_report_action_and_a_valid_range(users, analyst):
    with pytest.raises(PermissionDenied):
        services.report_start(actor=users[Role.AUDITOR], date_from=START, date_to=END)
    with pytest.raises(PermissionDenied):
        services.report_start(actor=users[Role.CASE_WORKER], date_from=START, date_to=END)
    for date_from, date_to, field in (
        (END, START, "date_to"),
        (date(1990, 1, 1), END, "date_from"),
        (date(2015, 1, 1), END, "date_to"),  # more than five years
        (None, END, "date_from"),
    ):
        with pytest.raises(ValidationFailed) as exc:
            services.report_start(actor=analyst, date_from=date_from, date_to=date_to)
        assert field in exc.value.fields
    assert not AnnualReport.objects.exists()


def test_the_form_shows_errors_and_saves_nothing(analyst, client_for):
    client = client_for(analyst)
    response = client.post("/stats/reports/", {"date_from": "2025-12-31", "date_to": "2025-01-01"})
    assert response.status_code == 400
    assert "The end date is before the start date." in response.content.decode()
    response = client.post("/stats/reports/", {"date_from": "not a date", "date_to": ""})
    assert response.status_code == 400
    assert not AnnualReport.objects.exists()


def test_generate_and_download_through_the_pages(known, users, client_for, django_capture_on_commit_callbacks):
    client = client_for(users[Role.COORDINATOR])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/stats/reports/", {"date_from": "2025-01-01", "date_to": "2025-12-31"})
    assert response.status_code == 302
    report = AnnualReport.objects.get()
    assert response["Location"] == f"/stats/reports/{report.public_id}/"
    page = client.get(response["Location"]).content.decode()
    assert f"/stats/reports/{report.public_id}/report.xlsx" in page
    download = client_for(users[Role.AUDITOR]).get(f"/stats/reports/{report.public_id}/report.xlsx")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="ctip-annual-report-20250101-20251231.xlsx"'
    event = AuditEvent.objects.filter(action="stats.report_download").get()
    assert event.target_id == str(report.public_id)


def test_expired_report_has_no_file(known, analyst, client_for, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    report = _generate(analyst, django_capture_on_commit_callbacks)
    AnnualReport.objects.filter(pk=report.pk).update(generated_at=timezone.now() - timedelta(days=31))
    assert services.expire_old() == 1
    report.refresh_from_db()
    assert report.status == "expired" and bytes(report.xlsx) == b"" and bytes(report.pdf) == b""
    assert client_for(analyst).get(f"/stats/reports/{report.public_id}/report.xlsx").status_code == 409


def test_a_failed_report_says_so(analyst, django_capture_on_commit_callbacks, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("no")

    monkeypatch.setattr(report_builder, "build_sections", boom)
    report = _generate(analyst, django_capture_on_commit_callbacks)
    assert report.status == "failed" and report.failure
    assert not bytes(report.xlsx)
