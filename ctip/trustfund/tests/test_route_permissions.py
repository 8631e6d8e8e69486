"""Permission table for every route of the Trust Fund (ctip/core/tests/routes.py): anonymous, a role without the
action, and the roles that may, with exact status codes. The ledger is national (one fund, no owning agency): a
user of another agency with the same role gets the same answer, so "other agency" does not apply."""

from __future__ import annotations

import pytest

from ctip.accounts.enums import Role
from ctip.core.tests.routes import NA, Route, check_route, table_params
from ctip.core.tests.world import shared_fixture

from .conftest import DAY, disburse, receive

pytestmark = pytest.mark.django_db

NATIONAL = NA("one national ledger: no agency owns an entry, the role alone decides")
PERIOD = "start=2026-03-01&end=2026-03-31"


@shared_fixture("users", "victim_case", "forfeiture")
def fund_world(users, victim_case, forfeiture):
    officer = users[Role.TRUST_FUND_OFFICER]
    receipt = receive(officer, 1_000_000)
    paid = disburse(officer, 250_000, victim_case.reference)
    return {"receipt": receipt, "paid": paid, "case": victim_case, "order": forfeiture["order"]}


@pytest.fixture
def route_objects(fund_world):
    return fund_world


def _page(name, *, kwargs=None, query="", allowed="trust_fund_officer", **kw):
    return Route(
        name,
        kwargs=kwargs,
        query=query,
        anonymous=302,
        wrong_role=(403, "case_worker"),
        other_agency=NATIONAL,
        allowed=(200, allowed),
        **kw,
    )


def _entry(w):
    return {"public_id": w.receipt.public_id}


ROUTES = [
    _page("trustfund:index"),
    _page("trustfund:index", label="auditor", allowed="auditor"),
    _page("trustfund:index", label="coordinator", allowed="coordinator"),
    _page("trustfund:entry", kwargs=_entry),
    _page("trustfund:entry", kwargs=_entry, label="auditor", allowed="auditor"),
    _page("trustfund:statement", query=PERIOD, allowed="auditor"),
    _page("trustfund:statement_pdf", query=PERIOD, allowed="auditor"),
    _page("trustfund:statement_xlsx", query=PERIOD, allowed="coordinator"),
    Route(
        "trustfund:receipt",
        anonymous=302,
        wrong_role=(403, "auditor"),
        other_agency=NATIONAL,
        allowed=(200, "trust_fund_officer"),
    ),
    Route(
        "trustfund:receipt",
        method="post",
        label="post",
        data=lambda w: {"entry_date": DAY.isoformat(), "amount": "1,500.50", "source": "donation"},
        anonymous=302,
        wrong_role=(403, "coordinator"),
        other_agency=NATIONAL,
        allowed=(302, "trust_fund_officer"),
    ),
    Route(
        "trustfund:receipt",
        query="q=E412",
        label="search",
        anonymous=302,
        wrong_role=(403, "prosecutor"),
        other_agency=NATIONAL,
        allowed=(200, "trust_fund_officer"),
    ),
    Route(
        "trustfund:receipt",
        method="post",
        label="order",
        data=lambda w: {
            "entry_date": DAY.isoformat(),
            "amount": "5,000",
            "source": "forfeiture",
            "forfeiture_order": str(w.order.public_id),
        },
        anonymous=302,
        wrong_role=(403, "investigator"),
        other_agency=NATIONAL,
        allowed=(302, "trust_fund_officer"),
    ),
    Route(
        "trustfund:disbursement",
        anonymous=302,
        wrong_role=(403, "auditor"),
        other_agency=NATIONAL,
        allowed=(200, "trust_fund_officer"),
    ),
    Route(
        "trustfund:disbursement",
        method="post",
        label="post",
        data=lambda w: {
            "entry_date": DAY.isoformat(),
            "amount": "100",
            "purpose": "shelter",
            "case_reference": w.case.reference,
            "approval_reference": "NATF/BOT/2026/3",
            "approval_date": DAY.isoformat(),
        },
        anonymous=302,
        wrong_role=(403, "case_worker"),
        other_agency=NATIONAL,
        allowed=(302, "trust_fund_officer"),
    ),
    Route(
        "trustfund:reverse",
        method="post",
        kwargs=lambda w: {"public_id": w.paid.public_id},
        data=lambda w: {"reason": "entered_in_error"},
        anonymous=302,
        wrong_role=(403, "auditor"),
        other_agency=NATIONAL,
        allowed=(302, "trust_fund_officer"),
    ),
]


@pytest.mark.parametrize(("route", "who"), table_params(ROUTES))
def test_route_permission(route, who, route_world):
    check_route(route, who, route_world)


@pytest.mark.parametrize(
    "role",
    [r for r in Role.values if r not in {Role.TRUST_FUND_OFFICER, Role.COORDINATOR, Role.AUDITOR}],
)
def test_nobody_else_reads_the_ledger(role, users, fund_world, client_for):
    client = client_for(users[role])
    for url in ("/trustfund/", f"/trustfund/{fund_world['receipt'].public_id}/", f"/trustfund/statement/?{PERIOD}"):
        assert client.get(url).status_code == 403, (role, url)


def test_readers_do_not_get_the_record_buttons(users, fund_world, client_for):
    page = client_for(users[Role.AUDITOR]).get("/trustfund/").content.decode()
    assert "KSh 7,500.00" in page and "/trustfund/receipts/new/" not in page
    page = client_for(users[Role.TRUST_FUND_OFFICER]).get("/trustfund/").content.decode()
    assert "/trustfund/receipts/new/" in page and "/trustfund/disbursements/new/" in page


def test_unknown_entry_is_404(users, client_for, fund_world):
    client = client_for(users[Role.TRUST_FUND_OFFICER])
    assert client.get("/trustfund/00000000-0000-0000-0000-000000000000/").status_code == 404
