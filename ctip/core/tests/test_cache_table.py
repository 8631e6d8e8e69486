"""`migrate` creates the database cache's table, so production (CACHE_URL=db) never meets a missing table."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from ctip.accounts.enums import Role
from ctip.accounts.tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db

DB_CACHE = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "ctip_cache_t"}}


def _tables() -> set[str]:
    return set(connection.introspection.table_names())


@override_settings(CACHES=DB_CACHE)
def test_migrate_creates_the_database_cache_table_and_the_token_endpoint_works(users, client):
    assert caches["default"].__class__.__name__ == "DatabaseCache"
    assert "ctip_cache_t" not in _tables()
    call_command("migrate", verbosity=0, interactive=False)
    assert "ctip_cache_t" in _tables()
    response = client.post(
        "/api/v1/auth/token/",
        {"username": users[Role.DATA_ANALYST].username, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content[:300]
    assert set(response.json()) == {"token"}
    call_command("migrate", verbosity=0, interactive=False)  # again: the table exists, nothing happens
    assert "ctip_cache_t" in _tables()


def test_migrate_with_another_cache_creates_no_table():
    call_command("migrate", verbosity=0, interactive=False)
    assert not {t for t in _tables() if "cache" in t}
