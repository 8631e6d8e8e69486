"""Officers' pages of the recruitment-agency register: list and search, add, view, edit (optimistic
concurrency), status change (labour officers, with the source), directors, job orders, import of the NEA list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ctip.accounts.access import may
from ctip.accounts.roles import Action
from ctip.core.errors import PermissionDenied, ServiceError
from ctip.core.spreadsheets import csv_writer
from ctip.core.views_helpers import apply_service_error, paginate, query_without_page, require_action
from ctip.people.forms import PersonForm

from . import selectors, services
from .forms import AgencyCreateForm, AgencyFilterForm, AgencyForm, ImportForm, JobOrderForm, StatusForm
from .importer import COLUMNS

SESSION_LINK_TOKEN = "ctip_director_link_token"  # the link token of the last director look-up
MAX_UPLOAD = 4 * 1024 * 1024


@require_action(Action.RECRUITER_VIEW)
def agency_list(request):
    form = AgencyFilterForm(request.GET or None)
    filters = selectors.AgencyFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.AgencyFilters(
            text=d["q"], status=d["status"], county_id=d["county"].pk if d["county"] else None
        )
    page = paginate(request, selectors.agency_list_for_user(user=request.user, filters=filters), per_page=50)
    return render(
        request,
        "recruitment/agency_list.html",
        {
            "form": form,
            "page": page,
            "rows": page,
            "query": query_without_page(request),
            "can_manage": request.user.can(Action.RECRUITER_MANAGE),
        },
    )


@require_action(Action.RECRUITER_MANAGE)
@require_http_methods(["GET", "POST"])
def agency_create(request):
    form = AgencyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.agency_create(
                actor=request.user,
                data=form.to_input(),
                status=form.cleaned_data["status"],
                status_since=form.cleaned_data["status_since"],
                status_source=form.cleaned_data["status_source"],
            )
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Agency added to the register."))
            return redirect("recruitment:detail", public_id=agency.public_id)
    return render(request, "recruitment/agency_form.html", {"form": form, "agency": None})


@require_action(Action.RECRUITER_VIEW)
def agency_detail(request, public_id):
    agency = selectors.agency_get_for_user(user=request.user, public_id=public_id)
    detail = selectors.agency_detail_for_user(user=request.user, agency=agency)
    can_status = may(request.user, Action.RECRUITER_STATUS, agency)
    return render(
        request,
        "recruitment/agency_detail.html",
        {
            "agency": agency,
            "detail": detail,
            "can_manage": may(request.user, Action.RECRUITER_MANAGE, agency),
            "status_form": StatusForm(initial={"version": agency.version, "status": agency.status})
            if can_status
            else None,
        },
    )


@require_action(Action.RECRUITER_MANAGE)
@require_http_methods(["GET", "POST"])
def agency_edit(request, public_id):
    agency = selectors.agency_get_for_user(user=request.user, public_id=public_id, action=Action.RECRUITER_MANAGE)
    if request.method == "POST":
        form = AgencyForm(request.POST)
        if form.is_valid():
            try:
                services.agency_update(
                    actor=request.user,
                    agency=agency,
                    data=form.to_input(),
                    expected_version=form.cleaned_data["version"],
                )
            except ServiceError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("recruitment:detail", public_id=agency.public_id)
    else:
        form = AgencyForm(initial=AgencyForm.initial_for(agency, agency.contacts.all()))
    return render(request, "recruitment/agency_form.html", {"form": form, "agency": agency})


@require_action(Action.RECRUITER_STATUS)
@require_http_methods(["POST"])
def agency_status(request, public_id):
    agency = selectors.agency_get_for_user(user=request.user, public_id=public_id, action=Action.RECRUITER_STATUS)
    form = StatusForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.agency_set_status(
                actor=request.user,
                agency=agency,
                status=d["status"],
                effective_on=d["effective_on"],
                source=d["source"],
                expected_version=d["version"],
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Licence status changed."))
            return redirect("recruitment:detail", public_id=agency.public_id)
    return render(request, "recruitment/agency_status.html", {"agency": agency, "form": form}, status=400)


@require_action(Action.RECRUITER_MANAGE)
@require_http_methods(["GET", "POST"])
def director_add(request, public_id):
    agency = selectors.agency_get_for_user(user=request.user, public_id=public_id, action=Action.RECRUITER_MANAGE)
    form = PersonForm(request.POST or None, prefix="p")
    candidates = None
    if request.method == "POST" and form.is_valid():
        choice = (request.POST.get("person_choice") or "").strip()
        if choice and choice != "new":
            person_choice = services.PersonChoice(
                link_person_id=choice, link_token=request.session.get(SESSION_LINK_TOKEN, "")
            )
        else:
            person_choice = services.PersonChoice(identity=form.to_identity(), confirm_new=choice == "new")
        try:
            outcome = services.director_add(actor=request.user, agency=agency, choice=person_choice)
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            if outcome.director is None:
                candidates = outcome.person.candidates
                request.session[SESSION_LINK_TOKEN] = outcome.person.link_token
            else:
                request.session.pop(SESSION_LINK_TOKEN, None)
                messages.success(request, _("Director linked."))
                return redirect("recruitment:detail", public_id=agency.public_id)
    return render(
        request, "recruitment/director_form.html", {"agency": agency, "pform": form, "candidates": candidates}
    )


@require_action(Action.RECRUITER_MANAGE)
@require_http_methods(["GET", "POST"])
def job_order_add(request, public_id):
    agency = selectors.agency_get_for_user(user=request.user, public_id=public_id, action=Action.RECRUITER_MANAGE)
    form = JobOrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.job_order_add(actor=request.user, agency=agency, data=form.to_input())
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Job order recorded."))
            return redirect("recruitment:detail", public_id=agency.public_id)
    return render(request, "recruitment/job_order_form.html", {"agency": agency, "form": form})


@require_action(Action.RECRUITER_MANAGE)
@require_http_methods(["GET", "POST"])
def import_index(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            form.add_error("file", _("The file is larger than 4 MB: split it."))
        else:
            try:
                record = services.import_list(
                    actor=request.user,
                    file_name=upload.name,
                    content=upload.read(),
                    source=form.cleaned_data["source"],
                )
            except PermissionDenied as exc:
                raise DjangoPermissionDenied(exc.message) from exc
            except ServiceError as exc:
                apply_service_error(form, exc)
            else:
                if record.status == "applied":
                    messages.success(request, _("The list was imported."))
                else:
                    messages.error(request, _("Nothing was imported: fix the rows listed and upload the file again."))
                return redirect("recruitment:import_detail", public_id=record.public_id)
    page = paginate(request, selectors.import_list_for_user(user=request.user), per_page=20)
    return render(
        request,
        "recruitment/import_index.html",
        {"form": form, "page": page, "rows": page, "query": "", "columns": list(COLUMNS)},
    )


@require_action(Action.RECRUITER_MANAGE)
def import_detail(request, public_id):
    record = selectors.import_get_for_user(user=request.user, public_id=public_id)
    return render(request, "recruitment/import_detail.html", {"record": record, "errors": record.errors[:200]})


@require_action(Action.RECRUITER_MANAGE)
def import_report(request, public_id):
    """The row-level error report as CSV (every cell formula-safe: ctip.core.spreadsheets)."""
    record = selectors.import_get_for_user(user=request.user, public_id=public_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="agency-import-{record.public_id}-errors.csv"'
    writer = csv_writer(response)
    writer.writerow([_("Row"), _("Column"), _("Problem")])
    for error in record.errors:
        writer.writerow([error.get("row"), error.get("column"), error.get("message")])
    return response
