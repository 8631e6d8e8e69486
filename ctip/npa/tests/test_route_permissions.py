"""Permission table for every route of the plan of action (ctip/core/tests/routes.py): anonymous, a role without
the action, another agency, and a role that may, with exact status codes.

Plans, their overview and reports are national documents: every role with npa.view reads them, so "other agency"
does not apply to them. Trainings and campaigns belong to the organising agency: another agency's user gets 404.
Progress is reported by the agencies responsible for the activity: another agency's user gets 403."""

from __future__ import annotations

from datetime import date

import pytest

from ctip.accounts.enums import Role
from ctip.core.tests.routes import NA, Route, check_route, table_params
from ctip.npa.models import ActivityProgress, Campaign, Plan, TrainingSession

pytestmark = pytest.mark.django_db

NATIONAL = NA("a national document: no agency owns a plan, the role alone decides")
LIST = NA("a list: another agency's records are left out (test_lists_keep_to_the_agency)")


@pytest.fixture
def route_objects(npa_world):
    return npa_world


def _plan(w):
    return {"public_id": w.plan.public_id}


def _read(name, kwargs=None, *, allowed="case_worker", wrong="hotline_operator", label=""):
    return Route(
        name,
        kwargs=kwargs,
        label=label,
        anonymous=302,
        wrong_role=(403, wrong),
        other_agency=NATIONAL,
        allowed=(200, allowed),
    )


def _manage(name, kwargs=None, data=None):
    rows = [
        Route(
            name,
            kwargs=kwargs,
            anonymous=302,
            wrong_role=(403, "case_worker"),
            other_agency=NATIONAL,
            allowed=(200, "coordinator"),
        )
    ]
    if data is not None:
        rows.append(
            Route(
                name,
                kwargs=kwargs,
                method="post",
                label="post",
                data=data,
                anonymous=302,
                wrong_role=(403, "data_analyst"),
                other_agency=NATIONAL,
                allowed=(302, "coordinator"),
            )
        )
    return rows


PLAN_DATA = {"title": "NPA 2013-2017", "start_date": "2013-01-01", "end_date": "2017-12-31", "status": "closed"}
TRAINING_DATA = {
    "title": "ToT",
    "topic": "nrm",
    "held_on": "2024-02-02",
    "county": "047",
    "ngo_female": "4",
    "ngo_male": "1",
}
CAMPAIGN_DATA = {
    "title": "Schools tour",
    "channel": "schools",
    "county": "",
    "start_date": "2024-03-01",
    "end_date": "2024-03-20",
    "reach": "1200",
}

ROUTES = [
    _read("npa:index"),
    _read("npa:index", allowed="data_analyst", label="analyst"),
    _read("npa:plan", _plan),
    _read("npa:plan", _plan, allowed="auditor", wrong="sysadmin", label="auditor"),
    _read("npa:plan_xlsx", _plan, allowed="data_analyst"),
    _read("npa:report", lambda w: {"public_id": w.report.public_id}),
    *_manage("npa:plan_new", data=lambda w: PLAN_DATA),
    *_manage("npa:plan_edit", _plan, data=lambda w: {**PLAN_DATA, "version": w.plan.version}),
    *_manage("npa:objective_new", _plan, data=lambda w: {"pillar": "protection", "number": "2.1", "title": "Care"}),
    *_manage(
        "npa:objective_edit",
        lambda w: {"public_id": w.objective.public_id},
        data=lambda w: {"pillar": "prevention", "number": "1.1", "title": "Awareness", "version": w.objective.version},
    ),
    *_manage(
        "npa:activity_new",
        lambda w: {"public_id": w.objective.public_id},
        data=lambda w: {"number": "1.1.2", "title": "Radio", "status": "not_started"},
    ),
    *_manage(
        "npa:activity_edit",
        lambda w: {"public_id": w.activity.public_id},
        data=lambda w: {"number": "1.1.1", "title": "Train", "status": "on_track", "version": w.activity.version},
    ),
    *_manage(
        "npa:indicator_new",
        lambda w: {"public_id": w.activity.public_id},
        data=lambda w: {"name": "Campaigns", "source": "computed", "metric": "campaigns_held", "target": "10"},
    ),
    *_manage(
        "npa:indicator_edit",
        lambda w: {"public_id": w.entered.public_id},
        data=lambda w: {
            "name": "Counties",
            "source": "entered",
            "target": "47",
            "actual": "20",
            "source_note": "Survey",
            "version": w.entered.version,
        },
    ),
    *_manage(
        "npa:report_new",
        _plan,
        data=lambda w: {
            "title": "Review 2025",
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "status": "draft",
        },
    ),
    *_manage(
        "npa:report_edit",
        lambda w: {"public_id": w.report.public_id},
        data=lambda w: {
            "title": "Mid-term review 2024",
            "period_start": "2024-01-01",
            "period_end": "2024-12-31",
            "status": "draft",
            "achievements": "Training curriculum adopted.",
            "version": w.report.version,
        },
    ),
    Route(
        "npa:progress",
        kwargs=lambda w: {"public_id": w.report.public_id, "activity_id": w.activity.public_id},
        anonymous=302,
        wrong_role=(403, "data_analyst"),
        other_agency=(403, "case_worker"),
        allowed=(200, "case_worker"),
    ),
    Route(
        "npa:progress",
        kwargs=lambda w: {"public_id": w.report.public_id, "activity_id": w.activity.public_id},
        method="post",
        label="post",
        data=lambda w: {"status": "on_track", "note": "Two sessions held."},
        anonymous=302,
        wrong_role=(403, "auditor"),
        other_agency=(403, "labour_officer"),
        allowed=(302, "case_worker"),
    ),
    Route(
        "npa:trainings",
        anonymous=302,
        wrong_role=(403, "hotline_operator"),
        other_agency=LIST,
        allowed=(200, "case_worker"),
    ),
    Route(
        "npa:campaigns", anonymous=302, wrong_role=(403, "sysadmin"), other_agency=LIST, allowed=(200, "data_analyst")
    ),
    Route(
        "npa:training_new",
        anonymous=302,
        wrong_role=(403, "data_analyst"),
        other_agency=NA("a new record of the user's own agency"),
        allowed=(200, "investigator"),
    ),
    Route(
        "npa:training_new",
        method="post",
        label="post",
        data=lambda w: TRAINING_DATA,
        anonymous=302,
        wrong_role=(403, "auditor"),
        other_agency=NA("a new record of the user's own agency"),
        allowed=(302, "investigator"),
    ),
    Route(
        "npa:training_edit",
        kwargs=lambda w: {"public_id": w.training.public_id},
        anonymous=302,
        wrong_role=(403, "data_analyst"),
        other_agency=(404, "case_worker"),
        allowed=(200, "case_worker"),
    ),
    Route(
        "npa:training_edit",
        kwargs=lambda w: {"public_id": w.training.public_id},
        method="post",
        label="post",
        data=lambda w: {**TRAINING_DATA, "version": w.training.version},
        anonymous=302,
        wrong_role=(403, "data_analyst"),
        other_agency=(404, "case_worker"),
        allowed=(302, "case_worker"),
    ),
    Route(
        "npa:campaign_new",
        anonymous=302,
        wrong_role=(403, "hotline_operator"),
        other_agency=NA("a new record of the user's own agency"),
        allowed=(200, "service_provider"),
    ),
    Route(
        "npa:campaign_new",
        method="post",
        label="post",
        data=lambda w: CAMPAIGN_DATA,
        anonymous=302,
        wrong_role=(403, "data_analyst"),
        other_agency=NA("a new record of the user's own agency"),
        allowed=(302, "service_provider"),
    ),
    Route(
        "npa:campaign_edit",
        kwargs=lambda w: {"public_id": w.campaign.public_id},
        anonymous=302,
        wrong_role=(403, "auditor"),
        other_agency=(404, "case_worker"),
        allowed=(200, "case_worker"),
    ),
    Route(
        "npa:campaign_edit",
        kwargs=lambda w: {"public_id": w.campaign.public_id},
        method="post",
        label="post",
        data=lambda w: {**CAMPAIGN_DATA, "version": w.campaign.version},
        anonymous=302,
        wrong_role=(403, "auditor"),
        other_agency=(404, "case_worker"),
        allowed=(302, "case_worker"),
    ),
]


@pytest.mark.parametrize(("route", "who"), table_params(ROUTES))
def test_route_permission(route, who, route_world):
    before = _counts()
    response = check_route(route, who, route_world)
    if who != "allowed" or route.method == "get":
        assert _counts() == before, (str(route), who)  # a refused request changes nothing
    assert response is not None


def _counts():
    return (
        Plan.objects.count(),
        TrainingSession.objects.count(),
        Campaign.objects.count(),
        ActivityProgress.objects.count(),
        tuple(Plan.objects.values_list("version", flat=True)),
    )


def test_lists_keep_to_the_agency(users, other_users, npa_world, client_for):
    mine = client_for(users[Role.CASE_WORKER]).get("/npa/trainings/").content.decode()
    assert npa_world["training"].title in mine and "Other agency&#x27;s session" not in mine
    national = client_for(users[Role.DATA_ANALYST]).get("/npa/trainings/").content.decode()
    assert "Other agency&#x27;s session" in national
    campaigns = client_for(other_users[Role.CASE_WORKER]).get("/npa/campaigns/").content.decode()
    assert str(npa_world["other_campaign"].reach) in campaigns and "25000" not in campaigns


def test_a_coordinator_reads_every_training_but_edits_only_its_own(users, npa_world, client_for):
    client = client_for(users[Role.COORDINATOR])
    assert client.get("/npa/trainings/").status_code == 200
    assert client.get(f"/npa/trainings/{npa_world['other_training'].public_id}/").status_code == 403


def test_readers_do_not_get_the_edit_links(users, npa_world, client_for):
    url = f"/npa/plans/{npa_world['plan'].public_id}/"
    page = client_for(users[Role.DATA_ANALYST]).get(url).content.decode()
    assert "/edit/" not in page and "Officers trained" in page
    page = client_for(users[Role.COORDINATOR]).get(url).content.decode()
    assert f"/npa/plans/{npa_world['plan'].public_id}/edit/" in page


def test_unknown_plan_is_404_and_wrong_role_403_for_any_id(users, client_for):
    missing = "/npa/plans/00000000-0000-0000-0000-000000000000/"
    assert client_for(users[Role.DATA_ANALYST]).get(missing).status_code == 404
    assert client_for(users[Role.HOTLINE_OPERATOR]).get(missing).status_code == 403


def test_a_report_of_another_plan_does_not_take_this_plans_activity(users, npa_world, client_for):
    from ctip.npa import services

    from .conftest import make_plan

    other = make_plan(users[Role.COORDINATOR], title="NPA 2013-2017", start=date(2013, 1, 1), end=date(2017, 12, 31))
    report = services.report_create(
        actor=users[Role.COORDINATOR],
        plan=other,
        data=services.ReportInput(title="Final review", period_start=date(2017, 1, 1), period_end=date(2017, 12, 31)),
    )
    url = f"/npa/reports/{report.public_id}/activities/{npa_world['activity'].public_id}/"
    assert client_for(users[Role.CASE_WORKER]).get(url).status_code == 404
