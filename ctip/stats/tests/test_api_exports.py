"""The statistics API (same published figures, error shape on bad filters) and the CSV/XLSX downloads
(formula-safe, suppressed), and the audit event of each view."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from ctip.accounts.enums import Role
from ctip.core.tests.world import shared_fixture

from .conftest import open_victim

pytestmark = pytest.mark.django_db


@shared_fixture("users")
def twelve(users):
    """12 victims in Nairobi in 2025 (published: 10), 2 in Mombasa (hidden)."""
    worker = users[Role.CASE_WORKER]
    for i in range(12):
        open_victim(worker, n=i, identified_on=date(2025, 5, 1))
    for i in range(2):
        open_victim(worker, n=50 + i, county="001", identified_on=date(2025, 5, 2))
    return True


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("year=abc", "year"),
        ("year=1990", "year"),
        ("date_from=2025-13-01", "date_from"),
        ("date_from=2025-05-01&date_to=2025-01-01", "date_to"),
        ("year=2025&date_from=2025-01-01", "year"),
        ("county=999", "county"),
        ("sex=robot", "sex"),
        ("exploitation=Nonsense", "exploitation"),
    ],
)
def test_bad_filters_answer_400_with_the_error_shape(query, field, analyst, api_client_for, client_for):
    response = api_client_for(analyst).get(f"/api/v1/stats/victims/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == "validation_error"
    assert field in body["fields"]
    # the page shows the error beside the field (400, no figures) and the download refuses
    page = client_for(analyst).get(f"/stats/victims/?{query}")
    assert page.status_code == 400
    assert 'class="field has-error"' in page.content.decode()
    assert client_for(analyst).get(f"/stats/victims/export.csv?{query}").status_code == 400


def test_api_figures_are_suppressed_and_rounded(analyst, twelve, api_client_for):
    response = api_client_for(analyst).get("/api/v1/stats/victims/?year=2025")
    assert response.status_code == 200
    body = response.json()
    assert body["small_cell"] == 11 and body["rounding"] == 10
    assert body["filters"] == {"year": "2025"}
    county = next(f for f in body["figures"] if f["key"] == "victims-by-county")
    values = {r["key"]: r["values"][0] for r in county["rows"]}
    assert values["047"] == 10  # 12 rounded
    assert values["001"] is None  # 2: hidden
    assert county["totals"] == [10]  # 14 rounded; with 047 at 12 and 001 hidden, plus zeros also hidden
    by_year = next(f for f in body["figures"] if f["key"] == "victims-by-year")
    assert by_year["rows"] == [{"key": "2025", "label": "2025", "values": [10]}]
    # no exact count anywhere: every visible count is a multiple of 10 and at least 10
    for figure in body["figures"]:
        shown = [v for r in figure["rows"] for v in r["values"]] + (figure["totals"] or [])
        assert all(v is None or (v % 10 == 0 and v >= 10) for v in shown), figure["key"]


def test_api_lists_the_dashboards(analyst, api_client_for):
    body = api_client_for(analyst).get("/api/v1/stats/").json()
    assert [d["key"] for d in body] == ["victims", "referrals", "justice", "recruitment", "trustfund"]


def test_views_are_audited_without_identities(analyst, twelve, client_for, api_client_for):
    from ctip.audit.models import AuditEvent

    client_for(analyst).get("/stats/victims/?county=047")
    api_client_for(analyst).get("/api/v1/stats/justice/")
    client_for(analyst).get("/stats/referrals/export.xlsx")
    events = list(AuditEvent.objects.filter(actor=analyst).order_by("id").values_list("action", "target_id"))
    assert ("stats.view", "victims") in events
    assert ("stats.view", "justice") in events
    assert ("stats.export", "referrals") in events


def test_csv_export_is_formula_safe_and_suppressed(analyst, twelve, client_for):
    from ctip.reference.models import County

    County.objects.filter(code="047").update(name='=HYPERLINK("http://x")')
    response = client_for(analyst).get("/stats/victims/export.csv?year=2025")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    cells = [c for row in rows for c in row]
    assert '\'=HYPERLINK("http://x")' in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    county_row = next(row for row in rows if row and row[0] == '\'=HYPERLINK("http://x")')
    assert county_row[1] == "10"
    mombasa = next(row for row in rows if row and row[0] == "Mombasa")
    assert mombasa[1] == "<11"


def test_xlsx_export_is_formula_safe(analyst, twelve, client_for):
    from ctip.reference.models import County

    County.objects.filter(code="047").update(name="=1+1")
    response = client_for(analyst).get("/stats/victims/export.xlsx?year=2025")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    values = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert "'=1+1" in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    assert any(ws.cell(row=1, column=1).value for ws in book.worksheets)


def test_dashboard_page_shows_chart_table_and_text_alternative(analyst, twelve, client_for):
    body = client_for(analyst).get("/stats/victims/?year=2025").content.decode()
    assert 'data-chart="line"' in body and 'data-chart="bar"' in body
    assert "stats/vendor/chart.umd.js" in body and "stats/charts.js" in body
    assert "<script>" not in body  # no inline script (CSP)
    assert 'role="img" aria-label="Victims identified by year. 2025: 10."' in body
    assert "fewer than 11" in body
    assert "?year=2025" in body  # the download links keep the filters
