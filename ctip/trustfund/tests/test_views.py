"""The pages with bad input (field errors, input kept, nothing written, never a 500), the statement as page, PDF
and XLSX (formula-safe), and the default period (frozen clock)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from freezegun import freeze_time

from ctip.accounts.enums import Role
from ctip.audit.models import AuditEvent
from ctip.trustfund import selectors, services
from ctip.trustfund.models import LedgerEntry

from .conftest import DAY, disburse, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(officer, client_for):
    return client_for(officer)


@pytest.mark.parametrize("amount", ["abc", "1.234", "-5", "0", "1e9", "=1+1", "9" * 40])
def test_bad_amount_is_a_field_error_and_nothing_is_written(client, amount):
    response = client.post(
        "/trustfund/receipts/new/", {"entry_date": DAY.isoformat(), "amount": amount, "source": "donation"}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "amount" in form.errors and form["amount"].value() == amount  # the input is kept
    assert not LedgerEntry.objects.exists()


def test_overdraw_is_shown_on_the_form(client, victim_case, officer):
    receive(officer, 10_000)
    data = {
        "entry_date": DAY.isoformat(),
        "amount": "100.01",
        "purpose": "medical",
        "case_reference": victim_case.reference,
        "approval_reference": "NATF/BOT/1",
        "approval_date": DAY.isoformat(),
    }
    response = client.post("/trustfund/disbursements/new/", data)
    assert response.status_code == 400
    assert "would overdraw it" in response.context["form"].errors["amount"][0]
    assert response.context["form"]["case_reference"].value() == victim_case.reference
    assert LedgerEntry.objects.count() == 1
    data["amount"] = "100"
    response = client.post("/trustfund/disbursements/new/", data)
    assert response.status_code == 302
    assert selectors.ledger_sum() == 0


def test_forfeiture_without_order_shows_field_errors(client):
    response = client.post(
        "/trustfund/receipts/new/", {"entry_date": DAY.isoformat(), "amount": "5,000", "source": "forfeiture"}
    )
    assert response.status_code == 400
    assert {"court_case_number", "order_reference"} <= set(response.context["form"].errors)


def test_second_reversal_is_refused_on_the_page(client, officer, victim_case):
    receive(officer, 10_000)
    paid = disburse(officer, 5_000, victim_case.reference)
    assert client.post(f"/trustfund/{paid.public_id}/reverse/", {"reason": "duplicate"}).status_code == 302
    response = client.post(f"/trustfund/{paid.public_id}/reverse/", {"reason": "duplicate"})
    assert response.status_code == 400
    assert "already reversed" in response.content.decode()
    assert LedgerEntry.objects.count() == 3


def _ledger(officer, victim_case):
    receive(officer, 1_000_000, day=date(2026, 2, 10))  # before the period: the opening balance
    receive(
        officer,
        500_000,
        source="forfeiture",
        court_case_number="MCCR/E1/2026",
        order_reference='=HYPERLINK("http://x")',
        day=date(2026, 3, 3),
    )
    paid = disburse(officer, 200_000, victim_case.reference, purpose="education", day=date(2026, 3, 5))
    disburse(officer, 100_000, victim_case.reference, purpose="medical", day=date(2026, 3, 6))
    services.entry_reverse(actor=officer, entry=paid, reason="wrong_amount", entry_date=date(2026, 3, 9))
    receive(officer, 1, day=date(2026, 4, 2))  # after the period


def test_statement_opening_closing_and_totals(officer, victim_case):
    _ledger(officer, victim_case)
    st = selectors.statement_for_user(user=officer, start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert st.opening_cents == 1_000_000
    assert [line.entry.kind for line in st.lines] == ["receipt", "disbursement", "disbursement", "reversal"]
    assert st.receipts_cents == 700_000 and st.payments_cents == 300_000  # the reversal pays back in
    assert st.closing_cents == 1_400_000 == st.lines[-1].balance_cents
    by_source = {t.code: t.cents for t in st.by_source}
    by_purpose = {t.code: t.cents for t in st.by_purpose}
    assert by_source["forfeiture"] == 500_000 and by_source["government"] == 0
    assert by_purpose["education"] == 0 and by_purpose["medical"] == 100_000  # net of the reversal


def test_statement_page_pdf_and_xlsx(officer, victim_case, client):
    _ledger(officer, victim_case)
    period = "start=2026-03-01&end=2026-03-31"
    page = client.get(f"/trustfund/statement/?{period}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "10,000.00" in text and "14,000.00" in text and "Forfeited proceeds (court order)" in text

    pdf = client.get(f"/trustfund/statement/pdf/?{period}")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")

    xlsx = client.get(f"/trustfund/statement/xlsx/?{period}")
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    cells = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert Decimal("10000.00") in cells and Decimal("14000.00") in cells
    texts = [c for c in cells if isinstance(c, str)]
    assert not any(t.startswith(("=", "+", "-", "@")) for t in texts)
    assert any(t.startswith("'") and "HYPERLINK" in t for t in texts)  # neutralised, not dropped
    exports = AuditEvent.objects.filter(action="trustfund.statement").values_list("changes", flat=True)
    assert sorted(c["format"] for c in exports) == ["pdf", "xlsx"]


def test_statement_without_pango_says_so(officer, client, monkeypatch):
    from ctip.trustfund import views

    monkeypatch.setattr(views, "HTML", None)
    response = client.get("/trustfund/statement/pdf/?start=2026-03-01&end=2026-03-31")
    assert response.status_code == 302
    assert response["Location"] == "/trustfund/statement/?start=2026-03-01&end=2026-03-31"


@pytest.mark.parametrize(
    "query",
    [
        "start=2026-03-31&end=2026-03-01",
        "start=x&end=2026-03-01",
        "start=2026-01-01",
        "start=1899-01-01&end=2026-01-01",
    ],
)
def test_bad_period_is_a_400_not_a_500(client, query):
    for url in ("/trustfund/statement/", "/trustfund/statement/pdf/", "/trustfund/statement/xlsx/"):
        assert client.get(f"{url}?{query}").status_code == 400


def test_default_period_is_this_month_in_nairobi(client):
    with freeze_time("2026-05-31 22:30:00"):  # 01:30 on 1 June in Nairobi
        response = client.get("/trustfund/statement/")
    assert response.status_code == 200
    statement = response.context["statement"]
    assert (statement.start, statement.end) == (date(2026, 6, 1), date(2026, 6, 1))


def test_the_pages_show_labels_and_swahili(officer, victim_case, client):
    receive(officer, 10_000)
    page = client.get("/trustfund/", HTTP_ACCEPT_LANGUAGE="sw").content.decode()
    assert "government" not in page  # the label, never the code
    client.post("/i18n/setlang/", {"language": "sw"})
    page = client.get("/trustfund/").content.decode()
    assert "Mfuko wa Kitaifa wa Msaada" in page


def test_only_coordinators_and_auditors_besides_the_officer(users):
    from ctip.accounts.roles import Action

    readers = {r for r in Role.values if users[r].can(Action.TRUSTFUND_VIEW)}
    writers = {r for r in Role.values if users[r].can(Action.TRUSTFUND_RECORD)}
    assert readers == {Role.TRUST_FUND_OFFICER, Role.COORDINATOR, Role.AUDITOR}
    assert writers == {Role.TRUST_FUND_OFFICER}
