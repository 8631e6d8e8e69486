"""The embedded SQLite database runs in WAL mode with a busy timeout and IMMEDIATE write transactions (issue 10)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings only")


def test_sqlite_options_are_set():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


def test_a_connection_opened_with_the_settings_is_in_wal_mode_with_a_busy_timeout(tmp_path, django_db_blocker):
    # a file database (the test database may be in memory, which cannot use WAL), opened with the real settings
    db = DatabaseWrapper({**settings.DATABASES["default"], "NAME": str(tmp_path / "wal.sqlite3")}, alias="wal_check")
    try:
        with django_db_blocker.unblock(), db.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == settings.DATABASES["default"]["OPTIONS"]["timeout"] * 1000
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
        assert db.transaction_mode == "IMMEDIATE"
    finally:
        db.close()
