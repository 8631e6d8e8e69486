"""Log-in with a password, lock-out after repeated failures (django-axes), session time-out and log-out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ctip.accounts.enums import Role

from .helpers import PASSWORD, last_event

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
LOGOUT = "/accounts/logout/"
PROFILE = "/accounts/profile/"


def _fail(client, username, times, ip="127.0.0.1"):
    return [
        client.post(LOGIN, {"username": username, "password": "Wrong-Password-000"}, REMOTE_ADDR=ip)
        for _ in range(times)
    ]


# --- log-in --------------------------------------------------------------------------------------


def test_login_with_correct_password(users):
    analyst = users[Role.DATA_ANALYST]  # a role without the second factor
    client = Client()
    response = client.post(LOGIN, {"username": analyst.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    assert int(client.session["_auth_user_id"]) == analyst.pk
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == analyst.preferred_language
    event = last_event("auth.login_password")
    assert event.actor == analyst
    assert client.get(PROFILE).status_code == 200


def test_login_follows_a_safe_next_and_ignores_an_unsafe_one(users):
    analyst = users[Role.DATA_ANALYST]
    safe = Client().post(LOGIN, {"username": analyst.username, "password": PASSWORD, "next": "/accounts/roles/"})
    assert safe["Location"] == "/accounts/roles/"
    unsafe = Client().post(
        LOGIN, {"username": analyst.username, "password": PASSWORD, "next": "https://evil.example/steal"}
    )
    assert unsafe["Location"] == reverse("portal:home")


def test_login_with_wrong_password_fails(users):
    analyst = users[Role.DATA_ANALYST]
    client = Client()
    response = client.post(LOGIN, {"username": analyst.username, "password": "Not-The-Password-1"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session
    assert last_event("auth.login_failed") is not None
    # the password typed is never echoed back
    assert "Not-The-Password-1" not in response.content.decode()


def test_login_page_redirects_a_logged_in_user_home(users, client_for):
    response = client_for(users[Role.CASE_WORKER]).get(LOGIN)
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")


def test_login_rejects_other_methods(db):
    assert Client().put(LOGIN).status_code == 405


# --- lock-out ------------------------------------------------------------------------------------


def test_settings_lock_out_after_five_failures():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == 0.5  # hours
    assert settings.AXES_LOCKOUT_TEMPLATE == "accounts/locked_out.html"


def test_lock_out_after_repeated_failures_shows_the_locked_out_page(users):
    analyst = users[Role.DATA_ANALYST]
    client = Client()
    # given four failures: still the log-in form
    for response in _fail(client, analyst.username, 4):
        assert response.status_code == 200
        assert "accounts/login.html" in [t.name for t in response.templates]
    # when the fifth fails
    locked = _fail(client, analyst.username, 1)[0]
    # then the locked-out page
    assert locked.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in locked.templates]
    assert "Account locked" in locked.content.decode()
    # and the right password does not get in while the lock lasts
    again = client.post(LOGIN, {"username": analyst.username, "password": PASSWORD})
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lock_out_holds_for_the_account_from_another_address(users):
    analyst = users[Role.DATA_ANALYST]
    _fail(Client(), analyst.username, 5, ip="10.0.0.1")
    response = Client().post(LOGIN, {"username": analyst.username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 429


def test_other_accounts_from_other_addresses_are_not_locked(users):
    _fail(Client(), users[Role.DATA_ANALYST].username, 5, ip="10.0.0.1")
    other = users[Role.INVESTIGATOR]
    response = Client().post(LOGIN, {"username": other.username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 302 and "/accounts/2fa/" in response["Location"]


def test_success_resets_the_failure_count(users):
    analyst = users[Role.DATA_ANALYST]
    client = Client()
    _fail(client, analyst.username, 4)
    assert client.post(LOGIN, {"username": analyst.username, "password": PASSWORD}).status_code == 302
    client.post(LOGOUT)
    responses = _fail(client, analyst.username, 4)
    assert [r.status_code for r in responses] == [200] * 4
    assert client.post(LOGIN, {"username": analyst.username, "password": PASSWORD}).status_code == 302


# --- session time-out ----------------------------------------------------------------------------


def test_session_timeout_settings():
    assert 0 < settings.SESSION_COOKIE_AGE <= 30 * 60
    # idle time-out from a last-activity stamp, saved at most once a minute (test_session_activity.py)
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_idle_session_expires(users):
    analyst = users[Role.DATA_ANALYST]
    client = Client()
    client.post(LOGIN, {"username": analyst.username, "password": PASSWORD})
    assert client.get(PROFILE).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    # the log-in pushed the expiry a full idle period ahead
    remaining = session.expire_date - timezone.now()
    assert (
        timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
        < remaining
        <= timedelta(seconds=settings.SESSION_COOKIE_AGE)
    )
    # when the idle period passes
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    # then the user must log in again
    response = client.get(PROFILE)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


# --- log-out -------------------------------------------------------------------------------------


def test_logout_by_post(users, client_for):
    user = users[Role.CASE_WORKER]
    client = client_for(user)
    assert client.get(PROFILE).status_code == 200
    response = client.post(LOGOUT)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert last_event("auth.logout").actor == user
    after = client.get(PROFILE)
    assert after.status_code == 302 and after["Location"].startswith(LOGIN)


def test_logout_by_get_is_refused_and_keeps_the_session(users, client_for):
    client = client_for(users[Role.CASE_WORKER])
    assert client.get(LOGOUT).status_code == 405
    assert client.get(PROFILE).status_code == 200


def test_logout_when_anonymous_is_harmless(db):
    response = Client().post(LOGOUT)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert last_event("auth.logout") is None
