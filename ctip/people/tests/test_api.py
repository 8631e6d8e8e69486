"""Permission and behaviour tests for every people API endpoint: anonymous, wrong role, other agency, allowed."""

from __future__ import annotations

import uuid

import pytest

from ctip.core.tests.routes import covers
from ctip.people.identity import open_identity
from ctip.people.models import Person

from .conftest import HOME_FIRST, HOME_LAST, HOME_NATIONAL_ID, HOME_PHONE_E164

pytestmark = pytest.mark.django_db

NO_REGISTRY_ROLES = ["sysadmin", "hotline_operator", "data_analyst", "auditor"]
LIST = "/api/v1/persons/"
LOOKUP = "/api/v1/persons/lookup/"


def detail_url(person) -> str:
    return f"/api/v1/persons/{person.public_id}/"


API_ROUTES = ("api-persons", "api-person", "api-person-identity", "api-person-lookup")


def identity_url(person) -> str:
    return f"/api/v1/persons/{person.public_id}/identity/"


def _no_identity(response) -> None:
    body = response.content.decode()
    for secret in (HOME_FIRST, HOME_LAST, HOME_NATIONAL_ID, HOME_PHONE_E164):
        assert secret not in body


NEW_IDENTITY = {
    "first_name": "Tabithakwe",
    "last_name": "Chepkoechyo",
    "sex": "female",
    "citizenships": ["ke"],
    "identifiers": [{"kind": "phone", "value": "0710 101 202"}, {"kind": "passport", "value": "ak 1122334"}],
}


# --- anonymous ----------------------------------------------------------------------------------------


@covers("anonymous", *API_ROUTES)
def test_anonymous_gets_401_everywhere_and_changes_nothing(api_for, person, audit_events):
    client = api_for(None)
    responses = [
        client.get(LIST),
        client.post(LIST, NEW_IDENTITY, format="json"),
        client.get(detail_url(person)),
        client.get(identity_url(person)),
        client.put(identity_url(person), {**NEW_IDENTITY, "version": person.version}, format="json"),
        client.post(LOOKUP, {"kind": "phone", "value": HOME_PHONE_E164}, format="json"),
    ]
    for response in responses:
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
        _no_identity(response)
    assert Person.objects.count() == 1
    assert Person.objects.get().version == person.version
    assert audit_events("identity.read") == []
    assert audit_events("identity.search") == []


def test_session_without_second_factor_is_refused(users, person):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(users["case_worker"])  # password only, no TOTP step
    response = client.get(identity_url(person))
    assert response.status_code == 403
    assert response.json()["code"] == "mfa_required"
    _no_identity(response)


# --- wrong role -----------------------------------------------------------------------------------------


@covers("wrong_role", *API_ROUTES)
@pytest.mark.parametrize("role", NO_REGISTRY_ROLES)
def test_wrong_role_reads_nothing(role, users, api_for, person, audit_events):
    client = api_for(users[role])
    assert client.get(LIST).status_code == 403
    assert client.get(detail_url(person)).status_code == 404
    response = client.get(identity_url(person))
    assert response.status_code == 404
    _no_identity(response)
    response = client.post(LOOKUP, {"kind": "phone", "value": HOME_PHONE_E164}, format="json")
    assert response.status_code == 403
    assert audit_events("identity.read") == []
    assert audit_events("identity.search") == []


@pytest.mark.parametrize("role", [*NO_REGISTRY_ROLES, "service_provider"])
def test_wrong_role_cannot_register_or_edit(role, users, api_for, person):
    client = api_for(users[role])
    response = client.post(LIST, NEW_IDENTITY, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    response = client.put(identity_url(person), {**NEW_IDENTITY, "version": person.version}, format="json")
    # none of these roles may see the person, so for them it does not exist (as in test_wrong_role_reads_nothing)
    assert response.status_code == 404, response.json()
    assert Person.objects.count() == 1
    assert Person.objects.get().version == person.version


# --- other agency ----------------------------------------------------------------------------------------


@covers("other_agency", *API_ROUTES)
@pytest.mark.parametrize("role", ["case_worker", "investigator", "service_provider"])
def test_other_agency_cannot_see_or_edit_the_person(role, other_users, api_for, person, audit_events):
    client = api_for(other_users[role])
    response = client.get(LIST)
    assert response.status_code == 200
    assert str(person.public_id) not in response.content.decode()
    assert client.get(detail_url(person)).status_code == 404
    response = client.get(identity_url(person))
    assert response.status_code == 404
    _no_identity(response)
    response = client.put(identity_url(person), {**NEW_IDENTITY, "version": person.version}, format="json")
    assert response.status_code == 404
    response = client.post(LOOKUP, {"kind": "national_id", "value": HOME_NATIONAL_ID}, format="json")
    assert response.status_code == 200
    assert response.json() == []
    assert Person.objects.get().version == person.version
    assert audit_events("identity.read") == []


def test_other_agency_coordinator_sees_the_record_but_not_the_identity(other_users, api_for, person, audit_events):
    client = api_for(other_users["coordinator"])
    response = client.get(detail_url(person))
    assert response.status_code == 200
    assert response.json()["id"] == str(person.public_id)
    _no_identity(response)
    response = client.get(identity_url(person))
    assert response.status_code == 403
    _no_identity(response)
    assert audit_events("identity.read") == []
    response = client.put(identity_url(person), {**NEW_IDENTITY, "version": person.version}, format="json")
    assert response.status_code == 404
    assert Person.objects.get().version == person.version


# --- allowed ---------------------------------------------------------------------------------------------


@covers("allowed", "api-persons", "api-person")
def test_list_and_detail_never_carry_identity(users, api_for, person, agency):
    client = api_for(users["case_worker"])
    response = client.get(LIST)
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(person.public_id)]
    assert response.json()["results"][0]["owning_agency"] == str(agency.public_id)
    _no_identity(response)
    response = client.get(detail_url(person))
    assert response.status_code == 200
    assert set(response.json()) == {"id", "owning_agency", "created_at", "version", "is_active"}
    _no_identity(response)


@covers("allowed", "api-person-identity")
def test_identity_read_returns_the_identity_and_is_logged(users, api_for, person, audit_events):
    reader = users["immigration_officer"]
    # when
    response = api_for(reader).get(identity_url(person))
    # then
    assert response.status_code == 200
    data = response.json()
    assert (data["first_name"], data["last_name"]) == (HOME_FIRST, HOME_LAST)
    assert {(i["kind"], i["value"]) for i in data["identifiers"]} == {
        ("phone", HOME_PHONE_E164),
        ("national_id", HOME_NATIONAL_ID),
    }
    [event] = audit_events("identity.read", person.public_id)
    assert event.actor_id == reader.pk
    assert event.agency_id == reader.agency_id
    assert event.changes == {"purpose": "api", "via": "agency"}
    assert event.channel == "api"
    assert HOME_LAST not in str(event.changes)


def test_register_through_the_api(users, api_for, agency, audit_events):
    actor = users["labour_officer"]
    # when
    response = api_for(actor).post(LIST, NEW_IDENTITY, format="json")
    # then
    assert response.status_code == 201
    assert "Tabithakwe" not in response.content.decode()
    person = Person.objects.get(public_id=response.json()["id"])
    assert person.owning_agency == agency
    identity = open_identity(person)
    assert identity.full_name == "Tabithakwe Chepkoechyo"
    assert identity.citizenships == ["KE"]
    assert identity.phones == ["+254710101202"]
    [event] = audit_events("person.create", person.public_id)
    assert event.actor_id == actor.pk
    assert "Tabithakwe" not in str(event.changes)


def test_register_with_invalid_identifiers_is_400_and_creates_nothing(users, api_for, audit_events):
    body = {**NEW_IDENTITY, "identifiers": [{"kind": "phone", "value": "12"}, {"kind": "national_id", "value": "x"}]}
    response = api_for(users["case_worker"]).post(LIST, body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert set(response.json()["fields"]) == {"phone", "national_id"}
    assert Person.objects.count() == 0
    assert audit_events("person.create") == []


def test_update_identity_with_version_check(users, api_for, person, audit_events):
    client = api_for(users["case_worker"])
    # when updated with the current version
    response = client.put(identity_url(person), {**NEW_IDENTITY, "version": person.version}, format="json")
    # then
    assert response.status_code == 200
    assert response.json()["version"] == person.version + 1
    assert open_identity(Person.objects.get(pk=person.pk)).first_name == "Tabithakwe"
    [event] = audit_events("person.update", person.public_id)
    assert "first_name" in event.changes["fields_changed"]
    assert "Tabithakwe" not in str(event.changes)
    # when sent again with the old version
    response = client.put(identity_url(person), {**NEW_IDENTITY, "version": person.version}, format="json")
    # then
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert Person.objects.get(pk=person.pk).version == person.version + 1


@covers("allowed", "api-person-lookup")
def test_lookup_finds_by_any_phone_form_and_logs_without_the_value(users, api_for, person, audit_events):
    client = api_for(users["case_worker"])
    for typed in ("0722123456", "+254 722 123 456"):
        response = client.post(LOOKUP, {"kind": "phone", "value": typed}, format="json")
        assert response.status_code == 200
        assert [r["id"] for r in response.json()] == [str(person.public_id)]
    events = audit_events("identity.search")
    assert len(events) == 2
    assert all(e.changes == {"kind": "phone", "results": 1} for e in events)
    response = client.post(LOOKUP, {"kind": "phone", "value": "not a phone"}, format="json")
    assert response.json() == []


def test_unknown_person_is_404(users, api_for):
    client = api_for(users["case_worker"])
    missing = uuid.uuid4()
    assert client.get(f"/api/v1/persons/{missing}/").status_code == 404
    assert client.get(f"/api/v1/persons/{missing}/identity/").status_code == 404


# --- duplicate check at registration ---------------------------------------------------------------------


def test_api_create_answers_409_with_candidates_then_registers_when_confirmed(users, api_for, person, audit_events):
    from ctip.people.models import Person

    from .conftest import HOME_FIRST, HOME_LAST, HOME_NATIONAL_ID

    client = api_for(users["case_worker"])
    body = {
        "first_name": HOME_FIRST,
        "last_name": HOME_LAST,
        "identifiers": [{"kind": "national_id", "value": HOME_NATIONAL_ID}],
    }
    response = client.post(LIST, body, format="json")
    assert response.status_code == 409
    data = response.json()
    assert data["code"] == "possible_duplicate" and data["fields"] == {}
    assert [c["person"] for c in data["candidates"]] == [str(person.public_id)]
    assert "same national ID number" in data["candidates"][0]["reasons"]
    assert Person.objects.count() == 1
    response = client.post(LIST, {**body, "confirm_new_person": True}, format="json")
    assert response.status_code == 201
    assert Person.objects.count() == 2
    assert audit_events("person.create")[0].changes["candidates_dismissed"] is True
