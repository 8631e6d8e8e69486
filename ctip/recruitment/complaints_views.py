"""Pages of complaints about recruitment.

Public (no log-in, mobile-first, English and Kiswahili; CSRF; rate-limited, refusals logged without the address):
the complaint form /verify/complaint/ (the agency picked by a search of the register), the reference and PIN shown
once, the status page /verify/complaint/status/ (reference and PIN in the POST body, never in a URL).

Officers: the triage queue, the complaint page (sealed text, read logged), start review, triage (optimistic
concurrency), evidence download (complaint.evidence, each read logged), the distress case (a person abroad in
distress, registered through cases.case_register), the agency risk profile and the watchlist.
"""

from __future__ import annotations

import contextlib
import logging
from decimal import Decimal

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
from ctip.people.services import PersonChoice
from ctip.reference.selectors import country_list

from . import complaints_selectors as cselectors
from . import complaints_services as cservices
from . import evidence as evidence_files
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
from .evidence_stash import Stash as EvidenceStash

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


def _keep_uploads(stash: EvidenceStash, files) -> list[str]:
    """Check and keep the files sent with the form (their size first, before reading them); the errors."""
    errors: list[str] = []
    fine = []
    for f in files[: evidence_files.MAX_FILES * 2]:
        if f.size > evidence_files.MAX_BYTES:
            errors.append(_("Each file may be at most 5 MB."))
        else:
            fine.append(evidence_files.Upload(content=f.read(), name=f.name or ""))
    errors += stash.add(fine)
    if errors:
        # a file of the wrong type, size or a name that lies about it: logged, without the file or name
        log.warning("complaints: evidence file refused", extra={"scope": "evidence"})
    return errors


def _prefill(post) -> tuple[dict, str]:
    """The complaint form's first values from an officer's job-offer check ("record a complaint"): the agency
    (chosen by its licence number when the register knows it), destination, job, fee and visa. Values are the
    check's labels, as the officer saw them; they are only a starting point the officer reads and corrects."""

    def value(name: str, limit: int = 120) -> str:
        return " ".join((post.get(name) or "").split())[:limit]

    initial: dict = {}
    licence = value("p_agency_licence", 40)
    name = value("p_agency_name", 200)
    if licence:
        initial["against_kind"] = "agency"
    elif name:
        initial.update(against_kind="unregistered", against_name=name)
    country = country_list().filter(alpha2=value("p_destination", 2).upper()).first()
    if country is not None:
        initial["destination_country"] = country.pk
    job = value("p_job")
    if job:
        initial["job_promised"] = job
    fee, currency = value("p_fee_amount", 20), value("p_fee_currency", 3).upper()
    if fee and currency == "KES":
        with contextlib.suppress(ArithmeticError, ValueError):
            initial["amount_paid"] = Decimal(fee)
    facts = [_("From a job-offer check.")]
    if job:
        facts.append(_("Job offered: %(job)s.") % {"job": job})
    if country is not None:
        facts.append(_("Destination: %(country)s.") % {"country": country.name})
    if fee:
        facts.append(
            _("Fee asked: %(amount)s %(currency)s (%(to)s).")
            % {"amount": fee, "currency": currency, "to": value("p_fee_to")}
        )
    if value("p_visa"):
        facts.append(_("Visa: %(visa)s.") % {"visa": value("p_visa")})
    initial["description"] = " ".join(facts) + "\n"
    return initial, licence


def _complainant_choice(request, pform) -> PersonChoice | None:
    """The complainant an officer identified (any identity given), or None (the complaint names nobody)."""
    choice = (request.POST.get("person_choice") or "").strip()
    if choice and choice != "new":
        return PersonChoice(link_person_id=choice, link_token=request.session.get(SESSION_LINK_TOKEN, ""))
    d = pform.cleaned_data
    if not any(d.get(k) for k in ("first_name", "last_name", "national_id", "passport", "phones")):
        return None
    return PersonChoice(identity=pform.to_identity(), confirm_new=choice == "new")


def _complaint_form_page(request, *, officer: bool):
    with_person = officer and request.user.can(Action.PERSON_CREATE)
    found = None
    candidates = None
    status = 200
    stash = None
    chosen = ""
    template = "recruitment/complaint_form.html"
    if officer and request.method == "POST" and request.POST.get("do") == "prefill":
        initial, chosen = _prefill(request.POST)
        form = ComplaintForm(initial=initial)
        pform = PersonForm(prefix="p") if with_person else None
        return render(
            request,
            template,
            {
                "form": form,
                "pform": pform,
                "found": None,
                "chosen": chosen,
                "officer": officer,
                "warn": WARN_STATUSES,
                "prefilled": True,
            },
        )
    form = ComplaintForm(request.POST or None)
    pform = PersonForm(request.POST or None, prefix="p") if with_person else None
    if request.method == "POST":
        do = request.POST.get("do")
        removing = (request.POST.get("remove_evidence") or "").strip()
        action = "search" if do == "search" else "remove" if removing else "submit"
        client = ratelimit.client_key(request)
        limit = SEARCH_LIMIT if action != "submit" else (None if officer else SUBMIT_LIMIT)
        if limit is not None and not ratelimit.allow(limit, client):
            too_many(f"complaint {action}")
            if action == "submit":
                form.is_valid()
            else:
                form._errors, form.cleaned_data = ErrorDict(), {}
            form.add_error(
                None,
                _("Too many complaints from your connection. Try again later.")
                if action == "submit"
                else _("Too many searches from your connection. Try again in a few minutes."),
            )
            status = 429
            stash = EvidenceStash(request.session, request.POST.get("evidence_token", ""))
        else:
            stash = EvidenceStash(request.session, request.POST.get("evidence_token", ""))
            upload_errors = _keep_uploads(stash, request.FILES.getlist("evidence"))
            if action != "submit":
                if action == "remove":
                    stash.remove(removing)
                else:
                    query = (request.POST.get("agency_query") or "").strip()
                    if query:
                        found = _agency_choices(query)
                form._errors, form.cleaned_data = ErrorDict(), {}  # not a submission: no field errors yet
                if pform is not None:
                    pform._errors, pform.cleaned_data = ErrorDict(), {}
                for error in upload_errors:
                    form.add_error("evidence", error)
            else:
                valid = form.is_valid() & (pform is None or pform.is_valid())
                for error in upload_errors:
                    form.add_error("evidence", error)
                if valid and not upload_errors:
                    response, candidates = _submit_complaint(request, form, pform, stash, officer=officer)
                    if response is not None:
                        return response
                status = 400 if candidates is None else 200
    if form.is_bound:
        chosen = (request.POST.get("agency_licence") or "").strip()
    return render(
        request,
        template,
        {
            "form": form,
            "pform": pform,
            "candidates": candidates,
            "found": found,
            "chosen": chosen,
            "officer": officer,
            "warn": WARN_STATUSES,
            "stash": stash,
        },
        status=status,
    )


def _submit_complaint(request, form, pform, stash: EvidenceStash, *, officer: bool):
    """Save the complaint with the kept files: (the page to show, None), or (None, the persons proposed) when an
    officer's complainant may already be known, or (None, None) with the form's errors set."""
    data = form.to_input(language=translation.get_language() or "")
    try:
        if officer:
            outcome = cservices.complaint_submit_for(
                actor=request.user,
                data=data,
                uploads=stash.uploads(),
                complainant=_complainant_choice(request, pform) if pform is not None else None,
            )
            if outcome.complaint is None:
                request.session[SESSION_LINK_TOKEN] = outcome.link_token
                return None, outcome.candidates
            complaint, pin = outcome.complaint, outcome.pin
        else:
            complaint, pin = cservices.complaint_submit(actor=None, data=data, uploads=stash.uploads())
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    except ServiceError as exc:
        if "person_id" in (getattr(exc, "fields", None) or {}):
            exc.fields["__all__"] = exc.fields.pop("person_id")
        apply_service_error(form, exc)
        return None, None
    stash.clear()
    request.session.pop(SESSION_LINK_TOKEN, None)
    response = render(
        request,
        "recruitment/complaint_done.html",
        {
            "reference": complaint.reference,
            "pin": pin,
            "officer": officer,
            "complaint": complaint,
            "can_view": officer and request.user.can(Action.COMPLAINT_VIEW),
        },
    )
    return response, None


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
