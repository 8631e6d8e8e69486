"""Database-level guard: UPDATE and DELETE on the Trust Fund's entries are refused by triggers (SQLite and
PostgreSQL), as on the audit trail (ctip/audit/migrations/0002). A correction is a reversing entry. The ledger head
(trustfund_fundledger) keeps its running balance and is updated; `trustfund_reconcile` checks it.

No TRUNCATE trigger (the audit table has one): the test database's flush after each transactional test truncates
every table, and a statement trigger here would break every such test of every app. TRUNCATE needs the table
owner's rights; the reconciliation and the audit trail (an event per entry) show a ledger emptied that way."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER IF NOT EXISTS trustfund_entry_no_update BEFORE UPDATE ON trustfund_ledgerentry
       BEGIN SELECT RAISE(ABORT, 'Trust Fund entries are never edited'); END;""",
    """CREATE TRIGGER IF NOT EXISTS trustfund_entry_no_delete BEFORE DELETE ON trustfund_ledgerentry
       BEGIN SELECT RAISE(ABORT, 'Trust Fund entries are never deleted'); END;""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS trustfund_entry_no_update;", "DROP TRIGGER IF EXISTS trustfund_entry_no_delete;"]

POSTGRES = [
    """CREATE OR REPLACE FUNCTION trustfund_entry_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'Trust Fund entries are never edited or deleted'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER trustfund_entry_no_update_delete BEFORE UPDATE OR DELETE ON trustfund_ledgerentry
       FOR EACH ROW EXECUTE FUNCTION trustfund_entry_append_only();""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS trustfund_entry_no_update_delete ON trustfund_ledgerentry;",
    "DROP FUNCTION IF EXISTS trustfund_entry_append_only();",
]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in SQLITE if vendor == "sqlite" else POSTGRES if vendor == "postgresql" else []:
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in SQLITE_DROP if vendor == "sqlite" else POSTGRES_DROP if vendor == "postgresql" else []:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("trustfund", "0001_initial")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
