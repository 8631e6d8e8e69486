"""Permission and behaviour tests for every people page: anonymous, wrong role, other agency, allowed.

Identity reads are checked for their audit event; denied requests check that nothing changed.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ctip.core.tests.routes import covers
from ctip.people.identity import open_identity
from ctip.people.models import Person, PersonPhoto

from .conftest import HOME_FIRST, HOME_LAST, HOME_NATIONAL_ID, HOME_PHONE_E164

pytestmark = pytest.mark.django_db

# Roles that see identity data of their own agency's records.
IDENTITY_ROLES = [
    "coordinator",
    "investigator",
    "prosecutor",
    "case_worker",
    "labour_officer",
    "immigration_officer",
    "consular_officer",
]
# Roles with no access to the person registry at all.
NO_REGISTRY_ROLES = ["sysadmin", "hotline_operator", "data_analyst", "auditor"]

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _text(response) -> str:
    return response.content.decode(errors="replace")


def _no_identity(response) -> None:
    body = _text(response)
    for secret in (HOME_FIRST, HOME_LAST, HOME_NATIONAL_ID, HOME_PHONE_E164):
        assert secret not in body


def _masked(response, public_id) -> str:
    """The page with its record id and per-request CSRF tokens blanked, to compare two pages."""
    body = _text(response).replace(str(public_id), "ID")
    return re.sub(r'(csrfmiddlewaretoken" value="|CSRFToken": ")[^"]+', r"\1X", body)


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and reverse("accounts:login") in response["Location"]


# --- detail -----------------------------------------------------------------------------------------


@covers("anonymous", "people:detail")
def test_detail_anonymous_is_sent_to_log_in(client, person, audit_events):
    response = client.get(reverse("people:detail", args=[person.public_id]))
    assert _is_login_redirect(response)
    assert audit_events("identity.read") == []


@covers("wrong_role", "people:detail")
@pytest.mark.parametrize("role", NO_REGISTRY_ROLES)
def test_detail_wrong_role_is_forbidden_and_shows_no_identity(role, users, client_for, person, audit_events):
    response = client_for(users[role]).get(reverse("people:detail", args=[person.public_id]))
    assert response.status_code == 403
    _no_identity(response)
    assert audit_events("identity.read") == []


@covers("allowed", "people:detail")
@pytest.mark.parametrize("role", IDENTITY_ROLES)
def test_detail_allowed_shows_identity_and_logs_the_read(role, users, client_for, person, audit_events):
    # given a user of the owning agency
    user = users[role]
    # when
    response = client_for(user).get(reverse("people:detail", args=[person.public_id]))
    # then the name and identifiers are shown
    assert response.status_code == 200
    body = _text(response)
    assert f"{HOME_FIRST} {HOME_LAST}" in body
    assert HOME_PHONE_E164 in body
    assert HOME_NATIONAL_ID in body
    # and exactly one identity read is logged, for this user, agency and person, without the data itself
    events = audit_events("identity.read", person.public_id)
    assert len(events) == 1
    event = events[0]
    assert event.actor_id == user.pk
    assert event.agency_id == user.agency_id
    assert event.target_type == "people.person"
    assert event.changes == {"purpose": "detail", "via": "agency"}
    assert event.channel == "web"


def test_detail_other_agency_frontline_gets_the_restricted_page(other_users, client_for, person, audit_events):
    # given a case worker of another agency (who may break the glass)
    response = client_for(other_users["case_worker"]).get(reverse("people:detail", args=[person.public_id]))
    # then a 403 restricted page, offering break-the-glass, and nothing about the person
    assert response.status_code == 403
    assert reverse("people:break_glass", args=[person.public_id]) in _text(response)
    _no_identity(response)
    # the reference is not shown (the break-glass link holds the id, whose first group may be all digits)
    assert person.ref not in _text(response).replace(str(person.public_id), "")
    assert audit_events("identity.read") == []


def test_detail_restricted_page_is_the_same_for_a_missing_id(other_users, client_for, person):
    import uuid

    client = client_for(other_users["case_worker"])
    existing = client.get(reverse("people:detail", args=[person.public_id]))
    missing_id = uuid.uuid4()
    missing = client.get(reverse("people:detail", args=[missing_id]))
    assert existing.status_code == missing.status_code == 403
    assert _masked(existing, person.public_id) == _masked(missing, missing_id)


@covers("other_agency", "people:detail")
def test_detail_other_agency_service_provider_gets_not_found(other_users, client_for, person):
    response = client_for(other_users["service_provider"]).get(reverse("people:detail", args=[person.public_id]))
    assert response.status_code == 404
    _no_identity(response)


def test_detail_other_agency_coordinator_sees_the_record_but_not_the_identity(
    other_users, client_for, person, audit_events
):
    # the national coordinator sees that the record exists nationally, but identity only for its own agency
    response = client_for(other_users["coordinator"]).get(reverse("people:detail", args=[person.public_id]))
    assert response.status_code == 200
    assert person.ref in _text(response)
    assert response.context["identity"] is None
    _no_identity(response)
    assert audit_events("identity.read") == []


@pytest.fixture
def shared_with_other_agency(users, other_agency, person):
    """The owning agency shares the person with the other agency (to read, as for a referral)."""
    from ctip.accounts.services import share_grant

    share_grant(
        actor=users["case_worker"],
        target_type="people.person",
        target_id=person.public_id,
        owning_agency_id=person.owning_agency_id,
        agency=other_agency,
        sections=[],
        reason="Referral to the children's office",
    )
    return person


def test_detail_shared_record_shows_identity_to_the_other_agency_and_logs_via_share(
    other_users, client_for, shared_with_other_agency, person, audit_events
):
    # given the owning agency shares the record with the other agency (shared_with_other_agency)
    # when the other agency's service provider opens it
    reader = other_users["service_provider"]
    response = client_for(reader).get(reverse("people:detail", args=[person.public_id]))
    # then
    assert response.status_code == 200
    assert HOME_LAST in _text(response)
    [event] = audit_events("identity.read", person.public_id)
    assert event.actor_id == reader.pk
    assert event.changes["via"] == "share"


# --- list and identifier search -----------------------------------------------------------------------


@covers("anonymous", "people:list")
def test_list_anonymous_is_sent_to_log_in(client, person):
    assert _is_login_redirect(client.get(reverse("people:list")))
    assert _is_login_redirect(client.post(reverse("people:list"), {"kind": "phone", "value": HOME_PHONE_E164}))


@covers("wrong_role", "people:list")
@pytest.mark.parametrize("role", NO_REGISTRY_ROLES)
def test_list_wrong_role_is_forbidden(role, users, client_for, person, audit_events):
    client = client_for(users[role])
    assert client.get(reverse("people:list")).status_code == 403
    response = client.post(reverse("people:list"), {"kind": "phone", "value": HOME_PHONE_E164})
    assert response.status_code == 403
    _no_identity(response)
    assert audit_events("identity.search") == []
    assert audit_events("identity.list") == []


@covers("allowed", "people:list")
def test_list_allowed_shows_names_and_logs_one_list_event(users, client_for, person, make_person, audit_events):
    second = make_person(users["investigator"], first_name="Kerubokwe", last_name="Nyamweyaa")
    reader = users["case_worker"]
    # when
    response = client_for(reader).get(reverse("people:list"))
    # then
    assert response.status_code == 200
    body = _text(response)
    assert f"{HOME_FIRST} {HOME_LAST}" in body
    assert "Kerubokwe Nyamweyaa" in body
    [event] = audit_events("identity.list")
    assert event.actor_id == reader.pk
    assert sorted(event.changes["persons"]) == sorted([str(person.public_id), str(second.public_id)])
    assert HOME_LAST not in str(event.changes)


@covers("other_agency", "people:list")
def test_list_other_agency_user_does_not_see_the_person(other_users, client_for, person, audit_events):
    response = client_for(other_users["case_worker"]).get(reverse("people:list"))
    assert response.status_code == 200
    assert person.ref not in _text(response)
    _no_identity(response)
    assert audit_events("identity.list") == []


def test_list_other_agency_coordinator_sees_the_row_without_the_name(other_users, client_for, person, audit_events):
    response = client_for(other_users["coordinator"]).get(reverse("people:list"))
    assert response.status_code == 200
    assert person.ref in _text(response)
    assert response.context["rows"] == [(person, None)]
    _no_identity(response)
    assert audit_events("identity.list") == []


def test_list_service_provider_without_share_sees_nothing(users, client_for, person):
    response = client_for(users["service_provider"]).get(reverse("people:list"))
    assert response.status_code == 200
    assert response.context["rows"] == []


@pytest.mark.parametrize("typed", [HOME_PHONE_E164, "0722123456", "254 722 123 456"])
def test_search_by_phone_finds_the_person_and_logs_without_the_number(typed, users, client_for, person, audit_events):
    reader = users["case_worker"]
    response = client_for(reader).post(reverse("people:list"), {"kind": "phone", "value": typed})
    assert response.status_code == 200
    assert [p for p, _name in response.context["rows"]] == [person]
    assert f"{HOME_FIRST} {HOME_LAST}" in _text(response)
    [event] = audit_events("identity.search")
    assert event.actor_id == reader.pk
    assert event.changes == {"kind": "phone", "results": 1}
    assert "722123456" not in str(event.changes)


def test_search_by_national_id_from_another_agency_finds_nothing(other_users, client_for, person, audit_events):
    response = client_for(other_users["case_worker"]).post(
        reverse("people:list"), {"kind": "national_id", "value": HOME_NATIONAL_ID}
    )
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert HOME_LAST not in _text(response)
    assert person.ref not in _text(response)
    [event] = audit_events("identity.search")
    assert event.changes == {"kind": "national_id", "results": 0}


# --- create -----------------------------------------------------------------------------------------

CREATE_DATA = {
    "first_name": "Nyokabiwa",
    "last_name": "Kimathiyo",
    "phones": "0799 888 777, +254 711 000 111",
    "national_id": "31415926",
    "passport": "AK9876543",
    "sex": "female",
    "citizenships": ["KE"],
}


@covers("anonymous", "people:create")
def test_create_anonymous_is_sent_to_log_in_and_creates_nothing(client, db):
    assert _is_login_redirect(client.get(reverse("people:create")))
    assert _is_login_redirect(client.post(reverse("people:create"), CREATE_DATA))
    assert Person.objects.count() == 0


@covers("wrong_role", "people:create")
@pytest.mark.parametrize("role", [*NO_REGISTRY_ROLES, "service_provider"])
def test_create_wrong_role_is_forbidden_and_creates_nothing(role, users, client_for):
    client = client_for(users[role])
    assert client.get(reverse("people:create")).status_code == 403
    assert client.post(reverse("people:create"), CREATE_DATA).status_code == 403
    assert Person.objects.count() == 0


@covers("allowed", "people:create")
def test_create_allowed_registers_in_the_users_agency(users, client_for, agency, audit_events):
    actor = users["investigator"]
    client = client_for(actor)
    assert client.get(reverse("people:create")).status_code == 200
    # when
    response = client.post(reverse("people:create"), CREATE_DATA)
    # then
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.public_id])
    assert person.owning_agency == agency
    assert person.created_by == actor
    identity = open_identity(person)
    assert identity.full_name == "Nyokabiwa Kimathiyo"
    assert sorted(identity.phones) == ["+254711000111", "+254799888777"]
    assert identity.of_kind("national_id") == ["31415926"]
    [event] = audit_events("person.create", person.public_id)
    assert event.actor_id == actor.pk
    assert event.agency_id == agency.pk
    assert "Nyokabiwa" not in str(event.changes)
    assert event.changes["identifier_kinds"] == ["national_id", "passport", "phone"]


def test_create_with_an_invalid_phone_shows_the_error_and_creates_nothing(users, client_for, audit_events):
    response = client_for(users["case_worker"]).post(reverse("people:create"), {**CREATE_DATA, "phones": "12"})
    assert response.status_code == 200
    assert response.context["form"].errors["phones"]
    assert Person.objects.count() == 0
    assert audit_events("person.create") == []


# --- edit -------------------------------------------------------------------------------------------


def _edit_data(person, **overrides):
    return {
        "first_name": HOME_FIRST,
        "last_name": "Renamedson",
        "phones": HOME_PHONE_E164,
        "national_id": HOME_NATIONAL_ID,
        "version": person.version,
        **overrides,
    }


@covers("anonymous", "people:edit")
def test_edit_anonymous_is_sent_to_log_in(client, person):
    url = reverse("people:edit", args=[person.public_id])
    assert _is_login_redirect(client.get(url))
    assert _is_login_redirect(client.post(url, _edit_data(person)))
    assert Person.objects.get(pk=person.pk).version == person.version


@covers("wrong_role", "people:edit")
@pytest.mark.parametrize("role", [*NO_REGISTRY_ROLES, "service_provider"])
def test_edit_wrong_role_is_forbidden(role, users, client_for, person):
    client = client_for(users[role])
    url = reverse("people:edit", args=[person.public_id])
    response = client.get(url)
    assert response.status_code == 403
    _no_identity(response)
    assert client.post(url, _edit_data(person)).status_code == 403
    assert Person.objects.get(pk=person.pk).version == person.version


@covers("other_agency", "people:edit")
@pytest.mark.parametrize("role", ["case_worker", "coordinator"])
def test_edit_other_agency_is_not_found_and_changes_nothing(role, other_users, client_for, person, audit_events):
    client = client_for(other_users[role])
    url = reverse("people:edit", args=[person.public_id])
    response = client.get(url)
    assert response.status_code == 404
    _no_identity(response)
    assert client.post(url, _edit_data(person)).status_code == 404
    assert Person.objects.get(pk=person.pk).version == person.version
    assert audit_events("identity.read") == []
    assert audit_events("person.update") == []


@covers("allowed", "people:edit")
def test_edit_allowed_shows_the_identity_logs_the_read_and_saves(users, client_for, person, audit_events):
    editor = users["prosecutor"]
    client = client_for(editor)
    url = reverse("people:edit", args=[person.public_id])
    # when the form is opened
    response = client.get(url)
    # then it is pre-filled, and the read is logged with purpose "edit"
    assert response.status_code == 200
    assert HOME_LAST in _text(response)
    [read] = audit_events("identity.read", person.public_id)
    assert read.changes["purpose"] == "edit"
    # when saved
    response = client.post(url, _edit_data(person))
    # then
    assert response.status_code == 302
    saved = Person.objects.get(pk=person.pk)
    assert saved.version == person.version + 1
    assert open_identity(saved).last_name == "Renamedson"
    [update] = audit_events("person.update", person.public_id)
    assert update.actor_id == editor.pk
    assert "last_name" in update.changes["fields_changed"]
    assert "first_name" not in update.changes["fields_changed"]
    assert "Renamedson" not in str(update.changes)


def test_edit_with_a_stale_version_is_refused(users, client_for, person):
    response = client_for(users["case_worker"]).post(
        reverse("people:edit", args=[person.public_id]), _edit_data(person, version=person.version - 1)
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    saved = Person.objects.get(pk=person.pk)
    assert saved.version == person.version
    assert open_identity(saved).last_name == HOME_LAST


# --- break the glass --------------------------------------------------------------------------------

REASON = "Victim reported at our desk in danger tonight"


@covers("anonymous", "people:break_glass")
def test_break_glass_anonymous_is_sent_to_log_in(client, person):
    from ctip.accounts.models import BreakGlassGrant

    assert _is_login_redirect(client.post(reverse("people:break_glass", args=[person.public_id]), {"reason": REASON}))
    assert BreakGlassGrant.objects.count() == 0


@covers("wrong_role", "people:break_glass")
@pytest.mark.parametrize("role", ["data_analyst", "auditor", "service_provider", "hotline_operator"])
def test_break_glass_wrong_role_is_forbidden(role, other_users, client_for, person):
    from ctip.accounts.models import BreakGlassGrant

    response = client_for(other_users[role]).post(
        reverse("people:break_glass", args=[person.public_id]), {"reason": REASON}
    )
    assert response.status_code == 403
    assert BreakGlassGrant.objects.count() == 0


def test_break_glass_needs_a_reason(other_users, client_for, person):
    from ctip.accounts.models import BreakGlassGrant

    response = client_for(other_users["case_worker"]).post(
        reverse("people:break_glass", args=[person.public_id]), {"reason": "need it"}
    )
    assert response.status_code == 400
    _no_identity(response)
    assert BreakGlassGrant.objects.count() == 0


def test_break_glass_on_a_missing_record_is_not_found(other_users, client_for, person):
    import uuid

    from ctip.accounts.models import BreakGlassGrant

    response = client_for(other_users["case_worker"]).post(
        reverse("people:break_glass", args=[uuid.uuid4()]), {"reason": REASON}
    )
    assert response.status_code == 404
    assert BreakGlassGrant.objects.count() == 0


@covers("allowed", "people:break_glass")
def test_break_glass_opens_the_record_and_every_read_is_logged(other_users, client_for, person, audit_events):
    user = other_users["case_worker"]
    client = client_for(user)
    # when
    response = client.post(reverse("people:break_glass", args=[person.public_id]), {"reason": REASON})
    # then the grant is logged with its reason, and the detail page now shows identity
    assert response.status_code == 302
    [opened] = audit_events("breakglass.open", person.public_id)
    assert opened.actor_id == user.pk
    assert opened.reason == REASON
    response = client.get(reverse("people:detail", args=[person.public_id]))
    assert response.status_code == 200
    assert HOME_LAST in _text(response)
    [read] = audit_events("identity.read", person.public_id)
    assert read.actor_id == user.pk
    assert read.changes["via"] == "break_glass"


# --- photos -----------------------------------------------------------------------------------------


def _upload(client, person, content=PNG, content_type="image/png"):
    return client.post(
        reverse("people:photo_upload", args=[person.public_id]),
        {"photo": SimpleUploadedFile("face.png", content, content_type=content_type)},
    )


@covers("anonymous", "people:photo_upload")
def test_photo_upload_anonymous_is_sent_to_log_in(client, person):
    assert _is_login_redirect(_upload(client, person))
    assert PersonPhoto.objects.count() == 0


@covers("wrong_role", "people:photo_upload")
@pytest.mark.parametrize("role", ["data_analyst", "auditor", "service_provider", "sysadmin"])
def test_photo_upload_wrong_role_is_forbidden(role, users, client_for, person):
    assert _upload(client_for(users[role]), person).status_code == 403
    assert PersonPhoto.objects.count() == 0


@covers("other_agency", "people:photo_upload")
def test_photo_upload_other_agency_is_not_found(other_users, client_for, person):
    assert _upload(client_for(other_users["case_worker"]), person).status_code == 404
    assert PersonPhoto.objects.count() == 0


def test_photo_upload_by_a_share_holder_is_forbidden(
    other_users, client_for, shared_with_other_agency, person, audit_events
):
    # given the record shared with another agency (shared_with_other_agency)
    # when that agency's case worker (who may edit persons of its own agency) uploads a photo
    response = _upload(client_for(other_users["case_worker"]), person)
    # then refused like an identity edit: a share lets the other agency read, not change, the identity
    assert response.status_code == 403
    assert PersonPhoto.objects.count() == 0
    assert audit_events("person.photo_add") == []


def test_photo_upload_refuses_other_file_types(users, client_for, person, audit_events):
    response = _upload(client_for(users["case_worker"]), person, content=b"%PDF-1.4", content_type="application/pdf")
    assert response.status_code == 302
    assert PersonPhoto.objects.count() == 0
    assert audit_events("person.photo_add") == []


@covers("allowed", "people:photo_upload", "people:photo")
def test_photo_upload_and_view_allowed_are_logged(users, client_for, person, audit_events):
    uploader = users["case_worker"]
    # when uploaded
    response = _upload(client_for(uploader), person)
    # then stored sealed, and logged
    assert response.status_code == 302
    photo = PersonPhoto.objects.get()
    assert photo.data.startswith("v1.")
    assert audit_events("person.photo_add", person.public_id)[0].actor_id == uploader.pk
    # when viewed by a colleague
    viewer = users["investigator"]
    response = client_for(viewer).get(reverse("people:photo", args=[person.public_id, photo.public_id]))
    # then the original bytes come back, and the read is logged
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content == PNG
    [read] = audit_events("identity.read_photo", person.public_id)
    assert read.actor_id == viewer.pk


@pytest.fixture
def photo(users, person):
    from ctip.people.services import person_add_photo

    return person_add_photo(actor=users["case_worker"], person=person, content=PNG, content_type="image/png")


@covers("anonymous", "people:photo")
def test_photo_view_anonymous_is_sent_to_log_in(client, person, photo):
    assert _is_login_redirect(client.get(reverse("people:photo", args=[person.public_id, photo.public_id])))


@covers("wrong_role", "people:photo")
@pytest.mark.parametrize("role", ["data_analyst", "auditor", "sysadmin", "hotline_operator"])
def test_photo_view_wrong_role_is_forbidden(role, users, client_for, person, photo, audit_events):
    response = client_for(users[role]).get(reverse("people:photo", args=[person.public_id, photo.public_id]))
    assert response.status_code == 403
    assert PNG not in response.content
    assert audit_events("identity.read_photo") == []


@covers("other_agency", "people:photo")
@pytest.mark.parametrize("role", ["case_worker", "coordinator", "service_provider"])
def test_photo_view_other_agency_is_not_found(role, other_users, client_for, person, photo, audit_events):
    response = client_for(other_users[role]).get(reverse("people:photo", args=[person.public_id, photo.public_id]))
    assert response.status_code == 404
    assert PNG not in response.content
    assert audit_events("identity.read_photo") == []


# --- duplicate check at registration ---------------------------------------------------------------------


def test_create_proposes_an_existing_person_and_saves_nothing_until_confirmed(users, client_for, person, audit_events):
    client = client_for(users["case_worker"])
    data = {"first_name": HOME_FIRST, "last_name": HOME_LAST, "national_id": HOME_NATIONAL_ID}
    # when: the same person is registered again
    response = client.post(reverse("people:create"), data)
    # then: CTIP proposes the existing person, names it (same agency: allowed), and registers nothing yet
    assert response.status_code == 200
    body = _text(response)
    assert "may already be known" in body
    assert reverse("people:detail", args=[person.public_id]) in body
    assert "same national ID number" in body
    assert Person.objects.count() == 1
    assert audit_events("person.create") != [] and len(audit_events("person.create")) == 1
    # when: the officer confirms that this is a new person
    response = client.post(reverse("people:create"), {**data, "confirm_new": "1"})
    # then: registered, and the audit trail says candidates were dismissed
    assert response.status_code == 302
    assert Person.objects.count() == 2
    event = audit_events("person.create")[0]
    assert event.changes["candidates_dismissed"] is True


def test_create_shows_no_name_of_a_candidate_from_another_agency(other_users, client_for, person):
    client = client_for(other_users["case_worker"])
    response = client.post(
        reverse("people:create"), {"first_name": HOME_FIRST, "last_name": HOME_LAST, "national_id": HOME_NATIONAL_ID}
    )
    assert response.status_code == 200
    body = _text(response)
    assert "may already be known" in body
    panel = body.split('class="panel candidates"')[1].split("</section>")[0]
    assert HOME_LAST not in panel and "A person registered by" in panel
    assert [c.name for c in response.context["candidates"]] == [""]
    assert Person.objects.count() == 1


def test_create_without_a_likely_match_registers_at_once(users, client_for, person):
    response = client_for(users["case_worker"]).post(reverse("people:create"), CREATE_DATA)
    assert response.status_code == 302
    assert Person.objects.count() == 2
