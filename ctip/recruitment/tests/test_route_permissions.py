"""Permission table of every recruitment route (ctip/core/tests/routes.py): exact status codes.

The register is national data about organisations: no agency owns an entry, so a user of another agency with
the same role gets what a user of the home agency gets (the other_agency rows say so with their status)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import override_settings

from ctip.core.tests.routes import NA, Route, check_route, table_params

pytestmark = pytest.mark.django_db

PUBLIC = NA("public: anyone may check an agency, without logging in")
NO_RECORD = NA("no record in the URL: the register is national, nothing of another agency to reach")


@pytest.fixture
def route_objects(register, users):
    from ctip.recruitment import services

    record = services.import_list(
        actor=users["labour_officer"], file_name="x.csv", content=b"Licence Number,Name,Status\n,,valid\n", source="NEA"
    )
    return {"agency": register["valid"], "record": record}


def _agency(w):
    return {"public_id": w.agency.public_id}


def _record(w):
    return {"public_id": w.record.public_id}


LABOUR = "labour_officer"

ROUTES = [
    Route(
        "recruitment:list",
        anonymous=302,
        wrong_role=(403, "data_analyst"),
        other_agency=(200, "investigator"),
        allowed=(200, "investigator"),
    ),
    Route(
        "recruitment:detail",
        kwargs=_agency,
        anonymous=302,
        wrong_role=(403, "case_worker"),
        other_agency=(200, LABOUR),
        allowed=(200, "immigration_officer"),
    ),
    Route(
        "recruitment:create",
        anonymous=302,
        wrong_role=(403, "investigator"),
        other_agency=NO_RECORD,
        allowed=(200, LABOUR),
    ),
    Route(
        "recruitment:create",
        label="post",
        method="post",
        data=lambda w: {
            "licence_number": "RA/2024/9",
            "legal_name": "Kilele Agency",
            "status": "valid",
            "status_since": "2024-01-01",
            "status_source": "NEA list",
        },
        anonymous=302,
        wrong_role=(403, "coordinator"),
        allowed=(302, LABOUR),
    ),
    Route(
        "recruitment:edit",
        kwargs=_agency,
        anonymous=302,
        wrong_role=(403, "coordinator"),
        other_agency=(200, LABOUR),
        allowed=(200, LABOUR),
    ),
    Route(
        "recruitment:status",
        method="post",
        kwargs=_agency,
        data=lambda w: {
            "status": "suspended",
            "effective_on": "2024-05-01",
            "source": "NEA notice 12",
            "version": w.agency.version,
        },
        anonymous=302,
        wrong_role=(403, "investigator"),
        other_agency=(302, LABOUR),
        allowed=(302, LABOUR),
    ),
    Route(
        "recruitment:director_add",
        kwargs=_agency,
        anonymous=302,
        wrong_role=(403, "prosecutor"),
        other_agency=(200, LABOUR),
        allowed=(200, LABOUR),
    ),
    Route(
        "recruitment:job_order_add",
        kwargs=_agency,
        anonymous=302,
        wrong_role=(403, "consular_officer"),
        other_agency=(200, LABOUR),
        allowed=(200, LABOUR),
    ),
    Route(
        "recruitment:import",
        anonymous=302,
        wrong_role=(403, "coordinator"),
        other_agency=NO_RECORD,
        allowed=(200, LABOUR),
    ),
    Route(
        "recruitment:import_detail",
        kwargs=_record,
        anonymous=302,
        wrong_role=(403, "investigator"),
        other_agency=(200, LABOUR),
        allowed=(200, LABOUR),
    ),
    Route(
        "recruitment:import_report",
        kwargs=_record,
        anonymous=302,
        wrong_role=(403, "investigator"),
        other_agency=(200, LABOUR),
        allowed=(200, LABOUR),
    ),
    Route(
        "verify:page",
        public="the public verification page: anyone checks an agency before paying",
        anonymous=200,
        wrong_role=PUBLIC,
        other_agency=PUBLIC,
        allowed=PUBLIC,
    ),
    Route(
        "api-recruitment-verify",
        method="post",
        data=lambda w: {"q": "Upendo"},
        public="the public verification API: anyone checks an agency before paying",
        anonymous=200,
        wrong_role=PUBLIC,
        other_agency=PUBLIC,
        allowed=PUBLIC,
    ),
    Route(
        "verify:sms",
        method="post",
        data=lambda w: {"from": "+254700111222", "to": "22384", "text": "VERIFY Upendo", "id": "1", "date": "x"},
        query="secret=callback-secret",
        public="the SMS gateway's callback: authenticated by the shared secret, not by a log-in",
        anonymous=200,
        wrong_role=PUBLIC,
        other_agency=PUBLIC,
        allowed=PUBLIC,
    ),
]


@override_settings(CTIP_SMS_CALLBACK_SECRET="callback-secret")
@pytest.mark.parametrize(("route", "case"), table_params(ROUTES))
def test_route_permissions(route, case, route_world):
    check_route(route, case, route_world)


def test_status_change_source_is_kept(route_world, users, client_for):
    from ctip.recruitment.models import AgencyStatusChange

    agency = route_world.agency
    client = client_for(users[LABOUR])
    response = client.post(
        f"/recruitment/{agency.public_id}/status/",
        {
            "status": "blacklisted",
            "effective_on": date(2024, 5, 1).isoformat(),
            "source": "",
            "version": agency.version,
        },
    )
    assert response.status_code == 400
    assert not AgencyStatusChange.objects.filter(agency=agency, status="blacklisted").exists()
