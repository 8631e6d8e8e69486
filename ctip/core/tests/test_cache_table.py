"""`migrate` creates the database cache's table, so production (CACHE_URL=db) never meets a missing table.

These tests run the real `migrate` inside the test's transaction, so it must find nothing to apply: on SQLite a
migration cannot run there (its schema editor refuses: "SQLite schema editor cannot be used while foreign key
constraint checks are enabled"). `migrate` reads the migration files on disk at the time it runs, while the test
database was built from the files on disk when the session started; `_migrate` checks that the two agree first and
names the migrations that do not, and why."""

from __future__ import annotations

import sys
from functools import cache

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

from ctip.accounts.enums import Role
from ctip.accounts.tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db

DB_CACHE = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "ctip_cache_t"}}


def _tables() -> set[str]:
    return set(connection.introspection.table_names())


@cache
def _built_from() -> frozenset[str]:
    """The migration modules this process had imported before any test here read the files again: those the
    session's test database was built from (taken once, at the first `_migrate`)."""
    return frozenset(name for name in sys.modules if ".migrations." in name)


def _migrate() -> None:
    """`manage.py migrate` as a deployment runs it, once it is known to have no migration to apply here."""
    imported = _built_from()
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    arrived = [f"{m.app_label}.{m.name}" for m, _ in plan if type(m).__module__ not in imported]
    unapplied = [f"{m.app_label}.{m.name}" for m, _ in plan if type(m).__module__ in imported]
    assert not arrived, (
        f"migrations on disk that this session's test database was not built from: {arrived}. The checkout changed "
        "under the running tests (a merge or checkout into it): run the suite on a tree nobody changes meanwhile."
    )
    assert not unapplied, (
        f"migrations the test database was built with are recorded as not applied: {unapplied}. An earlier test "
        "in this process migrated backwards (or flushed django_migrations) and did not restore the state."
    )
    call_command("migrate", verbosity=0, interactive=False)


@override_settings(CACHES=DB_CACHE)
def test_migrate_creates_the_database_cache_table_and_the_token_endpoint_works(users, client):
    assert caches["default"].__class__.__name__ == "DatabaseCache"
    assert "ctip_cache_t" not in _tables()
    _migrate()
    assert "ctip_cache_t" in _tables()
    response = client.post(
        "/api/v1/auth/token/",
        {"username": users[Role.DATA_ANALYST].username, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content[:300]
    assert set(response.json()) == {"token"}
    _migrate()  # again: the table exists, nothing happens
    assert "ctip_cache_t" in _tables()


def test_migrate_with_another_cache_creates_no_table():
    _migrate()
    assert not {t for t in _tables() if "cache" in t}
