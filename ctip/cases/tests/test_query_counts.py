"""Queries per page are bounded and do not grow with the rows shown (issue 10): the same count at 10 rows and at
50 (a full page and more), 12 or fewer (LIMIT) on every page, the case page included when the person has cases in
other agencies and when the case is reached through a share.

What is left is fixed per-request work, not rows: the session, the user (with agency, verified device and unread
count: ctip.accounts.request_user), the user's access grants (read once per request), the page's own reads and
the audit append of the identities shown."""

import pytest

from ctip.accounts.enums import Role
from ctip.core.tests.querycount import LIMIT, count_queries
from ctip.core.tests.world import register_person

from .factories import open_case

pytestmark = pytest.mark.django_db


def _open_cases(actor, start, stop):
    for i in range(start, stop):
        open_case(actor, register_person, first_name=f"Person{i:02d}", last_name="Otieno")


@pytest.mark.parametrize(
    "url", ["/cases/", "/cases/?status=Active&trafficking_status=Presumed", "/cases/?page=2", "/api/v1/cases/"]
)
def test_case_lists_same_queries_at_10_and_50_rows(users, client_for, api_client_for, url):
    worker = users[Role.CASE_WORKER]
    client = api_client_for(worker) if url.startswith("/api/") else client_for(worker)
    _open_cases(worker, 0, 10 if "page=2" not in url else 30)
    at_10 = count_queries(client, url)
    _open_cases(worker, 30, 70)
    at_50 = count_queries(client, url)
    print(f"QUERYCOUNT {url} 10={at_10} 50={at_50}")
    assert at_10 == at_50 <= LIMIT


def test_case_list_filtered_by_county_bounded(users, client_for):
    from ctip.reference.models import County

    worker = users[Role.CASE_WORKER]
    _open_cases(worker, 0, 10)
    county = County.objects.order_by("code").first()
    n = count_queries(client_for(worker), f"/cases/?county={county.code}")
    print(f"QUERYCOUNT /cases/?county= {n}")
    assert n <= LIMIT


def test_case_list_names_still_shown_and_audited_once_per_page(users, client_for):
    from ctip.audit.models import AuditEvent

    worker = users[Role.CASE_WORKER]
    _open_cases(worker, 0, 30)
    before = AuditEvent.objects.filter(action="identity.list").count()
    body = client_for(worker).get("/cases/").content.decode()
    events = list(AuditEvent.objects.filter(action="identity.list").order_by("id"))[before:]
    assert len(events) == 1 and len(events[0].changes["cases"]) == 25  # one event for the page of 25
    assert sum(f"Person{i:02d} Otieno" in body for i in range(30)) == 25


def test_case_detail_bounded(users, client_for):
    worker = users[Role.CASE_WORKER]
    case = open_case(worker, register_person)
    n = count_queries(client_for(worker), f"/cases/{case.public_id}/")
    print(f"QUERYCOUNT case detail {n}")
    assert n <= LIMIT


def test_case_detail_bounded_with_team_and_cases_elsewhere(users, other_users, client_for):
    """The most the page reads: a team, the person's other cases in this agency and in another one (shared with
    this agency, so the user's grants are read too), the case's attributes."""
    from ctip.accounts.services import share_grant
    from ctip.cases.services import case_assign

    worker = users[Role.CASE_WORKER]
    case = open_case(worker, register_person, first_name="Amina")
    for i in range(3):
        open_case(worker, lambda *a, **k: case.person)
    elsewhere = open_case(other_users[Role.CASE_WORKER], lambda *a, **k: case.person)
    share_grant(
        actor=other_users[Role.CASE_WORKER],
        target_type="cases.case",
        target_id=elsewhere.public_id,
        owning_agency_id=elsewhere.owning_agency_id,
        agency=worker.agency,
        sections=[],
        reason="hand-over of the earlier case",
    )
    case_assign(actor=worker, case=case, user=users[Role.CASE_WORKER], is_lead=True)
    response = client_for(worker).get(f"/cases/{case.public_id}/")
    body = response.content.decode()
    assert elsewhere.reference in body  # reached through the share
    n = count_queries(client_for(worker), f"/cases/{case.public_id}/")
    print(f"QUERYCOUNT case detail, worst {n}")
    assert n <= LIMIT


def test_case_team_and_officers_read_together(users, client_for):
    """The team lists every active assignment, an officer deactivated since included; the assign form offers the
    agency's active officers (ctip.cases.selectors.case_team: one query)."""
    from ctip.accounts.models import User
    from ctip.cases.selectors import case_team
    from ctip.cases.services import case_assign

    worker, investigator = users[Role.CASE_WORKER], users[Role.INVESTIGATOR]
    case = open_case(worker, register_person)
    case_assign(actor=worker, case=case, user=worker, is_lead=True)
    case_assign(actor=worker, case=case, user=investigator)
    User.objects.filter(pk=investigator.pk).update(is_active=False)
    team, officers = case_team(case=case, candidates_action="case.view")
    assert [(a.user.pk, a.is_lead) for a in team] == [(worker.pk, True), (investigator.pk, False)]
    assert worker in officers and investigator not in officers
    unfiltered, none = case_team(case=case)
    assert [(a.user_id, a.is_lead) for a in unfiltered] == [(worker.pk, True), (investigator.pk, False)] and not none
    body = client_for(worker).get(f"/cases/{case.public_id}/").content.decode()
    assert f'value="{worker.pk}"' in body and f'value="{investigator.pk}"' not in body


def test_assigning_the_lead_again_keeps_them_lead(users):
    """Found with the case team read: naming the current lead as lead again used to leave the case without one."""
    from ctip.cases.models import CaseAssignment
    from ctip.cases.services import case_assign

    worker = users[Role.CASE_WORKER]
    case = open_case(worker, register_person)
    case_assign(actor=worker, case=case, user=worker, is_lead=True)
    case_assign(actor=worker, case=case, user=worker, is_lead=True)
    assert list(CaseAssignment.objects.filter(case=case, ended_at__isnull=True).values_list("user_id", "is_lead")) == [
        (worker.pk, True)
    ]
