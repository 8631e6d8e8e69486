"""The case overview (issue 13): the NRM progress line, next actions, consent, follow-ups due; and the caseload of
an agency's officers. Permission tests of the caseload are in test_route_permissions.py (cases:caseload) and here
(another agency asked for, the coordinator's choice)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from ctip.accounts.enums import Role
from ctip.cases import selectors, services
from ctip.cases.models import CarePlanAction, FollowUp
from ctip.cases.services.care import care_action_add, care_plan_add
from ctip.cases.services.consent import consent_record
from ctip.cases.services.followups import followup_schedule
from ctip.core.tests.querycount import LIMIT, count_queries, page_queries
from ctip.core.tests.world import register_person
from ctip.reference.selectors import htcds_values

from .factories import open_case

pytestmark = pytest.mark.django_db


def _progress(body: str) -> list[tuple[str, str]]:
    """(step name, state text) of the progress line, as a reader (or a screen reader) gets it."""
    line = body[body.index('class="nrm-progress"') :].split("</ol>")[0]
    items = re.findall(r'<span class="step-name">(.*?)</span>\s*<span class="step-state">(.*?)</span>', line, re.S)
    return [(name, state.strip()) for name, state in items]


def _follow_ups(actor, case, n, *, overdue=0):
    today = timezone.localdate()
    for i in range(n):
        f = followup_schedule(
            actor=actor, case=case, due_on=today + timedelta(days=3 + i), purpose=f"Visit {i}", assigned_to=actor
        )
        if i < overdue:
            FollowUp.objects.filter(pk=f.pk).update(due_on=today - timedelta(days=2 + i))


def _care_actions(actor, case, n, *, overdue=0):
    plan = care_plan_add(actor=actor, case=case, plan_type=htcds_values("spl_Type")[0][0], objectives="Safe housing")
    for i in range(n):
        a = care_action_add(actor=actor, plan=plan, description=f"Step {i}")
        if i < overdue:
            CarePlanAction.objects.filter(pk=a.pk).update(planned_on=timezone.localdate() - timedelta(days=1))


def _consent(actor, case, sharing=True):
    return consent_record(
        actor=actor, case=case, given_by="self", given_on=date(2026, 3, 2), purpose_explained=True, sharing=sharing
    )


# --- the overview ---------------------------------------------------------------------------------------------


def test_new_case_progress_line_and_next_actions(users, client_for):
    worker = users[Role.CASE_WORKER]
    case = open_case(worker, register_person)
    body = client_for(worker).get(f"/cases/{case.public_id}/").content.decode()
    assert _progress(body) == [
        ("Identified", "Done 2026-03-01"),
        ("Screened", "Current step"),
        ("Status decided", "Not yet"),
        ("Consent", "Not yet"),
        ("Referred", "Not yet"),
        ("Assisted", "Not yet"),
        ("Returned or reintegrated", "Not yet"),
        ("Closed", "Not yet"),
    ]
    assert body.count('aria-current="step"') == 1
    assert "Screen the person with the indicators" in body and "Record the person's consent" in body
    assert "Assess the person's needs" in body and "Schedule a follow-up" in body
    assert "No consent recorded" in body
    assert body.index("nrm-progress") < body.index('id="person-h"')  # at the top of the page


def test_overdue_follow_ups_and_care_actions_are_highlighted(users, client_for):
    worker = users[Role.CASE_WORKER]
    case = open_case(worker, register_person)
    _consent(worker, case)
    _follow_ups(worker, case, 3, overdue=2)
    _care_actions(worker, case, 2, overdue=1)
    body = client_for(worker).get(f"/cases/{case.public_id}/").content.decode()
    assert ("Consent", "Done 2026-03-02") in _progress(body)
    assert "2 follow-ups overdue" in body and "1 care action overdue" in body
    due = body[body.index("Follow-ups due") :].split("</div>")[0]
    assert "Follow-ups due (3)" in due and due.count('class="overdue"') == 2 and due.count("Overdue") == 2
    assert "Schedule a follow-up" not in body and "sharing with service providers agreed" in body


def test_closed_case_marks_missing_steps_not_done(users, client_for):
    worker = users[Role.CASE_WORKER]
    case = open_case(worker, register_person)
    services.case_set_status(
        actor=worker,
        case=case,
        status="Closed",
        expected_version=case.version,
        closure_reason="reintegrated",
        note="",
    )
    body = client_for(worker).get(f"/cases/{case.public_id}/").content.decode()
    states = dict(_progress(body))
    assert states["Screened"] == "Not done" and states["Returned or reintegrated"].startswith("Done")
    assert states["Closed"].startswith("Done") and 'aria-current="step"' not in body
    assert "Next actions" not in body  # nothing to do on a closed case


def test_overview_in_kiswahili(users, client_for):
    worker = users[Role.CASE_WORKER]
    case = open_case(worker, register_person)
    client = client_for(worker)
    client.cookies["django_language"] = "sw"
    body = client.get(f"/cases/{case.public_id}/").content.decode()
    names = [name for name, _ in _progress(body)]
    assert "Identified" not in names and "Screened" not in body and "Current step" not in body
    assert "Next actions" not in body


def test_overview_queries_do_not_grow_with_follow_ups_and_care_actions(users, client_for):
    worker = users[Role.CASE_WORKER]
    few = open_case(worker, register_person, first_name="Few")
    many = open_case(worker, register_person, first_name="Many")
    _consent(worker, few)
    _consent(worker, many)
    _follow_ups(worker, few, 1, overdue=1)
    _care_actions(worker, few, 1, overdue=1)
    _follow_ups(worker, many, 12, overdue=6)
    _care_actions(worker, many, 12, overdue=6)
    client = client_for(worker)
    n_few = count_queries(client, f"/cases/{few.public_id}/")
    n_many = count_queries(client, f"/cases/{many.public_id}/")
    print(f"QUERYCOUNT case overview few={n_few} many={n_many}")
    assert n_few == n_many <= LIMIT
    body = client.get(f"/cases/{many.public_id}/").content.decode()
    assert "Follow-ups due (12)" in body and "6 follow-ups overdue" in body and "6 care actions overdue" in body


# --- the caseload ---------------------------------------------------------------------------------------------


def _caseload(client, query=""):
    response = client.get("/cases/caseload/" + query)
    assert response.status_code == 200
    return response.content.decode()


def _row(body, label):
    row = body[body.index(f'<th scope="row">{label}</th>') :].split("</tr>")[0]
    return [int(v) for v in re.findall(r"<td[^>]*>(?:<a href=\"[^\"]*\">)?(\d+)", row)]


def test_caseload_counts_per_officer_and_links_filter_the_list(users, client_for, make_user):
    worker, investigator = users[Role.CASE_WORKER], users[Role.INVESTIGATOR]
    idle_officer = make_user(Role.CASE_WORKER, worker.agency, username="no-cases-officer")
    a = open_case(worker, register_person, first_name="Alpha")
    b = open_case(worker, register_person, first_name="Bravo")
    c = open_case(worker, register_person, first_name="Charlie")
    services.case_unassign(actor=worker, case=c, user=worker)  # nobody assigned (the registering officer leads)
    services.case_assign(actor=worker, case=b, user=investigator)
    _follow_ups(worker, a, 2, overdue=2)
    _care_actions(worker, b, 1, overdue=1)
    client = client_for(worker)
    body = _caseload(client)
    assert _row(body, worker.username) == [2, 1, 1, 0, 0]
    assert _row(body, investigator.username) == [1, 0, 1, 0, 0]
    assert _row(body, idle_officer.username) == [0, 0, 0, 0, 0]  # officers without cases are shown
    assert _row(body, "Nobody assigned") == [1, 0, 0, 0, 0]
    # each number links to the case list filtered the same way: the same cases
    links = re.findall(r'href="(/cases/\?[^"]+)">(\d+)</a>', body)
    assert links
    for url, n in links:
        listed = client.get(url.replace("&amp;", "&")).content.decode()
        assert listed.count('<td><a href="/cases/') == int(n), url
    assert "Cases assigned to" in client.get(f"/cases/?officer={worker.public_id}").content.decode()


def test_caseload_idle_cases(users, client_for):
    from ctip.cases.models import TimelineEntry

    worker = users[Role.CASE_WORKER]
    case = open_case(worker, register_person)  # the registering officer is assigned
    TimelineEntry.objects.filter(case=case).update(at=timezone.now() - timedelta(days=selectors.IDLE_DAYS + 1))
    assert _row(_caseload(client_for(worker)), worker.username)[-1] == 1


def test_caseload_of_another_agency_is_not_visible(users, other_users, client_for):
    worker = users[Role.CASE_WORKER]
    other = other_users[Role.CASE_WORKER]
    assert client_for(worker).get(f"/cases/caseload/?agency={other.agency.public_id}").status_code == 404
    assert client_for(worker).get("/cases/caseload/?agency=not-a-uuid").status_code == 404
    assert other.username not in _caseload(client_for(worker))


def test_coordinator_chooses_any_agency(users, other_users, client_for):
    coordinator = users[Role.COORDINATOR]
    other = other_users[Role.CASE_WORKER]
    body = _caseload(client_for(coordinator), f"?agency={other.agency.public_id}")
    assert other.username in body and users[Role.CASE_WORKER].username not in body
    assert 'name="agency"' in body


@pytest.mark.parametrize("role", [Role.SERVICE_PROVIDER, Role.DATA_ANALYST, Role.INVESTIGATOR, Role.AUDITOR])
def test_caseload_refused_to_other_roles(users, client_for, role):
    assert client_for(users[role]).get("/cases/caseload/").status_code == 403


def test_caseload_menu_entry_only_for_allowed_roles(users, client_for):
    assert 'href="/cases/caseload/"' in client_for(users[Role.CASE_WORKER]).get("/").content.decode()
    assert 'href="/cases/caseload/"' not in client_for(users[Role.INVESTIGATOR]).get("/").content.decode()


def test_caseload_is_aggregate_queries_only(users, client_for, make_user):
    worker = users[Role.CASE_WORKER]
    client = client_for(worker)

    def grow(start, stop):
        for i in range(start, stop):
            officer = make_user(Role.CASE_WORKER, worker.agency, username=f"officer-{i}")
            case = open_case(worker, register_person, first_name=f"Person{i:02d}")
            services.case_assign(actor=worker, case=case, user=officer)
            _follow_ups(worker, case, 1, overdue=1)

    grow(0, 2)
    small = page_queries(client, "/cases/caseload/")
    grow(2, 12)
    large = page_queries(client, "/cases/caseload/")
    print(f"QUERYCOUNT caseload small={len(small)} large={len(large)}")
    assert len(small) == len(large) <= LIMIT


# --- labels, never codes, in Kiswahili ------------------------------------------------------------------------

CODES = (
    "ThroughOnlineSocialNetworks",
    "ForcedLabour",
    "DebtBondage",
    "WithholdsDocuments",
    "Agriculture",
    "national_id",
    "female",
    "KE",
    "047",
    "PossibleVictimOfTrafficking",
    "Active",
    "officer",
    "self",
    "Recruitment",
    "Exploitation",
)


def _county(code):
    from ctip.reference.models import County

    return County.objects.get(code=code).pk


def _text(html: str) -> str:
    """What a reader sees: the page without its tags (codes in attribute values are fine: form values, links)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_case_page_and_list_in_kiswahili_show_no_codes(users, client_for):
    from ctip.cases.services import EventInput

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
        htcds={
            "vic_TypeOfExploitation": ["ForcedLabour"],
            "vic_MethodOfRecruitment": ["ThroughOnlineSocialNetworks"],
            "vic_MethodsOfControl": ["DebtBondage", "WithholdsDocuments"],
        },
        events=[EventInput(event_type="Recruitment", started_on=date(2026, 1, 5), county_id=_county("047"))],
    )
    _consent(worker, case)
    client = client_for(worker)
    client.cookies["django_language"] = "sw"
    page = _text(client.get(f"/cases/{case.public_id}/").content.decode())
    for label in ("Kazi ya kulazimishwa", "Kupitia mitandao ya kijamii", "Utumwa wa madeni", "Alitambuliwa"):
        assert label in page, label
    for code in CODES:
        assert not re.search(rf"\b{code}\b", page), code
    listing = _text(client.get("/cases/?status=open").content.decode())
    for code in CODES:
        assert not re.search(rf"\b{code}\b", listing), code
    assert "Kazi ya kulazimishwa" in client.get("/cases/").content.decode()  # the exploitation filter's options
