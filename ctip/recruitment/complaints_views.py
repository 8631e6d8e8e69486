"""Pages of complaints about recruitment.

Public (no log-in, mobile-first, English and Kiswahili; CSRF; rate-limited, refusals logged without the address):
the complaint form /verify/complaint/ (the agency picked by a search of the register), the reference and PIN shown
once, the status page /verify/complaint/status/ (reference and PIN in the POST body, never in a URL).

Officers: the triage queue, the complaint page (sealed text, read logged), start review, triage (optimistic
concurrency), evidence download (complaint.evidence, each read logged), the distress case (a person abroad in
distress, registered through cases.case_register), the agency risk profile and the watchlist.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.forms.utils import ErrorDict
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from ctip.accounts.access import may
from ctip.accounts.roles import Action
from ctip.core import ratelimit
from ctip.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from ctip.core.views_helpers import apply_service_error, paginate, query_without_page, require_action
from ctip.people.forms import PersonForm

from . import complaints_selectors as cselectors
from . import complaints_services as cservices
from . import selectors
from .complaints_forms import (
    ComplaintForm,
    ComplaintStatusForm,
    DistressCaseForm,
    EvidenceForm,
    QueueFilterForm,
    TriageForm,
    VersionForm,
    WatchForm,
    read_uploads,
)
from .enums import COMPLAINT_OPEN, WARN_STATUSES, AgencyStatus

log = logging.getLogger("ctip.recruitment")

SUBMIT_LIMIT = ratelimit.Limit("complaint_submit", 5, 3600)  # complaints per client per hour
SEARCH_LIMIT = ratelimit.Limit("complaint_search", 60, 600)  # agency searches on the form
STATUS_LIMIT = ratelimit.Limit("complaint_status", 20, 600)  # status look-ups per client
STATUS_REF_LIMIT = ratelimit.Limit("complaint_status_ref", 10, 3600)  # PIN tries per reference
SESSION_LINK_TOKEN = "ctip_complaint_link_token"


def too_many(scope: str) -> None:
    log.warning("complaints: rate limit reached", extra={"scope": scope})


def _agency_choices(query: str) -> list:
    """Search the register (the public index, as verification) and offer the agencies found by licence number."""
    answer = selectors.verify(query, limit=5)
    return [
        {
            "name": m.agency.name,
            "licence_number": m.agency.licence_number,
            "status": m.agency.status,
            "label": AgencyStatus(m.agency.status).label,
        }
        for m in answer.matches
    ]


def _complaint_form_page(request, *, officer: bool):
    form = ComplaintForm(request.POST or None, request.FILES or None)
    found = None
    status = 200
    template = "recruitment/complaint_form.html"
    if request.method == "POST":
        searching = request.POST.get("do") == "search"
        client = ratelimit.client_key(request)
        if searching:
            query = (request.POST.get("agency_query") or "").strip()
            if not ratelimit.allow(SEARCH_LIMIT, client):
                too_many("complaint search")
                form.add_error(None, _("Too many searches from your connection. Try again in a few minutes."))
                status = 429
            elif query:
                found = _agency_choices(query)
            form._errors = ErrorDict()  # a search, not a submission: no field errors yet
        elif not officer and not ratelimit.allow(SUBMIT_LIMIT, client):
            too_many("complaint submit")
            form.is_valid()
            form.add_error(None, _("Too many complaints from your connection. Try again later."))
            status = 429
        elif form.is_valid():
            try:
                complaint, pin = cservices.complaint_submit(
                    actor=request.user if officer else None,
                    data=form.to_input(language=translation.get_language() or ""),
                    uploads=read_uploads(form.cleaned_data["evidence"]),
                )
            except PermissionDenied as exc:
                raise DjangoPermissionDenied(exc.message) from exc
            except ServiceError as exc:
                if "evidence" in (getattr(exc, "fields", None) or {}):
                    # a file of the wrong type, size or a name that lies about it: logged, without the file or name
                    log.warning("complaints: evidence file refused", extra={"scope": "evidence"})
                apply_service_error(form, exc)
                status = 400
            else:
                return render(
                    request,
                    "recruitment/complaint_done.html",
                    {"reference": complaint.reference, "pin": pin, "officer": officer, "complaint": complaint},
                )
        else:
            status = 400
    chosen = ""
    if form.is_bound:
        chosen = (request.POST.get("agency_licence") or "").strip()
    return render(
        request,
        template,
        {"form": form, "found": found, "chosen": chosen, "officer": officer, "warn": WARN_STATUSES},
        status=status,
    )


@csrf_protect
@require_http_methods(["GET", "POST"])
def complaint_public(request):
    return _complaint_form_page(request, officer=False)


@csrf_protect
@require_http_methods(["GET", "POST"])
def complaint_public_status(request):
    form = ComplaintStatusForm(request.POST or None)
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            client = ratelimit.client_key(request)
            ref_key = ratelimit.value_key(cselectors.normalize_reference(form.cleaned_data["reference"]))
            if not ratelimit.allow(STATUS_LIMIT, client) or not ratelimit.allow(STATUS_REF_LIMIT, ref_key):
                too_many("complaint status")
                form.add_error(None, _("Too many attempts. Try again later."))
                status = 429
            else:
                try:
                    result = cselectors.complaint_public_status(
                        reference=form.cleaned_data["reference"], pin=form.cleaned_data["pin"]
                    )
                except NotFound:
                    form.add_error(None, _("No complaint matches this reference and PIN."))
                    status = 404
        else:
            status = 400
    return render(request, "recruitment/complaint_status.html", {"form": form, "result": result}, status=status)


# --- officers ---------------------------------------------------------------------------------------------------


@require_action(Action.COMPLAINT_FILE)
@require_http_methods(["GET", "POST"])
def complaint_file(request):
    return _complaint_form_page(request, officer=True)


@require_action(Action.COMPLAINT_VIEW)
def complaint_queue(request):
    form = QueueFilterForm(request.GET or None)
    filters = cselectors.ComplaintFilters()
    if form.is_bound and form.is_valid():
        filters = cselectors.ComplaintFilters(
            status=form.cleaned_data["status"], distress=form.cleaned_data["distress"]
        )
    page = paginate(request, cselectors.complaint_queue_for_user(user=request.user, filters=filters), per_page=50)
    return render(
        request,
        "recruitment/complaint_queue.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "can_file": request.user.can(Action.COMPLAINT_FILE),
        },
    )


def _detail_context(request, complaint, **extra):
    detail = cselectors.complaint_detail_for_user(user=request.user, complaint=complaint)
    can_triage = may(request.user, Action.COMPLAINT_TRIAGE, complaint)
    is_open = complaint.status in COMPLAINT_OPEN
    context = {
        "complaint": complaint,
        "detail": detail,
        "can_triage": can_triage and is_open,
        "can_evidence": may(request.user, Action.COMPLAINT_EVIDENCE, complaint),
        "can_add_evidence": can_triage,
        "can_open_case": can_triage
        and complaint.in_distress
        and complaint.case_id is None
        and request.user.can(Action.CASE_CREATE)
        and request.user.can(Action.PERSON_CREATE),
        "review_form": VersionForm(initial={"version": complaint.version}),
        "triage_form": TriageForm(initial={"version": complaint.version}),
        "evidence_form": EvidenceForm(initial={"version": complaint.version}),
    }
    context.update(extra)
    return context


@require_action(Action.COMPLAINT_VIEW)
def complaint_detail(request, public_id):
    complaint = cselectors.complaint_get_for_user(user=request.user, public_id=public_id)
    return render(request, "recruitment/complaint_detail.html", _detail_context(request, complaint))


@require_action(Action.COMPLAINT_TRIAGE)
@require_http_methods(["POST"])
def complaint_review(request, public_id):
    complaint = cselectors.complaint_get_for_user(
        user=request.user, public_id=public_id, action=Action.COMPLAINT_TRIAGE
    )
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            cservices.complaint_start_review(
                actor=request.user, complaint=complaint, expected_version=form.cleaned_data["version"]
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("recruitment:complaint", public_id=public_id)
        messages.success(request, _("Review started."))
    return redirect("recruitment:complaint", public_id=public_id)


@require_action(Action.COMPLAINT_TRIAGE)
@require_http_methods(["POST"])
def complaint_triage(request, public_id):
    complaint = cselectors.complaint_get_for_user(
        user=request.user, public_id=public_id, action=Action.COMPLAINT_TRIAGE
    )
    form = TriageForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            cservices.complaint_triage(
                actor=request.user,
                complaint=complaint,
                decision=form.to_decision(),
                expected_version=form.cleaned_data["version"],
            )
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc
        except Conflict as exc:
            apply_service_error(form, exc)
            status = 409
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("recruitment:complaint", public_id=public_id)
    complaint = cselectors.complaint_get_for_user(user=request.user, public_id=public_id)
    return render(
        request,
        "recruitment/complaint_detail.html",
        _detail_context(request, complaint, triage_form=form),
        status=status,
    )


@require_action(Action.COMPLAINT_TRIAGE)
@require_http_methods(["POST"])
def complaint_evidence_add(request, public_id):
    complaint = cselectors.complaint_get_for_user(
        user=request.user, public_id=public_id, action=Action.COMPLAINT_TRIAGE
    )
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            cservices.complaint_add_evidence(
                actor=request.user,
                complaint=complaint,
                uploads=read_uploads(form.cleaned_data["evidence"]),
                expected_version=form.cleaned_data["version"],
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Evidence added."))
            return redirect("recruitment:complaint", public_id=public_id)
    complaint = cselectors.complaint_get_for_user(user=request.user, public_id=public_id)
    return render(
        request,
        "recruitment/complaint_detail.html",
        _detail_context(request, complaint, evidence_form=form),
        status=400,
    )


@require_action(Action.COMPLAINT_EVIDENCE)
def complaint_evidence(request, public_id, evidence_id):
    item, path = cselectors.evidence_for_user(user=request.user, complaint_id=public_id, evidence_id=evidence_id)
    extension = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}[item.content_type]
    response = FileResponse(
        open(path, "rb"),  # noqa: SIM115 - FileResponse closes it
        content_type=item.content_type,
        as_attachment=True,
        filename=f"evidence-{str(item.public_id)[:8]}.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@require_action(Action.COMPLAINT_TRIAGE)
@require_http_methods(["GET", "POST"])
def complaint_case(request, public_id):
    """Open the distress case of a complaint about someone abroad and in distress (as intake converts a tip)."""
    complaint = cselectors.complaint_get_for_user(
        user=request.user, public_id=public_id, action=Action.COMPLAINT_TRIAGE
    )
    if not (request.user.can(Action.CASE_CREATE) and request.user.can(Action.PERSON_CREATE)):
        raise DjangoPermissionDenied()
    form = DistressCaseForm(request.POST or None, initial={"version": complaint.version})
    pform = PersonForm(request.POST or None, prefix="p")
    candidates = None
    status = 200
    if request.method == "POST":
        if form.is_valid() and pform.is_valid():
            choice = (request.POST.get("person_choice") or "").strip()
            draft = cservices.DistressDraft(
                identity=pform.to_identity(),
                identified_on=form.cleaned_data["identified_on"],
                abroad_city=form.cleaned_data["abroad_city"],
            )
            if choice and choice != "new":
                draft.link_person_id = choice
                draft.link_token = request.session.get(SESSION_LINK_TOKEN, "")
            draft.candidates_dismissed = choice == "new"
            try:
                registration = cservices.complaint_open_case(
                    actor=request.user,
                    complaint=complaint,
                    draft=draft,
                    expected_version=form.cleaned_data["version"],
                )
            except PermissionDenied as exc:
                raise DjangoPermissionDenied(exc.message) from exc
            except ServiceError as exc:
                apply_service_error(form, exc)
                status = 400
            else:
                if registration.case is None:
                    candidates = registration.candidates
                    request.session[SESSION_LINK_TOKEN] = registration.link_token
                else:
                    request.session.pop(SESSION_LINK_TOKEN, None)
                    messages.success(request, _("Distress case opened."))
                    return redirect("recruitment:complaint", public_id=public_id)
        else:
            status = 400
    return render(
        request,
        "recruitment/complaint_case.html",
        {"complaint": complaint, "form": form, "pform": pform, "candidates": candidates},
        status=status,
    )


# --- agency risk profile and watchlist -------------------------------------------------------------------------


@require_action(Action.RECRUITER_VIEW)
def agency_profile(request, public_id):
    agency = selectors.agency_get_for_user(user=request.user, public_id=public_id)
    profile = cselectors.agency_risk_profile_for_user(user=request.user, agency=agency)
    return render(
        request,
        "recruitment/agency_profile.html",
        {
            "agency": agency,
            "profile": profile,
            "can_watch": may(request.user, Action.RECRUITER_WATCH, agency),
            "watch_form": WatchForm(),
        },
    )


@require_action(Action.RECRUITER_WATCH)
@require_http_methods(["POST"])
def agency_watch(request, public_id):
    agency = selectors.agency_get_for_user(user=request.user, public_id=public_id, action=Action.RECRUITER_WATCH)
    form = WatchForm(request.POST)
    if request.POST.get("do") == "remove":
        try:
            cservices.watch_remove(actor=request.user, agency=agency)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Agency taken off the watchlist."))
        return redirect("recruitment:profile", public_id=public_id)
    if form.is_valid():
        try:
            cservices.watch_add(actor=request.user, agency=agency, reason=form.cleaned_data["reason"])
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Agency added to the watchlist."))
            return redirect("recruitment:profile", public_id=public_id)
    profile = cselectors.agency_risk_profile_for_user(user=request.user, agency=agency)
    return render(
        request,
        "recruitment/agency_profile.html",
        {"agency": agency, "profile": profile, "can_watch": True, "watch_form": form},
        status=400,
    )


@require_action(Action.RECRUITER_VIEW)
def watchlist(request):
    page = paginate(request, cselectors.watchlist_for_user(user=request.user), per_page=50)
    reasons = cselectors.watch_reasons_for_user(user=request.user, entries=list(page))
    rows = [(entry, reasons.get(entry.pk, "")) for entry in page]
    return render(
        request,
        "recruitment/watchlist.html",
        {"page": page, "rows": rows, "query": query_without_page(request)},
    )
