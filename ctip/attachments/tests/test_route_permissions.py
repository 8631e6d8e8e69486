"""Permission table for the attachment routes: anonymous, wrong role, other agency, allowed, with exact status
codes (ctip/core/tests/routes.py). A denied upload writes nothing (test_views.py)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ctip.attachments import samples
from ctip.core.tests.routes import Route, check_route, table_params
from ctip.core.tests.world import register_person, shared_fixture

from .factories import attach_to_case, attach_to_person

pytestmark = pytest.mark.django_db


@shared_fixture("users")
def route_records(users):
    from ctip.cases.tests.factories import open_case

    worker = users["case_worker"]
    case = open_case(worker, register_person)
    attachment = attach_to_case(worker, case)
    person_attachment = attach_to_person(worker, case.person)
    return {"case": case, "attachment": attachment, "person_attachment": person_attachment}


@pytest.fixture
def route_objects(route_records):
    return route_records


def _pdf(_w=None):
    return SimpleUploadedFile("statement.pdf", samples.pdf(), content_type="application/pdf")


def _case(w):
    return {"case_id": w.case.public_id}


def _att(w):
    return {"attachment_id": w.attachment.public_id}


FOUR = {"anonymous": 302, "wrong_role": (403, "data_analyst"), "other_agency": (404, "case_worker")}

ROUTES = [
    Route("attachments:case", kwargs=_case, allowed=(200, "case_worker"), **FOUR),
    Route(
        "attachments:case",
        label="upload",
        method="post",
        kwargs=_case,
        data=lambda w: {"section": "care", "category": "medical_report", "file": _pdf()},
        allowed=(302, "case_worker"),
        **FOUR,
    ),
    Route("attachments:download", kwargs=_att, allowed=(200, "case_worker"), **FOUR),
    Route(
        "attachments:download",
        label="person",
        kwargs=lambda w: {"attachment_id": w.person_attachment.public_id},
        allowed=(200, "investigator"),  # another officer of the agency who may see the person's identity
        **FOUR,
    ),
    Route("attachments:remove", kwargs=_att, allowed=(200, "case_worker"), **FOUR),
    Route(
        "attachments:remove",
        label="post",
        method="post",
        kwargs=_att,
        data=lambda w: {"reason": "uploaded to the wrong case", "version": w.attachment.version},
        allowed=(302, "coordinator"),  # the supervisor
        **FOUR,
    ),
    Route(
        "attachments:person_upload",
        method="post",
        kwargs=lambda w: {"person_id": w.case.person.public_id},
        data=lambda w: {"category": "passport_copy", "file": _pdf()},
        allowed=(302, "case_worker"),
        **FOUR,
    ),
]


@pytest.mark.parametrize(("route", "who"), table_params(ROUTES))
def test_route_permission(route, who, route_world):
    check_route(route, who, route_world)
