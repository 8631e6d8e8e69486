"""Permission table of every job-offer check route (ctip/core/tests/routes.py): exact status codes.

The rules are national data about offers: no agency owns a rule set, so a user of another agency with the same
role gets what a user of the home agency gets (the other_agency rows say so with their status)."""

from __future__ import annotations

import pytest

from ctip.core.tests.routes import NA, Route, check_route, table_params

from .conftest import HIGH_RISK_POST, SEED

pytestmark = pytest.mark.django_db

PUBLIC = NA("public: anyone may check an offer, without logging in")
NO_RECORD = NA("no record in the URL: the rules are national, nothing of another agency to reach")
LABOUR = "labour_officer"


@pytest.fixture
def route_objects(users):
    from ctip.jobcheck import services

    coordinator = users["coordinator"]
    draft = services.ruleset_draft(actor=coordinator, note="Tighten the fee rule")
    review = services.ruleset_draft(actor=coordinator, note="Add a phrase")
    review = services.ruleset_submit(actor=coordinator, ruleset=review, expected_version=review.version)
    return {"draft": draft, "review": review}


def _draft(w):
    return {"public_id": w.draft.public_id}


def _review(w):
    return {"public_id": w.review.public_id}


ROUTES = [
    Route(
        "job_check:page",
        public="the public job-offer check: anyone checks an offer before paying",
        anonymous=200,
        wrong_role=PUBLIC,
        other_agency=PUBLIC,
        allowed=PUBLIC,
    ),
    Route(
        "job_check:page",
        label="post",
        method="post",
        data=lambda w: HIGH_RISK_POST,
        public="the public job-offer check: anyone checks an offer before paying",
        anonymous=200,
        wrong_role=PUBLIC,
        other_agency=PUBLIC,
        allowed=PUBLIC,
    ),
    Route(
        "api-jobcheck-check",
        method="post",
        data=lambda w: {k: v for k, v in HIGH_RISK_POST.items() if v != ""},
        public="the public job-offer check API: anyone checks an offer before paying",
        anonymous=200,
        wrong_role=PUBLIC,
        other_agency=PUBLIC,
        allowed=PUBLIC,
    ),
    Route(
        "jobcheck:check",
        anonymous=302,
        wrong_role=(403, "data_analyst"),
        other_agency=NO_RECORD,
        allowed=(200, "case_worker"),
    ),
    Route(
        "jobcheck:check",
        label="post",
        method="post",
        data=lambda w: HIGH_RISK_POST,
        anonymous=302,
        wrong_role=(403, "prosecutor"),
        other_agency=NO_RECORD,
        allowed=(200, "hotline_operator"),
    ),
    Route(
        "jobcheck:rulesets",
        anonymous=302,
        wrong_role=(403, "case_worker"),
        other_agency=NO_RECORD,
        allowed=(200, LABOUR),
    ),
    Route(
        "jobcheck:ruleset_draft",
        method="post",
        data=lambda w: {"note": "Another"},
        anonymous=302,
        wrong_role=(403, "investigator"),
        other_agency=NO_RECORD,
        allowed=(302, "coordinator"),
    ),
    Route(
        "jobcheck:ruleset",
        kwargs=_draft,
        anonymous=302,
        wrong_role=(403, "immigration_officer"),
        other_agency=(200, LABOUR),
        allowed=(200, LABOUR),
    ),
    Route(
        "jobcheck:ruleset_edit",
        method="post",
        kwargs=_draft,
        data=lambda w: {"source_text": SEED.read_text(), "note": "Same rules", "version": w.draft.version},
        anonymous=302,
        wrong_role=(403, "case_worker"),
        other_agency=(302, LABOUR),
        allowed=(302, LABOUR),
    ),
    Route(
        "jobcheck:ruleset_submit",
        method="post",
        kwargs=_draft,
        data=lambda w: {"version": w.draft.version},
        anonymous=302,
        wrong_role=(403, "data_analyst"),
        other_agency=(302, "coordinator"),
        allowed=(302, LABOUR),
    ),
    Route(
        "jobcheck:ruleset_publish",
        method="post",
        kwargs=_review,
        data=lambda w: {"version": w.review.version},
        anonymous=302,
        wrong_role=(403, "consular_officer"),
        other_agency=(302, LABOUR),
        allowed=(302, LABOUR),
    ),
    Route(
        "jobcheck:ruleset_return",
        method="post",
        kwargs=_review,
        data=lambda w: {"reason": "Cite the notice", "version": w.review.version},
        anonymous=302,
        wrong_role=(403, "hotline_operator"),
        other_agency=(302, LABOUR),
        allowed=(302, LABOUR),
    ),
]


@pytest.mark.parametrize(("route", "case"), table_params(ROUTES))
def test_route_permissions(route, case, route_world):
    check_route(route, case, route_world)


def test_the_submitter_gets_403_on_publishing_their_own(route_world, users, client_for):
    client = client_for(users["coordinator"])
    review = route_world.review
    response = client.post(f"/jobcheck/rules/{review.public_id}/publish/", {"version": review.version})
    assert response.status_code == 403
    review.refresh_from_db()
    assert review.status == "in_review"


def test_an_unknown_rule_set_is_404(users, client_for):
    client = client_for(users[LABOUR])
    assert client.get("/jobcheck/rules/6f1c1a52-0000-4000-8000-000000000000/").status_code == 404
