"""Pages of the NRM sections of a case: screening and status, non-punishment, consent, care, return, follow-ups.

Each page: the case through `case_get_for_user` (404 if the user cannot see it), the section must be visible to the
user (404 otherwise: a share may give only some sections), forms post to a service and redirect back (PRG). They
work without JavaScript; with htmx the page content is boosted. Sealed text is opened only on request (`?show=1`),
through `selectors.case_sensitive_text_for_user`, which logs each read.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ctip.accounts.roles import Action
from ctip.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from ctip.core.views_helpers import apply_service_error, require_action
from ctip.people.sealed import has_text
from ctip.reference.models import Dimension, IndicatorList
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


def _case(request, public_id, section: str):
    """The case, if the user may see it and this section of it; else 404 (same for missing and not-yours)."""
    try:
        case, access = selectors.case_get_for_user(user=request.user, public_id=public_id)
    except NotFound as exc:
        raise Http404 from exc
    if section not in selectors.visible_sections(access):
        raise Http404
    return case, access


def _require(user, action: Action) -> None:
    if not user.can(action):
        raise DjangoPermissionDenied


def _case_for(request, public_id, section: str, action: Action):
    """For a change: 403 if the role lacks `action`, 404 if the user cannot see the case or section, 403 if they
    see it but may not do `action` on it (e.g. a national viewer on another agency's case)."""
    _require(request.user, action)
    case, access = _case(request, public_id, section)
    if not sq.user_may(request.user, case, action, section):
        raise DjangoPermissionDenied
    return case, access


def _sub(getter, **kwargs):
    try:
        return getter(**kwargs)
    except NotFound as exc:
        raise Http404 from exc


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
    can_screen = sq.user_may(user, case, Action.CASE_SCREEN, CaseSection.STATUS)
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
    case, access = _case_for(request, public_id, CaseSection.STATUS, Action.CASE_SCREEN)
    list_code = request.POST.get("indicator_list", "")
    indicators = list(indicator_catalogue(list_code, active_only=True)) if list_code in IndicatorList.values else []
    form = ScreeningForm(request.POST, indicators=indicators)
    if form.is_valid():
        try:
            services.screening_record(
                actor=request.user,
                case=case,
                indicator_list=form.cleaned_data["indicator_list"],
                indicator_codes=form.cleaned_data["indicators"],
                screened_on=form.cleaned_data["screened_on"],
                notes=form.cleaned_data["notes"],
            )
        except ServiceError as exc:
            _apply(form, _remap(exc, {"indicator_codes": "indicators"}))
        else:
            messages.success(request, _("Screening recorded. The suggestion is shown below: you decide the status."))
            return redirect("cases:screening", public_id=case.public_id)
    return _screening_page(request, case, access, screening_form=form, status=_error_status(request))


def _remap(exc: ServiceError, names: dict[str, str]) -> ServiceError:
    if exc.fields:
        exc.fields = {names.get(k, k): v for k, v in exc.fields.items()}
    return exc


@require_action(Action.CASE_SCREEN)
@require_http_methods(["POST"])
def decision(request, public_id):
    case, access = _case_for(request, public_id, CaseSection.STATUS, Action.CASE_SCREEN)
    form = DecisionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            chosen = sq.screening_get(case=case, public_id=d["screening"]) if d["screening"] else None
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
        except NotFound:
            form.add_error(None, _("The screening was not found."))
        except ServiceError as exc:
            _apply(form, exc, case.version)
        else:
            messages.success(request, _("Trafficking status recorded."))
            return redirect("cases:screening", public_id=case.public_id)
    return _screening_page(request, case, access, decision_form=form, status=_error_status(request))


# --- non-punishment -----------------------------------------------------------------------------------------------


@require_action(Action.CASE_VIEW)
@require_http_methods(["GET", "POST"])
def non_punishment(request, public_id):
    if request.method == "POST":
        case, access = _case_for(request, public_id, CaseSection.NON_PUNISHMENT, Action.CASE_EDIT)
    else:
        case, access = _case(request, public_id, CaseSection.NON_PUNISHMENT)
    can_edit = sq.user_may(request.user, case, Action.CASE_EDIT, CaseSection.NON_PUNISHMENT)
    status = 200
    form = None
    if request.method == "POST":
        form = NonPunishmentForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.non_punishment_update(
                    actor=request.user,
                    case=case,
                    expected_version=d["version"],
                    faces_charges=d["faces_charges"],
                    in_detention=d["in_detention"],
                    detention_place=d["detention_place"],
                    charges_note=d["charges_note"],
                )
            except ServiceError as exc:
                _apply(form, exc, case.version)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("cases:non_punishment", public_id=case.public_id)
        status = _error_status(request)
    elif can_edit:
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


# --- consent -------------------------------------------------------------------------------------------------------


def _consent_page(request, case, access, *, form=None, withdraw_form=None, withdraw_id=None, status=200):
    can_edit = sq.user_may(request.user, case, Action.CASE_EDIT, CaseSection.CONSENT)
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
    case, access = _case_for(request, public_id, CaseSection.CONSENT, Action.CASE_EDIT)
    form = ConsentForm(request.POST, is_child=case.is_child)
    if form.is_valid():
        try:
            services.consent_record(actor=request.user, case=case, **form.cleaned_data)
        except ServiceError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("cases:consent", public_id=case.public_id)
    return _consent_page(request, case, access, form=form, status=_error_status(request))


@require_action(Action.CASE_EDIT)
@require_http_methods(["POST"])
def consent_withdraw(request, public_id, consent_id):
    case, access = _case_for(request, public_id, CaseSection.CONSENT, Action.CASE_EDIT)
    record = _sub(sq.consent_get, case=case, public_id=consent_id)
    form = ConsentWithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.consent_withdraw(actor=request.user, consent=record, reason=form.cleaned_data["reason"])
        except ServiceError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Consent withdrawn. Nothing more is shared on its basis."))
            return redirect("cases:consent", public_id=case.public_id)
    return _consent_page(
        request, case, access, withdraw_form=form, withdraw_id=record.public_id, status=_error_status(request)
    )


# --- care ----------------------------------------------------------------------------------------------------------


def _care_page(request, case, access, *, status=200, **forms):
    user = request.user
    can_edit = sq.user_may(user, case, Action.CASE_EDIT, CaseSection.CARE)
    can_record = sq.user_may(user, case, Action.SERVICE_RECORD, CaseSection.CARE)
    own_only = access.via in ("share", "break_glass") or not can_edit
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
    from ctip.reference.selectors import htcds_values

    plan_labels = dict(htcds_values("spl_Type"))
    for p in plans:
        p.type_label = plan_labels.get(p.plan_type, p.plan_type)
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


@require_action(Action.CASE_EDIT)
@require_http_methods(["POST"])
def needs(request, public_id):
    case, access = _case_for(request, public_id, CaseSection.CARE, Action.CASE_EDIT)
    form = NeedsForm(request.POST, prefix="needs")
    if form.is_valid():
        try:
            services.needs_assess(actor=request.user, case=case, **form.cleaned_data)
        except ServiceError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Needs assessment recorded."))
            return redirect("cases:care", public_id=case.public_id)
    return _care_page(request, case, access, needs_form=form, status=_error_status(request))


@require_action(Action.CASE_EDIT)
@require_http_methods(["POST"])
def care_plan(request, public_id):
    case, access = _case_for(request, public_id, CaseSection.CARE, Action.CASE_EDIT)
    form = CarePlanForm(request.POST, prefix="plan")
    if form.is_valid():
        try:
            services.care_plan_add(actor=request.user, case=case, **form.cleaned_data)
        except ServiceError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Care plan added."))
            return redirect("cases:care", public_id=case.public_id)
    return _care_page(request, case, access, plan_form=form, status=_error_status(request))


@require_action(Action.CASE_EDIT)
@require_http_methods(["POST"])
def care_plan_end(request, public_id, plan_id):
    case, access = _case_for(request, public_id, CaseSection.CARE, Action.CASE_EDIT)
    plan = _sub(sq.care_plan_get, case=case, public_id=plan_id)
    form = CarePlanEndForm(request.POST, prefix=f"end-{plan.public_id}")
    if form.is_valid():
        try:
            services.care_plan_end(
                actor=request.user,
                plan=plan,
                expected_version=form.cleaned_data["version"],
                actual_end=form.cleaned_data["actual_end"],
            )
        except ServiceError as exc:
            _apply(form, exc, plan.version)
        else:
            messages.success(request, _("Care plan ended."))
            return redirect("cases:care", public_id=case.public_id)
    return _care_page(request, case, access, end_form=form, end_plan_id=plan.public_id, status=_error_status(request))


@require_action(Action.CASE_EDIT)
@require_http_methods(["POST"])
def care_action(request, public_id, plan_id):
    case, access = _case_for(request, public_id, CaseSection.CARE, Action.CASE_EDIT)
    plan = _sub(sq.care_plan_get, case=case, public_id=plan_id)
    form = CareActionForm(request.POST, prefix=f"action-{plan.public_id}")
    if form.is_valid():
        try:
            services.care_action_add(actor=request.user, plan=plan, **form.cleaned_data)
        except ServiceError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Action added to the care plan."))
            return redirect("cases:care", public_id=case.public_id)
    return _care_page(
        request, case, access, action_form=form, action_plan_id=plan.public_id, status=_error_status(request)
    )


@require_action(Action.CASE_EDIT)
@require_http_methods(["POST"])
def care_action_done(request, public_id, action_id):
    case, access = _case_for(request, public_id, CaseSection.CARE, Action.CASE_EDIT)
    action = _sub(sq.care_action_get, case=case, public_id=action_id)
    form = CareActionDoneForm(request.POST, prefix=f"done-{action.public_id}")
    if form.is_valid():
        try:
            services.care_action_update(
                actor=request.user,
                action=action,
                expected_version=form.cleaned_data["version"],
                done_on=form.cleaned_data["done_on"],
            )
        except ServiceError as exc:
            _apply(form, exc, action.version)
        else:
            messages.success(request, _("Action marked done."))
            return redirect("cases:care", public_id=case.public_id)
    return _care_page(
        request, case, access, done_form=form, done_action_id=action.public_id, status=_error_status(request)
    )


@require_action(Action.SERVICE_RECORD)
@require_http_methods(["POST"])
def service(request, public_id):
    case, access = _case_for(request, public_id, CaseSection.CARE, Action.SERVICE_RECORD)
    own_only = access.via in ("share", "break_glass") or not sq.user_may(
        request.user, case, Action.CASE_EDIT, CaseSection.CARE
    )
    form = ServiceForm(request.POST, own_agency_only=own_only, prefix="service")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.service_record(
                actor=request.user,
                case=case,
                service_type=d["service_type"],
                delivered_on=d["delivered_on"],
                provider=d.get("provider"),
                notes=d["notes"],
            )
        except ServiceError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Service recorded."))
            return redirect("cases:care", public_id=case.public_id)
    return _care_page(request, case, access, service_form=form, status=_error_status(request))


# --- return --------------------------------------------------------------------------------------------------------


def _return_page(request, case, access, *, form=None, status=200):
    can_edit = sq.user_may(request.user, case, Action.CASE_EDIT, CaseSection.RETURN)
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
    case, access = _case_for(request, public_id, CaseSection.RETURN, Action.CASE_EDIT)
    form = RepatriationForm(request.POST)
    if form.is_valid():
        try:
            services.repatriation_step_record(actor=request.user, case=case, **form.cleaned_data)
        except ServiceError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Return step recorded."))
            return redirect("cases:return", public_id=case.public_id)
    return _return_page(request, case, access, form=form, status=_error_status(request))


# --- follow-ups ----------------------------------------------------------------------------------------------------


def _follow_ups_page(request, case, access, *, form=None, done_form=None, done_id=None, status=200):
    user = request.user
    can_edit = sq.user_may(user, case, Action.CASE_EDIT, CaseSection.FOLLOW_UPS)
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
    case, access = _case_for(request, public_id, CaseSection.FOLLOW_UPS, Action.CASE_EDIT)
    form = FollowUpForm(request.POST, officers=sq.follow_up_officers(case=case))
    if form.is_valid():
        try:
            services.followup_schedule(actor=request.user, case=case, **form.cleaned_data)
        except ServiceError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Follow-up scheduled."))
            return redirect("cases:follow_ups", public_id=case.public_id)
    return _follow_ups_page(request, case, access, form=form, status=_error_status(request))


@require_action(Action.CASE_VIEW)
@require_http_methods(["POST"])
def follow_up_done(request, public_id, follow_up_id):
    case, access = _case(request, public_id, CaseSection.FOLLOW_UPS)
    follow_up = _sub(sq.follow_up_get, case=case, public_id=follow_up_id)
    form = FollowUpDoneForm(request.POST, prefix=f"done-{follow_up.public_id}")
    if form.is_valid():
        try:
            services.followup_done(actor=request.user, follow_up=follow_up, outcome=form.cleaned_data["outcome"])
        except ServiceError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Follow-up done."))
            return redirect("cases:follow_ups", public_id=case.public_id)
    return _follow_ups_page(
        request, case, access, done_form=form, done_id=follow_up.public_id, status=_error_status(request)
    )
