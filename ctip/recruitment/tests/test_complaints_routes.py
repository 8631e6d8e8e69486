"""Permission table of every complaints, risk-profile and watchlist route (ctip/core/tests/routes.py): exact codes.

Complaints are national, as public tips: no agency owns one, so a user of another agency with the same role gets
what a user of the home agency gets (the other_agency rows say so with their status)."""

from __future__ import annotations

import pytest

from ctip.core.tests.routes import NA, Route, check_route, table_params

from .conftest import PNG, make_complaint

pytestmark = pytest.mark.django_db

LABOUR = "labour_officer"
NO_RECORD = NA("no record in the URL: complaints and the watchlist are national, nothing of another agency")
PUBLIC = NA("public: anyone may complain or follow a complaint, without logging in")


@pytest.fixture
def route_objects(register, users, agency):
    from ctip.accounts.models import Agency
    from ctip.recruitment.evidence import Upload
    from ctip.reference.models import Country

    Agency.objects.filter(pk=agency.pk).update(national=True)  # the DCI unit a referral goes to
    complaint, pin = make_complaint(
        against_kind="agency",
        agency_licence=register["valid"].licence_number,
        whereabouts="abroad_distress",
        current_country_id=Country.objects.get(alpha2="SA").pk,
        uploads=[Upload(PNG, "a.png")],
    )
    return {
        "agency": register["valid"],
        "complaint": complaint,
        "pin": pin,
        "evidence": complaint.evidence.get(),
    }


def _complaint(w):
    return {"public_id": w.complaint.public_id}


def _agency(w):
    return {"public_id": w.agency.public_id}


def _version(w):
    return {"version": w.complaint.version}


ROUTES = [
    Route(
        "verify:complaint",
        public="the public complaint form: anyone may complain about an agent, anonymously",
        anonymous=200,
        wrong_role=PUBLIC,
        other_agency=PUBLIC,
        allowed=PUBLIC,
    ),
    Route(
        "verify:complaint_status",
        public="the complainant follows a complaint with its reference and PIN",
        anonymous=200,
        wrong_role=PUBLIC,
        other_agency=PUBLIC,
        allowed=PUBLIC,
    ),
    Route(
        "recruitment:complaints",
        anonymous=302,
        wrong_role=(403, "case_worker"),
        other_agency=NO_RECORD,
        allowed=(200, "coordinator"),
    ),
    Route(
        "recruitment:complaint_file",
        anonymous=302,
        wrong_role=(403, "prosecutor"),
        other_agency=NO_RECORD,
        allowed=(200, "consular_officer"),
    ),
    Route(
        "recruitment:complaint",
        kwargs=_complaint,
        anonymous=302,
        wrong_role=(403, "immigration_officer"),
        other_agency=(200, LABOUR),
        allowed=(200, "investigator"),
    ),
    Route(
        "recruitment:complaint_review",
        kwargs=_complaint,
        method="post",
        data=_version,
        anonymous=302,
        wrong_role=(403, "coordinator"),
        other_agency=(302, LABOUR),
        allowed=(302, LABOUR),
    ),
    Route(
        "recruitment:complaint_triage",
        kwargs=_complaint,
        method="post",
        data=lambda w: {"version": w.complaint.version, "outcome": "referral_dci", "note": "Fees for Riyadh jobs"},
        anonymous=302,
        wrong_role=(403, "investigator"),
        other_agency=(302, LABOUR),
        allowed=(302, LABOUR),
    ),
    Route(
        "recruitment:complaint_evidence_add",
        kwargs=_complaint,
        method="post",
        data=lambda w: {"version": w.complaint.version},
        anonymous=302,
        wrong_role=(403, "coordinator"),
        other_agency=(400, LABOUR),  # reaches the form (national); no file sent
        allowed=(400, LABOUR),
    ),
    Route(
        "recruitment:complaint_evidence",
        kwargs=lambda w: {"public_id": w.complaint.public_id, "evidence_id": w.evidence.public_id},
        anonymous=302,
        wrong_role=(403, "investigator"),
        other_agency=(200, LABOUR),
        allowed=(200, LABOUR),
    ),
    Route(
        "recruitment:complaint_case",
        kwargs=_complaint,
        anonymous=302,
        wrong_role=(403, "coordinator"),
        other_agency=(200, LABOUR),
        allowed=(200, LABOUR),
    ),
    Route(
        "recruitment:profile",
        kwargs=_agency,
        anonymous=302,
        wrong_role=(403, "case_worker"),
        other_agency=(200, "investigator"),
        allowed=(200, "immigration_officer"),
    ),
    Route(
        "recruitment:watch",
        kwargs=_agency,
        method="post",
        data=lambda w: {"reason": "Many complaints about fees", "do": "add"},
        anonymous=302,
        wrong_role=(403, "immigration_officer"),
        other_agency=(302, LABOUR),
        allowed=(302, "investigator"),
    ),
    Route(
        "recruitment:watchlist",
        anonymous=302,
        wrong_role=(403, "data_analyst"),
        other_agency=NO_RECORD,
        allowed=(200, "prosecutor"),
    ),
    # The complaints API (complaints_api.py).
    Route(
        "api-complaint-file",
        method="post",
        data=lambda w: {
            "against_kind": "unregistered",
            "against_name": "Bwana Kazi Agents",
            "whereabouts": "in_kenya",
            "description": "They took my money for a job in Dubai and disappeared.",
        },
        public="the public complaint API: anyone may complain about an agent, anonymously",
        anonymous=201,
        wrong_role=PUBLIC,
        other_agency=PUBLIC,
        allowed=PUBLIC,
    ),
    Route(
        "api-complaint-status",
        method="post",
        data=lambda w: {"reference": w.complaint.reference, "pin": w.pin},
        public="the complainant follows a complaint with its reference and PIN",
        anonymous=200,
        wrong_role=PUBLIC,
        other_agency=PUBLIC,
        allowed=PUBLIC,
    ),
    Route(
        "api-complaints",
        anonymous=401,
        wrong_role=(403, "case_worker"),
        other_agency=NO_RECORD,
        allowed=(200, "coordinator"),
    ),
    Route(
        "api-complaint",
        kwargs=_complaint,
        anonymous=401,
        wrong_role=(403, "immigration_officer"),
        other_agency=(200, LABOUR),
        allowed=(200, "investigator"),
    ),
    Route(
        "api-complaint-review",
        kwargs=_complaint,
        method="post",
        data=_version,
        anonymous=401,
        wrong_role=(403, "coordinator"),
        other_agency=(200, LABOUR),
        allowed=(200, LABOUR),
    ),
    Route(
        "api-complaint-triage",
        kwargs=_complaint,
        method="post",
        data=lambda w: {"version": w.complaint.version, "outcome": "referral_dci", "note": "Fees for Riyadh jobs"},
        anonymous=401,
        wrong_role=(403, "investigator"),
        other_agency=(200, LABOUR),
        allowed=(200, LABOUR),
    ),
]


@pytest.mark.parametrize(("route", "case"), table_params(ROUTES))
def test_route_permissions(route, case, route_world):
    check_route(route, case, route_world)


def test_missing_complaint_is_404_and_wrong_role_403_whatever_the_id(route_world, users, client_for):
    import uuid

    url = f"/recruitment/complaints/{uuid.uuid4()}/"
    assert client_for(users[LABOUR]).get(url).status_code == 404
    assert client_for(users["case_worker"]).get(url).status_code == 403
    evidence = f"/recruitment/complaints/{route_world.complaint.public_id}/evidence/{uuid.uuid4()}/"
    assert client_for(users[LABOUR]).get(evidence).status_code == 404
