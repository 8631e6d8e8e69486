"""User administration by the system administrator, through the pages: every change is audited."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from ctip.accounts.enums import Role
from ctip.accounts.models import User
from ctip.audit.models import AuditEvent

from .helpers import PASSWORD, audit_actions, last_event

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Another-Strong-Pass-77"


@pytest.fixture
def admin(users):
    return users[Role.SYSADMIN]


@pytest.fixture
def admin_client(admin, client_for):
    return client_for(admin)


def _detail(user) -> str:
    return reverse("accounts:user_detail", kwargs={"public_id": user.public_id})


def _create_form(home, **over):
    data = {
        "username": "new.officer",
        "first_name": "Kamau",
        "last_name": "Njoroge",
        "email": "kamau@example.go.ke",
        "role": Role.INVESTIGATOR,
        "agency": str(home.public_id),
        "preferred_language": "sw",
        "password": NEW_PASSWORD,
    }
    data.update(over)
    return data


def _edit_form(user, **over):
    data = {
        "op": "save",
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "agency": str(user.agency.public_id) if user.agency else "",
        "preferred_language": user.preferred_language,
    }
    data.update(over)
    return data


# --- create --------------------------------------------------------------------------------------


def test_create_user(admin, admin_client, agency):
    response = admin_client.post(reverse("accounts:user_create"), _create_form(agency))
    created = User.objects.get(username="new.officer")
    assert response.status_code == 302 and response["Location"] == _detail(created)
    assert created.role == Role.INVESTIGATOR and created.agency == agency
    assert created.preferred_language == "sw" and created.is_active
    assert created.check_password(NEW_PASSWORD)
    event = last_event("user.create")
    assert event.actor == admin and event.target_id == str(created.public_id)
    assert event.changes == {"username": "new.officer", "role": Role.INVESTIGATOR, "agency": agency.pk}
    # the new user can log in (and is sent to enrol the second factor)
    login = Client().post("/accounts/login/", {"username": "new.officer", "password": NEW_PASSWORD})
    assert login["Location"] == "/accounts/2fa/setup/"


@pytest.mark.parametrize(
    "password",
    ["short-1A", "password123456", "new.officer-x", "123456789012345"],
    ids=["too-short", "common", "like-username", "numeric"],
)
def test_create_user_rejects_weak_passwords(admin_client, agency, password):
    response = admin_client.post(reverse("accounts:user_create"), _create_form(agency, password=password))
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not User.objects.filter(username="new.officer").exists()
    assert "new.officer" not in [e.changes.get("username") for e in AuditEvent.objects.filter(action="user.create")]


def test_create_user_requires_an_agency_except_for_sysadmin(admin_client, agency):
    missing = admin_client.post(reverse("accounts:user_create"), _create_form(agency, agency=""))
    assert missing.status_code == 200
    assert missing.context["form"].errors["agency"]
    assert not User.objects.filter(username="new.officer").exists()
    # a system administrator belongs to no agency
    ok = admin_client.post(
        reverse("accounts:user_create"), _create_form(agency, agency="", role=Role.SYSADMIN, username="admin2")
    )
    assert ok.status_code == 302
    assert User.objects.get(username="admin2").agency is None


@pytest.mark.parametrize(
    "over, field",
    [
        ({"username": "a b"}, "username"),
        ({"username": ""}, "username"),
        ({"role": "overlord"}, "role"),
        ({"email": "nope"}, "email"),
        ({"password": ""}, "password"),
    ],
)
def test_create_user_form_errors(admin_client, agency, over, field):
    before = User.objects.count()
    response = admin_client.post(reverse("accounts:user_create"), _create_form(agency, **over))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert User.objects.count() == before


def test_create_user_duplicate_username(admin_client, agency, users):
    response = admin_client.post(
        reverse("accounts:user_create"), _create_form(agency, username=users[Role.CASE_WORKER].username)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["username"]


# --- change role / agency ------------------------------------------------------------------------


def test_change_role_and_agency(admin, admin_client, users, other_agency):
    target = users[Role.CASE_WORKER]
    Token.objects.create(user=target)
    response = admin_client.post(
        _detail(target), _edit_form(target, role=Role.PROSECUTOR, agency=str(other_agency.public_id))
    )
    assert response.status_code == 302 and response["Location"] == _detail(target)
    target.refresh_from_db()
    assert target.role == Role.PROSECUTOR and target.agency == other_agency
    # a changed role or agency drops API tokens
    assert not Token.objects.filter(user=target).exists()
    event = last_event("user.update")
    assert event.actor == admin and event.target_id == str(target.public_id)
    assert event.changes["role"] == [Role.CASE_WORKER, Role.PROSECUTOR]
    assert event.changes["agency_id"] == [users[Role.INVESTIGATOR].agency_id, other_agency.pk]


def test_edit_masks_personal_details_in_the_audit_trail(admin_client, users):
    target = users[Role.CASE_WORKER]
    admin_client.post(_detail(target), _edit_form(target, first_name="Achieng", email="achieng@example.go.ke"))
    target.refresh_from_db()
    assert target.first_name == "Achieng"
    event = last_event("user.update")
    assert set(event.changes) == {"first_name", "email"}
    assert "Achieng" not in str(event.changes) and "achieng@" not in str(event.changes)


def test_edit_requires_agency_for_agency_roles(admin_client, users):
    target = users[Role.CASE_WORKER]
    response = admin_client.post(_detail(target), _edit_form(target, agency=""))
    assert response.status_code == 200
    assert response.context["form"].errors["agency"]
    target.refresh_from_db()
    assert target.agency_id is not None
    assert "user.update" not in audit_actions(target_id=str(target.public_id))


def test_admin_cannot_change_own_role(admin, admin_client, agency):
    response = admin_client.post(_detail(admin), _edit_form(admin, role=Role.COORDINATOR, agency=str(agency.public_id)))
    assert response.status_code == 200
    assert response.context["form"].errors["role"]
    admin.refresh_from_db()
    assert admin.role == Role.SYSADMIN


def test_role_change_takes_effect_on_the_open_session(admin_client, agency, client_for):
    # given a second administrator with an open session
    second = User.objects.create_user(username="admin-two", password=PASSWORD, role=Role.SYSADMIN)
    second_client = client_for(second)
    assert second_client.get(reverse("accounts:user_list")).status_code == 200
    # when the first makes them an auditor
    admin_client.post(_detail(second), _edit_form(second, role=Role.AUDITOR, agency=str(agency.public_id)))
    second.refresh_from_db()
    assert second.role == Role.AUDITOR
    # then the open session has ended at once (no user pages under the new role without a fresh log-in)
    response = second_client.get(reverse("accounts:user_list"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- deactivate / reactivate ---------------------------------------------------------------------


def test_deactivate_user(admin, admin_client, users, client_for):
    target = users[Role.INVESTIGATOR]
    open_session = client_for(target)
    assert open_session.get("/accounts/profile/").status_code == 200
    Token.objects.create(user=target)
    response = admin_client.post(_detail(target), {"op": "deactivate", "reason": "Transferred out of the unit"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.is_active is False
    event = last_event("user.deactivate")
    assert event.actor == admin and event.target_id == str(target.public_id)
    assert event.reason == "Transferred out of the unit"
    assert not Token.objects.filter(user=target).exists()
    # the open session ends
    ended = open_session.get("/accounts/profile/")
    assert ended.status_code == 302 and ended["Location"].startswith("/accounts/login/")
    # and the user cannot log in again
    client = Client()
    login = client.post("/accounts/login/", {"username": target.username, "password": PASSWORD})
    assert login.status_code == 200 and login.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session
    # the page shows the state
    assert "Deactivated" in admin_client.get(_detail(target)).content.decode()


def test_reactivate_user(admin_client, users):
    target = users[Role.INVESTIGATOR]
    admin_client.post(_detail(target), {"op": "deactivate", "reason": "leave"})
    admin_client.post(_detail(target), {"op": "activate", "reason": "back from leave"})
    target.refresh_from_db()
    assert target.is_active is True
    assert audit_actions(target_id=str(target.public_id))[-2:] == ["user.deactivate", "user.activate"]
    login = Client().post("/accounts/login/", {"username": target.username, "password": PASSWORD})
    assert login.status_code == 302


def test_admin_cannot_deactivate_self(admin, admin_client):
    response = admin_client.post(_detail(admin), {"op": "deactivate", "reason": "oops"})
    assert response.status_code == 200
    assert "You cannot deactivate your own account." in response.content.decode()
    # the edit form was not submitted, so it shows no errors of its own
    assert not response.context["form"].is_bound and not response.context["form"].errors
    admin.refresh_from_db()
    assert admin.is_active is True
    assert last_event("user.deactivate") is None


# --- reset the second factor ---------------------------------------------------------------------


def test_reset_mfa(admin, admin_client, users):
    target = users[Role.CASE_WORKER]
    TOTPDevice.objects.create(user=target, name="lost phone", confirmed=True)
    Token.objects.create(user=target)
    assert "Set up" in admin_client.get(_detail(target)).content.decode()
    response = admin_client.post(_detail(target), {"op": "reset_mfa", "reason": "Phone stolen"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert not Token.objects.filter(user=target).exists()
    target.refresh_from_db()
    assert target.mfa_reset_at is not None
    event = last_event("user.mfa_reset")
    assert event.actor == admin and event.reason == "Phone stolen"
    assert event.target_id == str(target.public_id)
    # the user enrols again at the next log-in
    login = Client().post("/accounts/login/", {"username": target.username, "password": PASSWORD})
    assert login["Location"] == "/accounts/2fa/setup/"


def test_reset_mfa_ends_a_verified_session(admin_client, users, client_for):
    target = users[Role.CASE_WORKER]
    session = client_for(target)
    assert session.get("/accounts/profile/").status_code == 200
    admin_client.post(_detail(target), {"op": "reset_mfa", "reason": "Phone stolen"})
    # the session has ended (whoever holds it must not be the one to enrol a new device): log in, then enrol
    held = session.get("/accounts/profile/")
    assert held.status_code == 302 and held["Location"].startswith("/accounts/login/")


# --- own profile: password and API token ---------------------------------------------------------


def _pw(old, new, new2=None):
    return {"form": "password", "old_password": old, "new_password": new, "new_password2": new2 or new}


def test_change_own_password(users, client_for):
    user = users[Role.CASE_WORKER]
    client = client_for(user)
    response = client.post(reverse("accounts:profile"), _pw(PASSWORD, NEW_PASSWORD))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert last_event("user.password_set").actor == user
    # the session survives the change
    assert client.get(reverse("accounts:profile")).status_code == 200


@pytest.mark.parametrize(
    "data, field",
    [
        (_pw("wrong-old-password", NEW_PASSWORD), "old_password"),
        (_pw(PASSWORD, NEW_PASSWORD, "Different-Pass-88"), "new_password2"),
        (_pw(PASSWORD, "short"), "new_password"),
    ],
)
def test_change_own_password_errors(users, client_for, data, field):
    user = users[Role.CASE_WORKER]
    response = client_for(user).post(reverse("accounts:profile"), data)
    assert response.status_code == 200
    assert response.context["pw_form"].errors[field]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert last_event("user.password_set") is None


def test_issue_and_revoke_api_token(users, client_for):
    user = users[Role.INVESTIGATOR]
    client = client_for(user)
    response = client.post(reverse("accounts:profile"), {"form": "token"})
    assert response.status_code == 200
    key = response.context["new_token"]
    assert Token.objects.get(user=user).key == key
    assert key in response.content.decode()
    assert last_event("user.api_token_issue").actor == user
    # a second token replaces the first
    second = client.post(reverse("accounts:profile"), {"form": "token"}).context["new_token"]
    assert second != key and list(Token.objects.filter(user=user).values_list("key", flat=True)) == [second]
    revoke = client.post(reverse("accounts:profile"), {"form": "revoke_token"})
    assert revoke.status_code == 302
    assert not Token.objects.filter(user=user).exists()
    assert last_event("user.api_token_revoke").actor == user
