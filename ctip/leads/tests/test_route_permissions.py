"""Permission table for every route of the leads app (ctip/core/tests/routes.py): anonymous, a role without the
action, a user of another agency, and the role that may, with exact status codes."""

from __future__ import annotations

import pytest

from ctip.accounts.enums import Role
from ctip.core.tests.routes import NA, Route, check_route, table_params
from ctip.core.tests.world import shared_fixture

from .conftest import send

pytestmark = pytest.mark.django_db

LIST = NA("no record in the URL: the queue holds only the leads sent to the user's agency")


@shared_fixture("users", "agency", "case")
def leads_world(users, agency, case):
    from ctip.intake.enums import Situation
    from ctip.intake.services import TipInput, tip_submit
    from ctip.justice import services as justice

    tip, _pin = tip_submit(
        data=TipInput(
            situation=Situation.JOB_ABROAD,
            description="Three girls were taken to Mombasa by a recruiter for jobs in Oman.",
            people_involved="Agent Mwangi 0712345678",
            language="en",
        )
    )
    lead = send(users[Role.LABOUR_OFFICER], agency, source="complaint", source_ref="RC-2026-000001")
    investigation = justice.investigation_open(
        actor=users[Role.INVESTIGATOR], data=justice.FileInput("OB 9", "Kilimani", "ahtcpu")
    )
    return {"lead": lead, "tip": tip, "case": case, "file": investigation}


@pytest.fixture
def route_objects(leads_world):
    return leads_world


def _lead(w):
    return {"public_id": w.lead.public_id}


def _post(name, data, allowed=(302, "investigator")):
    return Route(
        name,
        method="post",
        kwargs=_lead,
        data=data,
        anonymous=302,
        wrong_role=(403, "coordinator"),
        other_agency=(404, "investigator"),
        allowed=allowed,
    )


ROUTES = [
    Route(
        "leads:queue",
        anonymous=302,
        wrong_role=(403, "case_worker"),
        other_agency=LIST,
        allowed=(200, "investigator"),
        check=lambda r, w, case: case != "allowed" or w.lead.reference in r.content.decode(),
    ),
    Route(
        "leads:new",
        anonymous=302,
        wrong_role=(403, "data_analyst"),
        other_agency=NA("no record in the URL: the lead is sent from the user's own agency"),
        allowed=(200, "labour_officer"),
    ),
    Route(
        "leads:from_tip",
        kwargs=lambda w: {"tip_id": w.tip.public_id},
        anonymous=302,
        wrong_role=(403, "labour_officer"),  # may send leads, may not triage tips
        other_agency=NA("public tips belong to no agency: coordinators triage them nationally"),
        allowed=(200, "coordinator"),
        check=lambda r, w, case: case != "allowed" or "Agent Mwangi" in r.content.decode(),
    ),
    Route(
        "leads:from_case",
        kwargs=lambda w: {"case_id": w.case.public_id},
        anonymous=302,
        wrong_role=(403, "data_analyst"),
        other_agency=(404, "case_worker"),
        allowed=(200, "case_worker"),
    ),
    Route(
        "leads:detail",
        kwargs=_lead,
        anonymous=302,
        wrong_role=(403, "case_worker"),
        other_agency=(404, "investigator"),
        allowed=(200, "investigator"),
        check=lambda r, w, case: case != "allowed" or "Mama Njeri Wambui" in r.content.decode(),
    ),
    _post(
        "leads:accept",
        lambda w: {
            "accept-ob_number": "OB 4",
            "accept-police_station": "Kilimani",
            "accept-unit": "ahtcpu",
            "accept-version": w.lead.version,
        },
    ),
    _post("leads:join", lambda w: {"join-file_number": w.file.reference, "join-version": w.lead.version}),
    _post("leads:decline", lambda w: {"decline-reason": "Already investigated.", "decline-version": w.lead.version}),
]


@pytest.mark.parametrize(("route", "who"), table_params(ROUTES))
def test_route_permission(route, who, route_world):
    check_route(route, who, route_world)


def test_another_police_unit_does_not_see_the_lead(leads_world, tocu_investigator, client_for):
    client = client_for(tocu_investigator)
    lead = leads_world["lead"]
    assert client.get(f"/leads/{lead.public_id}/").status_code == 404
    assert lead.reference not in client.get("/leads/").content.decode()


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.COORDINATOR, Role.DATA_ANALYST, Role.AUDITOR, Role.PROSECUTOR])
def test_roles_without_lead_access_get_403(role, users, leads_world, client_for):
    client = client_for(users[role])
    assert client.get(f"/leads/{leads_world['lead'].public_id}/").status_code == 403
    assert client.get("/leads/").status_code == 403
