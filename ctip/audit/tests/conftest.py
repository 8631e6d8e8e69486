"""Fixtures for the audit tests: token API clients and raw-SQL access to the audit table (for tamper tests)."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.fixture
def api_for(db):
    """An API client authenticated the way real API clients are: with a token (issued after 2FA)."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def make(user):
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


def drop_append_only_triggers() -> None:
    """What an attacker with database owner rights can do. Inside the test's transaction, so rolled back after."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("DROP TRIGGER audit_event_no_delete")
        elif connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER audit_event_no_update_delete ON audit_auditevent")
        else:  # pragma: no cover
            pytest.skip(f"no append-only triggers on {connection.vendor}")


def raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
