"""Pages of investigation leads: form -> service or selector -> page (ARCHITECTURE.md rule 8).

The receiving unit's queue and a lead's page (with its three decisions: accept, join, decline); and the pages
that send a lead: an officer's own, from a public tip (after or besides its conversion), from a victim case."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ctip.accounts.access import may
from ctip.accounts.roles import Action
from ctip.cases import selectors as case_selectors
from ctip.core.errors import NotFound, ServiceError
from ctip.core.views_helpers import apply_service_error, paginate, query_without_page, require_action
from ctip.intake import selectors as intake_selectors
from ctip.justice import services as justice_services
from ctip.justice.selectors import role_choices

from . import selectors, services, sources
from .enums import LeadSource, LeadStatus
from .forms import AcceptForm, DeclineForm, JoinForm, LeadForm
from .parsing import find_mpesa_codes, find_phones, names_in

# --- the receiving unit -------------------------------------------------------------------------------------------


@require_action(Action.LEAD_VIEW)
def queue(request):
    status = request.GET.get("status", LeadStatus.NEW)
    status = status if status in LeadStatus.values else LeadStatus.NEW
    page = paginate(request, selectors.lead_queue_for_user(user=request.user, status=status))
    counts = selectors.status_counts(user=request.user)
    return render(
        request,
        "leads/queue.html",
        {
            "page": page,
            "query": query_without_page(request),
            "status": status,
            "statuses": [(value, label, counts.get(value, 0)) for value, label in LeadStatus.choices],
            "can_send": request.user.can(Action.LEAD_SEND),
        },
    )


def _get(request, public_id, action=Action.LEAD_VIEW):
    try:
        return selectors.lead_get_for_user(user=request.user, public_id=public_id, action=action)
    except NotFound as exc:
        raise Http404 from exc


def _detail(request, lead, *, accept_form=None, join_form=None, decline_form=None, status=200):
    can_handle = lead.is_open and may(request.user, Action.LEAD_HANDLE, lead, owner_side=True)
    if can_handle:
        accept_form = accept_form or AcceptForm(initial={"version": lead.version, "unit": "ahtcpu"}, prefix="accept")
        join_form = join_form or JoinForm(initial={"version": lead.version}, prefix="join")
        decline_form = decline_form or DeclineForm(initial={"version": lead.version}, prefix="decline")
    contents = selectors.lead_contents_for_user(user=request.user, lead=lead)
    return render(
        request,
        "leads/detail.html",
        {
            "lead": lead,
            "contents": contents,
            "source_url": sources.source_url(request.user, lead),
            "file_visible": lead.investigation_id is not None
            and may(request.user, Action.INVESTIGATION_VIEW, lead.investigation),
            "can_handle": can_handle,
            "accept_form": accept_form,
            "join_form": join_form,
            "decline_form": decline_form,
        },
        status=status,
    )


@require_action(Action.LEAD_VIEW)
def detail(request, public_id):
    lead, _access = _get(request, public_id)
    return _detail(request, lead)


def _handle(request, public_id):
    if not request.user.can(Action.INVESTIGATION_EDIT):
        raise DjangoPermissionDenied
    lead, _access = _get(request, public_id, Action.LEAD_HANDLE)
    return lead


@require_action(Action.LEAD_HANDLE)
@require_POST
def accept(request, public_id):
    lead = _handle(request, public_id)
    form = AcceptForm(request.POST, prefix="accept")
    if form.is_valid():
        d = form.cleaned_data
        try:
            investigation, result = services.lead_accept(
                actor=request.user,
                lead=lead,
                expected_version=d["version"],
                data=justice_services.FileInput(d["ob_number"], d["police_station"], d["unit"], []),
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(
                request,
                _("Investigation file %(file)s opened from lead %(lead)s: %(s)s suspects and %(i)s identifiers added.")
                % {
                    "file": investigation.reference,
                    "lead": lead.reference,
                    "s": result.suspects_added,
                    "i": result.identifiers_added,
                },
            )
            return redirect("justice:detail", public_id=investigation.public_id)
    return _detail(request, lead, accept_form=form, status=400)


@require_action(Action.LEAD_HANDLE)
@require_POST
def join(request, public_id):
    lead = _handle(request, public_id)
    form = JoinForm(request.POST, prefix="join")
    if form.is_valid():
        d = form.cleaned_data
        investigation = selectors.joinable_files(user=request.user).filter(reference=d["file_number"]).first()
        if investigation is None:
            form.add_error("file_number", _("No open file of your unit has this number."))
        else:
            try:
                result = services.lead_join(
                    actor=request.user, lead=lead, expected_version=d["version"], investigation=investigation
                )
            except ServiceError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Lead %(lead)s joined to file %(file)s: %(s)s suspects and %(i)s identifiers added.")
                    % {
                        "file": investigation.reference,
                        "lead": lead.reference,
                        "s": result.suspects_added,
                        "i": result.identifiers_added,
                    },
                )
                return redirect("justice:detail", public_id=investigation.public_id)
    return _detail(request, lead, join_form=form, status=400)


@require_action(Action.LEAD_HANDLE)
@require_POST
def decline(request, public_id):
    lead, _access = _get(request, public_id, Action.LEAD_HANDLE)
    form = DeclineForm(request.POST, prefix="decline")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.lead_decline(actor=request.user, lead=lead, expected_version=d["version"], reason=d["reason"])
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Lead %(lead)s declined.") % {"lead": lead.reference})
            return redirect("leads:queue")
    return _detail(request, lead, decline_form=form, status=400)


# --- sending a lead -----------------------------------------------------------------------------------------------


def _send_page(request, *, source, source_ref="", case=None, tip=None, initial=None, back_url=""):
    form = LeadForm(
        request.POST or None,
        agencies=services.receiving_agencies(),
        roles=role_choices(),
        initial={"agency": getattr(services.default_receiving_agency(), "public_id", None), **(initial or {})},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            lead = services.lead_open(
                actor=request.user,
                source=source,
                source_ref=source_ref,
                summary=d["summary"],
                suspects=form.suspects(),
                identifiers=form.identifiers(),
                agency=d["agency"],
                case=case,
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(
                request,
                _("Lead %(lead)s sent to %(agency)s.") % {"lead": lead.reference, "agency": lead.owning_agency},
            )
            return redirect(back_url)
    return render(
        request,
        "leads/send.html",
        {
            "form": form,
            "source": LeadSource(source),
            "source_ref": source_ref,
            "case": case,
            "tip": tip,
            "back_url": back_url,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_action(Action.LEAD_SEND)
@require_http_methods(["GET", "POST"])
def lead_new(request):
    """An officer's own information (an investigator, a labour or immigration officer...)."""
    back = reverse("leads:queue") if request.user.can(Action.LEAD_VIEW) else "/"
    return _send_page(request, source=LeadSource.OFFICER, back_url=back)


@require_action(Action.LEAD_SEND)
@require_http_methods(["GET", "POST"])
def from_tip(request, tip_id):
    """From a public tip (the coordinator's triage): the named recruiters and their numbers, prefilled from the
    reporter's words; with ?case=<id>, the victim case the tip was just converted into is linked."""
    if not request.user.can(Action.TIP_TRIAGE):
        raise DjangoPermissionDenied
    tip = intake_selectors.tip_get_for_user(user=request.user, public_id=tip_id)
    case = None
    if request.GET.get("case"):
        case, _access = case_selectors.case_get_for_user(user=request.user, public_id=request.GET["case"])
    initial = {}
    if request.method == "GET":
        text = intake_selectors.tip_text_for_user(user=request.user, tip=tip)
        involved = text.get("people_involved", "")
        initial = {
            "summary": "\n\n".join(p for p in (text.get("description", ""), involved) if p),
            "persons": "\n".join(names_in(involved)),
            "phones": "\n".join(find_phones(involved + "\n" + text.get("description", ""))),
            "mpesa_codes": "\n".join(find_mpesa_codes(involved + "\n" + text.get("description", ""))),
        }
    back = reverse("cases:detail", args=[case.public_id]) if case else reverse("intake:tip_detail", args=[tip_id])
    return _send_page(
        request, source=LeadSource.TIP, source_ref=tip.reference, case=case, tip=tip, initial=initial, back_url=back
    )


@require_action(Action.LEAD_SEND)
@require_http_methods(["GET", "POST"])
def from_case(request, case_id):
    """ "Refer a suspect to DCI" from a victim case the user may see."""
    case, _access = case_selectors.case_get_for_user(user=request.user, public_id=case_id)
    return _send_page(
        request,
        source=LeadSource.CASE,
        source_ref=case.reference,
        case=case,
        back_url=reverse("cases:detail", args=[case.public_id]),
    )
