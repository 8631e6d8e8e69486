"""Chaining after commit (ADR 0010): the chain columns may be empty until `chain_pending` sets them, once; each
event carries its insert-time seal (nonce, mac); pending events have their own small index.

The append-only triggers are dropped before the schema change (SQLite rebuilds the table, which would drop them
silently) and re-created after, refusing every UPDATE except setting `seq`, `prev_hash` and `hash` from empty to
a value with every other column unchanged; DELETE (and TRUNCATE on PostgreSQL) stay refused.
"""

from django.conf import settings
from django.db import migrations, models

# Every column but the chain's: an UPDATE that changes any of these is refused.
CONTENT = (
    "id",
    "occurred_at",
    "actor_id",
    "actor_label",
    "agency_id",
    "action",
    "target_type",
    "target_id",
    "ip",
    "channel",
    "request_id",
    "changes",
    "reason",
    "nonce",
    "mac",
)
CHAIN = ("seq", "prev_hash", "hash")
_SETS_CHAIN_ONCE = " AND ".join([f"OLD.{c} IS NULL" for c in CHAIN] + [f"NEW.{c} IS NOT NULL" for c in CHAIN])

SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_event_no_update;", "DROP TRIGGER IF EXISTS audit_event_no_delete;"]
SQLITE_OLD = [
    """CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;""",
    """CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;""",
]
SQLITE_NEW = [
    f"""CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
       WHEN NOT ({_SETS_CHAIN_ONCE} AND {" AND ".join(f"NEW.{c} IS OLD.{c}" for c in CONTENT)})
       BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;""",
]

POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update_delete ON audit_auditevent;",
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;",
    "DROP FUNCTION IF EXISTS audit_event_append_only();",
]
_TRIGGERS = [
    """CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();""",
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();""",
]
POSTGRES_OLD = [
    """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit trail is append-only'; END; $$ LANGUAGE plpgsql;""",
    *_TRIGGERS,
]
POSTGRES_NEW = [
    f"""CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'UPDATE' THEN
           IF {_SETS_CHAIN_ONCE}
              AND ({", ".join(f"NEW.{c}" for c in CONTENT)})
                  IS NOT DISTINCT FROM ({", ".join(f"OLD.{c}" for c in CONTENT)}) THEN
             RETURN NEW;
           END IF;
         END IF;
         RAISE EXCEPTION 'audit trail is append-only';
       END; $$ LANGUAGE plpgsql;""",
    *_TRIGGERS,
]


def _run(schema_editor, sqlite, postgres):
    vendor = schema_editor.connection.vendor
    for sql in sqlite if vendor == "sqlite" else postgres if vendor == "postgresql" else []:
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    _run(schema_editor, SQLITE_DROP, POSTGRES_DROP)


def create_new_triggers(apps, schema_editor):
    _run(schema_editor, SQLITE_NEW, POSTGRES_NEW)


def create_old_triggers(apps, schema_editor):
    _run(schema_editor, SQLITE_OLD, POSTGRES_OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_triggers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_triggers, create_old_triggers),
        migrations.AlterModelOptions(
            name="auditevent",
            options={"ordering": ["-id"]},
        ),
        migrations.RemoveIndex(
            model_name="auditevent",
            name="audit_audit_actor_i_4ccb81_idx",
        ),
        migrations.AddField(
            model_name="auditevent",
            name="mac",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="nonce",
            field=models.CharField(blank=True, max_length=32, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(blank=True, null=True, unique=True, verbose_name="sequence"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["actor", "-id"], name="audit_event_actor_id_idx"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                condition=models.Q(("seq__isnull", True)), fields=["id"], name="audit_event_pending_idx"
            ),
        ),
        migrations.RunPython(create_new_triggers, drop_triggers),
    ]
