"""Pages of intake: the public report and status pages (no log-in), the triage queue, the hotline call log and
bulk import. Thin: form -> service or selector -> page (ARCHITECTURE.md rule 8)."""

from __future__ import annotations

import io
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from ctip.accounts.roles import Action
from ctip.core.errors import NotFound, ServiceError, ValidationFailed
from ctip.core.spreadsheets import csv_writer
from ctip.core.views_helpers import apply_service_error, paginate, query_without_page, require_action
from ctip.people.forms import SERVICE_FIELD_MAP, PersonForm

from . import ratelimit, selectors, services
from .enums import SITUATION_EXPLOITATION, CallStatus, TipStatus
from .forms import (
    CallFilterForm,
    CallForm,
    ConvertCaseForm,
    EscalateForm,
    ImportForm,
    PublicTipForm,
    StatusCheckForm,
    TipCloseForm,
    TipFilterForm,
    TipMessageForm,
)

SAMPLE = Path(__file__).resolve().parent / "samples" / "htcds_import_sample.csv"

# --- public (no log-in) -------------------------------------------------------------------------------------


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def report_tip(request):
    form = PublicTipForm(request.POST or None)
    status = 200
    if request.method == "POST":
        client = ratelimit.client_key(request)
        if ratelimit.exceeded(ratelimit.TIP_SUBMIT, client):
            form.add_error(None, _("Too many reports from this connection. Please try again in an hour."))
            status = 429
        elif form.is_valid():
            if form.cleaned_data.get("website"):  # the hidden field: a bot. Pretend nothing happened.
                return render(request, "intake/public/report_form.html", {"form": PublicTipForm()})
            try:
                tip, pin = services.tip_submit(data=form.to_input(translation.get_language() or ""))
            except ServiceError as exc:
                apply_service_error(form, exc)
            else:
                ratelimit.hit(ratelimit.TIP_SUBMIT, client)
                # Rendered, not redirected: the PIN must never appear in a URL or be shown twice.
                return render(request, "intake/public/report_done.html", {"reference": tip.reference, "pin": pin})
    return render(request, "intake/public/report_form.html", {"form": form}, status=status)


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def report_status(request):
    """Reference + PIN in the POST body, never in the URL. Same error for a wrong reference or a wrong PIN."""
    form = StatusCheckForm(request.POST or None)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        client = ratelimit.client_key(request)
        ref_key = ratelimit.value_key(services.normalize_reference(form.cleaned_data["reference"]))
        if not ratelimit.status_check_allowed(client, ref_key):
            form.add_error(None, _("Too many attempts. Please try again later."))
            status = 429
        else:
            try:
                result = selectors.tip_public_status(
                    reference=form.cleaned_data["reference"], pin=form.cleaned_data["pin"]
                )
            except NotFound:
                ratelimit.status_check_failed(client, ref_key)
                form.add_error(None, _("We found no report with this reference number and PIN."))
                status = 404
    return render(request, "intake/public/status.html", {"form": form, "result": result}, status=status)


# --- triage queue ----------------------------------------------------------------------------------------


def _tip(request, public_id):
    try:
        return selectors.tip_get_for_user(user=request.user, public_id=public_id)
    except NotFound as exc:
        raise Http404 from exc


@require_action(Action.TIP_TRIAGE)
def tip_list(request):
    form = TipFilterForm(request.GET or None)
    filters = selectors.TipFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.TipFilters(
            status=d["status"],
            situation=d["situation"],
            county_id=d["county"].pk if d["county"] else None,
            source=d["source"],
        )
    page = paginate(request, selectors.tip_list_for_user(user=request.user, filters=filters))
    return render(request, "intake/tip_list.html", {"form": form, "page": page, "query": query_without_page(request)})


@require_action(Action.TIP_TRIAGE)
def tip_detail(request, public_id):
    tip = _tip(request, public_id)
    texts = selectors.tip_text_for_user(user=request.user, tip=tip)
    initial = {"version": tip.version}
    return render(
        request,
        "intake/tip_detail.html",
        {
            "tip": tip,
            "texts": texts,
            "close_form": TipCloseForm(initial=initial) if tip.is_open else None,
            "message_form": TipMessageForm(initial={**initial, "message": texts["message_to_reporter"]})
            if tip.source == "public" and tip.status != TipStatus.CONVERTED
            else None,
            "can_review": tip.status == TipStatus.NEW,
            "can_convert": tip.is_open and request.user.can(Action.CASE_CREATE),
            "can_send_lead": request.user.can(Action.LEAD_SEND),
        },
    )


def _version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@require_action(Action.TIP_TRIAGE)
@require_POST
def tip_review(request, public_id):
    tip = _tip(request, public_id)
    try:
        services.tip_start_review(actor=request.user, tip=tip, expected_version=_version(request))
        messages.success(request, _("Report %(ref)s is under review.") % {"ref": tip.reference})
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("intake:tip_detail", public_id=tip.public_id)


@require_action(Action.TIP_TRIAGE)
@require_POST
def tip_close(request, public_id):
    tip = _tip(request, public_id)
    form = TipCloseForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.tip_close(
                actor=request.user,
                tip=tip,
                reason=d["reason"],
                note=d["note"],
                message=d["message"],
                expected_version=d["version"],
            )
            messages.success(request, _("Report %(ref)s closed.") % {"ref": tip.reference})
            return redirect("intake:tip_detail", public_id=tip.public_id)
        except ServiceError as exc:
            apply_service_error(form, exc)
    texts = selectors.tip_text_for_user(user=request.user, tip=tip)
    return render(
        request,
        "intake/tip_detail.html",
        {"tip": tip, "texts": texts, "close_form": form, "can_review": False, "can_convert": False},
        status=400,
    )


@require_action(Action.TIP_TRIAGE)
@require_POST
def tip_message(request, public_id):
    tip = _tip(request, public_id)
    form = TipMessageForm(request.POST)
    if form.is_valid():
        try:
            services.tip_set_message(
                actor=request.user, tip=tip, message=form.cleaned_data["message"], expected_version=_version(request)
            )
            messages.success(request, _("The message for the reporter was saved."))
        except ServiceError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("The message could not be saved."))
    return redirect("intake:tip_detail", public_id=tip.public_id)


def _spread(exc: ServiceError, pform, cform) -> None:
    if not isinstance(exc, ValidationFailed) or not exc.fields:
        cform.add_error(None, exc.message)
        return
    aliases = {"identified_county": "identified_county", "vic_TypeOfExploitation": "exploitation"}
    for name, msgs in exc.fields.items():
        msgs = msgs if isinstance(msgs, list) else [msgs]
        target = SERVICE_FIELD_MAP.get(name, aliases.get(name, name))
        form = pform if target in pform.fields else cform
        for m in msgs:
            form.add_error(target if target in form.fields else None, m)


SESSION_LINK_TOKEN = "ctip_convert_link_token"  # the link token of the last look-up (the persons it proposed)


def _convert_page(request, *, obj, kind, initial_narrative, with_message, convert):
    data = request.POST if request.method == "POST" else None
    pform = PersonForm(data, prefix="p")
    exploitation = SITUATION_EXPLOITATION.get(getattr(obj, "situation", ""), [])
    cform = ConvertCaseForm(
        data,
        prefix="c",
        with_message=with_message,
        initial={
            "version": obj.version,
            "identified_county": obj.county_id,
            "identified_country": obj.country_id,
            "narrative": initial_narrative,
            "exploitation": exploitation,
        },
    )
    candidates = None
    choice = (request.POST.get("person_choice") or "").strip() if data is not None else ""
    if data is not None and pform.is_valid() and cform.is_valid():
        # As at registration (the service runs the same case_register): without a choice, persons who may be the
        # same one are looked for first; a proposed person is linked with the look-up's link token only.
        draft = cform.to_draft(pform)
        if choice and choice != "new":
            draft.link_person_id = choice
            draft.link_token = request.session.get(SESSION_LINK_TOKEN, "")
        draft.candidates_dismissed = choice == "new"
        try:
            registration = convert(draft, cform)
        except ServiceError as exc:
            _spread(exc, pform, cform)
        else:
            if registration.case is None:
                candidates = registration.candidates
                request.session[SESSION_LINK_TOKEN] = registration.link_token
            else:
                request.session.pop(SESSION_LINK_TOKEN, None)
                case = registration.case
                messages.success(request, _("Case %(reference)s opened.") % {"reference": case.reference})
                if kind == "tip" and data.get("also_lead") and request.user.can(Action.LEAD_SEND):
                    # "Also open a suspect lead": the lead page, prefilled from the tip, linked to the new case.
                    lead_url = reverse("leads:from_tip", args=[obj.public_id])
                    return redirect(f"{lead_url}?case={case.public_id}")
                return redirect("cases:detail", public_id=case.public_id)
    return render(
        request,
        "intake/convert.html",
        {
            "obj": obj,
            "kind": kind,
            "pform": pform,
            "cform": cform,
            "candidates": candidates,
            "can_send_lead": kind == "tip" and request.user.can(Action.LEAD_SEND),
            "also_lead": data is not None and bool(data.get("also_lead")),
        },
    )


@require_action(Action.TIP_TRIAGE)
@require_http_methods(["GET", "POST"])
def tip_convert(request, public_id):
    if not request.user.can(Action.CASE_CREATE):
        raise DjangoPermissionDenied
    tip = _tip(request, public_id)
    if not tip.is_open:
        messages.error(request, _("This report is no longer open."))
        return redirect("intake:tip_detail", public_id=tip.public_id)
    narrative = (
        "" if request.method == "POST" else selectors.tip_text_for_user(user=request.user, tip=tip)["description"]
    )

    def convert(draft, cform):
        return services.tip_convert(
            actor=request.user,
            tip=tip,
            draft=draft,
            message=cform.cleaned_data.get("message", ""),
            expected_version=cform.cleaned_data["version"],
        )

    return _convert_page(
        request,
        obj=tip,
        kind="tip",
        initial_narrative=narrative,
        with_message=tip.source == "public",
        convert=convert,
    )


# --- hotline calls ---------------------------------------------------------------------------------------


def _call(request, public_id):
    try:
        return selectors.call_get_for_user(user=request.user, public_id=public_id)
    except NotFound as exc:
        raise Http404 from exc


@require_action(Action.HOTLINE_LOG)
def call_list(request):
    form = CallFilterForm(request.GET or None)
    filters = selectors.CallFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.CallFilters(status=d["status"], urgency=d["urgency"], follow_up=d["follow_up"])
    page = paginate(request, selectors.call_list_for_user(user=request.user, filters=filters))
    return render(request, "intake/call_list.html", {"form": form, "page": page, "query": query_without_page(request)})


@require_action(Action.HOTLINE_LOG)
@require_http_methods(["GET", "POST"])
def call_create(request):
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_log(actor=request.user, data=form.to_input())
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Call %(ref)s logged.") % {"ref": call.reference})
            return redirect("intake:call_detail", public_id=call.public_id)
    return render(request, "intake/call_form.html", {"form": form})


@require_action(Action.HOTLINE_LOG)
def call_detail(request, public_id):
    call = _call(request, public_id)
    texts = selectors.call_text_for_user(user=request.user, call=call)
    return render(
        request,
        "intake/call_detail.html",
        {
            "call": call,
            "texts": texts,
            "tip": selectors.call_tip(call),
            "escalate_form": EscalateForm(initial={"version": call.version})
            if call.status == CallStatus.LOGGED
            else None,
            "can_convert": call.status != CallStatus.CONVERTED and request.user.can(Action.CASE_CREATE),
        },
    )


@require_action(Action.HOTLINE_LOG)
@require_POST
def call_escalate(request, public_id):
    call = _call(request, public_id)
    form = EscalateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the type of situation."))
        return redirect("intake:call_detail", public_id=call.public_id)
    try:
        tip = services.call_escalate(
            actor=request.user,
            call=call,
            situation=form.cleaned_data["situation"],
            expected_version=form.cleaned_data["version"],
        )
        messages.success(request, _("Call escalated: it is in the triage queue as %(ref)s.") % {"ref": tip.reference})
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("intake:call_detail", public_id=call.public_id)


@require_action(Action.HOTLINE_LOG)
@require_http_methods(["GET", "POST"])
def call_convert(request, public_id):
    if not request.user.can(Action.CASE_CREATE):
        raise DjangoPermissionDenied
    call = _call(request, public_id)
    if call.status == CallStatus.CONVERTED:
        messages.error(request, _("This call was already converted into a case."))
        return redirect("intake:call_detail", public_id=call.public_id)
    narrative = (
        "" if request.method == "POST" else selectors.call_text_for_user(user=request.user, call=call)["summary"]
    )

    def convert(draft, cform):
        return services.call_convert(
            actor=request.user, call=call, draft=draft, expected_version=cform.cleaned_data["version"]
        )

    return _convert_page(
        request, obj=call, kind="call", initial_narrative=narrative, with_message=False, convert=convert
    )


# --- bulk import --------------------------------------------------------------------------------------------


@require_action(Action.CASE_IMPORT)
@require_http_methods(["GET", "POST"])
def import_index(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.import_start(actor=request.user, file_name=upload.name, content=upload.read())
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            return redirect("intake:import_status", public_id=job.public_id)
    jobs = list(selectors.import_list_for_user(user=request.user)[:20])
    return render(request, "intake/import_index.html", {"form": form, "jobs": jobs})


def _job(request, public_id):
    try:
        return selectors.import_get_for_user(user=request.user, public_id=public_id)
    except NotFound as exc:
        raise Http404 from exc


@require_action(Action.CASE_IMPORT)
def import_status(request, public_id):
    job = _job(request, public_id)
    context = {
        "job": job,
        "errors": job.errors[:200],
        "can_review_duplicates": request.user.can(Action.PERSON_MERGE),
    }
    if getattr(request, "htmx", False):
        return render(request, "intake/_import_progress.html", context)
    return render(request, "intake/import_status.html", context)


@require_action(Action.CASE_IMPORT)
def import_errors_csv(request, public_id):
    """The row-level error report: row number, column, message (never the cell's value)."""
    job = _job(request, public_id)
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow([_("row"), _("column"), _("message")])
    for e in job.errors:
        writer.writerow([e.get("row", ""), e.get("column", ""), e.get("message", "")])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-errors-{str(job.public_id)[:8]}.csv"'
    return response


@require_action(Action.CASE_IMPORT)
def import_sample(request):
    return FileResponse(SAMPLE.open("rb"), as_attachment=True, filename=SAMPLE.name, content_type="text/csv")
