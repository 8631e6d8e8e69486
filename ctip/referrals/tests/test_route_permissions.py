"""Permission table for the referral routes the existing permission tests do not already claim (their `covers`
markers), and why some cases do not apply (ctip/core/tests/routes.py)."""

from __future__ import annotations

import pytest

from ctip.core.tests.routes import NA, Route, check_route, table_params

pytestmark = pytest.mark.django_db

DIRECTORY = NA("the provider directory is shared by every agency: it lists organisations, not victims")


@pytest.fixture
def route_objects(send, shelter, recipient, sender, case):
    return {"referral": send(), "shelter": shelter, "recipient": recipient, "sender": sender, "case": case}


def _referral(w):
    return {"public_id": w.referral.public_id}


def _provider(w):
    return {"public_id": w.shelter.public_id}


ROUTES = [
    Route(
        "referrals:index",
        other_agency=NA("no record in the URL: sends each user to their own inbox or outbox"),
        allowed=(302, "case_worker"),
    ),
    Route("referrals:providers", other_agency=DIRECTORY),
    Route("referrals:provider", other_agency=DIRECTORY),
    Route("referrals:provider_create", other_agency=DIRECTORY, allowed=(200, "coordinator")),
    Route("referrals:provider_edit", kwargs=_provider, allowed=(200, "coordinator")),
    Route(
        "referrals:decline",
        method="post",
        kwargs=_referral,
        data=lambda w: {"reason": "No bed for a boy"},
        allowed=(302, "recipient"),
    ),
    Route(
        "referrals:revoke",
        method="post",
        kwargs=_referral,
        data=lambda w: {"reason": "Moved to another county"},
        allowed=(302, "sender"),
    ),
    Route("api-referral-providers", other_agency=DIRECTORY, allowed=(200, "case_worker")),
    Route("api-referral-provider", kwargs=_provider, other_agency=DIRECTORY, allowed=(200, "case_worker")),
    Route("api-referrals", query="box=outbox", allowed=(200, "sender")),
    Route("api-referral", kwargs=_referral, allowed=(200, "sender")),
    Route(
        "api-referral-transition",
        method="post",
        kwargs=lambda w: {"public_id": w.referral.public_id, "transition": "accept"},
        data=lambda w: {"version": w.referral.version},
        allowed=(200, "recipient"),
    ),
]


@pytest.mark.parametrize(("route", "who"), table_params(ROUTES))
def test_route_permission(route, who, route_world):
    check_route(route, who, route_world)
