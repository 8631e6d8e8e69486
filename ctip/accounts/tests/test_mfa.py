"""TOTP two-factor: roles that need it are held at enrolment / verification until they pass; others are not."""

from __future__ import annotations

import base64

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctip.accounts.enums import Role
from ctip.accounts.roles import role_requires_mfa
from ctip.core.tests.routes import covers

from .helpers import ALL_ROLES, MFA_ROLES, PASSWORD, last_event, totp_now, wrong_token

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
SETUP = "/accounts/2fa/setup/"
VERIFY = "/accounts/2fa/verify/"
PROFILE = "/accounts/profile/"


def _password_login(user, **extra) -> tuple[Client, object]:
    client = Client()
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD, **extra})
    return client, response


def test_which_roles_need_the_second_factor():
    # every role but the data analyst (aggregates only) needs TOTP
    assert [r for r in ALL_ROLES if not role_requires_mfa(r)] == [Role.DATA_ANALYST]


# --- enrolment -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", MFA_ROLES)
def test_role_needing_mfa_is_sent_to_setup_after_login(users, role):
    client, response = _password_login(users[role])
    assert response.status_code == 302 and response["Location"] == SETUP
    # and every other page sends it back there
    for path in (PROFILE, "/", "/accounts/users/", "/accounts/agencies/"):
        held = client.get(path)
        assert held.status_code == 302 and held["Location"] == SETUP, path


def test_role_without_mfa_is_not_forced(users):
    client, response = _password_login(users[Role.DATA_ANALYST])
    assert response["Location"] == reverse("portal:home")
    assert client.get(PROFILE).status_code == 200
    assert not TOTPDevice.objects.filter(user=users[Role.DATA_ANALYST]).exists()


@covers("allowed", "accounts:mfa_setup")
def test_setup_page_shows_the_secret_of_a_new_unconfirmed_device(users):
    user = users[Role.CASE_WORKER]
    client, _ = _password_login(user)
    response = client.get(SETUP)
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed is False
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    assert response.context["secret"] == secret
    assert "<svg" in response.context["qr_svg"]
    # reloading the page keeps the same device (the phone already scanned it)
    client.get(SETUP)
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", flat=True)) == [device.pk]


def test_enrolment_with_a_wrong_token_fails_with_a_field_error(users):
    user = users[Role.CASE_WORKER]
    client, _ = _password_login(user)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(SETUP, {"token": wrong_token(device)})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    device.refresh_from_db()
    assert device.confirmed is False
    assert last_event("auth.mfa_enrol_failed").actor == user
    # still held at set-up
    assert client.get(PROFILE)["Location"] == SETUP


def test_enrolment_with_a_malformed_token_is_a_field_error(users):
    client, _ = _password_login(users[Role.CASE_WORKER])
    client.get(SETUP)
    response = client.post(SETUP, {"token": "12ab"})
    assert response.status_code == 200
    assert response.context["form"].errors["token"] == ["Enter the 6 digits shown in your authenticator app."]


def test_enrolment_with_the_right_token_succeeds(users):
    user = users[Role.SYSADMIN]
    client, _ = _password_login(user)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(SETUP, {"token": totp_now(device)})
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.session["otp_device_id"] == device.persistent_id
    assert last_event("auth.mfa_enrolled").actor == user
    # now the pages open
    assert client.get(PROFILE).status_code == 200
    assert client.get("/accounts/users/").status_code == 200


def test_enrolment_keeps_the_next_page(users):
    user = users[Role.CASE_WORKER]
    client, response = _password_login(user, next="/accounts/roles/")
    assert response["Location"] == f"{SETUP}?next=/accounts/roles/"
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    done = client.post(f"{SETUP}?next=/accounts/roles/", {"token": totp_now(device)})
    assert done["Location"] == "/accounts/roles/"


# --- later log-ins -------------------------------------------------------------------------------


@pytest.fixture
def enrolled(users):
    user = users[Role.INVESTIGATOR]
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user, device


def test_later_logins_go_to_verify(enrolled):
    user, _device = enrolled
    client, response = _password_login(user)
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert client.get(PROFILE)["Location"] == VERIFY
    # set-up cannot be used to replace the enrolled device without passing it first
    assert client.get(SETUP)["Location"] == VERIFY
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_verify_with_a_wrong_token_fails(enrolled):
    user, device = enrolled
    client, _ = _password_login(user)
    response = client.post(VERIFY, {"token": wrong_token(device)})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert last_event("auth.mfa_failed").actor == user
    assert client.get(PROFILE)["Location"] == VERIFY


@covers("allowed", "accounts:mfa_verify")
def test_verify_with_the_right_token_lets_the_user_in(enrolled):
    user, device = enrolled
    client, _ = _password_login(user, next="/accounts/agencies/")
    response = client.post(f"{VERIFY}?next=/accounts/agencies/", {"token": totp_now(device)})
    assert response.status_code == 302 and response["Location"] == "/accounts/agencies/"
    assert last_event("auth.login_mfa").actor == user
    assert client.get(PROFILE).status_code == 200
    # a verified user who opens the verify page again goes home
    assert client.get(VERIFY)["Location"] == reverse("portal:home")


def test_a_token_cannot_be_replayed(enrolled):
    user, device = enrolled
    token = totp_now(device)
    first, _ = _password_login(user)
    assert first.post(VERIFY, {"token": token}).status_code == 302
    second, _ = _password_login(user)
    replay = second.post(VERIFY, {"token": token})
    assert replay.status_code == 200 and replay.context["form"].errors["token"]


def test_unconfirmed_device_does_not_count(users):
    user = users[Role.AUDITOR]
    TOTPDevice.objects.create(user=user, name="half-done", confirmed=False)
    _client, response = _password_login(user)
    assert response["Location"] == SETUP
