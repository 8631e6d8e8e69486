"""Case core pages: list, registration with candidates, detail, edit, timeline, status, assignment.
Permission tests for every view: anonymous, wrong role, other agency, allowed."""

from datetime import date

import pytest

from ctip.accounts.enums import Role
from ctip.accounts.roles import Action
from ctip.audit.models import AuditEvent
from ctip.cases import services
from ctip.cases.models import Case, CaseAssignment
from ctip.cases.services import EventInput
from ctip.core.errors import ValidationFailed
from ctip.core.tests.routes import covers
from ctip.core.tests.world import register_person, shared_fixture
from ctip.people.models import Person

from .factories import open_case

CORE_ROUTES = (
    "cases:list",
    "cases:create",
    "cases:detail",
    "cases:edit",
    "cases:timeline",
    "cases:status",
    "cases:assign",
)

pytestmark = pytest.mark.django_db


@shared_fixture("users")
def case(users):
    return open_case(users[Role.CASE_WORKER], register_person)


def _urls(case, user=None):
    pid = case.public_id
    return {
        "list": ("get", "/cases/"),
        "create": ("get", "/cases/new/"),
        "detail": ("get", f"/cases/{pid}/"),
        "edit": ("get", f"/cases/{pid}/edit/"),
        "timeline": ("get", f"/cases/{pid}/timeline/"),
        "status": ("post", f"/cases/{pid}/status/"),
        "assign": ("post", f"/cases/{pid}/assign/"),
    }


@covers("anonymous", *CORE_ROUTES)
@pytest.mark.parametrize("name", ["list", "create", "detail", "edit", "timeline", "status", "assign"])
def test_anonymous_is_sent_to_login(client, case, name):
    method, url = _urls(case)[name]
    response = getattr(client, method)(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@covers("wrong_role", *CORE_ROUTES)
@pytest.mark.parametrize("name", ["list", "create", "detail", "edit", "timeline", "status", "assign"])
def test_roles_without_the_action_get_403(users, client_for, case, name):
    action = {
        "list": Action.CASE_VIEW,
        "create": Action.CASE_CREATE,
        "detail": Action.CASE_VIEW,
        "timeline": Action.CASE_VIEW,
        "edit": Action.CASE_EDIT,
        "status": Action.CASE_EDIT,
        "assign": Action.CASE_EDIT,
    }[name]
    method, url = _urls(case)[name]
    version = case.version
    for role in (Role.DATA_ANALYST, Role.AUDITOR, Role.SYSADMIN):
        user = users[role]
        assert not user.can(action)
        response = getattr(client_for(user), method)(url, {"status": "Closed", "version": version})
        assert response.status_code == 403, role
    case.refresh_from_db()
    assert case.version == version and case.status == "Active"


@covers("other_agency", "cases:detail", "cases:edit", "cases:timeline", "cases:status", "cases:assign")
@pytest.mark.parametrize("name", ["detail", "edit", "timeline", "status", "assign"])
def test_other_agency_gets_404_and_changes_nothing(other_users, client_for, case, name):
    method, url = _urls(case)[name]
    response = getattr(client_for(other_users[Role.CASE_WORKER]), method)(
        url, {"status": "Closed", "closure_reason": "other", "note": "x", "version": case.version}
    )
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == "Active"


@covers("allowed", "cases:list", "cases:detail", "cases:edit", "cases:timeline")
def test_allowed_pages(users, client_for, case):
    c = client_for(users[Role.CASE_WORKER])
    listing = c.get("/cases/")
    assert listing.status_code == 200 and case.reference in listing.content.decode()
    assert "Achieng Otieno" in listing.content.decode()
    detail = c.get(f"/cases/{case.public_id}/")
    body = detail.content.decode()
    assert detail.status_code == 200 and case.reference in body and "Achieng Otieno" in body
    assert "Recruited through a Facebook" not in body  # the narrative opens only on request (logged)
    shown = c.get(f"/cases/{case.public_id}/?show=narrative")
    assert "Recruited through a Facebook" in shown.content.decode()
    assert AuditEvent.objects.filter(action="case.read_sensitive", target_id=str(case.public_id)).exists()
    assert AuditEvent.objects.filter(action="identity.read", changes__purpose="case").exists()
    timeline = c.get(f"/cases/{case.public_id}/timeline/")
    assert "opened" in timeline.content.decode()
    assert c.get(f"/cases/{case.public_id}/edit/").status_code == 200


def test_list_hides_other_agencies_cases_and_filters(users, other_users, client_for, make_person):
    mine = open_case(users[Role.CASE_WORKER], make_person, htcds={"vic_TypeOfExploitation": ["SexualExploitation"]})
    theirs = open_case(other_users[Role.CASE_WORKER], make_person, first_name="Chebet", last_name="Koech")
    c = client_for(users[Role.CASE_WORKER])
    body = c.get("/cases/").content.decode()
    assert mine.reference in body and theirs.reference not in body and "Chebet" not in body
    assert mine.reference not in c.get("/cases/?exploitation=ForcedLabour").content.decode()
    assert mine.reference in c.get("/cases/?exploitation=SexualExploitation").content.decode()
    assert mine.reference in c.get(f"/cases/?q={mine.reference}").content.decode()
    assert c.get("/cases/?identified_from=not-a-date").status_code == 200
    coordinator = client_for(users[Role.COORDINATOR]).get("/cases/").content.decode()
    assert mine.reference in coordinator and theirs.reference in coordinator


def _registration(**overrides):
    data = {
        "p-first_name": "Nekesa",
        "p-last_name": "Wafula",
        "p-date_of_birth": "2001-02-03",
        "p-phones": "0722 000 111",
        "c-identified_on": "2026-05-01",
        "c-channel": "officer",
        "c-identified_county": "",
        "c-vic_TypeOfExploitation": ["ForcedLabour"],
        "c-vic_MethodsOfControl": ["WithholdsDocuments"],
        "c-narrative": "Promised a hotel job in Doha.",
        "ev-TOTAL_FORMS": "3",
        "ev-INITIAL_FORMS": "0",
        "ev-MIN_NUM_FORMS": "0",
        "ev-MAX_NUM_FORMS": "10",
        "ev-0-event_type": "Recruitment",
        "ev-0-started_on": "2025-06-01",
    }
    data.update(overrides)
    return data


def test_register_new_person_and_case(users, client_for):
    c = client_for(users[Role.CASE_WORKER])
    response = c.post("/cases/new/", _registration())
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == f"/cases/{case.public_id}/"
    assert case.owning_agency == users[Role.CASE_WORKER].agency and case.events.count() == 1
    assert set(case.attributes.values_list("value", flat=True)) == {"ForcedLabour", "WithholdsDocuments"}
    assert not case.is_child and case.age_at_identification == 25
    assert CaseAssignment.objects.filter(case=case, user=users[Role.CASE_WORKER], is_lead=True).exists()


def test_bad_input_shows_field_errors_and_saves_nothing(users, client_for):
    c = client_for(users[Role.CASE_WORKER])
    bad = _registration(
        **{"p-phones": "12345", "c-identified_on": "2099-01-01", "ev-0-started_on": "1990-01-01", "c-is_child": "yes"}
    )
    response = c.post("/cases/new/", bad)
    assert response.status_code == 200
    body = response.content.decode()
    assert "phone number" in body.lower()
    assert "Nekesa" in body  # the input is kept
    assert not Case.objects.exists() and not Person.objects.exists()
    response = c.post("/cases/new/", _registration(**{"c-identified_on": "2099-01-01"}))
    assert "cannot be in the future" in response.content.decode()
    response = c.post("/cases/new/", _registration(**{"ev-0-started_on": "1990-01-01"}))
    assert "before the date of birth" in response.content.decode()
    response = c.post("/cases/new/", _registration(**{"c-is_child": "yes"}))
    assert "child status does not match" in response.content.decode()
    assert not Case.objects.exists() and not Person.objects.exists()


def test_existing_person_is_proposed_and_can_be_linked(users, other_users, client_for, make_person):
    existing = make_person(other_users[Role.CASE_WORKER], "Nekesa", "Wafula", identifiers=[("phone", "+254722000111")])
    c = client_for(users[Role.CASE_WORKER])
    response = c.post("/cases/new/", _registration())
    assert response.status_code == 200
    body = response.content.decode()
    assert "may already be known" in body and str(existing.public_id) in body
    assert "same phone number" in body
    assert "A person registered by" in body  # another agency's person: no name shown
    assert not Case.objects.exists()
    response = c.post("/cases/new/", _registration(person_choice=str(existing.public_id)))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.person == existing and Person.objects.count() == 1
    assert AuditEvent.objects.filter(action="person.link", target_id=str(existing.public_id)).exists()
    # The owning agency of the case now sees the person's identity through its case.
    assert "Nekesa Wafula" in c.get(f"/cases/{case.public_id}/").content.decode()


def test_linking_requires_a_proposed_candidate(users, other_users, client_for, make_person):
    unrelated = make_person(other_users[Role.CASE_WORKER], "Moraa", "Nyamweya")
    c = client_for(users[Role.CASE_WORKER])
    response = c.post("/cases/new/", _registration(person_choice=str(unrelated.public_id)))
    assert response.status_code == 200
    assert "Choose one of the persons proposed" in response.content.decode()
    assert not Case.objects.exists()


def test_confirming_new_person_despite_candidates(users, client_for, make_person):
    make_person(users[Role.CASE_WORKER], "Nekesa", "Wafula", identifiers=[("phone", "+254722000111")])
    c = client_for(users[Role.CASE_WORKER])
    assert c.post("/cases/new/", _registration()).status_code == 200
    assert c.post("/cases/new/", _registration(person_choice="new")).status_code == 302
    assert Person.objects.count() == 2


def test_edit_conflict_is_refused_and_input_kept(users, client_for, case):
    c = client_for(users[Role.CASE_WORKER])
    stale = case.version
    data = {"version": stale, "employer_name": "First Officer Ltd", "ev-TOTAL_FORMS": "0", "ev-INITIAL_FORMS": "0"}
    assert c.post(f"/cases/{case.public_id}/edit/", data).status_code == 302
    data["employer_name"] = "Second Officer Ltd"
    response = c.post(f"/cases/{case.public_id}/edit/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Second Officer Ltd" in body
    case.refresh_from_db()
    assert case.employer_name == "First Officer Ltd"


def test_status_close_and_reopen(users, client_for, case):
    c = client_for(users[Role.CASE_WORKER])
    url = f"/cases/{case.public_id}/status/"
    response = c.post(url, {"version": case.version, "status": "Closed"})
    assert response.status_code == 400 and "Choose why the case is closed" in response.content.decode()
    response = c.post(url, {"version": case.version, "status": "Closed", "closure_reason": "reintegrated"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "Closed" and case.closed_at
    response = c.post(url, {"version": case.version, "status": "FollowUp"})
    assert response.status_code == 400  # closed -> follow-up is not a transition
    assert c.post(url, {"version": case.version, "status": "Active"}).status_code == 302


def test_assignment(users, client_for, case, make_user):
    colleague = make_user(Role.INVESTIGATOR, users[Role.CASE_WORKER].agency, username="colleague")
    c = client_for(users[Role.CASE_WORKER])
    assert c.post(f"/cases/{case.public_id}/assign/", {"user": colleague.pk, "is_lead": "on"}).status_code == 302
    assert CaseAssignment.objects.get(case=case, user=colleague, ended_at__isnull=True).is_lead
    response = c.post(f"/cases/{case.public_id}/unassign/{colleague.public_id}/")
    assert response.status_code == 302
    assert not CaseAssignment.objects.filter(case=case, user=colleague, ended_at__isnull=True).exists()
    assert c.post(f"/cases/{case.public_id}/unassign/{colleague.public_id}/").status_code == 302  # message, no 500


def test_retrafficking_is_recorded(users, make_person):
    first = open_case(users[Role.CASE_WORKER], make_person)
    from ctip.cases import services

    services.case_set_status(
        actor=users[Role.CASE_WORKER],
        case=first,
        status="Closed",
        closure_reason="reintegrated",
        expected_version=first.version,
    )
    again = services.case_open(actor=users[Role.CASE_WORKER], person=first.person, identified_on=date(2026, 6, 1))
    assert again.retrafficked and again.previous_case == first


def test_national_coordinator_sees_cases_but_not_other_agencies_names(users, other_users, client_for, make_person):
    theirs = open_case(other_users[Role.CASE_WORKER], make_person, first_name="Chebet", last_name="Koech")
    coordinator = users[Role.COORDINATOR]
    assert coordinator.scope(Action.CASE_VIEW) == "national"
    assert coordinator.scope(Action.PERSON_VIEW_IDENTITY) != "national"
    c = client_for(coordinator)
    assert theirs.reference in c.get("/cases/").content.decode()
    assert "Chebet" not in c.get("/cases/").content.decode()
    detail = c.get(f"/cases/{theirs.public_id}/")
    assert detail.status_code == 200 and "Chebet" not in detail.content.decode()


def test_shared_agency_cannot_change_status_or_team(users, other_users, client_for, case):
    from ctip.accounts.services import share_grant

    share_grant(
        actor=users[Role.CASE_WORKER],
        target_type="cases.case",
        target_id=case.public_id,
        owning_agency_id=case.owning_agency_id,
        agency=other_users[Role.CASE_WORKER].agency,
        sections=["care"],
        reason="shelter referral",
    )
    c = client_for(other_users[Role.CASE_WORKER])
    assert c.get(f"/cases/{case.public_id}/").status_code == 200
    response = c.post(
        f"/cases/{case.public_id}/status/",
        {"version": case.version, "status": "Closed", "closure_reason": "other", "note": "x"},
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == "Active"
    lead = users[Role.CASE_WORKER]
    c.post(f"/cases/{case.public_id}/unassign/{lead.public_id}/")
    assert CaseAssignment.objects.filter(case=case, user=lead, ended_at__isnull=True).exists()


def test_two_shares_add_up(users, other_users, case):
    from ctip.accounts.access import record_access
    from ctip.accounts.services import share_grant

    for sections in (["care"], ["consent"]):
        share_grant(
            actor=users[Role.CASE_WORKER],
            target_type="cases.case",
            target_id=case.public_id,
            owning_agency_id=case.owning_agency_id,
            agency=other_users[Role.CASE_WORKER].agency,
            sections=sections,
            reason="referral",
        )
    access = record_access(
        other_users[Role.CASE_WORKER],
        Action.CASE_VIEW,
        "cases.case",
        public_id=case.public_id,
        owning_agency_id=case.owning_agency_id,
    )
    assert set(access.sections) == {"care", "consent"}


def test_edit_saves_the_changes_and_new_events_together_or_nothing(users, case):
    # given a case worker editing the circumstances and adding an event whose dates the case refuses
    worker = users[Role.CASE_WORKER]
    bad_event = EventInput(event_type="Recruitment", started_on=date(2020, 5, 1), ended_on=date(2020, 1, 1))
    # when the edit is saved through the one service the edit page calls
    with pytest.raises(ValidationFailed):
        services.case_edit(
            actor=worker, case=case, expected_version=case.version, employer_name="Changed Ltd", events=[bad_event]
        )
    # then neither the change nor the event is kept
    case.refresh_from_db()
    assert case.employer_name != "Changed Ltd"
    assert case.events.count() == 0
    # and a valid edit keeps both
    good_event = EventInput(event_type="Recruitment", started_on=date(2020, 1, 1))
    services.case_edit(
        actor=worker, case=case, expected_version=case.version, employer_name="Changed Ltd", events=[good_event]
    )
    case.refresh_from_db()
    assert case.employer_name == "Changed Ltd" and case.events.count() == 1


def test_case_and_person_pages_show_labels_never_codes(client_for, users):
    """Sex, identifier kinds, citizenship, address county and HTCDS values are shown by their labels."""
    worker = users[Role.CASE_WORKER]
    person = register_person(
        worker,
        "Nafula",
        "Wekesa",
        identifiers=[("national_id", "23456789")],
        sex="female",
        citizenships=["KE"],
        addresses=[{"county": "047", "line": "Kawangware"}],
    )
    case = services.case_open(
        actor=worker,
        person=person,
        identified_on=date(2026, 3, 1),
        narrative="",
        htcds={"vic_TypeOfExploitation": ["ForcedLabour"], "vic_MethodOfRecruitment": ["ThroughOnlineSocialNetworks"]},
    )
    client = client_for(worker)
    page = client.get(f"/cases/{case.public_id}/").content.decode()
    for label in ("Female", "National ID", "Forced labour"):
        assert label in page, label
    for code in ("ForcedLabour", "ThroughOnlineSocialNetworks", "national_id", " female"):
        assert code not in page, code
    page = client.get(f"/people/{person.public_id}/").content.decode()
    assert "Kenya" in page and "Kawangware, Nairobi City" in page and "National ID" in page
    assert ">KE<" not in page and "047" not in page and "national_id" not in page


def test_case_tabs_follow_the_users_language(client_for, users, case):
    client = client_for(users[Role.CASE_WORKER])
    client.cookies["django_language"] = "sw"
    page = client.get(f"/cases/{case.public_id}/").content.decode()
    tabs = page[page.index('class="tabs"') :].split("</nav>")[0]
    assert "Muhtasari" in tabs and "Overview" not in tabs  # "Overview", translated per request
