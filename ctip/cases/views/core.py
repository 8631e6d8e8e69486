from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ctip.accounts import selectors as account_selectors
from ctip.accounts.access import may
from ctip.accounts.roles import Action, Scope
from ctip.core.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from ctip.core.views_helpers import apply_service_error, paginate, query_without_page, require_action
from ctip.people.forms import SERVICE_FIELD_MAP, PersonForm
from ctip.people.sealed import has_text
from ctip.reference.selectors import htcds_label

from .. import selectors, services
from ..enums import CaseSection
from ..forms import (
    HTCDS_FIELD_LABELS,
    AssignForm,
    CaseEditForm,
    CaseFilterForm,
    CaseRegistrationForm,
    EventFormSet,
    StatusForm,
)

SESSION_LINK_TOKEN = "ctip_case_link_token"  # the link token of the last look-up (the persons it proposed)
PERSON_FIELDS = set(PersonForm.base_fields) | set(SERVICE_FIELD_MAP)
# Lazily translated: the labels are read per request, in the user's language (not once at import, in English).
TABS = [
    ("overview", "", gettext_lazy("Overview")),
    ("screening", CaseSection.STATUS, gettext_lazy("Screening and status")),
    ("non_punishment", CaseSection.NON_PUNISHMENT, gettext_lazy("Non-punishment")),
    ("consent", CaseSection.CONSENT, gettext_lazy("Consent")),
    ("care", CaseSection.CARE, gettext_lazy("Care")),
    ("return", CaseSection.RETURN, gettext_lazy("Return")),
    ("follow_ups", CaseSection.FOLLOW_UPS, gettext_lazy("Follow-ups")),
    ("timeline", "", gettext_lazy("Timeline")),
    # A higher app's page, by URL name (ctip.attachments: the case's documents and photos, section by section).
    ("attachments:case", "", gettext_lazy("Attachments")),
]


def _tab_url_name(key: str) -> str:
    if key == "overview":
        return "cases:detail"
    return key if ":" in key else f"cases:{key}"


def case_context(request, case, access, tab: str) -> dict:
    """What the header partial needs: the case, how the user reaches it, visible sections and tabs."""
    sections = selectors.visible_sections(access)
    tabs = []
    for key, section, label in TABS:
        if section and section not in sections:
            continue
        try:
            tabs.append((key, label, reverse(_tab_url_name(key), args=[case.public_id])))
        except NoReverseMatch:  # a section whose pages are not installed
            continue
    can_refer = may(request.user, Action.REFERRAL_SEND, case, owner_side=True)
    try:
        refer_url = reverse("referrals:send", args=[case.public_id]) if can_refer else ""
    except NoReverseMatch:
        refer_url = ""
    # An investigator may open an investigation file from a case they see (ctip.justice, a higher app: by URL name).
    try:
        investigate_url = (
            reverse("justice:open_from_case", args=[case.public_id])
            if may(request.user, Action.INVESTIGATION_EDIT)
            else ""
        )
    except NoReverseMatch:
        investigate_url = ""
    # "Refer a suspect to DCI": a lead for investigators, linked to the case (ctip.leads, a higher app: by URL name).
    try:
        lead_url = reverse("leads:from_case", args=[case.public_id]) if may(request.user, Action.LEAD_SEND) else ""
    except NoReverseMatch:
        lead_url = ""
    return {
        "case": case,
        "access": access,
        "sections": sections,
        "tab": tab,
        "tabs": tabs,
        "can_edit": may(request.user, Action.CASE_EDIT, case, owner_side=True),
        "refer_url": refer_url,
        "investigate_url": investigate_url,
        "lead_url": lead_url,
    }


def _get_case(request, public_id, action=Action.CASE_VIEW):
    try:
        return selectors.case_get_for_user(user=request.user, public_id=public_id, action=action)
    except NotFound as exc:
        raise Http404 from exc


# --- list ---------------------------------------------------------------------------------------------------


@require_action(Action.CASE_VIEW)
def case_list(request):
    form = CaseFilterForm(request.GET or None)
    filters = form.to_filters() if (not form.is_bound or form.is_valid()) else selectors.CaseFilters()
    officer_name = selectors.officer_label_for_user(user=request.user, public_id=filters.officer)
    page = paginate(request, selectors.case_list_for_user(user=request.user, filters=filters))
    names = selectors.case_person_names_for_user(user=request.user, cases=list(page.object_list))
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "rows": [(c, names.get(c.pk)) for c in page.object_list],
            "query": query_without_page(request),
            "can_create": request.user.can(Action.CASE_CREATE),
            "export_kind": "cases",
            "export_names_possible": request.user.can(Action.PERSON_VIEW_IDENTITY),
            "can_export_htcds": request.user.can(Action.HTCDS_EXPORT),
            "officer_filter": filters.officer,
            "officer_name": officer_name,
        },
    )


# --- caseload -------------------------------------------------------------------------------------------------


@require_action(Action.CASELOAD_VIEW)
def caseload(request):
    """Cases per officer of an agency (the user's own; a national role chooses one), each number a link to the
    case list filtered the same way."""
    agency = selectors.caseload_agency_for_user(user=request.user, agency_public_id=request.GET.get("agency") or None)
    rows = selectors.caseload_for_user(user=request.user, agency=agency)
    national = request.user.scope(Action.CASELOAD_VIEW) == Scope.NATIONAL
    base = reverse("cases:list")
    columns = ("open", *selectors.CASELOAD_FLAGS)

    def link(row, column) -> str:
        params = {"status": "open", "agency": str(agency.public_id)}
        if row.officer is None:
            params["flag"] = "unassigned"
        else:
            params["officer"] = str(row.officer.public_id)
        if column != "open":
            if row.officer is None:
                return ""  # "nobody assigned" and another column: not one filter of the list
            params["flag"] = column
        return f"{base}?{urlencode(params)}"

    return render(
        request,
        "cases/caseload.html",
        {
            "agency": agency,
            "agencies": account_selectors.agency_list(active_only=True) if national else None,
            "idle_days": selectors.IDLE_DAYS,
            "rows": [
                (row, [(getattr(row, c), link(row, c) if getattr(row, c) else "") for c in columns]) for row in rows
            ],
        },
    )


# --- registration ------------------------------------------------------------------------------------------


def _spread_errors(exc: ServiceError, pform, cform, formset) -> None:
    """Put a service's field errors on the form that has the field."""
    if not isinstance(exc, ValidationFailed) or not exc.fields:
        cform.add_error(None, exc.message)
        return
    for name, msgs in exc.fields.items():
        msgs = msgs if isinstance(msgs, list) else [msgs]
        target = SERVICE_FIELD_MAP.get(name, name)
        if name.startswith("events."):
            index = int(name.split(".")[1])
            for m in msgs:
                if index < len(formset.forms):
                    formset.forms[index].add_error(None, m)
        elif target in pform.fields:
            for m in msgs:
                pform.add_error(target, m)
        elif target in cform.fields:
            for m in msgs:
                cform.add_error(target, m)
        else:
            for m in msgs:
                cform.add_error(None, m)


@require_action(Action.CASE_CREATE)
@require_http_methods(["GET", "POST"])
def case_create(request):
    data = request.POST if request.method == "POST" else None
    pform = PersonForm(data, prefix="p")
    cform = CaseRegistrationForm(data, prefix="c")
    formset = EventFormSet(data, prefix="ev")
    candidates = None
    if data is not None and pform.is_valid() and cform.is_valid() and formset.is_valid():
        try:
            registration = services.case_register(
                actor=request.user,
                person=_person_choice(request, pform),
                case=services.CaseInput(
                    identified_on=cform.cleaned_data["identified_on"],
                    channel=cform.cleaned_data["channel"],
                    narrative=cform.cleaned_data["narrative"],
                    htcds=cform.htcds(),
                    events=[e for e in (f.to_event() for f in formset.forms if f.has_changed()) if e],
                    is_child=cform.is_child_value(),
                    fields=cform.case_fields(),
                ),
            )
        except ServiceError as exc:
            _spread_errors(exc, pform, cform, formset)
        else:
            if registration.case is None:
                candidates = registration.candidates
                request.session[SESSION_LINK_TOKEN] = registration.link_token
            else:
                request.session.pop(SESSION_LINK_TOKEN, None)
                case = registration.case
                messages.success(request, _("Case %(reference)s opened.") % {"reference": case.reference})
                return redirect("cases:detail", public_id=case.public_id)
    return render(
        request,
        "cases/case_form.html",
        {
            "pform": pform,
            "cform": cform,
            "formset": formset,
            "candidates": candidates,
            "htcds_fields": list(HTCDS_FIELD_LABELS),
        },
    )


def _person_choice(request, pform) -> services.PersonChoice:
    """The officer's answer to the candidates shown (person_choice: "new" or a proposed person's id); none on the
    first post. A proposed person is linked with the link token of the look-up kept in the session."""
    choice = (request.POST.get("person_choice") or "").strip()
    if choice and choice != "new":
        return services.PersonChoice(link_person_id=choice, link_token=request.session.get(SESSION_LINK_TOKEN, ""))
    return services.PersonChoice(identity=pform.to_identity(), confirm_new=choice == "new")


# --- detail and edits --------------------------------------------------------------------------------------


@require_action(Action.CASE_VIEW)
def case_detail(request, public_id):
    try:
        case, access, other_cases = selectors.case_detail_for_user(user=request.user, public_id=public_id)
    except NotFound as exc:
        raise Http404 from exc
    context = case_context(request, case, access, "overview")
    sections = context["sections"]
    identity = None
    if CaseSection.IDENTITY in sections:
        identity = selectors.case_person_identity_for_user(user=request.user, case=case, access=access)
    narrative = ""
    if CaseSection.CIRCUMSTANCES in sections and request.GET.get("show") == "narrative":
        narrative = selectors.case_sensitive_text_for_user(
            user=request.user, case=case, obj=case, field="narrative", section=CaseSection.CIRCUMSTANCES
        )
    attributes = selectors.case_attributes(case=case) if CaseSection.CIRCUMSTANCES in sections else {}
    # the team and, for the assign form, the officers it may take: one query
    assignments, candidates = selectors.case_team(
        case=case, candidates_action=Action.CASE_VIEW if context["can_edit"] else None
    )
    overview = selectors.case_overview_for_user(
        user=request.user,
        case=case,
        access=access,
        can_edit=context["can_edit"],
        can_screen=may(request.user, Action.CASE_SCREEN, case, owner_side=True),
        can_refer=bool(context["refer_url"]),
    )
    context.update(
        overview=overview,
        next_actions=[(a, reverse(a["url"], args=[case.public_id]) if a["url"] else "") for a in overview.next_actions],
        identity=identity,
        narrative=narrative,
        has_narrative=has_text(case, "narrative"),  # without opening it: the read is logged only when shown
        attributes=[
            (HTCDS_FIELD_LABELS[f], [htcds_label(f, v) for v in vals])
            for f, vals in attributes.items()
            if f in HTCDS_FIELD_LABELS
        ],
        events=list(case.events.select_related("county", "country")) if CaseSection.CIRCUMSTANCES in sections else [],
        assignments=assignments,
        status_form=StatusForm(initial={"version": case.version}) if context["can_edit"] else None,
        assign_form=AssignForm(agency=case.owning_agency, candidates=candidates) if context["can_edit"] else None,
        other_cases=other_cases,
    )
    return render(request, "cases/case_detail.html", context)


@require_action(Action.CASE_VIEW)
def case_timeline(request, public_id):
    case, access = _get_case(request, public_id)
    context = case_context(request, case, access, "timeline")
    context["entries"] = selectors.timeline_for_user(user=request.user, case=case, access=access)
    return render(request, "cases/case_timeline.html", context)


@require_action(Action.CASE_EDIT)
@require_http_methods(["GET", "POST"])
def case_edit(request, public_id):
    case, access = _get_case(request, public_id, Action.CASE_EDIT)
    if request.method == "POST":
        form = CaseEditForm(request.POST)
        formset = EventFormSet(request.POST, prefix="ev")
        if form.is_valid() and formset.is_valid():
            events = [e for e in (f.to_event() for f in formset.forms if f.has_changed()) if e]
            try:
                services.case_edit(
                    actor=request.user,
                    case=case,
                    expected_version=form.cleaned_data["version"],
                    narrative=form.cleaned_data["narrative"] if form.cleaned_data["narrative"] else None,
                    htcds=form.htcds(),
                    events=events,
                    **form.case_fields(),
                )
            except ServiceError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("cases:detail", public_id=case.public_id)
    else:
        attributes = selectors.case_attributes(case=case)
        initial = {
            "version": case.version,
            **{f: attributes.get(f, []) for f in HTCDS_FIELD_LABELS},
            **{
                name: getattr(case, name)
                for name in (
                    "faces_charges",
                    "in_detention",
                    "detention_place",
                    "charges_note",
                    "is_abroad",
                    "abroad_city",
                    "employer_name",
                    "recruiting_agency_name",
                    "is_foreign",
                    "immigration_status",
                    "return_requested",
                )
            },
            "abroad_country": case.abroad_country_id,
            "mission": case.mission_id,
        }
        form = CaseEditForm(initial=initial)
        formset = EventFormSet(prefix="ev")
    context = case_context(request, case, access, "overview")
    context.update(form=form, formset=formset, htcds_fields=list(HTCDS_FIELD_LABELS))
    return render(request, "cases/case_edit.html", context)


@require_action(Action.CASE_EDIT)
@require_http_methods(["POST"])
def case_status(request, public_id):
    case, access = _get_case(request, public_id, Action.CASE_EDIT)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.case_set_status(
                actor=request.user,
                case=case,
                status=form.cleaned_data["status"],
                expected_version=form.cleaned_data["version"],
                closure_reason=form.cleaned_data["closure_reason"],
                note=form.cleaned_data["note"],
            )
        except PermissionDenied as exc:  # visible (shared) but not this agency's to change: 403, not a form error
            raise DjangoPermissionDenied(exc.message) from exc
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Case status changed."))
            return redirect("cases:detail", public_id=case.public_id)
    context = case_context(request, case, access, "overview")
    context["form"] = form
    return render(request, "cases/case_status.html", context, status=400)


@require_action(Action.CASE_EDIT)
@require_http_methods(["POST"])
def case_assign(request, public_id):
    case, access = _get_case(request, public_id, Action.CASE_EDIT)
    form = AssignForm(request.POST, agency=case.owning_agency)
    if form.is_valid():
        try:
            services.case_assign(
                actor=request.user, case=case, user=form.cleaned_data["user"], is_lead=form.cleaned_data["is_lead"]
            )
        except ServiceError as exc:
            messages.error(request, " ".join(m for ms in exc.fields.values() for m in ms) or exc.message)
        else:
            messages.success(request, _("Officer assigned."))
    else:
        messages.error(request, _("Choose an officer of the owning agency."))
    return redirect("cases:detail", public_id=case.public_id)


@require_action(Action.CASE_EDIT)
@require_http_methods(["POST"])
def case_unassign(request, public_id, user_id):
    case, access = _get_case(request, public_id, Action.CASE_EDIT)
    user = (
        account_selectors.agency_users_who_can(agency=case.owning_agency, action=Action.CASE_VIEW)
        .filter(public_id=user_id)
        .first()
    )
    try:
        if user is None:
            raise NotFound()
        services.case_unassign(actor=request.user, case=case, user=user)
    except ServiceError:
        messages.error(request, _("This officer is not assigned to the case."))
    else:
        messages.success(request, _("Officer removed from the case."))
    return redirect("cases:detail", public_id=case.public_id)
