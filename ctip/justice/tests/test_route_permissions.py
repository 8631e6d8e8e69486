"""Permission table for every route of the justice app (ctip/core/tests/routes.py): anonymous, a role without the
action, a user of another agency, and the role that may, with exact status codes."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ctip.accounts.enums import Role
from ctip.core.tests.routes import NA, Route, check_route, table_params
from ctip.core.tests.world import shared_fixture

from .conftest import make_ready, open_file

pytestmark = pytest.mark.django_db

LIST = NA("no record in the URL: the list holds only what the user's agency may see")


@shared_fixture("users", "odpp_users", "case", "odpp_agency")
def justice_world(users, odpp_users, case, odpp_agency):
    from ctip.justice import services

    investigator = users[Role.INVESTIGATOR]
    plain = make_ready(investigator, open_file(investigator))
    handed = make_ready(investigator, open_file(investigator, ob_number="OB 2"))
    services.investigation_submit(
        actor=investigator, investigation=handed, agency=odpp_agency, sections=["suspects", "offences", "evidence"]
    )
    handed.refresh_from_db()
    charged = make_ready(investigator, open_file(investigator, ob_number="OB 3"))
    services.investigation_submit(
        actor=investigator, investigation=charged, agency=odpp_agency, sections=["suspects", "offences"]
    )
    services.investigation_advise(actor=odpp_users[Role.PROSECUTOR], investigation=charged, advice="charge")
    charged.refresh_from_db()
    prosecuted = _build_prosecuted(users, odpp_users, case, odpp_agency)
    return {
        "file": plain,
        "handed": handed,
        "charged": charged,
        "case": case,
        "odpp": odpp_agency,
        "prosecuted": prosecuted,
        "sheet": prosecuted.charge_sheet,
        "second_case": prosecuted.case_links.exclude(case=case).get().case,
    }


def _build_prosecuted(users, odpp_users, case, odpp_agency):
    """A file charged 100 days ago with two counts (pleas taken), a scheduled mention, the victim as PW1, count 1
    decided (convicted) and an appeal pending; a second victim case linked and not yet a witness."""
    from datetime import timedelta

    from ctip.cases.tests.factories import open_case
    from ctip.core.tests.world import register_person
    from ctip.justice import services
    from ctip.justice.models import ChargeSheet, CourtStation
    from ctip.reference.models import Offence

    investigator, prosecutor = users[Role.INVESTIGATOR], odpp_users[Role.PROSECUTOR]
    today = timezone.localdate()
    f = make_ready(investigator, open_file(investigator, case, ob_number="OB 4"))
    other = open_case(users[Role.CASE_WORKER], register_person, first_name="Wanjiru", last_name="Kamau")
    services.investigation_link_case(actor=investigator, investigation=f, case=other, role="witness")
    f.refresh_from_db()
    services.investigation_submit(
        actor=investigator, investigation=f, agency=odpp_agency, sections=["victims", "suspects", "offences"]
    )
    services.investigation_advise(actor=prosecutor, investigation=f, advice="charge")
    f.submissions.update(advised_at=timezone.now() - timedelta(days=120))
    f.refresh_from_db()
    accused = f.suspects.first()
    sheet = services.charge_sheet_record(
        actor=prosecutor,
        investigation=f,
        court=CourtStation.objects.get(code="kibera"),
        court_case_number="MCCR/E4/2026",
        charged_on=today - timedelta(days=100),
        counts=[
            services.CountInput(accused, Offence.objects.get(code="ctipa-3"), "not_guilty"),
            services.CountInput(accused, Offence.objects.get(code="ctipa-4"), "not_guilty"),
        ],
    )

    def fresh():
        return ChargeSheet.objects.select_related("investigation").get(pk=sheet.pk)

    services.court_event_schedule(actor=prosecutor, sheet=fresh(), kind="mention", sits_on=today - timedelta(days=50))
    services.witness_add(actor=prosecutor, sheet=fresh(), case=case)
    services.outcome_record(
        actor=prosecutor,
        count=fresh().counts.get(number=1),
        verdict="convicted",
        decided_on=today - timedelta(days=10),
        imprisonment_months=120,
    )
    services.appeal_file(
        actor=prosecutor, sheet=fresh(), accused=accused, appellant="accused", filed_on=today - timedelta(days=5)
    )
    f.refresh_from_db()
    return f


@pytest.fixture
def route_objects(justice_world, prosecutor):
    return {**justice_world, "odpp_prosecutor": prosecutor}  # users["prosecutor"] is the home agency's


def _file(w):
    return {"public_id": w.file.public_id}


def _handed(w):
    return {"public_id": w.handed.public_id}


def _page(name, kwargs=_file, **kw):
    return Route(
        name,
        kwargs=kwargs,
        anonymous=302,
        wrong_role=(403, "case_worker"),
        other_agency=(404, "investigator"),
        allowed=(200, "investigator"),
        **kw,
    )


def _post(name, data, kwargs=_file, allowed=(302, "investigator"), **kw):
    return Route(
        name,
        method="post",
        kwargs=kwargs,
        data=data,
        anonymous=302,
        wrong_role=(403, "case_worker"),
        other_agency=(404, "investigator"),
        allowed=allowed,
        **kw,
    )


def _charged(w):
    return {"public_id": w.charged.public_id}


def _charge_data(w):

    return {
        "court": "milimani-mc",
        "court_case_number": "MCCR/E1/2026",
        "charged_on": timezone.localdate().isoformat(),
        "version": w.charged.version,
        "count0-accused": str(w.charged.suspects.first().public_id),
        "count0-offence": "ctipa-3",
        "count0-plea": "not_taken",
    }


ROUTES = [
    Route(
        "justice:index",
        anonymous=302,
        wrong_role=(403, "case_worker"),
        other_agency=LIST,
        allowed=(200, "investigator"),
    ),
    Route(
        "justice:queue",
        anonymous=302,
        wrong_role=(403, "investigator"),
        other_agency=LIST,
        allowed=(200, "odpp_prosecutor"),
        check=lambda r, w, case: case != "allowed" or w.handed.reference in r.content.decode(),
    ),
    Route(
        "justice:figures",
        anonymous=302,
        wrong_role=(403, "investigator"),
        other_agency=NA("national aggregates: no agency's record in the URL"),
        allowed=(200, "data_analyst"),
    ),
    Route(
        "justice:open",
        anonymous=302,
        wrong_role=(403, "case_worker"),
        other_agency=NA("no record in the URL: the file is opened for the user's own unit"),
        allowed=(200, "investigator"),
    ),
    _page("justice:open_from_case", kwargs=lambda w: {"case_id": w.case.public_id}),
    _page("justice:detail"),
    _page("justice:edit"),
    _page("justice:evidence"),
    _page("justice:log"),
    _page("justice:exchange"),
    _page("justice:suspect_person"),
    _post("justice:link_case", lambda w: {"case_reference": w.case.reference, "role": "witness"}),
    _post(
        "justice:suspect_organisation",
        lambda w: {"organisation_name": "Gulf Jobs Ltd", "roles": ["RecruiterOrIntermediary"]},
    ),
    _post("justice:offence_add", lambda w: {"offence": "ctipa-4"}),
    _post("justice:close", lambda w: {"reason": "insufficient_evidence", "version": w.file.version}),
    _post(
        "justice:evidence_set", lambda w: {"item": "contracts", "state": "not_applicable", "version": w.file.version}
    ),
    _post("justice:identifier_add", lambda w: {"kind": "phone", "value": "0712345678"}),
    _post("justice:action_add", lambda w: {"done_on": "2026-03-02", "text": "Visited the agency office"}),
    _post(
        "justice:submit",
        lambda w: {"agency": w.odpp.public_id, "sections": ["suspects"], "version": w.file.version},
    ),
    Route(
        "justice:advise",
        method="post",
        kwargs=_handed,
        data=lambda w: {"advice": "charge", "version": w.handed.version},
        anonymous=302,
        wrong_role=(403, "investigator"),
        other_agency=(404, "prosecutor"),
        allowed=(302, "odpp_prosecutor"),
    ),
    _page("justice:charge", kwargs=_charged),
    Route(
        "justice:charge_record",
        method="post",
        kwargs=_charged,
        data=_charge_data,
        anonymous=302,
        wrong_role=(403, "investigator"),
        other_agency=(404, "prosecutor"),
        allowed=(302, "odpp_prosecutor"),
    ),
]


def _prosecuted(w):
    return {"public_id": w.prosecuted.public_id}


def _court_page(name, **kw):
    return Route(
        name,
        kwargs=_prosecuted,
        anonymous=302,
        wrong_role=(403, "case_worker"),
        other_agency=(404, "prosecutor"),
        allowed=(200, "odpp_prosecutor"),
        **kw,
    )


def _court_post(name, data, kwargs=_prosecuted):
    return Route(
        name,
        method="post",
        kwargs=kwargs,
        data=data,
        anonymous=302,
        wrong_role=(403, "investigator"),
        other_agency=(404, "prosecutor"),
        allowed=(302, "odpp_prosecutor"),
    )


def _accused(w):
    return str(w.sheet.counts.get(number=1).accused.public_id)


def _today():
    return timezone.localdate().isoformat()


ROUTES += [
    Route(
        "justice:hearings",
        anonymous=302,
        wrong_role=(403, "investigator"),
        other_agency=LIST,
        allowed=(200, "odpp_prosecutor"),
    ),
    Route(
        "justice:prosecutions",
        anonymous=302,
        wrong_role=(403, "investigator"),
        other_agency=LIST,
        allowed=(200, "odpp_prosecutor"),
        query="flag=pending",
        check=lambda r, w, case: case != "allowed" or w.prosecuted.reference in r.content.decode(),
    ),
    _court_page("justice:court"),
    _court_page("justice:witnesses"),
    _court_post("justice:court_schedule", lambda w: {"schedule-kind": "hearing", "schedule-sits_on": _today()}),
    _court_post(
        "justice:court_sitting",
        lambda w: {"sitting-status": "held"},
        kwargs=lambda w: {"public_id": w.prosecuted.public_id, "event_id": w.sheet.events.get().public_id},
    ),
    _court_post(
        "justice:court_plea",
        lambda w: {"plea-plea": "guilty"},
        kwargs=lambda w: {"public_id": w.prosecuted.public_id, "number": 2},
    ),
    _court_post(
        "justice:court_outcome",
        lambda w: {"outcome-verdict": "withdrawn", "outcome-decided_on": _today()},
        kwargs=lambda w: {"public_id": w.prosecuted.public_id, "number": 2},
    ),
    _court_post(
        "justice:court_restitution",
        lambda w: {
            "restitution-accused": _accused(w),
            "restitution-beneficiary_case": w.case.reference,
            "restitution-amount": "10,000",
            "restitution-ordered_on": _today(),
        },
    ),
    _court_post(
        "justice:court_forfeiture",
        lambda w: {
            "forfeiture-accused": _accused(w),
            "forfeiture-amount": "250,000",
            "forfeiture-assets": "A matatu, registration KCX 001A",
            "forfeiture-ordered_on": _today(),
        },
    ),
    _court_post(
        "justice:court_appeal",
        lambda w: {"appeal-accused": _accused(w), "appeal-appellant": "prosecution", "appeal-filed_on": _today()},
    ),
    _court_post(
        "justice:court_appeal_decide",
        lambda w: {"decision-result": "dismissed", "decision-decided_on": _today()},
        kwargs=lambda w: {"public_id": w.prosecuted.public_id, "appeal_id": w.sheet.appeals.get().public_id},
    ),
    _court_post("justice:witness_add", lambda w: {"case": w.second_case.reference}),
    _court_post(
        "justice:witness_update",
        lambda w: {"w1-interpreter_language": "Kiswahili", "w1-testified_on": _today()},
        kwargs=lambda w: {"public_id": w.prosecuted.public_id, "number": 1},
    ),
]


@pytest.mark.parametrize(("route", "who"), table_params(ROUTES))
def test_route_permission(route, who, route_world):
    check_route(route, who, route_world)


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.COORDINATOR, Role.DATA_ANALYST, Role.AUDITOR])
def test_roles_without_file_access_get_403_on_a_file(role, users, justice_world, client_for):
    client = client_for(users[role])
    assert client.get(f"/justice/{justice_world['file'].public_id}/").status_code == 403
    assert client.get("/justice/").status_code == 403


def test_the_prosecutor_sees_a_handed_file_and_only_its_sections(prosecutor, justice_world, client_for):
    client = client_for(prosecutor)
    handed = justice_world["handed"]
    assert client.get(f"/justice/{handed.public_id}/").status_code == 200
    assert client.get(f"/justice/{handed.public_id}/evidence/").status_code == 200
    assert client.get(f"/justice/{handed.public_id}/log/").status_code == 404  # identifiers and actions not handed
    assert client.get(f"/justice/{justice_world['file'].public_id}/").status_code == 404  # never handed over
    assert client.get(f"/justice/{handed.public_id}/edit/").status_code == 403  # no investigation.edit
