"""Account and agency services called directly: who may call them, validation, and the audit event each writes."""

from __future__ import annotations

import uuid

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ctip.accounts import selectors, services
from ctip.accounts.context_processors import navigation
from ctip.accounts.enums import Role
from ctip.accounts.models import Agency, User
from ctip.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from ctip.reference.models import County

from .helpers import ALL_ROLES, PASSWORD, assert_error_shape, audit_actions, last_event, totp_now

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Another-Strong-Pass-77"


# --- agencies ------------------------------------------------------------------------------------


def test_agency_create_is_audited_with_counties(system_actor):
    agency = services.agency_create(
        actor=system_actor,
        name="Mombasa Rescue Shelter",
        agency_type="shelter",
        counties=list(County.objects.filter(code="001")),
    )
    assert agency.created_by == system_actor
    assert list(agency.counties.values_list("code", flat=True)) == ["001"]
    assert agency.htcds_org_type == "NGO"
    event = last_event("agency.create")
    assert event.target_id == str(agency.public_id) and event.changes["name"] == "Mombasa Rescue Shelter"


@pytest.mark.parametrize("role", [r for r in ALL_ROLES if r != Role.SYSADMIN])
def test_only_sysadmin_manages_agencies(users, agency, role):
    with pytest.raises(PermissionDenied):
        services.agency_create(actor=users[role], name="Rogue Unit", agency_type="police")
    with pytest.raises(PermissionDenied):
        services.agency_update(actor=users[role], agency=agency, name="Renamed")
    assert not Agency.objects.filter(name__in=["Rogue Unit", "Renamed"]).exists()


def test_agency_validation(system_actor, agency):
    with pytest.raises(ValidationFailed) as dup:
        services.agency_create(actor=system_actor, name=agency.name, agency_type="police")
    assert "name" in dup.value.fields
    with pytest.raises(ValidationFailed) as bad_type:
        services.agency_create(actor=system_actor, name="Something", agency_type="spaceforce")
    assert "agency_type" in bad_type.value.fields


def test_agency_update_records_changes_and_checks_version(system_actor, agency):
    version = agency.version
    updated = services.agency_update(
        actor=system_actor,
        agency=agency,
        expected_version=version,
        name="Renamed Unit",
        counties=list(County.objects.filter(code="042")),
    )
    assert updated.name == "Renamed Unit" and updated.version == version + 1
    event = last_event("agency.update")
    assert event.changes["name"] == ["Home Agency Anti-Trafficking Unit", "Renamed Unit"]
    assert event.changes["counties"] == [["001", "047"], ["042"]]
    # a second writer holding the old version is refused
    with pytest.raises(Conflict):
        services.agency_update(actor=system_actor, agency=agency, expected_version=version, name="Lost Update")
    agency.refresh_from_db()
    assert agency.name == "Renamed Unit"


def test_agency_page_shows_duplicate_name_error(users, agency, other_agency, client_for):
    response = client_for(users[Role.SYSADMIN]).post(
        reverse("accounts:agency_create"), {"name": other_agency.name, "agency_type": "police"}
    )
    assert response.status_code == 200 and response.context["form"].errors["name"]
    assert Agency.objects.filter(name=other_agency.name).count() == 1


# --- users ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [r for r in ALL_ROLES if r != Role.SYSADMIN])
def test_only_sysadmin_manages_users(users, agency, role):
    actor = users[role]
    target = users[Role.CASE_WORKER] if role != Role.CASE_WORKER else users[Role.INVESTIGATOR]
    calls = [
        lambda: services.user_create(
            actor=actor, username="x-new", password=NEW_PASSWORD, role=Role.CASE_WORKER, agency=agency
        ),
        lambda: services.user_update(
            actor=actor, user=target, role=Role.COORDINATOR, agency=agency, first_name="", last_name="", email=""
        ),
        lambda: services.user_set_active(actor=actor, user=target, active=False),
        lambda: services.user_reset_mfa(actor=actor, user=target),
        lambda: services.user_set_password(actor=actor, user=target, password=NEW_PASSWORD),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    target.refresh_from_db()
    assert target.is_active and target.role != Role.COORDINATOR and target.check_password(PASSWORD)
    assert not User.objects.filter(username="x-new").exists()
    with pytest.raises(PermissionDenied):
        selectors.user_list_for_admin(user=actor)


def test_user_create_in_an_inactive_agency_is_refused(system_actor, agency):
    agency = services.agency_update(actor=system_actor, agency=agency, is_active=False)
    with pytest.raises(ValidationFailed) as exc:
        services.user_create(
            actor=system_actor, username="late", password=NEW_PASSWORD, role=Role.CASE_WORKER, agency=agency
        )
    assert "agency" in exc.value.fields
    assert not User.objects.filter(username="late").exists()


def test_api_user_create_in_an_inactive_agency_is_400(users, system_actor, agency, api_token_for):
    services.agency_update(actor=system_actor, agency=agency, is_active=False)
    response = api_token_for(users[Role.SYSADMIN]).post(
        "/api/v1/users/",
        {"username": "late", "password": NEW_PASSWORD, "role": Role.CASE_WORKER, "agency": str(agency.public_id)},
        format="json",
    )
    assert "agency" in assert_error_shape(response, 400, "validation_error")["fields"]


def test_user_create_strips_username_and_hashes_password(system_actor, agency):
    user = services.user_create(
        actor=system_actor, username="  spaced.name ", password=NEW_PASSWORD, role=Role.AUDITOR, agency=agency
    )
    assert user.username == "spaced.name"
    assert user.password != NEW_PASSWORD and user.check_password(NEW_PASSWORD)
    assert NEW_PASSWORD not in str(last_event("user.create").changes)


def test_user_may_set_own_password_but_not_anothers(users):
    worker = users[Role.CASE_WORKER]
    services.user_set_password(actor=worker, user=worker, password=NEW_PASSWORD)
    worker.refresh_from_db()
    assert worker.check_password(NEW_PASSWORD)
    event = last_event("user.password_set")
    assert event.actor == worker and event.changes == {}
    with pytest.raises(ValidationFailed) as weak:
        services.user_set_password(actor=worker, user=worker, password="abc")
    assert "password" in weak.value.fields


def test_admin_resets_another_users_password(users):
    target = users[Role.AUDITOR]
    services.user_set_password(actor=users[Role.SYSADMIN], user=target, password=NEW_PASSWORD)
    target.refresh_from_db()
    assert target.check_password(NEW_PASSWORD)
    assert audit_actions(action="user.password_set", target_id=str(target.public_id)) == ["user.password_set"]


def test_selectors_not_found(users):
    with pytest.raises(NotFound):
        selectors.user_get_for_admin(user=users[Role.SYSADMIN], public_id=uuid.uuid4())
    with pytest.raises(NotFound):
        selectors.user_get_for_admin(user=users[Role.SYSADMIN], public_id="not-a-uuid")
    with pytest.raises(NotFound):
        services.get_agency("nope")


def test_agency_users_who_can(users, other_users, agency, system_actor):
    officers = selectors.agency_users_who_can(agency=agency, action="case.screen")
    assert users[Role.CASE_WORKER] in officers and users[Role.DATA_ANALYST] not in officers
    assert other_users[Role.CASE_WORKER] not in officers
    services.user_set_active(actor=system_actor, user=users[Role.CASE_WORKER], active=False)
    assert users[Role.CASE_WORKER] not in selectors.agency_users_who_can(agency=agency, action="case.screen")
    assert not selectors.agency_users_who_can(agency=None, action="case.screen").exists()


# --- second factor and tokens --------------------------------------------------------------------


def test_mfa_new_key_stores_nothing(users):
    first, second = services.mfa_new_key(), services.mfa_new_key()
    assert first != second and len(bytes.fromhex(first)) == 20
    assert not TOTPDevice.objects.exists()


def test_mfa_device_confirm_replaces_the_old_device_given_its_current_code(users):
    user = users[Role.CASE_WORKER]
    old = TOTPDevice.objects.create(user=user, name="old phone", confirmed=True)
    TOTPDevice.objects.create(user=user, name="half-done", confirmed=False)
    key = services.mfa_new_key()
    device = services.mfa_device_confirm(
        actor=user, key=key, token=totp_now(TOTPDevice(key=key)), current_token=totp_now(old)
    )
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", "confirmed")) == [(device.pk, True)]
    assert last_event("auth.mfa_replaced").actor == user


def test_mfa_device_confirm_without_the_current_code_changes_nothing(users):
    user = users[Role.CASE_WORKER]
    old = TOTPDevice.objects.create(user=user, name="old phone", confirmed=True)
    key = services.mfa_new_key()
    for current in ("", "000000" if totp_now(old) != "000000" else "111111"):
        with pytest.raises(ValidationFailed) as caught:
            # the password does not stand in for the current device's code
            services.mfa_device_confirm(
                actor=user, key=key, token=totp_now(TOTPDevice(key=key)), current_token=current, password=PASSWORD
            )
        assert set(caught.value.fields) == {"current_token"}
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", flat=True)) == [old.pk]
    failed = last_event("auth.mfa_enrol_failed")
    assert failed.actor == user and failed.changes == {"failed": ["current_token"], "replacing": True}


def test_first_enrolment_needs_the_password(users):
    user = users[Role.CASE_WORKER]
    key = services.mfa_new_key()
    with pytest.raises(ValidationFailed) as caught:
        services.mfa_device_confirm(actor=user, key=key, token=totp_now(TOTPDevice(key=key)), password="wrong")
    assert set(caught.value.fields) == {"password"}
    assert not TOTPDevice.objects.filter(user=user).exists()
    device = services.mfa_device_confirm(actor=user, key=key, token=totp_now(TOTPDevice(key=key)), password=PASSWORD)
    assert device.confirmed is True and device.user == user
    assert last_event("auth.mfa_enrolled").actor == user


def test_api_token_needs_a_verified_session_for_mfa_roles(users):
    worker = users[Role.INVESTIGATOR]
    worker.is_verified = lambda: False
    with pytest.raises(PermissionDenied):
        services.api_token_issue(actor=worker)
    assert not Token.objects.filter(user=worker).exists()
    worker.is_verified = lambda: True
    token = services.api_token_issue(actor=worker)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/me/").json()["username"] == worker.username
    services.api_token_revoke(actor=worker)
    assert client.get("/api/v1/me/").status_code == 401


# --- navigation ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_navigation_follows_the_role(users, role):
    user = users[role]
    user.is_verified = lambda: True
    request = RequestFactory().get("/")
    request.user = user
    labels = {str(item["label"]) for item in navigation(request)["nav_items"]}
    assert ("Users" in labels) is (role == Role.SYSADMIN)
    assert ("Audit trail" in labels) is (role == Role.AUDITOR)
    assert ("Break-the-glass review" in labels) is (role in {Role.COORDINATOR, Role.AUDITOR})
    assert ("Persons" in labels) is (
        role not in {Role.SYSADMIN, Role.HOTLINE_OPERATOR, Role.DATA_ANALYST, Role.AUDITOR, Role.TRUST_FUND_OFFICER}
    )
    assert ("Trust Fund" in labels) is (role in {Role.TRUST_FUND_OFFICER, Role.COORDINATOR, Role.AUDITOR})
    assert {"Home", "Agencies"} <= labels


def test_navigation_is_empty_before_the_second_factor(users):
    user = users[Role.CASE_WORKER]
    user.is_verified = lambda: False
    request = RequestFactory().get("/")
    request.user = user
    assert navigation(request) == {"nav_items": []}


def test_users_create_checks_and_audits_each_and_hashes_the_shared_password_once(system_actor, agency):
    specs = [
        {"username": "cohort.one", "role": Role.CASE_WORKER, "agency": agency},
        {"username": "cohort.two", "role": Role.AUDITOR, "agency": agency},
    ]
    one, two = services.users_create(actor=system_actor, password=NEW_PASSWORD, users=specs)
    assert one.check_password(NEW_PASSWORD) and two.check_password(NEW_PASSWORD)
    assert one.password == two.password != NEW_PASSWORD
    assert audit_actions().count("user.create") >= 2
    with pytest.raises(ValidationFailed):  # each is checked as user_create checks it: all or nothing
        services.users_create(
            actor=system_actor,
            password=NEW_PASSWORD,
            users=[
                {"username": "cohort.three", "role": Role.AUDITOR, "agency": agency},
                {"username": "x", "role": "x", "agency": agency},
            ],
        )
    assert not User.objects.filter(username="cohort.three").exists()
