"""Forfeited proceeds received against the court's forfeiture order recorded in CTIP (issue 11): the receipt names
the order, never more than what remains unreceived on it (a clear field error), reversals net against it, the
order is found by its court case number on the receipt page, and the prosecution page shows what the fund received
on each order. The migration that added the link keeps the entries append-only and links the existing receipts
whose order reference is an order's public id."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.apps import apps as global_apps
from django.db import DatabaseError, connection, transaction
from django.test import Client

from ctip.accounts.enums import Role
from ctip.audit.models import AuditEvent
from ctip.core.errors import ValidationFailed
from ctip.trustfund import selectors, services
from ctip.trustfund.models import LedgerEntry

from .conftest import DAY, make_forfeiture_order, receive

pytestmark = pytest.mark.django_db


def _against(officer, order, cents, **kw):
    return receive(officer, cents, source="forfeiture", forfeiture_order=str(order.public_id), **kw)


def test_a_receipt_against_the_order_links_it_and_takes_the_court_case_from_it(officer, forfeiture):
    order = forfeiture["order"]
    entry = _against(officer, order, 400_000_00, court_case_number="ignored", receipt_reference="CBK/RT/77")
    assert entry.forfeiture_order_id == order.pk
    assert entry.charge_sheet_id == forfeiture["sheet"].pk
    assert entry.court_case_number == "MCCR/E412/2026" and entry.order_reference == ""
    event = AuditEvent.objects.get(target_id=str(entry.public_id))
    assert event.action == "trustfund.forfeiture_receipt"
    assert event.changes["forfeiture_order"] == str(order.public_id)
    assert selectors.received_by_order([order.pk]) == {order.pk: 400_000_00}


def test_a_receipt_above_what_remains_is_refused_whole(officer, forfeiture):
    order = forfeiture["order"]
    _against(officer, order, 600_000_00)
    with pytest.raises(ValidationFailed) as exc:
        _against(officer, order, 400_000_01)
    assert exc.value.fields["amount"] == [
        "The order is for KSh 1,000,000.00 and KSh 600,000.00 of it has been received: at most KSh 400,000.00 "
        "remains to be received on it."
    ]
    assert LedgerEntry.objects.count() == 1
    _against(officer, order, 400_000_00)  # exactly what remains
    with pytest.raises(ValidationFailed) as exc:
        _against(officer, order, 1)
    assert "at most KSh 0.00 remains" in exc.value.fields["amount"][0]
    assert selectors.ledger_sum() == 1_000_000_00


def test_a_reversed_receipt_frees_its_amount_on_the_order(officer, forfeiture):
    order = forfeiture["order"]
    wrong = _against(officer, order, 1_000_000_00)
    reversal = services.entry_reverse(actor=officer, entry=wrong, reason="wrong_amount", entry_date=DAY)
    assert reversal.forfeiture_order_id == order.pk
    assert selectors.received_by_order([order.pk]) == {order.pk: 0}
    assert _against(officer, order, 750_000_00).forfeiture_order_id == order.pk


def test_a_court_case_in_ctip_with_orders_must_name_the_order(officer, forfeiture):
    with pytest.raises(ValidationFailed) as exc:
        receive(officer, 100_00, source="forfeiture", court_case_number="mccr/e412/2026", order_reference="FO 1")
    assert exc.value.fields == {
        "forfeiture_order": [
            "Court case mccr/e412/2026 has forfeiture orders recorded in CTIP: choose the order the money was paid "
            "under."
        ]
    }
    # an order made outside CTIP keeps the free-text path
    entry = receive(officer, 100_00, source="forfeiture", court_case_number="HCCR/9/2019", order_reference="FO 8")
    assert entry.forfeiture_order_id is None and entry.order_reference == "FO 8"


@pytest.mark.parametrize(
    ("source", "order", "field"),
    [
        ("forfeiture", "00000000-0000-0000-0000-000000000000", "forfeiture_order"),
        ("forfeiture", "FO/1", "forfeiture_order"),
        ("donation", None, "source"),
    ],
)
def test_bad_order_references_are_field_errors(officer, forfeiture, source, order, field):
    reference = order or str(forfeiture["order"].public_id)
    with pytest.raises(ValidationFailed) as exc:
        receive(officer, 100_00, source=source, forfeiture_order=reference)
    assert field in exc.value.fields
    assert not LedgerEntry.objects.exists()


# --- the receipt page ---------------------------------------------------------------------------------------------


def test_the_officer_finds_the_order_by_court_case_number_and_records_against_it(officer, forfeiture, client_for):
    client = client_for(officer)
    order = forfeiture["order"]
    page = client.get("/trustfund/receipts/new/", {"q": "e412"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "MCCR/E412/2026" in text and "Milimani" in text and "1,000,000.00" in text
    assert "Land Cruiser" not in text and "Gulf Jobs" not in text  # neither the assets nor the accused
    form = page.context["form"]
    assert form.initial == {"source": "forfeiture", "forfeiture_order": str(order.public_id)}
    data = {"entry_date": DAY.isoformat(), "amount": "1,000,000.01", "source": "forfeiture"}
    response = client.post("/trustfund/receipts/new/", {**data, "forfeiture_order": str(order.public_id)})
    assert response.status_code == 400
    assert "at most KSh 1,000,000.00 remains" in response.context["form"].errors["amount"][0]
    assert response.context["form"]["forfeiture_order"].value() == str(order.public_id)
    response = client.post(
        "/trustfund/receipts/new/", {**data, "amount": "250,000", "forfeiture_order": str(order.public_id)}
    )
    assert response.status_code == 302
    entry = LedgerEntry.objects.get()
    assert entry.forfeiture_order_id == order.pk
    detail = client.get(response["Location"]).content.decode()
    assert "Order of 2026-02-10 for KSh 1,000,000" in detail and str(order.public_id) in detail
    again = client.get("/trustfund/receipts/new/", {"q": "MCCR/E412"}).content.decode()
    assert "750,000.00" in again  # what remains


def test_a_typed_court_case_in_ctip_is_sent_back_with_its_orders_offered(officer, forfeiture, client_for):
    data = {
        "entry_date": DAY.isoformat(),
        "amount": "10",
        "source": "forfeiture",
        "court_case_number": "MCCR/E412/2026",
        "order_reference": "FO 1",
    }
    response = client_for(officer).post("/trustfund/receipts/new/", data)
    assert response.status_code == 400
    form = response.context["form"]
    assert "choose the order the money was paid under" in form.errors["forfeiture_order"][0]
    assert str(forfeiture["order"].public_id) in dict(form.fields["forfeiture_order"].choices)
    assert not LedgerEntry.objects.exists()


def test_unknown_search_and_unknown_order_on_the_page(officer, forfeiture, client_for):
    client = client_for(officer)
    page = client.get("/trustfund/receipts/new/", {"q": "NOPE/1"})
    assert page.status_code == 200 and "No forfeiture order recorded in CTIP" in page.content.decode()
    assert client.get("/trustfund/receipts/new/", {"q": "x" * 61}).status_code == 400
    response = client.post(
        "/trustfund/receipts/new/",
        {"entry_date": DAY.isoformat(), "amount": "10", "source": "forfeiture", "forfeiture_order": "not-a-uuid"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["forfeiture_order"] == [
        "No forfeiture order recorded in CTIP has this reference."
    ]
    assert not LedgerEntry.objects.exists()


def test_the_order_search_is_bounded(officer, users, client_for, django_assert_max_num_queries):
    client = client_for(officer)
    make_forfeiture_order(users, court_case_number="MCCR/E1/2026", suffix="a")
    with django_assert_max_num_queries(12) as one:
        client.get("/trustfund/receipts/new/", {"q": "MCCR/E"})
    make_forfeiture_order(users, court_case_number="MCCR/E2/2026", suffix="b")
    make_forfeiture_order(users, court_case_number="MCCR/E3/2026", suffix="c")
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get("/trustfund/receipts/new/", {"q": "MCCR/E"})
    assert len(page.context["orders"]) == 3


# --- the prosecution page -----------------------------------------------------------------------------------------


def test_the_prosecution_page_shows_what_the_fund_received(officer, forfeiture, users, other_users, client_for):
    order, prosecutor, investigation = forfeiture["order"], forfeiture["prosecutor"], forfeiture["investigation"]
    url = f"/justice/{investigation.public_id}/court/"
    before = client_for(prosecutor).get(url)
    assert before.status_code == 200
    assert "received into the Trust Fund: KSh 0 of KSh 1,000,000" in before.content.decode()
    _against(officer, order, 250_000_50)
    for user in (prosecutor, users[Role.INVESTIGATOR]):  # the office prosecuting it and the investigating unit
        page = client_for(user).get(url)
        assert page.status_code == 200
        assert "received into the Trust Fund: KSh 250,000.50 of KSh 1,000,000" in page.content.decode()
    # nobody else reaches the court record: anonymous to the log-in, other roles refused, another unit not found
    assert Client().get(url).status_code == 302
    for role, status in ((Role.TRUST_FUND_OFFICER, 403), (Role.AUDITOR, 403), (Role.CASE_WORKER, 403)):
        assert client_for(users[role]).get(url).status_code == status, role
    assert client_for(other_users[Role.INVESTIGATOR]).get(url).status_code == 404


def test_the_received_figures_cost_one_query_whatever_the_number_of_orders(officer, forfeiture, client_for):
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    from ctip.justice import services as justice

    order, prosecutor, investigation = forfeiture["order"], forfeiture["prosecutor"], forfeiture["investigation"]
    url = f"/justice/{investigation.public_id}/court/"
    client = client_for(prosecutor)
    _against(officer, order, 100_00)
    client.get(url)  # warm the session
    with CaptureQueriesContext(conn) as one:
        client.get(url)
    sheet = forfeiture["sheet"]
    for n in range(4):
        sheet.refresh_from_db()
        more = justice.forfeiture_order_record(
            actor=prosecutor,
            sheet=sheet,
            accused=order.accused,
            amount_cents=(n + 1) * 100_000_00,
            assets="A plot in Kitengela and its title deed",
            ordered_on=date(2026, 2, 11),
        )
        _against(officer, more, 50_000_00)
    with CaptureQueriesContext(conn) as five:
        page = client.get(url)
    assert page.content.decode().count("received into the Trust Fund") == 5
    assert len(five.captured_queries) <= len(one.captured_queries)


# --- the migration ------------------------------------------------------------------------------------------------


class _Editor:
    """What the migration's steps use of a schema editor (SQLite's cannot open inside the test's transaction)."""

    connection = connection

    def execute(self, sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params or None)


def _refused(entry_pk):
    for sql in (
        "UPDATE trustfund_ledgerentry SET amount_cents = 1 WHERE id = %s",
        "DELETE FROM trustfund_ledgerentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry_pk])


def test_after_migrating_the_entries_are_still_append_only_and_old_receipts_are_linked(officer, forfeiture):
    """Migration 0003 drops the triggers, changes the table (SQLite rebuilds it), links the existing receipts whose
    order reference is an order's public id, and re-creates the triggers: its steps run again here, on receipts
    recorded the way they were before the link existed."""
    order = forfeiture["order"]
    migration = importlib.import_module("ctip.trustfund.migrations.0003_forfeiture_order")
    head = services.lock_head()

    def old_receipt(number, reference, case_number="MCCR/E412/2026"):
        entry = LedgerEntry(
            number=number,
            kind="receipt",
            entry_date=date(2026, 3, 1),
            amount_cents=100_00,
            balance_after_cents=100_00 * number,
            source="forfeiture",
            court_case_number=case_number,
            order_reference=reference,
            recorded_by=officer,
        )
        entry.save(force_insert=True)
        return entry

    matching = old_receipt(1, f" {order.public_id} ")
    other_case = old_receipt(2, str(order.public_id), case_number="HCCR/1/2020")
    free_text = old_receipt(3, "FO/1/2026")
    head.balance_cents, head.entry_count = 300_00, 3
    head.save()
    _refused(matching.pk)
    editor = _Editor()
    if connection.vendor == "postgresql":
        editor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred check pending before the triggers change
    migration.TRIGGERS.drop_triggers(global_apps, editor)
    migration.link_existing_receipts(global_apps, editor)
    migration.TRIGGERS.create_triggers(global_apps, editor)
    linked = dict(LedgerEntry.objects.values_list("pk", "forfeiture_order_id"))
    assert linked == {matching.pk: order.pk, other_case.pk: None, free_text.pk: None}
    assert LedgerEntry.objects.get(pk=matching.pk).charge_sheet_id == forfeiture["sheet"].pk
    for entry in (matching, other_case, free_text):
        _refused(entry.pk)
    assert selectors.reconcile().ok


def test_the_triggers_exist_after_the_migrations():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'trustfund_ledgerentry'"
            )
            names = {row[0] for row in cursor.fetchall()}
            assert names == {"trustfund_entry_no_update", "trustfund_entry_no_delete"}
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'trustfund_ledgerentry'::regclass AND NOT tgisinternal"
            )
            assert {row[0] for row in cursor.fetchall()} == {"trustfund_entry_no_update_delete"}
