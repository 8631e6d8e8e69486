"""Pages of the NRM sections of a case: screening and status, non-punishment, consent, care, return, follow-ups.

Each page gets the case through `case_get_for_user`, i.e. `accounts.access.require`: 403 if the role lacks the
action, 404 if the case or the section is not visible to the user (a share may give only some sections), 403 if
visible but the user may not do the action on it. Every form posts through `_form_post` (one skeleton: bind,
call the service, redirect back on success (PRG), or show the page again with the input kept and the service's
errors on the form). They work without JavaScript; with htmx the page content is boosted. Sealed text is opened
only on request (`?show=1`), through `selectors.case_sensitive_text_for_user`, which logs each read.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ctip.accounts.access import may
from ctip.accounts.roles import Action
from ctip.core.errors import Conflict, NotFound, PermissionDenied, ServiceError, ValidationFailed
from ctip.core.views_helpers import apply_service_error, require_action
from ctip.people.sealed import has_text
from ctip.reference.enums import Dimension, IndicatorList
from ctip.reference.selectors import htcds_label
from ctip.reference.selectors import indicator_list as indicator_catalogue

from .. import rationale, selectors, services
from ..enums import CaseSection, DecisionMakingOrg, RepatriationStep, ServiceType
from ..forms.sections import (
    CareActionDoneForm,
    CareActionForm,
    CarePlanEndForm,
    CarePlanForm,
    ConsentForm,
    ConsentWithdrawForm,
    DecisionForm,
    FollowUpDoneForm,
    FollowUpForm,
    NeedsForm,
    NonPunishmentForm,
    RepatriationForm,
    ScreeningForm,
    ServiceForm,
)
from ..selectors import sections as sq
from .core import case_context

# The HTCDS decision-making organisation an agency's decision is usually recorded as (the officer can change it).
ORG_FOR_AGENCY_TYPE = {
    "police": DecisionMakingOrg.POLICE,
    "prosecution": DecisionMakingOrg.COURT_OR_PROSECUTION,
    "judiciary": DecisionMakingOrg.COURT_OR_PROSECUTION,
    "ngo": DecisionMakingOrg.NGO,
    "shelter": DecisionMakingOrg.NGO,
    "international": DecisionMakingOrg.OTHER,
}


# --- helpers -------------------------------------------------------------------------------------------------------


def _case(request, public_id, section: str, action: Action = Action.CASE_VIEW):
    """The case and the user's access for `action` on `section` (accounts.access.require, through the selector):
    NotFound (404) if the case or the section is not visible, PermissionDenied (403) if visible but not for
    `action`; `require_action` turns them into the error pages."""
    return selectors.case_get_for_user(user=request.user, public_id=public_id, action=action, section=section)


def _error_status(request) -> int:
    # htmx swaps only 2xx responses; a plain form post gets the honest 400.
    return 200 if getattr(request, "htmx", False) else 400


def _apply(form, exc: ServiceError, version: int | None = None) -> None:
    """Show a service error on the form (keeping the input). Refusals are not form errors: 403 / 404."""
    if isinstance(exc, PermissionDenied | NotFound):
        raise exc
    apply_service_error(form, exc)
    if version is not None:
        _keep_input_after_conflict(form, exc, version)


def _keep_input_after_conflict(form, exc: ServiceError, version: int) -> None:
    """After a conflict the user's input stays in the form; the hidden version becomes the current one, so the
    user can check what changed (reload in another tab) and save again on purpose."""
    if isinstance(exc, Conflict) and "version" in form.fields:
        data = form.data.copy()
        data["version"] = str(version)
        form.data = data


def _form_post(
    request,
    public_id,
    *,
    section: str,
    action: Action,
    form: Callable,
    save: Callable,
    done: str,
    then: str,
    page: Callable,
    sub: Callable | None = None,
    version: Callable | None = None,
    rename: dict[str, str] | None = None,
):
    """The one skeleton of every form post on a case section.

    1. the case through `_case(..., section, action)` (403 / 404 as `require` says); `sub(case)` loads the record
       posted to (a care plan, a follow-up...) among this case's records only, so another case's id is a 404;
    2. `form(case, record)` binds the form to request.POST; `save(case, record, cleaned_data)` calls the service;
    3. success: the message `done` and a redirect to the page `then` (PRG);
    4. a ServiceError: refusals (PermissionDenied, NotFound) stay 403 / 404; other errors go on the form, field
       errors next to their field (`rename` maps service field names to form field names); after a Conflict the
       form keeps the input and takes the record's current version (`version(case, record)`);
    5. invalid input or a service error: `page(case, access, form, record, status)` shows the page again with
       the bound form, so nothing typed is lost (status 400, or 200 for htmx, which swaps only 2xx).
    """
    case, access = _case(request, public_id, section, action)
    record = sub(case) if sub is not None else None
    bound = form(case, record)
    if bound.is_valid():
        try:
            save(case, record, bound.cleaned_data)
        except ServiceError as exc:
            if rename and exc.fields:
                exc.fields = {rename.get(k, k): v for k, v in exc.fields.items()}
            _apply(bound, exc, version(case, record) if version is not None else None)
        else:
            messages.success(request, done)
            return redirect(then, public_id=case.public_id)
    return page(case, access, bound, record, _error_status(request))


def _reveal(request, case, objs, field: str, section: str) -> bool:
    """On `?show=1`, open the sealed `field` of each record (each read logged) into `obj.shown_<field>`."""
    if request.GET.get("show") != "1":
        return False
    for obj in objs:
        text = ""
        if has_text(obj, field):
            text = selectors.case_sensitive_text_for_user(
                user=request.user, case=case, obj=obj, field=field, section=section
            )
        setattr(obj, f"shown_{field}", text)
    return True


def _page(request, template: str, case, access, tab: str, status: int = 200, **extra):
    context = case_context(request, case, access, tab)
    context.update(extra)
    return render(request, template, context, status=status)


# --- screening and status --------------------------------------------------------------------------------------


def _default_kind(case) -> str:
    exploitation = selectors.case_attributes(case=case).get("vic_TypeOfExploitation", [])
    return "sexual" if "SexualExploitation" in exploitation and "ForcedLabour" not in exploitation else "labour"


def _choose_list(case, requested: str) -> tuple[str, str]:
    """(list used, list wanted): the lists for sexual exploitation may be empty until the catalogue is completed,
    then the labour list of the same age group is used instead, and the page says so."""
    age = "child" if case.is_child else "adult"
    kind = requested if requested in ("labour", "sexual") else _default_kind(case)
    wanted = f"{age}_{kind}"
    if kind == "sexual" and not indicator_catalogue(wanted, active_only=True).exists():
        return f"{age}_labour", wanted
    return wanted, wanted


def _indicator_groups(indicators, checked: set[str]) -> list[tuple[str, list[tuple]]]:
    kiswahili = (get_language() or "").startswith("sw")
    by_dimension: dict[str, list] = {}
    for ind in indicators:
        text = ind.text_sw if kiswahili and ind.text_sw else ind.text
        by_dimension.setdefault(ind.dimension, []).append((ind, text, ind.code in checked))
    return [(Dimension(d).label, by_dimension[d]) for d in Dimension.values if d in by_dimension]


def _screening_page(request, case, access, *, screening_form=None, decision_form=None, status=200):
    user = request.user
    can_screen = may(user, Action.CASE_SCREEN, case, section=CaseSection.STATUS)
    posted_list = screening_form.data.get("indicator_list", "") if screening_form is not None else ""
    if posted_list in IndicatorList.values:
        used, wanted = posted_list, posted_list
    else:
        used, wanted = _choose_list(case, request.GET.get("kind", ""))
    indicators = list(indicator_catalogue(used, active_only=True))
    if screening_form is None and can_screen:
        screening_form = ScreeningForm(indicators=indicators, initial={"indicator_list": used})
    checked = (
        set(screening_form.data.getlist("indicators"))
        if screening_form is not None and screening_form.is_bound
        else set()
    )
    screenings = sq.screenings_for_case(case=case)
    decisions = sq.decisions_for_case(case=case)
    shown = _reveal(request, case, screenings, "notes", CaseSection.STATUS)
    _reveal(request, case, decisions, "rationale", CaseSection.STATUS)
    for s in screenings:
        s.rationale_text = rationale.render(s.rationale)
    latest = screenings[0] if screenings else None
    if decision_form is None and can_screen:
        decision_form = DecisionForm(
            initial={
                "version": case.version,
                "screening": latest.public_id if latest else None,
                "decision_org": ORG_FOR_AGENCY_TYPE.get(
                    getattr(user.agency, "agency_type", ""), DecisionMakingOrg.NON_POLICE_GOVERNMENT
                ),
            }
        )
    return _page(
        request,
        "cases/section_screening.html",
        case,
        access,
        "screening",
        status=status,
        can_screen=can_screen,
        screening_form=screening_form,
        decision_form=decision_form,
        groups=_indicator_groups(indicators, checked),
        list_used=used,
        list_used_label=IndicatorList(used).label,
        list_wanted_label=IndicatorList(wanted).label,
        fallback=used != wanted,
        kinds=[("labour", _("Labour exploitation")), ("sexual", _("Sexual exploitation"))],
        kind=used.split("_", 1)[1],
        latest=latest,
        screenings=screenings,
        decisions=decisions,
        shown=shown,
    )


@require_action(Action.CASE_VIEW)
@require_http_methods(["GET", "POST"])
def screening(request, public_id):
    if request.method == "GET":
        case, access = _case(request, public_id, CaseSection.STATUS)
        return _screening_page(request, case, access)

    def form(case, _record):
        code = request.POST.get("indicator_list", "")
        indicators = list(indicator_catalogue(code, active_only=True)) if code in IndicatorList.values else []
        return ScreeningForm(request.POST, indicators=indicators)

    def save(case, _record, d):
        services.screening_record(
            actor=request.user,
            case=case,
            indicator_list=d["indicator_list"],
            indicator_codes=d["indicators"],
            screened_on=d["screened_on"],
            notes=d["notes"],
        )

    return _form_post(
        request,
        public_id,
        section=CaseSection.STATUS,
        action=Action.CASE_SCREEN,
        form=form,
        save=save,
        rename={"indicator_codes": "indicators"},
        done=_("Screening recorded. The suggestion is shown below: you decide the status."),
        then="cases:screening",
        page=lambda case, access, bound, _r, status: _screening_page(
            request, case, access, screening_form=bound, status=status
        ),
    )


@require_action(Action.CASE_SCREEN)
@require_http_methods(["POST"])
def decision(request, public_id):
    def save(case, _record, d):
        try:
            chosen = sq.screening_get(case=case, public_id=d["screening"]) if d["screening"] else None
        except NotFound as exc:
            raise ValidationFailed(_("The screening was not found.")) from exc
        services.status_decide(
            actor=request.user,
            case=case,
            expected_version=d["version"],
            status=d["status"],
            decision_org=d["decision_org"],
            decided_on=d["decided_on"],
            screening=chosen,
            rationale=d["rationale"],
        )

    return _form_post(
        request,
        public_id,
        section=CaseSection.STATUS,
        action=Action.CASE_SCREEN,
        form=lambda case, _r: DecisionForm(request.POST),
        save=save,
        version=lambda case, _r: case.version,
        done=_("Trafficking status recorded."),
        then="cases:screening",
        page=lambda case, access, bound, _r, status: _screening_page(
            request, case, access, decision_form=bound, status=status
        ),
    )


# --- non-punishment -----------------------------------------------------------------------------------------------


def _non_punishment_page(request, case, access, *, form=None, status=200):
    can_edit = may(request.user, Action.CASE_EDIT, case, section=CaseSection.NON_PUNISHMENT)
    if form is None and can_edit:
        form = NonPunishmentForm(
            initial={
                "version": case.version,
                "faces_charges": case.faces_charges,
                "in_detention": case.in_detention,
                "detention_place": case.detention_place,
                "charges_note": case.charges_note,
            }
        )
    return _page(
        request,
        "cases/section_non_punishment.html",
        case,
        access,
        "non_punishment",
        status=status,
        form=form,
        can_edit=can_edit,
    )


@require_action(Action.CASE_VIEW)
@require_http_methods(["GET", "POST"])
def non_punishment(request, public_id):
    if request.method == "GET":
        case, access = _case(request, public_id, CaseSection.NON_PUNISHMENT)
        return _non_punishment_page(request, case, access)
    return _form_post(
        request,
        public_id,
        section=CaseSection.NON_PUNISHMENT,
        action=Action.CASE_EDIT,
        form=lambda case, _r: NonPunishmentForm(request.POST),
        save=lambda case, _r, d: services.non_punishment_update(
            actor=request.user,
            case=case,
            expected_version=d["version"],
            faces_charges=d["faces_charges"],
            in_detention=d["in_detention"],
            detention_place=d["detention_place"],
            charges_note=d["charges_note"],
        ),
        version=lambda case, _r: case.version,
        done=_("Changes saved."),
        then="cases:non_punishment",
        page=lambda case, access, bound, _r, status: _non_punishment_page(
            request, case, access, form=bound, status=status
        ),
    )


# --- consent -------------------------------------------------------------------------------------------------------


def _consent_page(request, case, access, *, form=None, withdraw_form=None, withdraw_id=None, status=200):
    can_edit = may(request.user, Action.CASE_EDIT, case, section=CaseSection.CONSENT)
    consents = sq.consents_for_case(case=case)
    shown = _reveal(request, case, consents, "giver_name", CaseSection.CONSENT)
    _reveal(request, case, consents, "withdrawal_reason", CaseSection.CONSENT)
    active = services.active_consent(case)
    if form is None and can_edit:
        form = ConsentForm(is_child=case.is_child)
    return _page(
        request,
        "cases/section_consent.html",
        case,
        access,
        "consent",
        status=status,
        can_edit=can_edit,
        form=form,
        consents=consents,
        active=active,
        shown=shown,
        withdraw_form=withdraw_form or ConsentWithdrawForm(),
        withdraw_id=withdraw_id,
    )


@require_action(Action.CASE_VIEW)
@require_http_methods(["GET", "POST"])
def consent(request, public_id):
    if request.method == "GET":
        case, access = _case(request, public_id, CaseSection.CONSENT)
        return _consent_page(request, case, access)
    return _form_post(
        request,
        public_id,
        section=CaseSection.CONSENT,
        action=Action.CASE_EDIT,
        form=lambda case, _r: ConsentForm(request.POST, is_child=case.is_child),
        save=lambda case, _r, d: services.consent_record(actor=request.user, case=case, **d),
        done=_("Consent recorded."),
        then="cases:consent",
        page=lambda case, access, bound, _r, status: _consent_page(request, case, access, form=bound, status=status),
    )


@require_action(Action.CASE_EDIT)
@require_http_methods(["POST"])
def consent_withdraw(request, public_id, consent_id):
    return _form_post(
        request,
        public_id,
        section=CaseSection.CONSENT,
        action=Action.CASE_EDIT,
        sub=lambda case: sq.consent_get(case=case, public_id=consent_id),
        form=lambda case, _r: ConsentWithdrawForm(request.POST),
        save=lambda case, record, d: services.consent_withdraw(actor=request.user, consent=record, reason=d["reason"]),
        done=_("Consent withdrawn. Nothing more is shared on its basis."),
        then="cases:consent",
        page=lambda case, access, bound, record, status: _consent_page(
            request, case, access, withdraw_form=bound, withdraw_id=record.public_id, status=status
        ),
    )


# --- care ----------------------------------------------------------------------------------------------------------


def _care_page(request, case, access, *, status=200, **forms):
    user = request.user
    can_edit = may(user, Action.CASE_EDIT, case, section=CaseSection.CARE)
    can_record = may(user, Action.SERVICE_RECORD, case, section=CaseSection.CARE)
    own_only = _own_agency_only(request, case)
    needs = sq.needs_for_case(case=case)
    plans = sq.care_plans_for_case(case=case)
    delivered = sq.services_for_case(case=case)
    actions = [a for p in plans for a in p.actions.all()]
    shown = _reveal(request, case, needs, "notes", CaseSection.CARE)
    _reveal(request, case, plans, "objectives", CaseSection.CARE)
    _reveal(request, case, actions, "description", CaseSection.CARE)
    _reveal(request, case, delivered, "notes", CaseSection.CARE)
    labels = dict(ServiceType.choices)
    for n in needs:
        n.need_labels = [labels.get(v, v) for v in n.needs]
    for p in plans:
        p.type_label = htcds_label("spl_Type", p.plan_type)  # in the user's language
    failed_plan = forms.pop("action_plan_id", None)
    failed_action = forms.pop("done_action_id", None)
    failed_end = forms.pop("end_plan_id", None)
    if can_edit:
        for p in plans:
            p.action_form = (
                forms["action_form"] if p.public_id == failed_plan else CareActionForm(prefix=f"action-{p.public_id}")
            )
            p.end_form = (
                forms["end_form"]
                if p.public_id == failed_end
                else CarePlanEndForm(initial={"version": p.version}, prefix=f"end-{p.public_id}")
            )
            for a in p.actions.all():
                a.done_form = (
                    forms["done_form"]
                    if a.public_id == failed_action
                    else CareActionDoneForm(initial={"version": a.version}, prefix=f"done-{a.public_id}")
                )
    return _page(
        request,
        "cases/section_care.html",
        case,
        access,
        "care",
        status=status,
        can_edit=can_edit,
        can_record=can_record,
        needs=needs,
        plans=plans,
        delivered=delivered,
        shown=shown,
        needs_form=forms.get("needs_form") or (NeedsForm(prefix="needs") if can_edit else None),
        plan_form=forms.get("plan_form") or (CarePlanForm(prefix="plan") if can_edit else None),
        service_form=forms.get("service_form")
        or (ServiceForm(own_agency_only=own_only, prefix="service") if can_record else None),
    )


@require_action(Action.CASE_VIEW)
def care(request, public_id):
    case, access = _case(request, public_id, CaseSection.CARE)
    return _care_page(request, case, access)


def _care_post(request, public_id, *, action=Action.CASE_EDIT, form_key: str, failed_key: str = "", **kwargs):
    """A form post on the care page: on error the page shows the bound form in its place (`form_key`), next to
    the record it was posted for (`failed_key`: the plan or action id)."""

    def page(case, access, bound, record, status):
        failed = {failed_key: record.public_id} if failed_key else {}
        return _care_page(request, case, access, status=status, **{form_key: bound}, **failed)

    return _form_post(
        request, public_id, section=CaseSection.CARE, action=action, then="cases:care", page=page, **kwargs
    )


@require_action(Action.CASE_EDIT)
@require_http_methods(["POST"])
def needs(request, public_id):
    return _care_post(
        request,
        public_id,
        form_key="needs_form",
        form=lambda case, _r: NeedsForm(request.POST, prefix="needs"),
        save=lambda case, _r, d: services.needs_assess(actor=request.user, case=case, **d),
        done=_("Needs assessment recorded."),
    )


@require_action(Action.CASE_EDIT)
@require_http_methods(["POST"])
def care_plan(request, public_id):
    return _care_post(
        request,
        public_id,
        form_key="plan_form",
        form=lambda case, _r: CarePlanForm(request.POST, prefix="plan"),
        save=lambda case, _r, d: services.care_plan_add(actor=request.user, case=case, **d),
        done=_("Care plan added."),
    )


@require_action(Action.CASE_EDIT)
@require_http_methods(["POST"])
def care_plan_end(request, public_id, plan_id):
    return _care_post(
        request,
        public_id,
        form_key="end_form",
        failed_key="end_plan_id",
        sub=lambda case: sq.care_plan_get(case=case, public_id=plan_id),
        form=lambda case, plan: CarePlanEndForm(request.POST, prefix=f"end-{plan.public_id}"),
        save=lambda case, plan, d: services.care_plan_end(
            actor=request.user, plan=plan, expected_version=d["version"], actual_end=d["actual_end"]
        ),
        version=lambda case, plan: plan.version,
        done=_("Care plan ended."),
    )


@require_action(Action.CASE_EDIT)
@require_http_methods(["POST"])
def care_action(request, public_id, plan_id):
    return _care_post(
        request,
        public_id,
        form_key="action_form",
        failed_key="action_plan_id",
        sub=lambda case: sq.care_plan_get(case=case, public_id=plan_id),
        form=lambda case, plan: CareActionForm(request.POST, prefix=f"action-{plan.public_id}"),
        save=lambda case, plan, d: services.care_action_add(actor=request.user, plan=plan, **d),
        done=_("Action added to the care plan."),
    )


@require_action(Action.CASE_EDIT)
@require_http_methods(["POST"])
def care_action_done(request, public_id, action_id):
    return _care_post(
        request,
        public_id,
        form_key="done_form",
        failed_key="done_action_id",
        sub=lambda case: sq.care_action_get(case=case, public_id=action_id),
        form=lambda case, action: CareActionDoneForm(request.POST, prefix=f"done-{action.public_id}"),
        save=lambda case, action, d: services.care_action_update(
            actor=request.user, action=action, expected_version=d["version"], done_on=d["done_on"]
        ),
        version=lambda case, action: action.version,
        done=_("Action marked done."),
    )


def _own_agency_only(request, case) -> bool:
    """Services are recorded as delivered by the user's own agency unless the user may edit the care section
    for the owning side (the owning agency or a national role); a share or break-the-glass records its own."""
    return not may(request.user, Action.CASE_EDIT, case, section=CaseSection.CARE, owner_side=True)


@require_action(Action.SERVICE_RECORD)
@require_http_methods(["POST"])
def service(request, public_id):
    return _care_post(
        request,
        public_id,
        action=Action.SERVICE_RECORD,
        form_key="service_form",
        form=lambda case, _r: ServiceForm(
            request.POST, own_agency_only=_own_agency_only(request, case), prefix="service"
        ),
        save=lambda case, _r, d: services.service_record(
            actor=request.user,
            case=case,
            service_type=d["service_type"],
            delivered_on=d["delivered_on"],
            provider=d.get("provider"),
            notes=d["notes"],
        ),
        done=_("Service recorded."),
    )


# --- return --------------------------------------------------------------------------------------------------------


def _return_page(request, case, access, *, form=None, status=200):
    can_edit = may(request.user, Action.CASE_EDIT, case, section=CaseSection.RETURN)
    applies = case.is_abroad or case.is_foreign
    steps = sq.repatriation_for_case(case=case)
    shown = _reveal(request, case, steps, "notes", CaseSection.RETURN)
    by_step = {s.step: s for s in steps}
    if form is None and can_edit and applies:
        form = RepatriationForm()
    return _page(
        request,
        "cases/section_return.html",
        case,
        access,
        "return",
        status=status,
        can_edit=can_edit,
        applies=applies,
        rows=[(value, label, by_step.get(value)) for value, label in RepatriationStep.choices],
        form=form,
        shown=shown,
    )


@require_action(Action.CASE_VIEW)
def return_home(request, public_id):
    case, access = _case(request, public_id, CaseSection.RETURN)
    return _return_page(request, case, access)


@require_action(Action.CASE_EDIT)
@require_http_methods(["POST"])
def repatriation(request, public_id):
    return _form_post(
        request,
        public_id,
        section=CaseSection.RETURN,
        action=Action.CASE_EDIT,
        form=lambda case, _r: RepatriationForm(request.POST),
        save=lambda case, _r, d: services.repatriation_step_record(actor=request.user, case=case, **d),
        done=_("Return step recorded."),
        then="cases:return",
        page=lambda case, access, bound, _r, status: _return_page(request, case, access, form=bound, status=status),
    )


# --- follow-ups ----------------------------------------------------------------------------------------------------


def _follow_ups_page(request, case, access, *, form=None, done_form=None, done_id=None, status=200):
    user = request.user
    can_edit = may(user, Action.CASE_EDIT, case, section=CaseSection.FOLLOW_UPS)
    rows = sq.follow_ups_for_case(case=case)
    shown = _reveal(request, case, rows, "outcome", CaseSection.FOLLOW_UPS)
    for f in rows:
        f.can_close = f.done_at is None and (can_edit or f.assigned_to_id == user.pk)
        if f.can_close:
            f.done_form = done_form if f.public_id == done_id else FollowUpDoneForm(prefix=f"done-{f.public_id}")
    if form is None and can_edit:
        form = FollowUpForm(officers=sq.follow_up_officers(case=case), initial={"assigned_to": user.pk})
    return _page(
        request,
        "cases/section_follow_ups.html",
        case,
        access,
        "follow_ups",
        status=status,
        can_edit=can_edit,
        rows=rows,
        form=form,
        shown=shown,
        today=timezone.localdate(),
    )


@require_action(Action.CASE_VIEW)
@require_http_methods(["GET", "POST"])
def follow_ups(request, public_id):
    if request.method == "GET":
        case, access = _case(request, public_id, CaseSection.FOLLOW_UPS)
        return _follow_ups_page(request, case, access)
    return _form_post(
        request,
        public_id,
        section=CaseSection.FOLLOW_UPS,
        action=Action.CASE_EDIT,
        form=lambda case, _r: FollowUpForm(request.POST, officers=sq.follow_up_officers(case=case)),
        save=lambda case, _r, d: services.followup_schedule(actor=request.user, case=case, **d),
        done=_("Follow-up scheduled."),
        then="cases:follow_ups",
        page=lambda case, access, bound, _r, status: _follow_ups_page(request, case, access, form=bound, status=status),
    )


@require_action(Action.CASE_VIEW)
@require_http_methods(["POST"])
def follow_up_done(request, public_id, follow_up_id):
    # case.view, not case.edit: the officer a follow-up is assigned to may close it (the service decides).
    return _form_post(
        request,
        public_id,
        section=CaseSection.FOLLOW_UPS,
        action=Action.CASE_VIEW,
        sub=lambda case: sq.follow_up_get(case=case, public_id=follow_up_id),
        form=lambda case, record: FollowUpDoneForm(request.POST, prefix=f"done-{record.public_id}"),
        save=lambda case, record, d: services.followup_done(actor=request.user, follow_up=record, outcome=d["outcome"]),
        done=_("Follow-up done."),
        then="cases:follow_ups",
        page=lambda case, access, bound, record, status: _follow_ups_page(
            request, case, access, done_form=bound, done_id=record.public_id, status=status
        ),
    )
