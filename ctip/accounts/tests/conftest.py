"""Fixtures for the accounts tests (the root conftest gives users per role and logged-in clients)."""

from __future__ import annotations

import uuid

import pytest

from ctip.accounts.enums import Role


@pytest.fixture
def grant(users):
    """A pending break-the-glass grant opened by the home investigator on some record."""
    from ctip.accounts.services import breakglass_open

    return breakglass_open(
        actor=users[Role.INVESTIGATOR],
        target_type="people.person",
        target_id=uuid.uuid4(),
        reason="Victim presented at the border post tonight",
    )


@pytest.fixture
def api_token_for(db):
    """An API client authenticated with a token, as real API clients are (tokens are issued after 2FA)."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def make(user):
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture(autouse=True)
def _fresh_cache():
    """API log-in throttling counts in the cache; start every test with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
