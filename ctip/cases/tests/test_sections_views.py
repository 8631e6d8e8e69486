"""NRM section pages: permission tests for every view (anonymous, wrong role, other agency, share-limited agency,
allowed) and the main behaviours (screening suggestion, decision conflict, consent, care, return, follow-ups)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ctip.accounts.enums import Role
from ctip.accounts.services import share_grant
from ctip.audit.models import AuditEvent
from ctip.cases import services
from ctip.cases.models import (
    CarePlan,
    CarePlanAction,
    Case,
    Consent,
    FollowUp,
    NeedsAssessment,
    Repatriation,
    Screening,
    ServiceDelivery,
    StatusDecision,
    TimelineEntry,
)
from ctip.core.tests.routes import covers
from ctip.core.tests.world import register_person, shared_fixture
from ctip.reference.models import Country

from .factories import open_case

SECTION_ROUTES = (
    "cases:screening",
    "cases:non_punishment",
    "cases:consent",
    "cases:care",
    "cases:return",
    "cases:follow_ups",
    "cases:decision",
    "cases:consent_withdraw",
    "cases:needs",
    "cases:care_plan",
    "cases:care_plan_end",
    "cases:care_action",
    "cases:care_action_done",
    "cases:service",
    "cases:repatriation",
    "cases:follow_up_done",
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@shared_fixture("users")
def world(users):
    worker = users[Role.CASE_WORKER]
    case = open_case(
        worker,
        register_person,
        is_abroad=True,
        abroad_country_id=Country.objects.get(alpha2="SA").pk,
        abroad_city="Riyadh",
    )
    consent = services.consent_record(
        actor=worker, case=case, given_by="self", given_on=TODAY, purpose_explained=True, sharing=True
    )
    plan = services.care_plan_add(actor=worker, case=case, plan_type="Health", objectives="See a doctor weekly")
    action = services.care_action_add(actor=worker, plan=plan, description="Clinic visit", planned_on=TODAY)
    follow_up = services.followup_schedule(
        actor=worker, case=case, due_on=TODAY + timedelta(days=5), purpose="Home visit", assigned_to=worker
    )
    case.refresh_from_db()
    return {"case": case, "consent": consent, "plan": plan, "action": action, "follow_up": follow_up}


def _data(world):
    case = world["case"]
    return {
        "screening": {"indicator_list": "adult_labour", "indicators": ["AL-DR-01"], "screened_on": TODAY},
        "decision": {
            "version": case.version,
            "status": "PossibleVictimOfTrafficking",
            "decision_org": "Police",
            "decided_on": TODAY,
        },
        "non_punishment": {"version": case.version, "faces_charges": "on", "detention_place": "Kilimani"},
        "consent": {"given_by": "self", "given_on": TODAY, "purpose_explained": "on"},
        "consent_withdraw": {"reason": "Changed her mind"},
        "needs": {"needs-needs": ["shelter"], "needs-assessed_on": TODAY},
        "care_plan": {"plan-plan_type": "Legal", "plan-objectives": "Legal aid"},
        "care_plan_end": {
            f"end-{world['plan'].public_id}-version": 1,
            f"end-{world['plan'].public_id}-actual_end": TODAY,
        },
        "care_action": {f"action-{world['plan'].public_id}-description": "Counselling"},
        "care_action_done": {
            f"done-{world['action'].public_id}-version": 1,
            f"done-{world['action'].public_id}-done_on": TODAY,
        },
        "service": {"service-service_type": "medical", "service-delivered_on": TODAY},
        "repatriation": {"step": "ticket", "planned_on": TODAY},
        "follow_ups": {"due_on": TODAY, "purpose": "Call"},
        "follow_up_done": {f"done-{world['follow_up'].public_id}-outcome": "Doing well"},
    }


def _urls(world):
    pid = world["case"].public_id
    base = f"/cases/{pid}"
    return {
        # name: (method, url, section, action)
        "screening_page": ("get", f"{base}/screening/", "status", "case.view"),
        "non_punishment_page": ("get", f"{base}/non-punishment/", "non_punishment", "case.view"),
        "consent_page": ("get", f"{base}/consent/", "consent", "case.view"),
        "care_page": ("get", f"{base}/care/", "care", "case.view"),
        "return_page": ("get", f"{base}/return/", "return", "case.view"),
        "follow_ups_page": ("get", f"{base}/follow-ups/", "follow_ups", "case.view"),
        "screening": ("post", f"{base}/screening/", "status", "case.screen"),
        "decision": ("post", f"{base}/screening/decision/", "status", "case.screen"),
        "non_punishment": ("post", f"{base}/non-punishment/", "non_punishment", "case.edit"),
        "consent": ("post", f"{base}/consent/", "consent", "case.edit"),
        "consent_withdraw": (
            "post",
            f"{base}/consent/{world['consent'].public_id}/withdraw/",
            "consent",
            "case.edit",
        ),
        "needs": ("post", f"{base}/care/needs/", "care", "case.edit"),
        "care_plan": ("post", f"{base}/care/plans/", "care", "case.edit"),
        "care_plan_end": ("post", f"{base}/care/plans/{world['plan'].public_id}/end/", "care", "case.edit"),
        "care_action": ("post", f"{base}/care/plans/{world['plan'].public_id}/actions/", "care", "case.edit"),
        "care_action_done": ("post", f"{base}/care/actions/{world['action'].public_id}/done/", "care", "case.edit"),
        "service": ("post", f"{base}/care/services/", "care", "service.record"),
        "repatriation": ("post", f"{base}/return/steps/", "return", "case.edit"),
        "follow_ups": ("post", f"{base}/follow-ups/", "follow_ups", "case.edit"),
        "follow_up_done": (
            "post",
            f"{base}/follow-ups/{world['follow_up'].public_id}/done/",
            "follow_ups",
            "case.view",
        ),
    }


NAMES = [
    "screening_page",
    "non_punishment_page",
    "consent_page",
    "care_page",
    "return_page",
    "follow_ups_page",
    "screening",
    "decision",
    "non_punishment",
    "consent",
    "consent_withdraw",
    "needs",
    "care_plan",
    "care_plan_end",
    "care_action",
    "care_action_done",
    "service",
    "repatriation",
    "follow_ups",
    "follow_up_done",
]
POSTS = [n for n in NAMES if not n.endswith("_page")]


def _snapshot(case):
    case.refresh_from_db()
    return (
        case.version,
        case.trafficking_status,
        case.faces_charges,
        TimelineEntry.objects.filter(case=case).count(),
        Screening.objects.count(),
        StatusDecision.objects.count(),
        Consent.objects.filter(withdrawn_at__isnull=True).count(),
        Consent.objects.count(),
        NeedsAssessment.objects.count(),
        CarePlan.objects.filter(actual_end__isnull=True).count(),
        CarePlan.objects.count(),
        CarePlanAction.objects.count(),
        CarePlanAction.objects.filter(done_on__isnull=False).count(),
        ServiceDelivery.objects.count(),
        Repatriation.objects.count(),
        FollowUp.objects.count(),
        FollowUp.objects.filter(done_at__isnull=False).count(),
    )


def _call(client, world, name, user=None):
    method, url, _section, _action = _urls(world)[name]
    data = _data(world).get(name, {})
    if name == "follow_ups" and user is not None:
        data = {**data, "assigned_to": user.pk}
    return getattr(client, method)(url, data) if method == "post" else client.get(url)


# --- permissions ------------------------------------------------------------------------------------------------


def test_every_url_is_installed(world):
    from django.urls import reverse

    pid = world["case"].public_id
    for name in ("screening", "non_punishment", "consent", "care", "return", "follow_ups", "decision", "needs"):
        assert reverse(f"cases:{name}", args=[pid]).startswith(f"/cases/{pid}/")
    assert reverse("cases:consent_withdraw", args=[pid, world["consent"].public_id])
    assert reverse("cases:care_action", args=[pid, world["plan"].public_id])
    assert reverse("cases:follow_up_done", args=[pid, world["follow_up"].public_id])
    assert reverse("cases:service", args=[pid]) and reverse("cases:repatriation", args=[pid])
    assert reverse("cases:care_plan", args=[pid])


@covers("anonymous", *SECTION_ROUTES)
@pytest.mark.parametrize("name", NAMES)
def test_anonymous_is_sent_to_login(client, world, name):
    before = _snapshot(world["case"])
    response = _call(client, world, name)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert _snapshot(world["case"]) == before


@covers("wrong_role", *SECTION_ROUTES)
@pytest.mark.parametrize("name", NAMES)
def test_roles_without_the_action_get_403(users, client_for, world, name):
    before = _snapshot(world["case"])
    _method, _url, _section, action = _urls(world)[name]
    for role in (Role.DATA_ANALYST, Role.AUDITOR, Role.SYSADMIN):
        user = users[role]
        assert not user.can(action)
        response = _call(client_for(user), world, name, user)
        assert response.status_code == 403, role
    assert _snapshot(world["case"]) == before


@covers("other_agency", *SECTION_ROUTES)
@pytest.mark.parametrize("name", NAMES)
def test_other_agency_gets_404_and_changes_nothing(other_users, client_for, world, name):
    before = _snapshot(world["case"])
    user = other_users[Role.CASE_WORKER]
    response = _call(client_for(user), world, name, user)
    assert response.status_code == 404
    assert _snapshot(world["case"]) == before


@pytest.mark.parametrize("name", POSTS)
def test_national_viewer_without_the_right_gets_403(other_users, client_for, world, name):
    """A coordinator of another agency sees every case but may not change another agency's case."""
    before = _snapshot(world["case"])
    user = other_users[Role.COORDINATOR]
    response = _call(client_for(user), world, name, user)
    assert response.status_code == 403
    assert _snapshot(world["case"]) == before


def _share(world, users, agency, sections):
    case = world["case"]
    share_grant(
        actor=users[Role.CASE_WORKER],
        target_type="cases.case",
        target_id=case.public_id,
        owning_agency_id=case.owning_agency_id,
        agency=agency,
        sections=sections,
        reason="Referral",
    )


@pytest.mark.parametrize("name", NAMES)
def test_share_limited_provider_sees_only_shared_sections(users, other_users, client_for, world, name):
    provider = other_users[Role.SERVICE_PROVIDER]
    _share(world, users, provider.agency, ["care"])
    before = _snapshot(world["case"])
    _method, _url, section, action = _urls(world)[name]
    response = _call(client_for(provider), world, name, provider)
    if not provider.can(action):  # the role may not do this at all
        assert response.status_code == 403
        assert _snapshot(world["case"]) == before
    elif section != "care":  # not shared: as if it did not exist
        assert response.status_code == 404
        assert _snapshot(world["case"]) == before
    else:
        assert response.status_code == (200 if _urls(world)[name][0] == "get" else 302), response.content.decode()[:500]


def test_shared_provider_records_own_service(users, other_users, client_for, world):
    provider = other_users[Role.SERVICE_PROVIDER]
    _share(world, users, provider.agency, ["care"])
    c = client_for(provider)
    page = c.get(f"/cases/{world['case'].public_id}/care/")
    body = page.content.decode()
    assert page.status_code == 200 and "Record a service delivered" in body
    assert "Assess needs" not in body and 'name="provider"' not in body
    response = c.post(f"/cases/{world['case'].public_id}/care/services/", _data(world)["service"])
    assert response.status_code == 302
    assert ServiceDelivery.objects.get().provider == provider.agency


def test_shared_frontline_agency_with_follow_ups_only(users, other_users, client_for, world):
    officer = other_users[Role.LABOUR_OFFICER]
    _share(world, users, officer.agency, ["follow_ups"])
    c = client_for(officer)
    pid = world["case"].public_id
    assert c.get(f"/cases/{pid}/follow-ups/").status_code == 200
    for path in ("screening/", "consent/", "care/", "return/", "non-punishment/"):
        assert c.get(f"/cases/{pid}/{path}").status_code == 404, path
    response = c.post(f"/cases/{pid}/consent/", _data(world)["consent"])
    assert response.status_code == 404 and Consent.objects.count() == 1


# --- allowed ------------------------------------------------------------------------------------------------------


@covers("allowed", *SECTION_ROUTES)
@pytest.mark.parametrize("name", NAMES)
def test_allowed_owner(users, client_for, world, name):
    worker = users[Role.CASE_WORKER]
    response = _call(client_for(worker), world, name, worker)
    assert response.status_code == (200 if _urls(world)[name][0] == "get" else 302), response.content.decode()[:2000]
    if response.status_code == 302:
        assert response["Location"].startswith(f"/cases/{world['case'].public_id}/")


def test_screening_page_and_record(users, client_for, world):
    c = client_for(users[Role.CASE_WORKER])
    url = f"/cases/{world['case'].public_id}/screening/"
    page = c.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and "Deceptive recruitment" in body and 'value="AL-DR-01"' in body
    assert "Strong" in body and "No screening recorded yet" in body
    response = c.post(
        url,
        {
            "indicator_list": "adult_labour",
            "indicators": ["AL-DR-01", "AL-DR-02", "AL-EX-01", "AL-EX-02", "AL-CD-01", "AL-CD-02"],
            "screened_on": TODAY,
            "notes": "Interpreter: Swahili",
        },
    )
    assert response.status_code == 302
    body = c.get(url).content.decode()
    assert "Actual victim of trafficking" in body and "Deceptive recruitment is positive" in body
    assert "Interpreter" not in body
    shown = c.get(url + "?show=1").content.decode()
    assert "Interpreter: Swahili" in shown
    assert AuditEvent.objects.filter(action="case.read_sensitive", changes__field="screening.notes").exists()


def test_screening_errors_keep_the_ticks(users, client_for, world):
    c = client_for(users[Role.CASE_WORKER])
    url = f"/cases/{world['case'].public_id}/screening/"
    response = c.post(
        url,
        {"indicator_list": "adult_labour", "indicators": ["AL-DR-01"], "screened_on": TODAY + timedelta(days=3)},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "cannot be in the future" in body and 'value="AL-DR-01" checked' in body
    assert not Screening.objects.exists()


def test_sexual_list_falls_back_to_labour(users, client_for, world):
    c = client_for(users[Role.CASE_WORKER])
    body = c.get(f"/cases/{world['case'].public_id}/screening/?kind=sexual").content.decode()
    assert "has no indicators yet" in body and 'value="adult_labour"' in body


def test_child_case_uses_child_list(users, client_for, make_person):
    from datetime import date

    child = open_case(users[Role.CASE_WORKER], make_person, first_name="Wanjiru", date_of_birth=date(2014, 1, 5))
    body = client_for(users[Role.CASE_WORKER]).get(f"/cases/{child.public_id}/screening/").content.decode()
    assert 'value="child_labour"' in body and 'value="CL-' in body and 'value="AL-' not in body


def test_decision_conflict_shows_message_and_keeps_input(users, client_for, world):
    c = client_for(users[Role.CASE_WORKER])
    url = f"/cases/{world['case'].public_id}/screening/decision/"
    data = {**_data(world)["decision"], "rationale": "Second officer's careful reasons"}
    assert c.post(url, _data(world)["decision"]).status_code == 302
    response = c.post(url, {**data, "status": "ActualVictimOfTrafficking"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Someone else changed this record" in body
    assert "Second officer&#x27;s careful reasons" in body or "Second officer's careful reasons" in body
    case = Case.objects.get(pk=world["case"].pk)
    assert case.trafficking_status == "PossibleVictimOfTrafficking"
    assert f'name="version" value="{case.version}"' in body  # saving again is now a deliberate choice
    assert StatusDecision.objects.count() == 1


def test_non_punishment_page(users, client_for, world):
    c = client_for(users[Role.CASE_WORKER])
    url = f"/cases/{world['case'].public_id}/non-punishment/"
    response = c.post(url, {"version": world["case"].version, "in_detention": "on"})
    assert response.status_code == 400 and "Say where the person is charged or detained" in response.content.decode()
    assert c.post(url, _data(world)["non_punishment"]).status_code == 302
    case = Case.objects.get(pk=world["case"].pk)
    assert case.faces_charges and case.detention_place == "Kilimani"
    assert "Kilimani" in c.get(url).content.decode()


def test_consent_page_child_rule_and_withdraw(users, client_for, world, make_person):
    from datetime import date

    worker = users[Role.CASE_WORKER]
    c = client_for(worker)
    child = open_case(worker, make_person, first_name="Wanjiru", date_of_birth=date(2014, 1, 5))
    url = f"/cases/{child.public_id}/consent/"
    page = c.get(url).content.decode()
    assert "The person is a child" in page and 'value="self"' not in page
    response = c.post(url, {"given_by": "self", "given_on": TODAY, "purpose_explained": "on"})
    assert response.status_code == 400 and not Consent.objects.filter(case=child).exists()
    response = c.post(
        url,
        {"given_by": "guardian", "giver_name": "Mama Wanjiru", "given_on": TODAY, "purpose_explained": "on"},
    )
    assert response.status_code == 302
    body = c.get(url).content.decode()
    assert "Mama Wanjiru" not in body and "Mama Wanjiru" in c.get(url + "?show=1").content.decode()
    consent = Consent.objects.get(case=child)
    response = c.post(f"/cases/{child.public_id}/consent/{consent.public_id}/withdraw/", {"reason": ""})
    assert response.status_code == 400
    response = c.post(f"/cases/{child.public_id}/consent/{consent.public_id}/withdraw/", {"reason": "Moved away"})
    assert response.status_code == 302
    assert "No consent in force" in c.get(url).content.decode()
    # a consent of another case is not found through this case
    other = world["consent"]
    assert c.post(f"/cases/{child.public_id}/consent/{other.public_id}/withdraw/", {"reason": "x"}).status_code == 404


def test_care_page_flows(users, client_for, world):
    c = client_for(users[Role.CASE_WORKER])
    pid = world["case"].public_id
    page = c.get(f"/cases/{pid}/care/")
    body = page.content.decode()
    assert page.status_code == 200 and "Health" in body and "See a doctor weekly" not in body
    assert "See a doctor weekly" in c.get(f"/cases/{pid}/care/?show=1").content.decode()
    response = c.post(f"/cases/{pid}/care/needs/", {"needs-needs": [], "needs-assessed_on": TODAY})
    assert response.status_code == 400 and not NeedsAssessment.objects.exists()
    assert c.post(f"/cases/{pid}/care/needs/", _data(world)["needs"]).status_code == 302
    assert "Shelter" in c.get(f"/cases/{pid}/care/").content.decode()
    action = world["action"]
    stale = {f"done-{action.public_id}-version": 99, f"done-{action.public_id}-done_on": TODAY}
    response = c.post(f"/cases/{pid}/care/actions/{action.public_id}/done/", stale)
    assert response.status_code == 400 and "Someone else changed this record" in response.content.decode()
    assert c.post(f"/cases/{pid}/care/actions/{action.public_id}/done/", _data(world)["care_action_done"]).status_code
    action.refresh_from_db()
    assert action.done_on == TODAY


def test_return_page(users, client_for, world, make_person):
    c = client_for(users[Role.CASE_WORKER])
    pid = world["case"].public_id
    body = c.get(f"/cases/{pid}/return/").content.decode()
    assert "Riyadh" in body and "Ticket secured" in body
    assert c.post(f"/cases/{pid}/return/steps/", _data(world)["repatriation"]).status_code == 302
    assert Repatriation.objects.get().step == "ticket"
    home = open_case(users[Role.CASE_WORKER], make_person, first_name="Home")
    body = c.get(f"/cases/{home.public_id}/return/").content.decode()
    assert "no return steps apply" in body
    response = c.post(f"/cases/{home.public_id}/return/steps/", _data(world)["repatriation"])
    assert response.status_code == 400 and Repatriation.objects.count() == 1


def test_follow_ups_page(users, client_for, world, make_user):
    worker = users[Role.CASE_WORKER]
    colleague = make_user(Role.INVESTIGATOR, worker.agency, username="colleague")
    c = client_for(worker)
    pid = world["case"].public_id
    response = c.post(
        f"/cases/{pid}/follow-ups/",
        {"due_on": TODAY - timedelta(days=1), "purpose": "Visit", "assigned_to": colleague.pk},
    )
    assert response.status_code == 400 and "cannot be in the past" in response.content.decode()
    response = c.post(f"/cases/{pid}/follow-ups/", {"due_on": TODAY, "purpose": "Visit", "assigned_to": colleague.pk})
    assert response.status_code == 302
    follow_up = FollowUp.objects.get(assigned_to=colleague)
    # the colleague it is assigned to closes it
    cc = client_for(colleague)
    assert "Visit" in cc.get(f"/cases/{pid}/follow-ups/").content.decode()
    response = cc.post(
        f"/cases/{pid}/follow-ups/{follow_up.public_id}/done/", {f"done-{follow_up.public_id}-outcome": "Fine"}
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.done_by == colleague
    assert "Fine" in c.get(f"/cases/{pid}/follow-ups/?show=1").content.decode()


# --- every form keeps its input on error (views/sections.py: _form_post) ------------------------------------------

BAD_DATE = "MARK-not-a-date"
TYPED = "MARK typed by the officer"


def _invalid(world, name):
    """The valid post of `name` made invalid (a date that is no date), with text typed into its text field."""
    plan, action, follow_up = world["plan"].public_id, world["action"].public_id, world["follow_up"].public_id
    long = TYPED + " " + "x" * 5001  # too long: the only way to make a one-text-field form invalid with text in it
    return {
        "screening": {"screened_on": BAD_DATE, "notes": TYPED},
        "decision": {"decided_on": BAD_DATE, "rationale": TYPED},
        "non_punishment": {"version": "", "detention_place": TYPED},
        "consent": {"given_on": BAD_DATE, "giver_name": TYPED},
        "consent_withdraw": {"reason": long},
        "needs": {"needs-assessed_on": BAD_DATE, "needs-notes": TYPED},
        "care_plan": {"plan-planned_end": BAD_DATE, "plan-objectives": TYPED},
        "care_plan_end": {f"end-{plan}-actual_end": BAD_DATE},
        "care_action": {f"action-{plan}-planned_on": BAD_DATE, f"action-{plan}-description": TYPED},
        "care_action_done": {f"done-{action}-done_on": BAD_DATE},
        "service": {"service-delivered_on": BAD_DATE, "service-notes": TYPED},
        "repatriation": {"planned_on": BAD_DATE, "notes": TYPED},
        "follow_ups": {"due_on": BAD_DATE, "purpose": TYPED},
        "follow_up_done": {f"done-{follow_up}-outcome": long},
    }[name]


@pytest.mark.parametrize("name", POSTS)
def test_every_section_form_keeps_its_input_on_error(users, client_for, world, name):
    worker = users[Role.CASE_WORKER]
    _method, url, _section, _action = _urls(world)[name]
    data = {**_data(world).get(name, {}), **_invalid(world, name)}
    if name == "follow_ups":
        data["assigned_to"] = worker.pk
    before = _snapshot(world["case"])
    response = client_for(worker).post(url, data)
    assert response.status_code == 400
    body = response.content.decode()
    typed = [v for v in _invalid(world, name).values() if v in (BAD_DATE, TYPED) or str(v).startswith(TYPED)]
    for value in typed:
        assert (value[:200] if value != BAD_DATE else value) in body, f"{name} lost {value[:40]!r}"
    assert _snapshot(world["case"]) == before


def test_a_service_error_keeps_the_input_too(users, client_for, world):
    worker = users[Role.CASE_WORKER]
    url = f"/cases/{world['case'].public_id}/follow-ups/"
    data = {"due_on": TODAY - timedelta(days=1), "purpose": TYPED, "assigned_to": worker.pk}
    response = client_for(worker).post(url, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "cannot be in the past" in body and TYPED in body
