"""Fixtures for the people tests: persons with distinctive identity data, token API clients, audit helpers."""

from __future__ import annotations

import pytest

from ctip.core.tests.world import register_person, shared_fixture

# Distinctive identity data, so a leak into a page, an API body, the audit trail or a table dump is unmistakable.
HOME_FIRST = "Zawadikwe"
HOME_LAST = "Mwangangiyo"
HOME_PHONE_LOCAL = "0722 123 456"
HOME_PHONE_E164 = "+254722123456"
HOME_NATIONAL_ID = "23456789"


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


@shared_fixture("users")
def person(users):
    """A person owned by the home agency, registered by its case worker (once per module: ctip/core/tests/world.py)."""
    return register_person(
        users["case_worker"],
        first_name=HOME_FIRST,
        last_name=HOME_LAST,
        identifiers=[("phone", HOME_PHONE_LOCAL), ("national_id", HOME_NATIONAL_ID)],
    )


@pytest.fixture
def audit_events(db):
    """Audit events with `action` (and target), newest first."""
    from ctip.audit.models import AuditEvent

    def get(action: str, target_id: object = None):
        qs = AuditEvent.objects.filter(action=action).order_by("-id")
        if target_id is not None:
            qs = qs.filter(target_id=str(target_id))
        return list(qs)

    return get
