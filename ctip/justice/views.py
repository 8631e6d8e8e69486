"""Pages of investigation files: form -> service or selector -> page (ARCHITECTURE.md rule 8).

The file has four pages (the file, its evidence checklist, its log, the exchange with the prosecutor), so each
page runs a bounded number of queries; the writes are POSTs that return to the page they came from."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from ctip.accounts import selectors as account_selectors
from ctip.accounts.access import may
from ctip.accounts.enums import AgencyType
from ctip.accounts.roles import Action
from ctip.cases import selectors as case_selectors
from ctip.core.errors import NotFound, ServiceError
from ctip.core.views_helpers import apply_service_error, paginate, query_without_page, require_action
from ctip.people.forms import PersonForm

from . import selectors, services
from .enums import Advice, FileSection, Flag, InvestigationStatus
from .forms import (
    ActionForm,
    AdviceForm,
    AppealDecisionForm,
    AppealForm,
    ChargeSheetForm,
    CloseForm,
    EvidenceForm,
    FileForm,
    ForfeitureForm,
    IdentifierForm,
    LinkCaseForm,
    OffenceForm,
    OrganisationSuspectForm,
    OutcomeForm,
    PersonSuspectForm,
    PleaForm,
    RestitutionForm,
    ScheduleForm,
    SittingForm,
    SubmitForm,
    WitnessAddForm,
    WitnessForm,
    count_forms,
)

SESSION_LINK_TOKEN = "ctip_suspect_link_token"
TABS = [
    ("detail", gettext_lazy("File")),
    ("evidence", gettext_lazy("Evidence checklist")),
    ("log", gettext_lazy("Identifiers and action log")),
    ("exchange", gettext_lazy("Exchange with the prosecutor")),
    ("charge", gettext_lazy("Charge sheet")),
    ("court", gettext_lazy("Court")),
    ("witnesses", gettext_lazy("Victim-witnesses")),
]


COURT_TABS = {"court", "witnesses"}  # shown once the file is charged


def _get(request, public_id, action=Action.INVESTIGATION_VIEW):
    try:
        return selectors.investigation_get_for_user(user=request.user, public_id=public_id, action=action)
    except NotFound as exc:
        raise Http404 from exc


def _context(request, investigation, access, tab: str, **extra) -> dict:
    from django.urls import reverse

    can_edit = investigation.is_editable and may(
        request.user, Action.INVESTIGATION_EDIT, investigation, owner_side=True
    )
    return {
        "investigation": investigation,
        "access": access,
        "sections": selectors.visible_sections(access),
        "tab": tab,
        "tabs": [
            (key, label, reverse(f"justice:{key}", args=[investigation.public_id]))
            for key, label in TABS
            if key not in COURT_TABS or getattr(investigation, "charged_on", None)
        ],
        "can_edit": can_edit,
        "is_owner": access.owner_side,
        **extra,
    }


def _officers(agency):
    return account_selectors.agency_users_who_can(agency=agency, action=Action.INVESTIGATION_EDIT)


# --- lists ------------------------------------------------------------------------------------------------------


@require_action(Action.INVESTIGATION_VIEW)
def index(request):
    status = request.GET.get("status", "")
    status = status if status in InvestigationStatus.values else ""
    page = paginate(request, selectors.investigation_list_for_user(user=request.user, status=status))
    return render(
        request,
        "justice/list.html",
        {
            "page": page,
            "query": query_without_page(request),
            "status": status,
            "statuses": InvestigationStatus.choices,
            "can_open": request.user.can(Action.INVESTIGATION_EDIT),
            "can_review": request.user.can(Action.INVESTIGATION_REVIEW),
            "can_court": request.user.can(Action.PROSECUTION_COURT),
        },
    )


@require_action(Action.INVESTIGATION_REVIEW)
def queue(request):
    page = paginate(request, selectors.review_queue_for_user(user=request.user))
    return render(request, "justice/queue.html", {"page": page, "query": query_without_page(request)})


@require_action(Action.STATS_VIEW)
def figures(request):
    try:
        year = int(request.GET.get("year", "")) or None
    except ValueError:
        year = None
    if year is not None and not 2000 <= year <= 2100:
        year = None
    return render(
        request,
        "justice/figures.html",
        {
            "figures": selectors.figures(user=request.user, year=year),
            "court": selectors.court_figures(user=request.user, year=year),
        },
    )


# --- opening and editing ------------------------------------------------------------------------------------------


def _open(request, case=None):
    form = FileForm(request.POST or None, officers=_officers(request.user.agency), from_case=case is not None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            investigation = services.investigation_open(
                actor=request.user,
                data=services.FileInput(d["ob_number"], d["police_station"], d["unit"], list(d["officers"])),
                case=case,
                victim_role=d.get("victim_role") or "complainant",
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(
                request, _("Investigation file %(reference)s opened.") % {"reference": investigation.reference}
            )
            return redirect("justice:detail", public_id=investigation.public_id)
    return render(request, "justice/open.html", {"form": form, "case": case})


@require_action(Action.INVESTIGATION_EDIT)
@require_http_methods(["GET", "POST"])
def open_file(request):
    return _open(request)


@require_action(Action.INVESTIGATION_EDIT)
@require_http_methods(["GET", "POST"])
def open_from_case(request, case_id):
    try:
        case, _access = case_selectors.case_get_for_user(user=request.user, public_id=case_id)
    except NotFound as exc:
        raise Http404 from exc
    return _open(request, case)


@require_action(Action.INVESTIGATION_EDIT)
@require_http_methods(["GET", "POST"])
def edit(request, public_id):
    investigation, access = _get(request, public_id, Action.INVESTIGATION_EDIT)
    officers = _officers(investigation.owning_agency)
    if request.method == "POST":
        form = FileForm(request.POST, officers=officers)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.investigation_update(
                    actor=request.user,
                    investigation=investigation,
                    expected_version=d["version"],
                    data=services.FileInput(d["ob_number"], d["police_station"], d["unit"], list(d["officers"])),
                )
            except ServiceError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("justice:detail", public_id=investigation.public_id)
    else:
        form = FileForm(
            initial={
                "ob_number": investigation.ob_number,
                "police_station": investigation.police_station,
                "unit": investigation.unit,
                "officers": list(investigation.officers.all()),
                "version": investigation.version,
            },
            officers=officers,
        )
    return render(request, "justice/edit.html", _context(request, investigation, access, "detail", form=form))


# --- the file page ------------------------------------------------------------------------------------------------


def _detail(request, investigation, access, **forms):
    can_edit = investigation.is_editable and access.owner_side and request.user.can(Action.INVESTIGATION_EDIT)
    roles = selectors.role_choices()
    names_shown = request.GET.get("show") == "names"  # identity opened on demand: the read is logged
    if can_edit:
        forms.setdefault("link_form", LinkCaseForm())
        forms.setdefault("org_form", OrganisationSuspectForm(roles=roles))
        forms.setdefault("offence_form", OffenceForm(offences=selectors.offence_choices(investigation=investigation)))
        forms.setdefault("close_form", CloseForm(initial={"version": investigation.version}))
    context = _context(
        request,
        investigation,
        access,
        "detail",
        cases=selectors.case_links(investigation=investigation, access=access),
        suspects=selectors.suspects_for_user(
            user=request.user, investigation=investigation, access=access, names_shown=names_shown
        ),
        names_shown=names_shown,
        may_see_names=request.user.can(Action.PERSON_VIEW_IDENTITY),
        offences=selectors.offences(investigation=investigation, access=access),
        officers=list(investigation.officers.all()) if access.owner_side else [],
        lead=selectors.lead_times(investigation=investigation),
        flags=selectors.flags_of(sheet) if (sheet := _charged_sheet(investigation, access)) else [],
        **forms,
    )
    return render(request, "justice/detail.html", context, status=400 if any(f.errors for f in forms.values()) else 200)


def _charged_sheet(investigation, access):
    """The flagged charge sheet of a charged file (one query), else None without a query."""
    if not getattr(investigation, "charged_on", None):
        return None
    return selectors.flagged_sheet(investigation=investigation, access=access)


@require_action(Action.INVESTIGATION_VIEW)
def detail(request, public_id):
    investigation, access = _get(request, public_id)
    return _detail(request, investigation, access)


def _post(request, public_id, form, call, tab="detail", render_error=None):
    """Run `call(investigation, cleaned_data)` on a valid form; on an error, show the page again with it."""
    investigation, access = _get(request, public_id, Action.INVESTIGATION_EDIT)
    if form.is_valid():
        try:
            call(investigation, form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(f"justice:{tab}", public_id=investigation.public_id)
    return render_error(request, investigation, access, form)


def _detail_with(name):
    def again(request, investigation, access, form):
        return _detail(request, investigation, access, **{name: form})

    return again


@require_action(Action.INVESTIGATION_EDIT)
@require_POST
def link_case(request, public_id):
    form = LinkCaseForm(request.POST)

    def call(investigation, d):
        case = (
            case_selectors.case_list_for_user(user=request.user)
            .filter(reference=d["case_reference"].strip().upper())
            .first()
        )
        if case is None:
            from ctip.core.errors import ValidationFailed

            raise ValidationFailed(fields={"case_reference": [_("No case with this number that you may see.")]})
        services.investigation_link_case(actor=request.user, investigation=investigation, case=case, role=d["role"])

    return _post(request, public_id, form, call, render_error=_detail_with("link_form"))


@require_action(Action.INVESTIGATION_EDIT)
@require_POST
def suspect_organisation(request, public_id):
    form = OrganisationSuspectForm(request.POST, roles=selectors.role_choices())

    def call(investigation, d):
        services.suspect_add(
            actor=request.user, investigation=investigation, roles=d["roles"], organisation_name=d["organisation_name"]
        )

    return _post(request, public_id, form, call, render_error=_detail_with("org_form"))


@require_action(Action.INVESTIGATION_EDIT)
@require_POST
def offence_add(request, public_id):
    investigation, _access = _get(request, public_id, Action.INVESTIGATION_EDIT)
    form = OffenceForm(request.POST, offences=selectors.offence_choices(investigation=investigation))

    def call(investigation, d):
        services.offence_add(actor=request.user, investigation=investigation, offence=d["offence"])

    return _post(request, public_id, form, call, render_error=_detail_with("offence_form"))


@require_action(Action.INVESTIGATION_EDIT)
@require_POST
def close(request, public_id):
    form = CloseForm(request.POST)

    def call(investigation, d):
        services.investigation_close(
            actor=request.user,
            investigation=investigation,
            reason=d["reason"],
            note=d["note"],
            expected_version=d["version"],
        )

    return _post(request, public_id, form, call, render_error=_detail_with("close_form"))


@require_action(Action.INVESTIGATION_EDIT)
@require_http_methods(["GET", "POST"])
def suspect_person(request, public_id):
    """Register a suspect who is a person: the identity check first, then link or confirm a new person."""
    investigation, access = _get(request, public_id, Action.INVESTIGATION_EDIT)
    data = request.POST if request.method == "POST" else None
    pform = PersonForm(data, prefix="p")
    sform = PersonSuspectForm(data, roles=selectors.role_choices(), prefix="s")
    candidates = None
    if data is not None and pform.is_valid() and sform.is_valid():
        choice = (request.POST.get("person_choice") or "").strip()
        if choice and choice != "new":
            person = services.PersonChoice(
                link_person_id=choice, link_token=request.session.get(SESSION_LINK_TOKEN, "")
            )
        else:
            person = services.PersonChoice(identity=pform.to_identity(), confirm_new=choice == "new")
        try:
            result = services.suspect_add(
                actor=request.user,
                investigation=investigation,
                roles=sform.cleaned_data["roles"],
                person=person,
                note=sform.cleaned_data["note"],
            )
        except ServiceError as exc:
            apply_service_error(
                pform if any(k in pform.fields for k in getattr(exc, "fields", None) or {}) else sform, exc
            )
        else:
            if result.suspect is None and result.outcome is not None:
                candidates = result.outcome.candidates
                request.session[SESSION_LINK_TOKEN] = result.outcome.link_token
            else:
                request.session.pop(SESSION_LINK_TOKEN, None)
                messages.success(request, _("Suspect added."))
                return redirect("justice:detail", public_id=investigation.public_id)
    return render(
        request,
        "justice/suspect_person.html",
        _context(request, investigation, access, "detail", pform=pform, sform=sform, candidates=candidates),
        status=400 if (pform.errors or sform.errors) else 200,
    )


# --- evidence -----------------------------------------------------------------------------------------------------


def _evidence(request, investigation, access, form=None):
    rows = selectors.evidence_for_user(user=request.user, investigation=investigation, access=access)
    context = _context(
        request,
        investigation,
        access,
        "evidence",
        rows=rows,
        form=form,
        gaps=[r for r in rows if r.state == "missing"],
    )
    return render(request, "justice/evidence.html", context, status=400 if form is not None and form.errors else 200)


@require_action(Action.INVESTIGATION_VIEW)
def evidence(request, public_id):
    investigation, access = _get(request, public_id, Action.INVESTIGATION_VIEW)
    if not access.sees(FileSection.EVIDENCE):
        raise Http404
    return _evidence(request, investigation, access)


@require_action(Action.INVESTIGATION_EDIT)
@require_POST
def evidence_set(request, public_id):
    form = EvidenceForm(request.POST)

    def call(investigation, d):
        services.evidence_set(
            actor=request.user,
            investigation=investigation,
            item=d["item"],
            state=d["state"],
            reason=d["reason"],
            expected_version=d["version"],
        )

    return _post(request, public_id, form, call, tab="evidence", render_error=_evidence)


# --- log ----------------------------------------------------------------------------------------------------------


def _log(request, investigation, access, form=None):
    forms = {}
    if investigation.is_editable and access.owner_side and request.user.can(Action.INVESTIGATION_EDIT):
        forms = {"identifier_form": IdentifierForm(), "action_form": ActionForm()}
        if isinstance(form, IdentifierForm):
            forms["identifier_form"] = form
        elif isinstance(form, ActionForm):
            forms["action_form"] = form
    shown = request.GET.get("show") == "text"  # sealed text opened on demand: the read is logged
    log = selectors.log_for_user(user=request.user, investigation=investigation, access=access) if shown else None
    counts = selectors.log_counts(investigation=investigation, access=access)
    context = _context(request, investigation, access, "log", log=log, counts=counts, shown=shown, **forms)
    return render(request, "justice/log.html", context, status=400 if form is not None and form.errors else 200)


@require_action(Action.INVESTIGATION_VIEW)
def log(request, public_id):
    investigation, access = _get(request, public_id)
    if not (access.sees(FileSection.IDENTIFIERS) or access.sees(FileSection.ACTIONS)):
        raise Http404
    return _log(request, investigation, access)


@require_action(Action.INVESTIGATION_EDIT)
@require_POST
def identifier_add(request, public_id):
    form = IdentifierForm(request.POST)

    def call(investigation, d):
        services.identifier_add(actor=request.user, investigation=investigation, kind=d["kind"], value=d["value"])

    return _post(request, public_id, form, call, tab="log", render_error=_log)


@require_action(Action.INVESTIGATION_EDIT)
@require_POST
def action_add(request, public_id):
    form = ActionForm(request.POST)

    def call(investigation, d):
        services.action_add(actor=request.user, investigation=investigation, done_on=d["done_on"], text=d["text"])

    return _post(request, public_id, form, call, tab="log", render_error=_log)


# --- the exchange with the prosecutor -----------------------------------------------------------------------------


def _prosecution_offices():
    return account_selectors.agency_list(active_only=True).filter(agency_type=AgencyType.PROSECUTION)


def _exchange(request, investigation, access, submit_form=None, advice_form=None):
    user = request.user
    can_submit = (
        investigation.status == InvestigationStatus.OPEN and access.owner_side and user.can(Action.INVESTIGATION_EDIT)
    )
    can_advise = (
        investigation.status == InvestigationStatus.WITH_ODPP
        and investigation.prosecution_agency_id == user.agency_id
        and user.can(Action.INVESTIGATION_REVIEW)
    )
    gaps = []
    if can_submit:
        submit_form = submit_form or SubmitForm(
            initial={"version": investigation.version}, agencies=_prosecution_offices()
        )
        gaps = selectors.evidence_for_user(user=user, investigation=investigation, access=access)
        gaps = [g for g in gaps if g.state == "missing"]
    if can_advise:
        advice_form = advice_form or AdviceForm(initial={"version": investigation.version})
    context = _context(
        request,
        investigation,
        access,
        "exchange",
        rows=selectors.exchange_for_user(
            user=user, investigation=investigation, text_shown=request.GET.get("show") == "text"
        ),
        text_shown=request.GET.get("show") == "text",
        submit_form=submit_form if can_submit else None,
        advice_form=advice_form if can_advise else None,
        gaps=gaps,
        lead=selectors.lead_times(investigation=investigation),
    )
    failed = (submit_form is not None and submit_form.errors) or (advice_form is not None and advice_form.errors)
    return render(request, "justice/exchange.html", context, status=400 if failed else 200)


@require_action(Action.INVESTIGATION_VIEW)
def exchange(request, public_id):
    investigation, access = _get(request, public_id)
    return _exchange(request, investigation, access)


@require_action(Action.INVESTIGATION_EDIT)
@require_POST
def submit(request, public_id):
    investigation, access = _get(request, public_id, Action.INVESTIGATION_EDIT)
    form = SubmitForm(request.POST, agencies=_prosecution_offices())
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.investigation_submit(
                actor=request.user,
                investigation=investigation,
                agency=d["agency"],
                sections=d["sections"],
                note=d["note"],
                expected_version=d["version"],
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("File submitted to the prosecutor."))
            return redirect("justice:exchange", public_id=investigation.public_id)
    return _exchange(request, investigation, access, submit_form=form)


@require_action(Action.INVESTIGATION_REVIEW)
@require_POST
def advise(request, public_id):
    investigation, access = _get(request, public_id, Action.INVESTIGATION_REVIEW)
    form = AdviceForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.investigation_advise(
                actor=request.user,
                investigation=investigation,
                advice=d["advice"],
                text=d["text"],
                expected_version=d["version"],
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Advice recorded."))
            if d["advice"] != Advice.CHARGE:  # the file went back to the unit: the office no longer sees it
                return redirect("justice:queue")
            return redirect("justice:exchange", public_id=investigation.public_id)
    return _exchange(request, investigation, access, advice_form=form)


# --- prosecution: the charge sheet ----------------------------------------------------------------------------------


def _charge(request, investigation, access, form=None, counts=None):
    user = request.user
    sheet = selectors.charge_sheet_for_user(investigation=investigation, access=access)
    can_charge = (
        sheet is None
        and investigation.status == InvestigationStatus.CHARGE_ADVISED
        and investigation.prosecution_agency_id == user.agency_id
        and user.can(Action.PROSECUTION_CHARGE)
        and access.sees(FileSection.SUSPECTS)
    )
    if can_charge and form is None:
        form = ChargeSheetForm(initial={"version": investigation.version})
        counts = count_forms(
            accused=selectors.accused_choices(investigation=investigation),
            offences=selectors.offence_list_for_charge(investigation=investigation),
        )
    context = _context(
        request,
        investigation,
        access,
        "charge",
        sheet=sheet,
        form=form if can_charge else None,
        counts=counts if can_charge else None,
        lead=selectors.lead_times(investigation=investigation),
    )
    failed = form is not None and (form.errors or any(c.errors for c in counts or []))
    return render(request, "justice/charge.html", context, status=400 if failed else 200)


@require_action(Action.INVESTIGATION_VIEW)
def charge(request, public_id):
    investigation, access = _get(request, public_id)
    return _charge(request, investigation, access)


@require_action(Action.PROSECUTION_CHARGE)
@require_POST
def charge_record(request, public_id):
    investigation, access = _get(request, public_id, Action.PROSECUTION_CHARGE)
    form = ChargeSheetForm(request.POST)
    counts = count_forms(
        request.POST,
        accused=selectors.accused_choices(investigation=investigation),
        offences=selectors.offence_list_for_charge(investigation=investigation),
    )
    checked = [c.is_valid() for c in counts]  # every row validated, so each shows its own errors
    valid = form.is_valid() and all(checked)
    if valid:
        rows = []
        for c in counts:
            if not c.cleaned_data.get("accused"):
                continue
            accused = selectors.suspect_of(investigation=investigation, public_id=c.cleaned_data["accused"])
            if accused is None:
                c.add_error("accused", _("Choose an accused of this file."))
                valid = False
                continue
            rows.append(
                services.CountInput(
                    accused,
                    c.cleaned_data["offence"],
                    c.cleaned_data["plea"] or "not_taken",
                    c.cleaned_data.get("accused_sex") or "unknown",
                )
            )
    if valid:
        d = form.cleaned_data
        try:
            services.charge_sheet_record(
                actor=request.user,
                investigation=investigation,
                court=d["court"],
                court_case_number=d["court_case_number"],
                charged_on=d["charged_on"],
                counts=rows,
                expected_version=d["version"],
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
            for message in (getattr(exc, "fields", None) or {}).get("counts", []):
                form.add_error(None, message)
        else:
            messages.success(request, _("Charge sheet recorded."))
            return redirect("justice:charge", public_id=investigation.public_id)
    return _charge(request, investigation, access, form=form, counts=counts)


# --- the court: diary, outcomes, orders, appeals; victim-witnesses; the office's lists ------------------------------


ROW_FORMS = {"sitting_form", "plea_form", "outcome_form", "appeal_decision_form"}


def _court_forms(record, investigation, version: int) -> dict:
    accused = record.accused
    cases = selectors.beneficiary_choices(investigation=investigation)
    return {
        "schedule_form": ScheduleForm(initial={"version": version}, prefix="schedule"),
        "sitting_form": SittingForm(initial={"version": version}, prefix="sitting"),
        "plea_form": PleaForm(initial={"version": version}, prefix="plea"),
        "outcome_form": OutcomeForm(initial={"version": version}, prefix="outcome"),
        "restitution_form": RestitutionForm(
            initial={"version": version}, accused=accused, cases=cases, prefix="restitution"
        ),
        "forfeiture_form": ForfeitureForm(initial={"version": version}, accused=accused, prefix="forfeiture"),
        "appeal_form": AppealForm(initial={"version": version}, accused=accused, prefix="appeal"),
        "appeal_decision_form": AppealDecisionForm(initial={"version": version}, prefix="decision"),
    }


def _may_keep_court(user, investigation, sheet) -> bool:
    return (
        sheet is not None
        and sheet.prosecution_agency_id == user.agency_id
        and user.can(Action.PROSECUTION_COURT)
        and may(user, Action.PROSECUTION_COURT, investigation, section=FileSection.SUSPECTS)
    )


def _court(request, investigation, access, failed: str = "", **bound):
    record = selectors.court_record_for_user(user=request.user, investigation=investigation, access=access)
    if record is None:
        raise Http404
    can_keep = _may_keep_court(request.user, investigation, record.sheet)
    forms = _court_forms(record, investigation, record.sheet.version) if can_keep else {}
    # a form sent back with errors replaces the blank one (on its row only, for the per-row forms)
    shown = {**forms, **{k: v for k, v in bound.items() if k not in ROW_FORMS}}
    context = _context(
        request,
        investigation,
        access,
        "court",
        record=record,
        can_keep=can_keep,
        failed=failed,
        bound=bound,
        **shown,
    )
    status = 400 if any(f.errors for f in bound.values()) else 200
    return render(request, "justice/court.html", context, status=status)


@require_action(Action.INVESTIGATION_VIEW)
def court(request, public_id):
    investigation, access = _get(request, public_id)
    return _court(request, investigation, access)


def _sheet_of(investigation):
    sheet = getattr(investigation, "charge_sheet", None)
    if sheet is None:
        raise Http404
    return sheet


def _court_post(request, public_id, name, form, call, *, page="court", failed=""):
    """Run `call(investigation, sheet, cleaned_data)` on a valid form; on an error, the page again with it."""
    investigation, access = _get(request, public_id, Action.PROSECUTION_COURT)
    sheet = _sheet_of(investigation)
    if form.is_valid():
        try:
            call(investigation, sheet, form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(f"justice:{page}", public_id=investigation.public_id)
    if page == "witnesses":
        return _witnesses(request, investigation, access, failed=failed, **{name: form})
    return _court(request, investigation, access, failed=failed, **{name: form})


def _accused(investigation, public_id):
    return selectors.suspect_of(investigation=investigation, public_id=public_id) if public_id else None


def _count(sheet, number: int):
    count = sheet.counts.filter(number=number).select_related("charge_sheet__investigation").first()
    if count is None:
        raise Http404
    return count


@require_action(Action.PROSECUTION_COURT)
@require_POST
def court_schedule(request, public_id):
    def call(investigation, sheet, d):
        services.court_event_schedule(
            actor=request.user, sheet=sheet, kind=d["kind"], sits_on=d["sits_on"], expected_version=d["version"]
        )

    return _court_post(request, public_id, "schedule_form", ScheduleForm(request.POST, prefix="schedule"), call)


@require_action(Action.PROSECUTION_COURT)
@require_POST
def court_sitting(request, public_id, event_id):
    def call(investigation, sheet, d):
        event = sheet.events.filter(public_id=event_id).select_related("charge_sheet__investigation").first()
        if event is None:
            raise Http404
        services.court_event_record(
            actor=request.user,
            event=event,
            status=d["status"],
            reason=d["reason"],
            note=d["note"],
            next_on=d["next_on"],
            next_kind=d["next_kind"],
            expected_version=d["version"],
        )

    form = SittingForm(request.POST, prefix="sitting")
    return _court_post(request, public_id, "sitting_form", form, call, failed=str(event_id))


@require_action(Action.PROSECUTION_COURT)
@require_POST
def court_plea(request, public_id, number):
    def call(investigation, sheet, d):
        services.plea_record(
            actor=request.user, count=_count(sheet, number), plea=d["plea"], expected_version=d["version"]
        )

    form = PleaForm(request.POST, prefix="plea")
    return _court_post(request, public_id, "plea_form", form, call, failed=f"plea-{number}")


@require_action(Action.PROSECUTION_COURT)
@require_POST
def court_outcome(request, public_id, number):
    def call(investigation, sheet, d):
        services.outcome_record(
            actor=request.user,
            count=_count(sheet, number),
            verdict=d["verdict"],
            decided_on=d["decided_on"],
            imprisonment_months=d["imprisonment_months"] or None,
            fine_cents=d["fine"],
            expected_version=d["version"],
        )

    form = OutcomeForm(request.POST, prefix="outcome")
    return _court_post(request, public_id, "outcome_form", form, call, failed=f"outcome-{number}")


def _accused_choices(investigation):
    return selectors.accused_on_sheet(investigation=investigation)


@require_action(Action.PROSECUTION_COURT)
@require_POST
def court_restitution(request, public_id):
    investigation, _access = _get(request, public_id, Action.PROSECUTION_COURT)
    form = RestitutionForm(
        request.POST,
        accused=_accused_choices(investigation),
        cases=selectors.beneficiary_choices(investigation=investigation),
        prefix="restitution",
    )

    def call(investigation, sheet, d):
        services.restitution_order_record(
            actor=request.user,
            sheet=sheet,
            accused=_accused(investigation, d["accused"]),
            beneficiary_case=selectors.linked_case(investigation=investigation, reference=d["beneficiary_case"]),
            amount_cents=d["amount"],
            ordered_on=d["ordered_on"],
            expected_version=d["version"],
        )

    return _court_post(request, public_id, "restitution_form", form, call)


@require_action(Action.PROSECUTION_COURT)
@require_POST
def court_forfeiture(request, public_id):
    investigation, _access = _get(request, public_id, Action.PROSECUTION_COURT)
    form = ForfeitureForm(request.POST, accused=_accused_choices(investigation), prefix="forfeiture")

    def call(investigation, sheet, d):
        services.forfeiture_order_record(
            actor=request.user,
            sheet=sheet,
            accused=_accused(investigation, d["accused"]),
            amount_cents=d["amount"],
            assets=d["assets"],
            ordered_on=d["ordered_on"],
            expected_version=d["version"],
        )

    return _court_post(request, public_id, "forfeiture_form", form, call)


@require_action(Action.PROSECUTION_COURT)
@require_POST
def court_appeal(request, public_id):
    investigation, _access = _get(request, public_id, Action.PROSECUTION_COURT)
    form = AppealForm(request.POST, accused=_accused_choices(investigation), prefix="appeal")

    def call(investigation, sheet, d):
        services.appeal_file(
            actor=request.user,
            sheet=sheet,
            accused=_accused(investigation, d["accused"]),
            appellant=d["appellant"],
            filed_on=d["filed_on"],
            expected_version=d["version"],
        )

    return _court_post(request, public_id, "appeal_form", form, call)


@require_action(Action.PROSECUTION_COURT)
@require_POST
def court_appeal_decide(request, public_id, appeal_id):
    def call(investigation, sheet, d):
        appeal = sheet.appeals.filter(public_id=appeal_id).select_related("charge_sheet__investigation").first()
        if appeal is None:
            raise Http404
        services.appeal_decide(actor=request.user, appeal=appeal, result=d["result"], decided_on=d["decided_on"])

    form = AppealDecisionForm(request.POST, prefix="decision")
    return _court_post(request, public_id, "appeal_decision_form", form, call, failed=str(appeal_id))


# --- victim-witnesses ---------------------------------------------------------------------------------------------


def _witnesses(request, investigation, access, failed: str = "", **forms):
    sheet = selectors.flagged_sheet(investigation=investigation, access=access)
    if sheet is None:
        raise Http404
    can_keep = _may_keep_court(request.user, investigation, sheet)
    if can_keep:
        forms.setdefault(
            "add_form",
            WitnessAddForm(
                initial={"version": sheet.version},
                cases=selectors.witness_case_choices(investigation=investigation, sheet=sheet),
            ),
        )
    rows = selectors.witnesses_for_user(
        user=request.user,
        sheet=sheet,
        access=access,
        names_shown=request.GET.get("show") == "names",
        statements_shown=request.GET.get("show") == "statements" and can_keep,
    )
    context = _context(
        request,
        investigation,
        access,
        "witnesses",
        sheet=sheet,
        rows=rows,
        can_keep=can_keep,
        failed=failed,
        may_see_names=selectors.may_see_witness_names(user=request.user, access=access),
        witness_form=forms.pop("witness_form", None),
        **forms,
    )
    errors = any(f is not None and f.errors for f in [*forms.values(), context["witness_form"]])
    return render(request, "justice/witnesses.html", context, status=400 if errors else 200)


@require_action(Action.INVESTIGATION_VIEW)
def witnesses(request, public_id):
    investigation, access = _get(request, public_id)
    return _witnesses(request, investigation, access)


@require_action(Action.PROSECUTION_COURT)
@require_POST
def witness_add(request, public_id):
    investigation, _access = _get(request, public_id, Action.PROSECUTION_COURT)
    sheet = _sheet_of(investigation)
    form = WitnessAddForm(request.POST, cases=selectors.witness_case_choices(investigation=investigation, sheet=sheet))

    def call(investigation, sheet, d):
        case = selectors.linked_case(investigation=investigation, reference=d["case"])
        services.witness_add(actor=request.user, sheet=sheet, case=case, expected_version=d["version"])

    return _court_post(request, public_id, "add_form", form, call, page="witnesses")


@require_action(Action.PROSECUTION_COURT)
@require_POST
def witness_update(request, public_id, number):
    def call(investigation, sheet, d):
        witness = sheet.witnesses.filter(number=number).select_related("charge_sheet__investigation").first()
        if witness is None:
            raise Http404
        services.witness_update(
            actor=request.user,
            witness=witness,
            data=services.WitnessInput(
                protection_referred_on=d["protection_referred_on"] or witness.protection_referred_on,
                interpreter_language=d["interpreter_language"],
                impact_statement=d["impact_statement"],
                impact_recorded_on=d["impact_recorded_on"],
                testified_on=d["testified_on"],
            ),
            expected_version=d["version"],
        )

    form = WitnessForm(request.POST, prefix=f"w{number}")
    return _court_post(request, public_id, "witness_form", form, call, page="witnesses", failed=str(number))


# --- the office's lists ---------------------------------------------------------------------------------------------


@require_action(Action.PROSECUTION_COURT)
def hearings(request):
    page = paginate(request, selectors.upcoming_sittings_for_user(user=request.user))
    return render(
        request,
        "justice/hearings.html",
        {"page": page, "query": query_without_page(request), "days": selectors.UPCOMING_DAYS},
    )


@require_action(Action.PROSECUTION_COURT)
def prosecutions(request):
    flag = request.GET.get("flag", "")
    flag = flag if flag in Flag.values else ""
    page = paginate(request, selectors.prosecution_list_for_user(user=request.user, flag=flag))
    for sheet in page.object_list:
        sheet.flag_list = selectors.flags_of(sheet)
    return render(
        request,
        "justice/prosecutions.html",
        {
            "page": page,
            "query": query_without_page(request),
            "flag": flag,
            "flags": Flag.choices,
            "pending_days": selectors.pending_days(),
        },
    )
