"""TOTP two-factor: roles that need it are held at enrolment / verification until they pass; others are not."""

from __future__ import annotations

import base64

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctip.accounts.enums import Role
from ctip.accounts.roles import role_requires_mfa
from ctip.accounts.views import SESSION_MFA_KEY
from ctip.core.tests.routes import covers
from ctip.notifications.models import Notification

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


def _pending(client, user) -> TOTPDevice:
    """The device being enrolled, as the phone sees it (its key lives in the session until confirmed)."""
    return TOTPDevice(user=user, key=client.session[SESSION_MFA_KEY])


@covers("allowed", "accounts:mfa_setup")
def test_setup_page_shows_a_new_secret_and_creates_no_device(users):
    user = users[Role.CASE_WORKER]
    client, _ = _password_login(user)
    response = client.get(SETUP)
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=user).exists()  # a GET writes nothing
    secret = base64.b32encode(_pending(client, user).bin_key).decode().rstrip("=")
    assert response.context["secret"] == secret
    assert "<svg" in response.context["qr_svg"]
    assert set(response.context["form"].fields) == {"token", "password"}  # a first enrolment: password again
    # reloading the page keeps the same secret (the phone already scanned it)
    assert client.get(SETUP).context["secret"] == secret
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_enrolment_with_a_wrong_token_fails_with_a_field_error(users):
    user = users[Role.CASE_WORKER]
    client, _ = _password_login(user)
    client.get(SETUP)
    response = client.post(SETUP, {"token": wrong_token(_pending(client, user)), "password": PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert last_event("auth.mfa_enrol_failed").actor == user
    # still held at set-up
    assert client.get(PROFILE)["Location"] == SETUP


def test_enrolment_with_a_malformed_token_is_a_field_error(users):
    client, _ = _password_login(users[Role.CASE_WORKER])
    client.get(SETUP)
    response = client.post(SETUP, {"token": "12ab", "password": PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].errors["token"] == ["Enter the 6 digits shown in your authenticator app."]


def test_first_enrolment_needs_the_password_again(users):
    user = users[Role.CASE_WORKER]
    client, _ = _password_login(user)
    client.get(SETUP)
    missing = client.post(SETUP, {"token": totp_now(_pending(client, user))})
    assert missing.status_code == 200 and missing.context["form"].errors["password"]
    wrong = client.post(SETUP, {"token": totp_now(_pending(client, user)), "password": "not-my-password"})
    assert wrong.status_code == 200 and wrong.context["form"].errors["password"]
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert last_event("auth.mfa_enrol_failed").changes == {"failed": ["password"], "replacing": False}


def test_wrong_passwords_at_enrolment_end_the_session(users):
    user = users[Role.CASE_WORKER]
    client, _ = _password_login(user)
    client.get(SETUP)
    for _attempt in range(2):
        assert client.post(SETUP, {"token": "123456", "password": "guess"}).status_code == 200
    response = client.post(SETUP, {"token": "123456", "password": "guess"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_enrolment_with_the_right_token_succeeds(users, django_capture_on_commit_callbacks):
    user = users[Role.SYSADMIN]
    client, _ = _password_login(user)
    client.get(SETUP)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SETUP, {"token": totp_now(_pending(client, user)), "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed is True
    assert client.session["otp_device_id"] == device.persistent_id
    assert SESSION_MFA_KEY not in client.session
    assert last_event("auth.mfa_enrolled").actor == user
    # the user is told, in CTIP
    assert list(Notification.objects.filter(user=user).values_list("kind", flat=True)) == ["account.mfa_enrolled"]
    # now the pages open
    assert client.get(PROFILE).status_code == 200
    assert client.get("/accounts/users/").status_code == 200


def test_enrolment_keeps_the_next_page(users):
    user = users[Role.CASE_WORKER]
    client, response = _password_login(user, next="/accounts/roles/")
    assert response["Location"] == f"{SETUP}?next=/accounts/roles/"
    client.get(SETUP)
    done = client.post(
        f"{SETUP}?next=/accounts/roles/", {"token": totp_now(_pending(client, user)), "password": PASSWORD}
    )
    assert done["Location"] == "/accounts/roles/"


# --- replacing the device from an open session -------------------------------------------------------


@pytest.fixture
def verified(users, client_for):
    user = users[Role.INVESTIGATOR]
    client = client_for(user)  # past the second factor with its "default" device
    return user, TOTPDevice.objects.get(user=user, confirmed=True), client


def test_replacing_the_device_from_an_open_session_needs_the_current_code(verified):
    user, old, client = verified
    response = client.get(SETUP)
    assert response.status_code == 200 and response.context["replacing"] is True
    assert set(response.context["form"].fields) == {"current_token", "token"}
    new_code = totp_now(_pending(client, user))
    for data in (
        {"token": new_code},  # the open session alone
        {"token": new_code, "password": PASSWORD},  # the password does not replace the current device's code
        {"token": new_code, "current_token": wrong_token(old)},
    ):
        refused = client.post(SETUP, data)
        assert refused.status_code == 200 and refused.context["form"].errors["current_token"], data
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", flat=True)) == [old.pk]
    assert not Notification.objects.filter(user=user).exists()


@override_settings(CTIP_NOTIFY_EMAIL=True)
def test_replacing_the_device_with_the_current_code_tells_the_user(
    verified, client_for, django_capture_on_commit_callbacks
):
    user, old, client = verified
    user.email = "investigator@example.org"
    user.save(update_fields=["email"])
    other_session = client_for(user)  # another browser, verified with the old device
    client.get(SETUP)
    pending = _pending(client, user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SETUP, {"current_token": totp_now(old), "token": totp_now(pending)})
    assert response.status_code == 302
    new = TOTPDevice.objects.get(user=user)
    assert new.pk != old.pk and new.confirmed and new.key == pending.key
    assert client.session["otp_device_id"] == new.persistent_id
    assert last_event("auth.mfa_replaced").actor == user
    note = Notification.objects.get(user=user)
    assert note.kind == "account.mfa_replaced" and note.params == {}
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["investigator@example.org"]
    assert pending.key not in mail.outbox[0].body and "authenticator" not in mail.outbox[0].body  # content-free
    # the session verified with the old device is held at the verify page again
    assert other_session.get(PROFILE)["Location"] == VERIFY


def test_the_profile_links_to_set_up_or_replace(users, client_for):
    assert b"Replace your authenticator device" in client_for(users[Role.INVESTIGATOR]).get(PROFILE).content
    analyst = client_for(users[Role.DATA_ANALYST]).get(PROFILE).content
    assert b"Set up two-factor authentication" in analyst


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
