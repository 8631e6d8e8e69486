"""Pages of the National Plan of Action: form -> service or selector -> page (ARCHITECTURE.md rule 8).

Plans and their overview (where the plan stands, by pillar; XLSX), the plan's objectives, activities and
indicators (coordinators), progress reports with each activity's progress (agencies for their activities), and
training sessions and awareness campaigns (each agency its own)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ctip.accounts.access import require
from ctip.accounts.roles import Action
from ctip.accounts.selectors import agency_list
from ctip.core.errors import NotFound, PermissionDenied, ServiceError
from ctip.core.spreadsheets import xlsx_workbook
from ctip.core.views_helpers import apply_service_error, paginate, query_without_page, require_action
from ctip.reference.selectors import county_list

from . import selectors, services
from .enums import ActivityStatus, PlanStatus, ReportStatus
from .forms import (
    ActivityForm,
    CampaignForm,
    IndicatorForm,
    ObjectiveForm,
    PlanForm,
    ProgressForm,
    ReportForm,
    TrainingForm,
)
from .rules import may_report_on

# --- helpers ------------------------------------------------------------------------------------------------------


def _form_page(request, form, *, title: str, back: str, submit: str, call, done, intro: str = "", extra=None):
    """The one shape of every form page: on a valid POST call the service (its errors go on the form), say so and
    redirect; otherwise show the form (400 after a POST that failed)."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = call(form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(done(obj))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": title, "back": back, "submit": submit, "intro": intro, **(extra or {})}
    return render(request, "npa/form.html", context, status=status)


def _version(form) -> int | None:
    return form.cleaned_data.get("version")


def _counties():
    return [(c.code, c.name) for c in county_list()]


# --- plans --------------------------------------------------------------------------------------------------------


@require_action(Action.NPA_VIEW)
def index(request):
    plans = list(selectors.plans_for_user(user=request.user))
    return render(
        request,
        "npa/index.html",
        {
            "plans": plans,
            "can_manage": request.user.can(Action.NPA_MANAGE),
            "can_record": request.user.can(Action.NPA_TRAINING_RECORD),
        },
    )


def _plan_data(d) -> services.PlanInput:
    return services.PlanInput(
        title=d["title"], start_date=d["start_date"], end_date=d["end_date"], status=d["status"], summary=d["summary"]
    )


@require_action(Action.NPA_MANAGE)
@require_http_methods(["GET", "POST"])
def plan_new(request):
    form = PlanForm(request.POST or None, initial={"status": PlanStatus.DRAFT})
    return _form_page(
        request,
        form,
        title=_("New plan of action"),
        back="npa:index",
        submit=_("Create the plan"),
        call=lambda d: services.plan_create(actor=request.user, data=_plan_data(d)),
        done=plan_url,
    )


@require_action(Action.NPA_MANAGE)
@require_http_methods(["GET", "POST"])
def plan_edit(request, public_id):
    plan = selectors.plan_get_for_user(user=request.user, public_id=public_id)
    initial = {f: getattr(plan, f) for f in ("title", "start_date", "end_date", "status", "summary", "version")}
    form = PlanForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        form,
        title=_("Change the plan"),
        back=plan_url(plan),
        submit=_("Save"),
        call=lambda d: services.plan_update(
            actor=request.user, plan=plan, expected_version=_version(form), data=_plan_data(d)
        ),
        done=plan_url,
    )


def plan_url(plan) -> str:
    return reverse("npa:plan", args=[plan.public_id])


@require_action(Action.NPA_VIEW)
def plan(request, public_id):
    plan = selectors.plan_get_for_user(user=request.user, public_id=public_id)
    overview = selectors.overview_for_user(user=request.user, plan=plan)
    reports = list(selectors.reports_for_plan(user=request.user, plan=plan))
    return render(
        request,
        "npa/plan.html",
        {
            "o": overview,
            "plan": plan,
            "reports": reports,
            "can_manage": request.user.can(Action.NPA_MANAGE),
        },
    )


def overview_workbook(o) -> bytes:
    """The overview as XLSX, through the one safe writer (ctip.core.spreadsheets: no cell is a formula)."""
    book = xlsx_workbook()
    ws = book.sheet(_("Overview"))
    ws.append([o.plan.title])
    ws.append([_("Period"), o.plan.start_date, o.plan.end_date])
    ws.append([_("As of"), o.as_of])
    ws.append([])
    ws.append(
        [
            _("Pillar"),
            _("Objectives"),
            _("Activities"),
            *[label for _v, label in o.statuses],
            _("Indicators"),
            _("Indicators met"),
        ]
    )
    for p in o.pillars:
        ws.append(
            [p.label, p.objectives, p.activities, *[p.count(v) for v, _l in o.statuses], p.indicators, p.indicators_met]
        )
    ws = book.sheet(_("Activities"))
    ws.append(
        [
            _("Pillar"),
            _("Objective"),
            _("Activity"),
            _("Responsible agencies"),
            _("Due by"),
            _("Status"),
            _("Indicator"),
            _("Source"),
            _("Baseline"),
            _("Target"),
            _("Actual"),
            _("% of target"),
            _("Source of the figure"),
        ]
    )
    for objective in o.objectives:
        for activity in objective.activities.all():
            agencies = ", ".join(str(a) for a in activity.responsible_agencies.all())
            head = [
                objective.get_pillar_display(),
                f"{objective.number} {objective.title}",
                f"{activity.number} {activity.title}",
                agencies,
                activity.end_date,
                activity.get_status_display(),
            ]
            rows = o.indicator_rows.get(activity.pk, [])
            if not rows:
                ws.append(head)
            for row in rows:
                ind = row.indicator
                ws.append(
                    [
                        *head,
                        ind.name,
                        ind.get_metric_display() if ind.metric else ind.get_source_display(),
                        ind.baseline,
                        ind.target,
                        row.actual if row.actual is not None else row.shown,
                        row.percent,
                        ind.source_note,
                    ]
                )
    return book.to_bytes()


@never_cache
@require_action(Action.NPA_VIEW)
def plan_xlsx(request, public_id):
    plan = selectors.plan_get_for_user(user=request.user, public_id=public_id)
    overview = selectors.overview_for_user(user=request.user, plan=plan, export="xlsx")
    response = HttpResponse(
        overview_workbook(overview), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"plan-of-action-{plan.start_date.year}-{plan.end_date.year}-{overview.as_of.isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- objectives, activities, indicators ---------------------------------------------------------------------------


def _objective_data(d) -> services.ObjectiveInput:
    return services.ObjectiveInput(pillar=d["pillar"], number=d["number"], title=d["title"])


@require_action(Action.NPA_MANAGE)
@require_http_methods(["GET", "POST"])
def objective_new(request, public_id):
    plan = selectors.plan_get_for_user(user=request.user, public_id=public_id)
    form = ObjectiveForm(request.POST or None)
    return _form_page(
        request,
        form,
        title=_("New objective of %(plan)s") % {"plan": plan.title},
        back=plan_url(plan),
        submit=_("Add the objective"),
        call=lambda d: services.objective_save(actor=request.user, plan=plan, data=_objective_data(d)),
        done=lambda _o: plan_url(plan),
    )


@require_action(Action.NPA_MANAGE)
@require_http_methods(["GET", "POST"])
def objective_edit(request, public_id):
    objective = selectors.objective_get_for_user(user=request.user, public_id=public_id)
    initial = {f: getattr(objective, f) for f in ("pillar", "number", "title", "version")}
    form = ObjectiveForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        form,
        title=_("Change the objective"),
        back=plan_url(objective.plan),
        submit=_("Save"),
        call=lambda d: services.objective_save(
            actor=request.user,
            plan=objective.plan,
            data=_objective_data(d),
            objective=objective,
            expected_version=_version(form),
        ),
        done=lambda _o: plan_url(objective.plan),
    )


def _activity_data(d) -> services.ActivityInput:
    return services.ActivityInput(
        number=d["number"],
        title=d["title"],
        agency_ids=tuple(d["agencies"]),
        start_date=d["start_date"],
        end_date=d["end_date"],
        status=d["status"],
    )


@require_action(Action.NPA_MANAGE)
@require_http_methods(["GET", "POST"])
def activity_new(request, public_id):
    objective = selectors.objective_get_for_user(user=request.user, public_id=public_id)
    form = ActivityForm(
        request.POST or None, agencies=agency_list(active_only=True), initial={"status": ActivityStatus.NOT_STARTED}
    )
    return _form_page(
        request,
        form,
        title=_("New activity under objective %(number)s") % {"number": objective.number},
        back=plan_url(objective.plan),
        submit=_("Add the activity"),
        call=lambda d: services.activity_save(actor=request.user, objective=objective, data=_activity_data(d)),
        done=lambda _a: plan_url(objective.plan),
    )


@require_action(Action.NPA_MANAGE)
@require_http_methods(["GET", "POST"])
def activity_edit(request, public_id):
    activity = selectors.activity_get_for_user(user=request.user, public_id=public_id)
    initial = {f: getattr(activity, f) for f in ("number", "title", "start_date", "end_date", "status", "version")}
    initial["agencies"] = list(activity.responsible_agencies.values_list("pk", flat=True))
    form = ActivityForm(request.POST or None, agencies=agency_list(active_only=True), initial=initial)
    plan = activity.objective.plan
    return _form_page(
        request,
        form,
        title=_("Change activity %(number)s") % {"number": activity.number},
        back=plan_url(plan),
        submit=_("Save"),
        call=lambda d: services.activity_save(
            actor=request.user,
            objective=activity.objective,
            data=_activity_data(d),
            activity=activity,
            expected_version=_version(form),
        ),
        done=lambda _a: plan_url(plan),
    )


def _indicator_data(d) -> services.IndicatorInput:
    return services.IndicatorInput(
        name=d["name"],
        source=d["source"],
        metric=d["metric"],
        baseline=d["baseline"],
        target=d["target"] if d["target"] is not None else Decimal(0),
        actual=d["actual"],
        source_note=d["source_note"],
    )


@require_action(Action.NPA_MANAGE)
@require_http_methods(["GET", "POST"])
def indicator_new(request, public_id):
    activity = selectors.activity_get_for_user(user=request.user, public_id=public_id)
    form = IndicatorForm(request.POST or None)
    plan = activity.objective.plan
    return _form_page(
        request,
        form,
        title=_("New indicator of activity %(number)s") % {"number": activity.number},
        back=plan_url(plan),
        submit=_("Add the indicator"),
        call=lambda d: services.indicator_save(actor=request.user, activity=activity, data=_indicator_data(d)),
        done=lambda _i: plan_url(plan),
    )


@require_action(Action.NPA_MANAGE)
@require_http_methods(["GET", "POST"])
def indicator_edit(request, public_id):
    indicator = selectors.indicator_get_for_user(user=request.user, public_id=public_id)
    fields = ("name", "source", "metric", "baseline", "target", "actual", "source_note", "version")
    form = IndicatorForm(request.POST or None, initial={f: getattr(indicator, f) for f in fields})
    plan = indicator.activity.objective.plan
    return _form_page(
        request,
        form,
        title=_("Change the indicator"),
        back=plan_url(plan),
        submit=_("Save"),
        call=lambda d: services.indicator_save(
            actor=request.user,
            activity=indicator.activity,
            data=_indicator_data(d),
            indicator=indicator,
            expected_version=_version(form),
        ),
        done=lambda _i: plan_url(plan),
    )


# --- progress reports ---------------------------------------------------------------------------------------------


def _report_data(d) -> services.ReportInput:
    return services.ReportInput(
        title=d["title"],
        period_start=d["period_start"],
        period_end=d["period_end"],
        status=d["status"],
        achievements=d["achievements"],
        gaps=d["gaps"],
        challenges=d["challenges"],
    )


def report_url(report) -> str:
    return reverse("npa:report", args=[report.public_id])


@require_action(Action.NPA_MANAGE)
@require_http_methods(["GET", "POST"])
def report_new(request, public_id):
    plan = selectors.plan_get_for_user(user=request.user, public_id=public_id)
    form = ReportForm(request.POST or None, initial={"status": ReportStatus.DRAFT})
    return _form_page(
        request,
        form,
        title=_("New progress report of %(plan)s") % {"plan": plan.title},
        intro=_(
            "Agencies add the progress of their activities while the report is open; adopt it when the review is done."
        ),
        back=plan_url(plan),
        submit=_("Open the report"),
        call=lambda d: services.report_create(actor=request.user, plan=plan, data=_report_data(d)),
        done=report_url,
    )


@require_action(Action.NPA_MANAGE)
@require_http_methods(["GET", "POST"])
def report_edit(request, public_id):
    report = selectors.report_get_for_user(user=request.user, public_id=public_id)
    fields = ("title", "period_start", "period_end", "status", "achievements", "gaps", "challenges", "version")
    form = ReportForm(request.POST or None, initial={f: getattr(report, f) for f in fields})
    return _form_page(
        request,
        form,
        title=_("Change the progress report"),
        back=report_url(report),
        submit=_("Save"),
        call=lambda d: services.report_update(
            actor=request.user, report=report, expected_version=_version(form), data=_report_data(d)
        ),
        done=report_url,
    )


@require_action(Action.NPA_VIEW)
def report(request, public_id):
    report = selectors.report_get_for_user(user=request.user, public_id=public_id)
    lines = selectors.report_lines(user=request.user, report=report)
    return render(
        request,
        "npa/report.html",
        {
            "report": report,
            "lines": lines,
            "open": report.status == ReportStatus.DRAFT,
            "can_manage": request.user.can(Action.NPA_MANAGE),
        },
    )


@require_action(Action.NPA_REPORT)
@require_http_methods(["GET", "POST"])
def progress(request, public_id, activity_id):
    report = selectors.report_get_for_user(user=request.user, public_id=public_id)
    activity = selectors.activity_get_for_user(user=request.user, public_id=activity_id)
    if activity.objective.plan_id != report.plan_id:
        raise NotFound()
    if not may_report_on(request.user, activity):
        raise PermissionDenied(_("Only the agencies responsible for this activity report its progress."))
    entry = selectors.progress_entry(report=report, activity=activity)
    initial = (
        {"status": entry.status, "note": entry.note, "version": entry.version} if entry else {"status": activity.status}
    )
    form = ProgressForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        form,
        title=_("Progress of activity %(number)s: %(title)s") % {"number": activity.number, "title": activity.title},
        intro=report.title,
        back=report_url(report),
        submit=_("Report progress"),
        call=lambda d: services.progress_record(
            actor=request.user,
            report=report,
            activity=activity,
            status=d["status"],
            note=d["note"],
            expected_version=_version(form),
        ),
        done=lambda _p: report_url(report),
    )


# --- trainings and campaigns --------------------------------------------------------------------------------------


@require_action(Action.NPA_VIEW)
def trainings(request):
    page = paginate(request, selectors.trainings_for_user(user=request.user))
    return render(
        request,
        "npa/trainings.html",
        {
            "page": page,
            "query": query_without_page(request),
            "can_record": request.user.can(Action.NPA_TRAINING_RECORD) and request.user.agency_id,
        },
    )


def _training_data(form) -> services.TrainingInput:
    d = form.cleaned_data
    return services.TrainingInput(
        title=d["title"],
        topic=d["topic"],
        held_on=d["held_on"],
        county_code=d["county"],
        participants=form.participants(),
    )


def trainings_url(_obj=None) -> str:
    return reverse("npa:trainings")


@require_action(Action.NPA_TRAINING_RECORD)
@require_http_methods(["GET", "POST"])
def training_new(request):
    form = TrainingForm(request.POST or None, counties=_counties())
    return _form_page(
        request,
        form,
        title=_("Record a training session"),
        back=trainings_url(),
        submit=_("Record the session"),
        call=lambda d: services.training_record(actor=request.user, data=_training_data(form)),
        done=trainings_url,
        extra={"participants": True},
    )


@require_action(Action.NPA_TRAINING_RECORD)
@require_http_methods(["GET", "POST"])
def training_edit(request, public_id):
    session = selectors.training_get_for_user(user=request.user, public_id=public_id)
    require(request.user, Action.NPA_TRAINING_RECORD, session)
    initial = {
        "title": session.title,
        "topic": session.topic,
        "held_on": session.held_on,
        "county": session.county.code if session.county else "",
        "version": session.version,
    }
    for agency_type, (female, male) in selectors.training_participants(session).items():
        initial[f"{agency_type}_female"], initial[f"{agency_type}_male"] = female, male
    form = TrainingForm(request.POST or None, counties=_counties(), initial=initial)
    return _form_page(
        request,
        form,
        title=_("Change the training session"),
        back=trainings_url(),
        submit=_("Save"),
        call=lambda d: services.training_update(
            actor=request.user, session=session, expected_version=_version(form), data=_training_data(form)
        ),
        done=trainings_url,
        extra={"participants": True},
    )


@require_action(Action.NPA_VIEW)
def campaigns(request):
    page = paginate(request, selectors.campaigns_for_user(user=request.user))
    return render(
        request,
        "npa/campaigns.html",
        {
            "page": page,
            "query": query_without_page(request),
            "can_record": request.user.can(Action.NPA_TRAINING_RECORD) and request.user.agency_id,
        },
    )


def _campaign_data(d) -> services.CampaignInput:
    return services.CampaignInput(
        title=d["title"],
        channel=d["channel"],
        start_date=d["start_date"],
        end_date=d["end_date"],
        reach=d["reach"],
        county_code=d["county"],
    )


def campaigns_url(_obj=None) -> str:
    return reverse("npa:campaigns")


@require_action(Action.NPA_TRAINING_RECORD)
@require_http_methods(["GET", "POST"])
def campaign_new(request):
    form = CampaignForm(request.POST or None, counties=_counties())
    return _form_page(
        request,
        form,
        title=_("Record an awareness campaign"),
        back=campaigns_url(),
        submit=_("Record the campaign"),
        call=lambda d: services.campaign_record(actor=request.user, data=_campaign_data(d)),
        done=campaigns_url,
    )


@require_action(Action.NPA_TRAINING_RECORD)
@require_http_methods(["GET", "POST"])
def campaign_edit(request, public_id):
    campaign = selectors.campaign_get_for_user(user=request.user, public_id=public_id)
    require(request.user, Action.NPA_TRAINING_RECORD, campaign)
    fields = ("title", "channel", "start_date", "end_date", "reach", "version")
    initial = {f: getattr(campaign, f) for f in fields}
    initial["county"] = campaign.county.code if campaign.county else ""
    form = CampaignForm(request.POST or None, counties=_counties(), initial=initial)
    return _form_page(
        request,
        form,
        title=_("Change the awareness campaign"),
        back=campaigns_url(),
        submit=_("Save"),
        call=lambda d: services.campaign_update(
            actor=request.user, campaign=campaign, expected_version=_version(form), data=_campaign_data(d)
        ),
        done=campaigns_url,
    )
