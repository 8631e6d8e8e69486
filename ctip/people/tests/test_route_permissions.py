"""Permission table for the people routes the existing permission tests do not already claim (their `covers`
markers), and why some cases do not apply (ctip/core/tests/routes.py)."""

from __future__ import annotations

from datetime import date

import pytest

from ctip.core.tests.routes import NA, Route, check_route, table_params
from ctip.core.tests.world import register_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def route_objects(users, other_users):
    from ctip.people.services import person_merge

    actor = users["case_worker"]
    keep = register_person(actor, "Mohamed", "Abdi", date_of_birth=date(1998, 3, 14))
    merged = register_person(actor, "Muhammad", "Abdy", date_of_birth=date(1998, 3, 14))
    person_merge(actor=actor, keep=keep, merge=merged, reason="same passport")
    return {"merged": merged, **_cross_agency_pairs(users, other_users)}


def _cross_agency_pairs(users, other_users):
    """A pair across the two agencies, and a confirmation request the other agency's coordinator sent to the home
    agency (which owns the side that coordinator cannot see)."""
    from ctip.people.models import DuplicateCandidate
    from ctip.people.services import duplicate_confirmation_request

    home = register_person(users["case_worker"], "Chebet", "Koech", date_of_birth=date(1990, 5, 6))
    other = register_person(other_users["case_worker"], "Jebet", "Koech", date_of_birth=date(1990, 5, 6))
    a, b = sorted((home, other), key=lambda p: p.pk)
    pair = DuplicateCandidate.objects.create(person_a=a, person_b=b, score=0.8, reasons=[])
    confirmation = duplicate_confirmation_request(actor=other_users["coordinator"], candidate=pair)[0]
    return {"cross_pair": pair, "confirmation": confirmation}


ROUTES = [
    Route(
        "people:list",
        label="name search",
        method="post",
        data=lambda w: {"n-name": "Chebet Koech"},
        anonymous=302,
        wrong_role=(403, "data_analyst"),
        other_agency=NA("a search names no record; other agencies' persons are left out (test_registry_screens.py)"),
        allowed=(200, "case_worker"),
    ),
    Route(
        "people:duplicate_ask_owner",
        method="post",
        kwargs=lambda w: {"public_id": w.cross_pair.public_id},
        anonymous=302,
        wrong_role=(403, "data_analyst"),
        other_agency=(404, "case_worker"),
        allowed=(302, "coordinator"),
    ),
    Route(
        "people:confirmation",
        kwargs=lambda w: {"public_id": w.confirmation.public_id},
        anonymous=302,
        wrong_role=(403, "data_analyst"),
        other_agency=(404, "case_worker"),
        allowed=(200, "case_worker"),
    ),
    Route(
        "people:confirmation",
        label="answer",
        method="post",
        kwargs=lambda w: {"public_id": w.confirmation.public_id},
        data=lambda w: {"answer": "not_same"},
        anonymous=302,
        wrong_role=(403, "data_analyst"),
        other_agency=(404, "case_worker"),
        allowed=(302, "case_worker"),
    ),
    Route("people:create", other_agency=NA("a registration goes to the registering user's own agency")),
    Route(
        "people:break_glass",
        other_agency=NA(
            "break-the-glass is how another agency opens a record: its refusals are the wrong-role and "
            "missing-record tests (test_views.py)"
        ),
    ),
    Route("people:duplicates", allowed=(200, "coordinator")),
    Route(
        "people:unmerge",
        method="post",
        kwargs=lambda w: {"public_id": w.merged.public_id},
        data=lambda w: {"reason": "different people after all"},
        anonymous=302,
        wrong_role=(403, "data_analyst"),
        other_agency=(404, "case_worker"),
        allowed=(302, "case_worker"),
    ),
]


@pytest.mark.parametrize(("route", "who"), table_params(ROUTES))
def test_route_permission(route, who, route_world):
    check_route(route, who, route_world)
