"""Idle session time-out from a last-activity stamp: the session is written at most once a minute (issue 10)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ctip.accounts import middleware
from ctip.accounts.enums import Role

from .helpers import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PROFILE = "/accounts/profile/"
T0 = 1_800_000_000.0  # a fixed instant; the middleware's clock is patched, nothing depends on the real one


class FakeClock:
    def __init__(self):
        self.value = T0

    def __call__(self) -> float:
        return self.value


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(middleware, "now", fake)
    return fake


@pytest.fixture
def signed_in(users, clock):
    client = Client()
    response = client.post(LOGIN, {"username": users[Role.DATA_ANALYST].username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _session_updates(queries) -> list[str]:
    table = Session._meta.db_table
    return [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and table in q["sql"]]


def test_no_session_write_on_every_request():
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert 0 < settings.SESSION_COOKIE_AGE <= 30 * 60


def test_log_in_stamps_the_session(signed_in):
    assert signed_in.session[middleware.SESSION_ACTIVITY_KEY] == T0


def test_a_burst_of_requests_within_a_minute_writes_the_session_at_most_once(signed_in, clock):
    with CaptureQueriesContext(connection) as queries:
        for step in range(10):
            clock.value = T0 + 5 * step  # 0..45 s after log-in
            assert signed_in.get(PROFILE).status_code == 200
    assert _session_updates(queries) == []
    # once the stamp is a minute old, the next request refreshes it: one write
    clock.value = T0 + 61
    with CaptureQueriesContext(connection) as queries:
        assert signed_in.get(PROFILE).status_code == 200
        assert signed_in.get(PROFILE).status_code == 200
    assert len(_session_updates(queries)) == 1
    assert signed_in.session[middleware.SESSION_ACTIVITY_KEY] == T0 + 61


def test_an_active_session_stays_alive(signed_in, clock):
    # a request every 50 s for twice the idle time-out
    for step in range(1, 2 * settings.SESSION_COOKIE_AGE // 50):
        clock.value = T0 + 50 * step
        assert signed_in.get(PROFILE).status_code == 200


def test_an_idle_session_expires_although_its_database_expiry_is_still_ahead(signed_in, clock):
    session_key = signed_in.session.session_key
    clock.value = T0 + settings.SESSION_COOKIE_AGE  # exactly the time-out: still alive
    assert signed_in.get(PROFILE).status_code == 200
    clock.value = T0 + 2 * settings.SESSION_COOKIE_AGE + 1  # idle for longer than the time-out since then
    response = signed_in.get(PROFILE)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert not Session.objects.filter(session_key=session_key).exists()
    # and stays logged out
    assert signed_in.get(PROFILE).status_code == 302


def test_anonymous_visitors_get_no_session_row(clock):
    before = Session.objects.count()
    assert Client().get(LOGIN).status_code == 200
    assert Session.objects.count() == before
