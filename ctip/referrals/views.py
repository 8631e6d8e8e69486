"""Pages of the directory and of referrals: form -> service or selector -> page (ARCHITECTURE.md rule 8).

What a recipient sees of the case itself is shown by the cases app (its selectors honour the sections the
referral shared); these pages link to it."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ctip.accounts import access as need_to_know
from ctip.accounts.roles import Action, Scope
from ctip.cases import selectors as case_selectors
from ctip.cases.enums import CaseSection, ServiceType
from ctip.core.errors import NotFound, ServiceError
from ctip.core.views_helpers import apply_service_error, login_only, paginate, query_without_page, require_action
from ctip.people.sealed import has_text

from . import selectors, services
from .enums import COMPLETED_ACCESS_DAYS, RESPONSE_TIMES, ReferralStatus, duration_label
from .forms import CompleteForm, ProviderFilterForm, ProviderForm, ReasonForm, ReferralFilterForm, ReferralForm


def require_any(*actions):
    """Logged in and the role allows at least one of `actions`; else 403. Service NotFound becomes 404."""

    def decorator(view):
        @login_only
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            need_to_know.require_any(request.user, *actions)  # PermissionDenied -> 403 (login_only)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


directory_view = require_any(*selectors.DIRECTORY_ACTIONS)
referral_view = require_any(Action.REFERRAL_SEND, Action.REFERRAL_RESPOND)


def _provider_or_404(request, public_id):
    try:
        return selectors.provider_get_for_user(user=request.user, public_id=public_id)
    except NotFound as exc:
        raise Http404 from exc


def _referral_or_404(request, public_id):
    try:
        return selectors.referral_get_for_user(user=request.user, public_id=public_id)
    except NotFound as exc:
        raise Http404 from exc


# --- the directory ------------------------------------------------------------------------------------------


def _provider_rows(providers) -> list[dict]:
    return [
        {
            "provider": p,
            "services": [ServiceType(s).label for s in selectors.provider_services(p)],
            "beds": selectors.available_beds(p),
            "counties": [c.name for c in p.counties.all()],
        }
        for p in providers
    ]


@directory_view
def provider_list(request):
    form = ProviderFilterForm(request.GET or None)
    filters = selectors.ProviderFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.ProviderFilters(
            county_id=d["county"].pk if d["county"] else None,
            service=d["service"],
            text=d["q"],
            beds_free=d["beds"],
            children=d["children"],
        )
    page = paginate(request, selectors.provider_list_for_user(user=request.user, filters=filters))
    own = selectors.provider_for_agency(agency=request.user.agency)
    manage_scope = request.user.scope(Action.PROVIDERS_MANAGE)
    can_add = manage_scope == Scope.NATIONAL or (manage_scope == Scope.AGENCY and request.user.agency and not own)
    return render(
        request,
        "referrals/provider_list.html",
        {
            "form": form,
            "page": page,
            "rows": _provider_rows(page.object_list),
            "query": query_without_page(request),
            "can_add": can_add,
        },
    )


@directory_view
def provider_detail(request, public_id):
    provider = _provider_or_404(request, public_id)
    return render(
        request,
        "referrals/provider_detail.html",
        {
            "provider": provider,
            "row": _provider_rows([provider])[0],
            "can_edit": services.can_manage_provider(request.user, provider.agency),
            "response_times": [(ServiceType(s).label, duration_label(t)) for s, t in RESPONSE_TIMES.items()],
        },
    )


@require_action(Action.PROVIDERS_MANAGE)
@require_http_methods(["GET", "POST"])
def provider_create(request):
    agencies = selectors.agencies_for_new_provider(user=request.user)
    if not agencies.exists():
        own = selectors.provider_for_agency(agency=request.user.agency)
        if own is not None and services.can_manage_provider(request.user, own.agency):
            return redirect("referrals:provider_edit", public_id=own.public_id)
        raise DjangoPermissionDenied
    form = ProviderForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.provider_create(
                actor=request.user, agency=form.cleaned_data["agency"], **form.service_kwargs()
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Provider added to the directory."))
            return redirect("referrals:provider", public_id=provider.public_id)
    return render(request, "referrals/provider_form.html", {"form": form, "creating": True})


@require_action(Action.PROVIDERS_MANAGE)
@require_http_methods(["GET", "POST"])
def provider_edit(request, public_id):
    provider = _provider_or_404(request, public_id)
    if not services.can_manage_provider(request.user, provider.agency):
        raise DjangoPermissionDenied
    if request.method == "POST":
        form = ProviderForm(request.POST, editing=True)
        if form.is_valid():
            try:
                services.provider_update(
                    actor=request.user,
                    provider=provider,
                    expected_version=form.cleaned_data["version"],
                    **form.service_kwargs(),
                )
            except ServiceError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("referrals:provider", public_id=provider.public_id)
    else:
        form = ProviderForm(
            initial=ProviderForm.initial_from(provider, selectors.provider_services(provider)), editing=True
        )
    return render(request, "referrals/provider_form.html", {"form": form, "provider": provider, "creating": False})


# --- sending ---------------------------------------------------------------------------------------------------


@require_action(Action.REFERRAL_SEND)
@require_http_methods(["GET", "POST"])
def referral_send(request, case_id):
    try:
        case, access = case_selectors.case_get_for_user(user=request.user, public_id=case_id)
    except NotFound as exc:
        raise Http404 from exc
    if case.owning_agency_id != request.user.agency_id:
        raise DjangoPermissionDenied  # only the owning agency refers its cases (a shared case is not yours to pass on)
    service = request.POST.get("service_type") or request.GET.get("service") or ""
    service = service if service in ServiceType.values else ""
    county_id = case.identified_county_id
    if request.GET.get("anywhere"):
        county_id = None
    candidates = list(
        selectors.providers_for_referral(
            user=request.user,
            service=service,
            county_id=county_id,
            exclude_agency_id=case.owning_agency_id,
            is_child=case.is_child,
        )
    )
    choices = []
    for p in candidates:
        beds = selectors.available_beds(p) if service == ServiceType.SHELTER else None
        label = (
            str(p.agency)
            if beds is None
            else _("%(provider)s (%(beds)s beds free)")
            % {
                "provider": p.agency,
                "beds": beds,
            }
        )
        choices.append((str(p.public_id), label))
    consented = services.consent_allows_sharing(case)
    needs_override = not consented and request.user.can(Action.CONSENT_OVERRIDE)
    if request.method == "POST":
        form = ReferralForm(request.POST, providers=choices, needs_override=needs_override)
        if form.is_valid():
            provider = next(p for p in candidates if str(p.public_id) == form.cleaned_data["provider"])
            try:
                referral = services.referral_send(
                    actor=request.user,
                    case=case,
                    provider=provider,
                    service_type=form.cleaned_data["service_type"],
                    sections=form.cleaned_data["sections"],
                    notes=form.cleaned_data["notes"],
                    override_reason=form.cleaned_data.get("override_reason", ""),
                )
            except ServiceError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("Referral %(reference)s sent.") % {"reference": referral.reference})
                return redirect("referrals:detail", public_id=referral.public_id)
    else:
        form = ReferralForm(
            initial={"service_type": service, "sections": ReferralForm.suggested_sections(service)},
            providers=choices,
            needs_override=needs_override,
        )
    return render(
        request,
        "referrals/referral_send.html",
        {
            "case": case,
            "access": access,
            "form": form,
            "service": service,
            "service_label": ServiceType(service).label if service else "",
            "services": ServiceType.choices,
            "consented": consented,
            "blocked": not consented and not needs_override,
            "county": case.identified_county if county_id else None,
            "identity_section": CaseSection.IDENTITY,
            "existing": list(selectors.referral_list_for_user(user=request.user, case=case)[:20]),
        },
    )


# --- inbox, outbox, overdue ------------------------------------------------------------------------------------


def _referral_list(request, *, box: str, title: str, template_box: str):
    form = ReferralFilterForm(request.GET or None)
    status, overdue = "", False
    if form.is_bound and form.is_valid():
        status, overdue = form.cleaned_data["status"], form.cleaned_data["overdue"]
    qs = selectors.referral_list_for_user(user=request.user, box=box, status=status, overdue_only=overdue)
    page = paginate(request, qs)
    return render(
        request,
        "referrals/referral_list.html",
        {
            "form": form,
            "page": page,
            "rows": page.object_list,
            "query": query_without_page(request),
            "title": title,
            "box": template_box,
            "can_inbox": request.user.can(Action.REFERRAL_RESPOND),
            "can_outbox": request.user.can(Action.REFERRAL_SEND),
            "export_kind": {"inbox": "referrals_in", "outbox": "referrals_out"}.get(template_box, ""),
        },
    )


@referral_view
def referral_index(request):
    if request.user.can(Action.REFERRAL_RESPOND) and selectors.provider_for_agency(agency=request.user.agency):
        return redirect("referrals:inbox")
    if request.user.can(Action.REFERRAL_SEND):
        return redirect("referrals:outbox")
    return redirect("referrals:inbox")


@require_action(Action.REFERRAL_RESPOND)
def referral_inbox(request):
    return _referral_list(request, box=selectors.INBOX, title=_("Referrals received"), template_box="inbox")


@require_action(Action.REFERRAL_SEND)
def referral_outbox(request):
    return _referral_list(request, box=selectors.OUTBOX, title=_("Referrals sent"), template_box="outbox")


@referral_view
def referral_overdue(request):
    page = paginate(request, selectors.referrals_overdue(user=request.user))
    return render(
        request,
        "referrals/referral_list.html",
        {
            "form": None,
            "page": page,
            "rows": page.object_list,
            "query": query_without_page(request),
            "title": _("Overdue referrals"),
            "box": "overdue",
            "can_inbox": request.user.can(Action.REFERRAL_RESPOND),
            "can_outbox": request.user.can(Action.REFERRAL_SEND),
        },
    )


# --- one referral ---------------------------------------------------------------------------------------------


@referral_view
def referral_detail(request, public_id):
    referral = _referral_or_404(request, public_id)
    side = selectors.referral_side(user=request.user, referral=referral)
    texts = None
    if request.GET.get("show") == "text":
        texts = selectors.referral_text_for_user(user=request.user, referral=referral, purpose="detail")
    case = referral.case
    can_open_case = need_to_know.may(request.user, Action.CASE_VIEW, case)
    status = referral.status
    actions = []
    if side == "recipient":
        if referral.can_become(ReferralStatus.ACCEPTED):
            actions.append(("accept", _("Accept"), None))
        if referral.can_become(ReferralStatus.DECLINED):
            actions.append(("decline", _("Decline"), ReasonForm(initial={"version": referral.version})))
        if referral.can_become(ReferralStatus.IN_PROGRESS):
            actions.append(("start", _("Service started"), None))
        if referral.can_become(ReferralStatus.COMPLETED):
            actions.append(("complete", _("Service completed"), CompleteForm(initial={"version": referral.version})))
    if side == "sender" and referral.can_become(ReferralStatus.REVOKED):
        actions.append(("revoke", _("Revoke"), ReasonForm(initial={"version": referral.version})))
    beds = selectors.available_beds(referral.provider) if referral.service_type == ServiceType.SHELTER else None
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "side": side,
            "texts": texts,
            "has_text": any(
                has_text(referral, f) for f in ("notes", "decline_reason", "completion_note", "revoke_reason")
            ),
            "sections": [CaseSection(s).label for s in referral.sections if s in CaseSection.values],
            "can_open_case": can_open_case,
            "actions": actions,
            "beds": beds,
            "status": status,
            "access_days": COMPLETED_ACCESS_DAYS,
        },
    )


def _transition(request, public_id, *, form_class, call, done: str):
    referral = _referral_or_404(request, public_id)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return redirect("referrals:detail", public_id=referral.public_id)
    data = form.cleaned_data if form is not None else {}
    version = data.get("version")
    if version is None and request.POST.get("version", "").isdigit():
        version = int(request.POST["version"])
    try:
        call(referral=referral, data=data, version=version)
    except NotFound as exc:
        raise Http404 from exc
    except ServiceError as exc:
        if exc.status == 403 and exc.code == "permission_denied":
            raise DjangoPermissionDenied from exc
        detail = " ".join(m for ms in exc.fields.values() for m in ms)
        messages.error(request, f"{exc.message} {detail}".strip())
    else:
        messages.success(request, done)
    return redirect("referrals:detail", public_id=referral.public_id)


@require_action(Action.REFERRAL_RESPOND)
@require_http_methods(["POST"])
def referral_accept(request, public_id):
    return _transition(
        request,
        public_id,
        form_class=None,
        call=lambda referral, data, version: services.referral_accept(
            actor=request.user, referral=referral, expected_version=version
        ),
        done=_("Referral accepted."),
    )


@require_action(Action.REFERRAL_RESPOND)
@require_http_methods(["POST"])
def referral_decline(request, public_id):
    return _transition(
        request,
        public_id,
        form_class=ReasonForm,
        call=lambda referral, data, version: services.referral_decline(
            actor=request.user, referral=referral, reason=data["reason"], expected_version=version
        ),
        done=_("Referral declined. The sender has been told and your access to the case has ended."),
    )


@require_action(Action.REFERRAL_RESPOND)
@require_http_methods(["POST"])
def referral_start(request, public_id):
    return _transition(
        request,
        public_id,
        form_class=None,
        call=lambda referral, data, version: services.referral_start(
            actor=request.user, referral=referral, expected_version=version
        ),
        done=_("Marked as in progress."),
    )


@require_action(Action.REFERRAL_RESPOND)
@require_http_methods(["POST"])
def referral_complete(request, public_id):
    return _transition(
        request,
        public_id,
        form_class=CompleteForm,
        call=lambda referral, data, version: services.referral_complete(
            actor=request.user, referral=referral, note=data.get("note", ""), expected_version=version
        ),
        done=_("Referral completed."),
    )


@require_action(Action.REFERRAL_SEND)
@require_http_methods(["POST"])
def referral_revoke(request, public_id):
    return _transition(
        request,
        public_id,
        form_class=ReasonForm,
        call=lambda referral, data, version: services.referral_revoke(
            actor=request.user, referral=referral, reason=data["reason"], expected_version=version
        ),
        done=_("Referral revoked. The provider no longer sees the case."),
    )
