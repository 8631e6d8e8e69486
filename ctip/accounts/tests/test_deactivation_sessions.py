"""Deactivating an account ends its sessions and API tokens for good: activating it again revives neither."""

from __future__ import annotations

import pytest
from django.test import Client

from ctip.accounts.enums import Role
from ctip.accounts.services import user_set_active

from .helpers import PASSWORD

pytestmark = pytest.mark.django_db

PROFILE = "/accounts/profile/"


def _set_active(users, target, active: bool) -> None:
    user_set_active(actor=users[Role.SYSADMIN], user=target, active=active, reason="left the unit")


def test_a_session_opened_before_deactivation_stays_dead_after_reactivation(users, client_for):
    target = users[Role.CASE_WORKER]
    old = client_for(target)
    assert old.get(PROFILE).status_code == 200
    _set_active(users, target, False)
    response = old.get(PROFILE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    _set_active(users, target, True)
    response = old.get(PROFILE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    # the account itself works again: a fresh log-in opens a new session
    fresh = Client()
    assert fresh.post("/accounts/login/", {"username": target.username, "password": PASSWORD}).status_code == 302
    assert fresh.session.get("_auth_user_id") == str(target.pk)


def test_a_session_of_an_account_without_second_factor_also_ends(users, client_for):
    target = users[Role.DATA_ANALYST]
    old = client_for(target)
    assert old.get(PROFILE).status_code == 200
    _set_active(users, target, False)
    _set_active(users, target, True)
    assert old.get(PROFILE).status_code == 302
    assert "_auth_user_id" not in old.session  # the stale session was flushed, not merely refused


def test_deactivation_from_the_admin_page_ends_the_sessions_of_that_user_only(users, client_for):
    target, bystander = users[Role.INVESTIGATOR], users[Role.PROSECUTOR]
    target_session, bystander_session = client_for(target), client_for(bystander)
    admin = client_for(users[Role.SYSADMIN])
    url = f"/accounts/users/{target.public_id}/"
    assert admin.post(url, {"op": "deactivate", "reason": "left the unit"}).status_code == 302
    assert admin.post(url, {"op": "activate", "reason": "came back"}).status_code == 302
    assert target_session.get(PROFILE).status_code == 302
    assert bystander_session.get(PROFILE).status_code == 200
    assert admin.get(PROFILE).status_code == 200


def test_api_tokens_of_a_deactivated_user_stop_and_stay_stopped(users, api_client_for):
    target = users[Role.CASE_WORKER]
    api = api_client_for(target)
    assert api.get("/api/v1/me/").status_code == 200
    _set_active(users, target, False)
    assert api.get("/api/v1/me/").status_code == 401
    _set_active(users, target, True)
    assert api.get("/api/v1/me/").status_code == 401


def test_password_change_and_other_saves_keep_the_session(users, client_for):
    # the epoch moves on deactivation only: an ordinary edit of the account does not log its owner out
    from ctip.accounts.services import user_update

    target = users[Role.CASE_WORKER]
    session = client_for(target)
    user_update(
        actor=users[Role.SYSADMIN],
        user=target,
        role=target.role,
        agency=target.agency,
        first_name="New",
        last_name="Name",
        email="",
    )
    assert session.get(PROFILE).status_code == 200


def test_a_role_change_ends_the_sessions_and_tokens_of_that_user(users, client_for, api_client_for):
    # the open session was granted under the old role: it must not carry the new role's rights unseen (or keep
    # the old ones); the officer logs in again
    from ctip.accounts.services import user_update

    target = users[Role.CASE_WORKER]
    session, api = client_for(target), api_client_for(target)
    bystander = client_for(users[Role.PROSECUTOR])
    user_update(
        actor=users[Role.SYSADMIN],
        user=target,
        role=Role.INVESTIGATOR,
        agency=target.agency,
        first_name=target.first_name,
        last_name=target.last_name,
        email=target.email,
    )
    response = session.get(PROFILE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert api.get("/api/v1/me/").status_code == 401
    assert bystander.get(PROFILE).status_code == 200


def test_a_second_factor_reset_ends_the_sessions_of_that_user(users, client_for):
    from ctip.accounts.services import user_reset_mfa

    target = users[Role.INVESTIGATOR]
    session = client_for(target)
    assert session.get(PROFILE).status_code == 200
    user_reset_mfa(actor=users[Role.SYSADMIN], user=target, reason="phone stolen")
    response = session.get(PROFILE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_password_set_by_an_administrator_ends_sessions_and_tokens(users, client_for, api_client_for):
    from ctip.accounts.services import user_set_password

    target = users[Role.CASE_WORKER]
    session, api = client_for(target), api_client_for(target)
    user_set_password(actor=users[Role.SYSADMIN], user=target, password="Another-Long-Password-2026")
    assert session.get(PROFILE).status_code == 302
    assert api.get("/api/v1/me/").status_code == 401
