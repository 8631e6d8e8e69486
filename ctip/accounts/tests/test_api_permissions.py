"""Every accounts API endpoint (under /api/v1/): anonymous, wrong role, other agency, allowed; the error shape."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ctip.accounts.enums import Role
from ctip.accounts.models import User
from ctip.accounts.services import user_set_active
from ctip.core.tests.routes import covers

from .helpers import ALL_ROLES, PASSWORD, assert_error_shape, last_event, totp_now, wrong_token

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
AGENCIES = "/api/v1/agencies/"
USERS = "/api/v1/users/"
TOKEN = "/api/v1/auth/token/"
USER_ADMINS = {Role.SYSADMIN}


def _new_user_body(home, **over):
    body = {
        "username": "api-made",
        "password": "Another-Strong-Pass-77",
        "role": Role.CASE_WORKER,
        "agency": str(home.public_id),
        "first_name": "Wanjiru",
    }
    body.update(over)
    return body


# --- anonymous -----------------------------------------------------------------------------------


@covers("anonymous", "api-me", "api-agencies", "api-users")
@pytest.mark.parametrize("method, path", [("get", ME), ("get", AGENCIES), ("get", USERS), ("post", USERS)])
def test_anonymous_gets_401_in_the_error_shape(method, path, agency):
    before = User.objects.count()
    response = getattr(APIClient(), method)(path, _new_user_body(agency) if method == "post" else None, format="json")
    assert_error_shape(response, 401, "not_authenticated")
    assert User.objects.count() == before


def test_bad_token_is_401(agency):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert_error_shape(client.get(ME), 401, "not_authenticated")


@pytest.mark.parametrize("path", [ME, AGENCIES, USERS])
def test_session_without_second_factor_is_refused(users, path):
    # given a password-only session for a role that needs TOTP
    client = Client()
    client.force_login(users[Role.SYSADMIN])
    # then the API answers 403 mfa_required, not data
    assert_error_shape(client.get(path), 403, "mfa_required")


# --- /me -----------------------------------------------------------------------------------------


@covers("allowed", "api-me")
@pytest.mark.parametrize("role", ALL_ROLES)
def test_me_describes_the_caller_by_token(users, api_token_for, agency, role):
    user = users[role]
    response = api_token_for(user).get(ME)
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(user.public_id)
    assert body["username"] == user.username
    assert body["role"] == role
    assert body["agency"] == (None if role == Role.SYSADMIN else str(agency.public_id))
    assert "password" not in body
    can_see_identity = "person.view_identity" in body["permissions"]
    assert can_see_identity is (
        role not in {Role.SYSADMIN, Role.HOTLINE_OPERATOR, Role.DATA_ANALYST, Role.AUDITOR, Role.TRUST_FUND_OFFICER}
    )


def test_me_for_other_agency_user_names_their_agency(other_users, other_agency, api_token_for):
    body = api_token_for(other_users[Role.CASE_WORKER]).get(ME).json()
    assert body["agency"] == str(other_agency.public_id)
    assert body["permissions"]["person.view_identity"] == "agency"


def test_me_by_verified_session(users, client_for):
    response = client_for(users[Role.AUDITOR]).get(ME)
    assert response.status_code == 200
    assert response.json()["permissions"] == {
        "audit.view": "national",
        "audit.export": "national",
        "breakglass.review": "national",
        "reference.view": "national",
        "trustfund.view": "national",
        "stats.view": "national",
        "npa.view": "national",
    }


def test_me_by_session_for_role_without_mfa(users):
    client = Client()
    client.force_login(users[Role.DATA_ANALYST])
    response = client.get(ME)
    assert response.status_code == 200 and response.json()["role"] == Role.DATA_ANALYST


# --- /agencies -----------------------------------------------------------------------------------


@covers("allowed", "api-agencies")
@pytest.mark.parametrize("role", ALL_ROLES)
def test_agency_directory_for_every_role(users, other_users, agency, other_agency, api_token_for, role):
    response = api_token_for(users[role]).get(AGENCIES)
    assert response.status_code == 200
    by_id = {a["id"]: a for a in response.json()}
    assert set(by_id) == {str(agency.public_id), str(other_agency.public_id)}
    home = by_id[str(agency.public_id)]
    assert home["name"] == "Home Agency Anti-Trafficking Unit"
    assert home["htcds_org_type"] == "LawEnforcement"
    assert sorted(home["counties"]) == ["001", "047"]


# --- /users --------------------------------------------------------------------------------------


@covers("wrong_role", "api-users")
@covers("allowed", "api-users")
@pytest.mark.parametrize("role", ALL_ROLES)
def test_user_list_only_for_user_admins(users, other_users, api_token_for, role):
    response = api_token_for(users[role]).get(USERS)
    if role in USER_ADMINS:
        assert response.status_code == 200
        names = {u["username"] for u in response.json()["results"]}
        assert users[Role.CASE_WORKER].username in names and other_users[Role.CASE_WORKER].username in names
        assert all("password" not in u for u in response.json()["results"])
    else:
        assert_error_shape(response, 403, "permission_denied")


def test_user_list_search_and_paging(users, other_users, api_token_for):
    body = api_token_for(users[Role.SYSADMIN]).get(USERS, {"q": "x2-aud"}).json()
    assert [u["username"] for u in body["results"]] == ["x2-auditor"]
    assert body["page"] == 1 and body["has_next"] is False


@pytest.mark.parametrize("role", ALL_ROLES)
def test_user_create_only_for_user_admins(users, agency, api_token_for, role):
    before = User.objects.count()
    response = api_token_for(users[role]).post(USERS, _new_user_body(agency), format="json")
    if role in USER_ADMINS:
        assert response.status_code == 201
        body = response.json()
        created = User.objects.get(username="api-made")
        assert body["id"] == str(created.public_id)
        assert body["agency"] == str(agency.public_id) and body["role"] == Role.CASE_WORKER
        assert created.check_password("Another-Strong-Pass-77")
        event = last_event("user.create")
        assert event.target_id == str(created.public_id) and event.actor == users[role]
    else:
        assert_error_shape(response, 403, "permission_denied")
        assert User.objects.count() == before


def test_other_agency_user_cannot_create_users_either(other_users, agency, api_token_for):
    response = api_token_for(other_users[Role.COORDINATOR]).post(USERS, _new_user_body(agency), format="json")
    assert_error_shape(response, 403, "permission_denied")
    assert not User.objects.filter(username="api-made").exists()


# --- error shape on bad input --------------------------------------------------------------------


@pytest.mark.parametrize(
    "over, field",
    [
        ({"password": "short"}, "password"),
        ({"password": "password123456"}, "password"),  # common
        ({"agency": None}, "agency"),  # a case worker must belong to an agency
        ({"role": "king"}, "role"),
        ({"username": "a b"}, "username"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_user_create_bad_input_is_400_with_field(users, agency, api_token_for, over, field):
    response = api_token_for(users[Role.SYSADMIN]).post(USERS, _new_user_body(agency, **over), format="json")
    body = assert_error_shape(response, 400, "validation_error")
    assert field in body["fields"] and body["fields"][field], body
    assert not User.objects.filter(username__in=["api-made", "a b"]).exists()


def test_user_create_missing_fields_lists_each(users, api_token_for):
    response = api_token_for(users[Role.SYSADMIN]).post(USERS, {}, format="json")
    body = assert_error_shape(response, 400, "validation_error")
    assert {"username", "password", "role"} <= set(body["fields"])


def test_user_create_duplicate_username_is_400(users, agency, api_token_for):
    body = _new_user_body(agency, username=users[Role.CASE_WORKER].username)
    response = api_token_for(users[Role.SYSADMIN]).post(USERS, body, format="json")
    assert "username" in assert_error_shape(response, 400, "validation_error")["fields"]


def test_user_create_unknown_agency_is_a_400_field_error(users, agency, api_token_for):
    response = api_token_for(users[Role.SYSADMIN]).post(
        USERS, _new_user_body(agency, agency=str(uuid.uuid4())), format="json"
    )
    assert list(assert_error_shape(response, 400, "validation_error")["fields"]) == ["agency"]
    assert not User.objects.filter(username="api-made").exists()


def test_malformed_json_is_400_in_the_error_shape(users, api_token_for):
    response = api_token_for(users[Role.SYSADMIN]).post(USERS, "{not json", content_type="application/json")
    assert_error_shape(response, 400)


def test_wrong_method_is_405_in_the_error_shape(users, api_token_for):
    assert_error_shape(api_token_for(users[Role.SYSADMIN]).delete(ME), 405)


# --- token endpoint ------------------------------------------------------------------------------


def test_token_with_wrong_password_is_401(users):
    response = APIClient().post(TOKEN, {"username": users[Role.DATA_ANALYST].username, "password": "nope"})
    assert_error_shape(response, 401, "not_authenticated")
    assert not Token.objects.filter(user=users[Role.DATA_ANALYST]).exists()
    assert last_event("auth.api_login_failed") is not None


def test_token_missing_fields_is_400(db):
    body = assert_error_shape(APIClient().post(TOKEN, {}, format="json"), 400, "validation_error")
    assert {"username", "password"} <= set(body["fields"])


def test_token_for_role_without_mfa_needs_no_code(users):
    analyst = users[Role.DATA_ANALYST]
    response = APIClient().post(TOKEN, {"username": analyst.username, "password": PASSWORD}, format="json")
    assert response.status_code == 200
    key = response.json()["token"]
    assert Token.objects.get(user=analyst).key == key
    # the token works
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(ME).json()["username"] == analyst.username
    assert last_event("user.api_token_issue").actor == analyst


def test_token_for_mfa_role_requires_the_code(users):
    worker = users[Role.CASE_WORKER]
    device = TOTPDevice.objects.create(user=worker, name="phone", confirmed=True)
    creds = {"username": worker.username, "password": PASSWORD}
    # without a code: 400 naming the otp field
    body = assert_error_shape(APIClient().post(TOKEN, creds, format="json"), 400, "validation_error")
    assert "otp" in body["fields"]
    # a wrong code: 401 mfa_required
    wrong = APIClient().post(TOKEN, {**creds, "otp": wrong_token(device)}, format="json")
    assert "otp" in assert_error_shape(wrong, 401, "mfa_required")["fields"]
    assert not Token.objects.filter(user=worker).exists()
    assert last_event("auth.mfa_failed").actor == worker
    # the right code (once django-otp's back-off after the failure has passed): a token
    device.refresh_from_db()
    device.throttle_reset()
    right = APIClient().post(TOKEN, {**creds, "otp": totp_now(device)}, format="json")
    assert right.status_code == 200 and Token.objects.get(user=worker).key == right.json()["token"]


def test_token_for_deactivated_user_is_refused(users, system_actor):
    analyst = users[Role.DATA_ANALYST]
    user_set_active(actor=system_actor, user=analyst, active=False, reason="left")
    response = APIClient().post(TOKEN, {"username": analyst.username, "password": PASSWORD}, format="json")
    assert_error_shape(response, 401, "not_authenticated")


def test_token_endpoint_is_throttled(db):
    client = APIClient()
    statuses = [client.post(TOKEN, {}, format="json").status_code for _ in range(20)]
    assert statuses == [400] * 20
    assert_error_shape(client.post(TOKEN, {}, format="json"), 429, "rate_limited")


def test_token_lock_out_answers_in_the_error_shape(users):
    analyst = users[Role.DATA_ANALYST]
    client = APIClient()
    for _ in range(4):
        bad = client.post(TOKEN, {"username": analyst.username, "password": "wrong-password"}, format="json")
        assert_error_shape(bad, 401, "not_authenticated")
    # the fifth failure locks the account: JSON, not axes' HTML page
    assert_error_shape(
        client.post(TOKEN, {"username": analyst.username, "password": "wrong-password"}, format="json"),
        429,
        "locked_out",
    )
    # and while locked, even the right password gets no token
    locked = client.post(TOKEN, {"username": analyst.username, "password": PASSWORD}, format="json")
    assert_error_shape(locked, 429, "locked_out")
    assert not Token.objects.filter(user=analyst).exists()


def test_deactivation_revokes_api_tokens(users, system_actor, api_token_for):
    client = api_token_for(users[Role.INVESTIGATOR])
    assert client.get(ME).status_code == 200
    user_set_active(actor=system_actor, user=users[Role.INVESTIGATOR], active=False)
    assert_error_shape(client.get(ME), 401, "not_authenticated")
