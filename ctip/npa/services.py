"""Writes of the National Plan of Action (ARCHITECTURE.md rules 1-2): each checks the actor's right through
`accounts.access.require` (the one chokepoint), locks the record it edits and checks its version (a stale form is
refused with `conflict`), validates, writes and audits in one transaction.

Who writes what: the Secretariat's coordinators (npa.manage, national) keep the plans, their objectives,
activities, indicators and responsible agencies, and open and adopt the progress reports; an agency (npa.report,
agency scope) reports progress on the activities it is responsible for while a report is open; agencies record
their own training sessions and campaigns (npa.training_record, agency scope: the organising agency is the
user's own)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from ctip.accounts.access import require
from ctip.accounts.actor import Actor
from ctip.accounts.enums import AgencyType
from ctip.accounts.models import Agency
from ctip.accounts.roles import Action
from ctip.audit.services import audit_record
from ctip.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from ctip.reference.models import County

from .enums import (
    ActivityStatus,
    CampaignChannel,
    IndicatorSource,
    Metric,
    Pillar,
    PlanStatus,
    ReportStatus,
    TrainingTopic,
)
from .events import NpaEvent
from .models import (
    ACTIVITY,
    CAMPAIGN,
    INDICATOR,
    OBJECTIVE,
    PLAN,
    PROGRESS,
    REPORT,
    TRAINING,
    Activity,
    ActivityProgress,
    Campaign,
    Indicator,
    Objective,
    Plan,
    ProgressReport,
    TrainingParticipants,
    TrainingSession,
)
from .rules import may_report_on

MAX_PARTICIPANTS = 100_000
MAX_REACH = 100_000_000
MAX_FIGURE = Decimal("999999999999.99")


# --- helpers ------------------------------------------------------------------------------------------------------


def _text(value: str, limit: int) -> str:
    return " ".join((value or "").split())[:limit]


def _long_text(value: str, limit: int) -> str:
    return (value or "").strip().replace("\r\n", "\n")[:limit]


def _locked(model, obj, expected_version: int | None):
    locked = model.objects.select_for_update().get(pk=obj.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(
            _(
                "Someone else changed this record since you opened it. Your changes were not saved: "
                "reload, check theirs, and try again."
            )
        )
    return locked


def _bump(obj, actor: Actor, fields: list[str]) -> None:
    obj.version += 1
    obj.save(update_fields=[*fields, "version", "updated_at"])


def _period(start: date | None, end: date | None, errors: dict, *, end_field: str = "end_date") -> None:
    if start is not None and end is not None and end < start:
        errors.setdefault(end_field, []).append(_("The end of the period cannot be before its start."))


def _changes(obj, fields: list[str]) -> dict:
    out = {}
    for name in fields:
        value = getattr(obj, name)
        out[name] = value.isoformat() if isinstance(value, date) else (str(value) if value is not None else None)
    return out


def _npa_audit(actor: Actor, event: str, target_type: str, obj, changes: dict) -> None:
    audit_record(actor=actor, action=event, target_type=target_type, target_id=obj.public_id, changes=changes)


# --- plans --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanInput:
    title: str
    start_date: date
    end_date: date
    status: str = PlanStatus.DRAFT
    summary: str = ""


PLAN_FIELDS = ["title", "start_date", "end_date", "status", "summary"]


def _plan_values(data: PlanInput) -> dict:
    errors: dict[str, list[str]] = {}
    title = _text(data.title, 200)
    if not title:
        errors["title"] = [_("Give the plan's title.")]
    if data.status not in PlanStatus.values:
        errors["status"] = [_("Choose a status.")]
    _period(data.start_date, data.end_date, errors)
    if errors:
        raise ValidationFailed(fields=errors)
    return {
        "title": title,
        "start_date": data.start_date,
        "end_date": data.end_date,
        "status": data.status,
        "summary": _long_text(data.summary, 4000),
    }


@transaction.atomic
def plan_create(*, actor: Actor, data: PlanInput) -> Plan:
    require(actor, Action.NPA_MANAGE)
    plan = Plan(created_by=actor, **_plan_values(data))
    plan.save(force_insert=True)
    _npa_audit(actor, NpaEvent.PLAN_CREATE, PLAN, plan, _changes(plan, PLAN_FIELDS[:4]))
    return plan


@transaction.atomic
def plan_update(*, actor: Actor, plan: Plan, expected_version: int | None, data: PlanInput) -> Plan:
    require(actor, Action.NPA_MANAGE)
    values = _plan_values(data)
    locked = _locked(Plan, plan, expected_version)
    for name, value in values.items():
        setattr(locked, name, value)
    _bump(locked, actor, PLAN_FIELDS)
    _npa_audit(actor, NpaEvent.PLAN_UPDATE, PLAN, locked, _changes(locked, PLAN_FIELDS[:4]))
    return locked


# --- objectives ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectiveInput:
    pillar: str
    number: str
    title: str


@transaction.atomic
def objective_save(
    *,
    actor: Actor,
    plan: Plan,
    data: ObjectiveInput,
    objective: Objective | None = None,
    expected_version: int | None = None,
) -> Objective:
    """Add an objective to `plan`, or change `objective` (of that plan)."""
    require(actor, Action.NPA_MANAGE)
    errors: dict[str, list[str]] = {}
    if data.pillar not in Pillar.values:
        errors["pillar"] = [_("Choose the pillar.")]
    number = _text(data.number, 10)
    title = _text(data.title, 300)
    if not number:
        errors["number"] = [_("Give the objective's number, as in the plan (e.g. 2.1).")]
    if not title:
        errors["title"] = [_("Give the objective.")]
    taken = Objective.objects.filter(plan=plan, number=number)
    if objective is not None:
        taken = taken.exclude(pk=objective.pk)
    if number and taken.exists():
        errors["number"] = [_("The plan already has an objective with this number.")]
    if errors:
        raise ValidationFailed(fields=errors)
    if objective is None:
        objective = Objective(plan=plan, created_by=actor, pillar=data.pillar, number=number, title=title)
        objective.save(force_insert=True)
    else:
        objective = _locked(Objective, objective, expected_version)
        objective.pillar, objective.number, objective.title = data.pillar, number, title
        _bump(objective, actor, ["pillar", "number", "title"])
    _npa_audit(
        actor,
        NpaEvent.OBJECTIVE_SAVE,
        OBJECTIVE,
        objective,
        {"plan": str(plan.public_id), **_changes(objective, ["pillar", "number", "title"])},
    )
    return objective


# --- activities ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityInput:
    number: str
    title: str
    agency_ids: tuple[int, ...] = ()
    start_date: date | None = None
    end_date: date | None = None
    status: str = ActivityStatus.NOT_STARTED


@transaction.atomic
def activity_save(
    *,
    actor: Actor,
    objective: Objective,
    data: ActivityInput,
    activity: Activity | None = None,
    expected_version: int | None = None,
) -> Activity:
    """Add an activity to `objective`, or change `activity`: its number, title, period, status and the agencies
    responsible for it (who may then report its progress)."""
    require(actor, Action.NPA_MANAGE)
    errors: dict[str, list[str]] = {}
    number = _text(data.number, 10)
    title = _text(data.title, 300)
    if not number:
        errors["number"] = [_("Give the activity's number, as in the plan (e.g. 2.1.3).")]
    if not title:
        errors["title"] = [_("Give the activity.")]
    if data.status not in ActivityStatus.values:
        errors["status"] = [_("Choose a status.")]
    _period(data.start_date, data.end_date, errors)
    taken = Activity.objects.filter(objective=objective, number=number)
    if activity is not None:
        taken = taken.exclude(pk=activity.pk)
    if number and taken.exists():
        errors["number"] = [_("The objective already has an activity with this number.")]
    agencies = list(Agency.objects.filter(pk__in=set(data.agency_ids), is_active=True))
    if len(agencies) != len(set(data.agency_ids)):
        errors["agencies"] = [_("Choose active agencies.")]
    if errors:
        raise ValidationFailed(fields=errors)
    fields = {"number": number, "title": title, "start_date": data.start_date, "end_date": data.end_date}
    if activity is None:
        activity = Activity(objective=objective, created_by=actor, status=data.status, **fields)
        activity.save(force_insert=True)
    else:
        activity = _locked(Activity, activity, expected_version)
        for name, value in fields.items():
            setattr(activity, name, value)
        activity.status = data.status
        _bump(activity, actor, [*fields, "status"])
    activity.responsible_agencies.set(agencies)
    _npa_audit(
        actor,
        NpaEvent.ACTIVITY_SAVE,
        ACTIVITY,
        activity,
        {
            "objective": str(objective.public_id),
            **_changes(activity, ["number", "title", "start_date", "end_date", "status"]),
            "agencies": sorted(a.pk for a in agencies),
        },
    )
    return activity


# --- indicators ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorInput:
    name: str
    source: str
    target: Decimal
    metric: str = ""
    baseline: Decimal | None = None
    actual: Decimal | None = None
    source_note: str = ""


INDICATOR_FIELDS = ["name", "source", "metric", "baseline", "target", "actual", "source_note"]


def _figure(value: Decimal | None, name: str, errors: dict, *, required: bool = False) -> None:
    if value is None:
        if required:
            errors.setdefault(name, []).append(_("Give a figure."))
        return
    if value < 0:
        errors.setdefault(name, []).append(_("The figure cannot be below zero."))
    elif value > MAX_FIGURE:
        errors.setdefault(name, []).append(_("The figure is too large."))


@transaction.atomic
def indicator_save(
    *,
    actor: Actor,
    activity: Activity,
    data: IndicatorInput,
    indicator: Indicator | None = None,
    expected_version: int | None = None,
) -> Indicator:
    """Add an indicator to `activity`, or change `indicator`. A computed indicator names what CTIP counts (its
    actual is computed, never entered); an entered one says where its figure comes from."""
    require(actor, Action.NPA_MANAGE)
    errors: dict[str, list[str]] = {}
    name = _text(data.name, 300)
    if not name:
        errors["name"] = [_("Give the indicator.")]
    _figure(data.target, "target", errors, required=True)
    _figure(data.baseline, "baseline", errors)
    _figure(data.actual, "actual", errors)
    note = _text(data.source_note, 300)
    metric, actual = "", data.actual
    if data.source == IndicatorSource.COMPUTED:
        if data.metric not in Metric.values:
            errors["metric"] = [_("Choose what CTIP counts for this indicator.")]
        metric, actual = data.metric, None
    elif data.source == IndicatorSource.ENTERED:
        if not note:
            errors["source_note"] = [_("Say where the figure comes from (a report, a survey, an agency's records).")]
    else:
        errors["source"] = [_("Choose the source of the figure.")]
    if errors:
        raise ValidationFailed(fields=errors)
    values = {
        "name": name,
        "source": data.source,
        "metric": metric,
        "baseline": data.baseline,
        "target": data.target,
        "actual": actual,
        "source_note": note,
    }
    if indicator is None:
        indicator = Indicator(activity=activity, created_by=actor, **values)
        indicator.save(force_insert=True)
    else:
        indicator = _locked(Indicator, indicator, expected_version)
        for field_name, value in values.items():
            setattr(indicator, field_name, value)
        _bump(indicator, actor, INDICATOR_FIELDS)
    _npa_audit(
        actor,
        NpaEvent.INDICATOR_SAVE,
        INDICATOR,
        indicator,
        {"activity": str(activity.public_id), **_changes(indicator, INDICATOR_FIELDS)},
    )
    return indicator


# --- progress reports ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportInput:
    title: str
    period_start: date
    period_end: date
    achievements: str = ""
    gaps: str = ""
    challenges: str = ""
    status: str = ReportStatus.DRAFT


REPORT_FIELDS = ["title", "period_start", "period_end", "status", "achievements", "gaps", "challenges"]


def _report_values(plan: Plan, data: ReportInput) -> dict:
    errors: dict[str, list[str]] = {}
    title = _text(data.title, 200)
    if not title:
        errors["title"] = [_("Give the report's title (e.g. the review workshop's).")]
    if data.status not in ReportStatus.values:
        errors["status"] = [_("Choose a status.")]
    _period(data.period_start, data.period_end, errors, end_field="period_end")
    if "period_end" not in errors and (data.period_start < plan.start_date or data.period_end > plan.end_date):
        errors["period_start"] = [
            _("The period must lie within the plan's (%(start)s to %(end)s).")
            % {"start": plan.start_date.isoformat(), "end": plan.end_date.isoformat()}
        ]
    if errors:
        raise ValidationFailed(fields=errors)
    return {
        "title": title,
        "period_start": data.period_start,
        "period_end": data.period_end,
        "status": data.status,
        "achievements": _long_text(data.achievements, 8000),
        "gaps": _long_text(data.gaps, 8000),
        "challenges": _long_text(data.challenges, 8000),
    }


@transaction.atomic
def report_create(*, actor: Actor, plan: Plan, data: ReportInput) -> ProgressReport:
    require(actor, Action.NPA_MANAGE)
    report = ProgressReport(plan=plan, created_by=actor, **_report_values(plan, data))
    report.save(force_insert=True)
    _npa_audit(
        actor,
        NpaEvent.REPORT_CREATE,
        REPORT,
        report,
        {"plan": str(plan.public_id), **_changes(report, REPORT_FIELDS[:4])},
    )
    return report


@transaction.atomic
def report_update(
    *, actor: Actor, report: ProgressReport, expected_version: int | None, data: ReportInput
) -> ProgressReport:
    """Change a report; adopting it (status final) closes it to contributions. An adopted report is reopened by
    setting it back to open (the coordinators' decision, audited)."""
    require(actor, Action.NPA_MANAGE)
    values = _report_values(report.plan, data)
    locked = _locked(ProgressReport, report, expected_version)
    for name, value in values.items():
        setattr(locked, name, value)
    _bump(locked, actor, REPORT_FIELDS)
    _npa_audit(actor, NpaEvent.REPORT_UPDATE, REPORT, locked, _changes(locked, REPORT_FIELDS[:4]))
    return locked


@transaction.atomic
def progress_record(
    *,
    actor: Actor,
    report: ProgressReport,
    activity: Activity,
    status: str,
    note: str = "",
    expected_version: int | None = None,
) -> ActivityProgress:
    """Report the status of `activity` for the period of `report` (one entry per activity and report; a second
    report replaces the first, from a current form only). The activity takes the status of its latest report."""
    require(actor, Action.NPA_REPORT)
    if activity.objective.plan_id != report.plan_id:
        raise NotFound()
    if not may_report_on(actor, activity):
        raise PermissionDenied(_("Only the agencies responsible for this activity report its progress."))
    locked_report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if locked_report.status != ReportStatus.DRAFT:
        raise InvalidTransition(_("This report was adopted: it no longer takes contributions."))
    if status not in ActivityStatus.values:
        raise ValidationFailed(fields={"status": [_("Choose a status.")]})
    note = _long_text(note, 1000)
    entry = ActivityProgress.objects.select_for_update().filter(report=report, activity=activity).first()
    if entry is None:
        entry = ActivityProgress(
            report=report,
            activity=activity,
            status=status,
            note=note,
            reporting_agency_id=actor.agency_id,
            created_by=actor,
        )
        entry.save(force_insert=True)
    else:
        if expected_version is None or entry.version != expected_version:
            raise Conflict(
                _(
                    "Someone else reported on this activity since you opened the form. Your report was not saved: "
                    "reload, check theirs, and try again."
                )
            )
        entry.status, entry.note, entry.reporting_agency_id = status, note, actor.agency_id
        _bump(entry, actor, ["status", "note", "reporting_agency"])
    # The activity's current status is that of its latest report (by period end).
    latest = (
        ActivityProgress.objects.filter(activity=activity)
        .order_by("-report__period_end", "-report__id")
        .values_list("report_id", flat=True)
        .first()
    )
    if latest == report.pk:
        locked_activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked_activity.status != status:
            locked_activity.status = status
            _bump(locked_activity, actor, ["status"])
    _npa_audit(
        actor,
        NpaEvent.PROGRESS_RECORD,
        PROGRESS,
        entry,
        {"report": str(report.public_id), "activity": str(activity.public_id), "status": status},
    )
    return entry


# --- training sessions --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingInput:
    title: str
    topic: str
    held_on: date
    county_code: str = ""
    # {agency type: (women, men)}
    participants: dict[str, tuple[int, int]] | None = None


def _county(code: str, errors: dict) -> County | None:
    if not code:
        return None
    county = County.objects.filter(code=code).first()
    if county is None:
        errors["county"] = [_("Choose a county from the list.")]
    return county


def _training_values(data: TrainingInput) -> tuple[dict, dict[str, tuple[int, int]]]:
    errors: dict[str, list[str]] = {}
    title = _text(data.title, 200)
    if not title:
        errors["title"] = [_("Give the training's title.")]
    if data.topic not in TrainingTopic.values:
        errors["topic"] = [_("Choose the curriculum.")]
    county = _county(data.county_code, errors)
    participants: dict[str, tuple[int, int]] = {}
    total = 0
    for agency_type, (female, male) in (data.participants or {}).items():
        if agency_type not in AgencyType.values:
            errors.setdefault("participants", []).append(_("Unknown type of agency."))
            continue
        for n in (female, male):
            if not isinstance(n, int) or n < 0 or n > MAX_PARTICIPANTS:
                errors.setdefault(f"{agency_type}_female", []).append(
                    _("Give a number of participants between 0 and %(max)s.") % {"max": MAX_PARTICIPANTS}
                )
                break
        else:
            if female or male:
                participants[agency_type] = (female, male)
                total += female + male
    if not total and "participants" not in errors and not any(k.endswith("_female") for k in errors):
        errors["participants"] = [_("Give how many women and men took part, by type of agency.")]
    if errors:
        raise ValidationFailed(fields=errors)
    return {"title": title, "topic": data.topic, "held_on": data.held_on, "county": county}, participants


def _write_participants(session: TrainingSession, participants: dict[str, tuple[int, int]]) -> None:
    TrainingParticipants.objects.filter(session=session).delete()
    TrainingParticipants.objects.bulk_create(
        TrainingParticipants(session=session, agency_type=t, female=f, male=m)
        for t, (f, m) in sorted(participants.items())
    )


def _training_changes(session: TrainingSession, participants: dict[str, tuple[int, int]]) -> dict:
    return {
        **_changes(session, ["title", "topic", "held_on"]),
        "county": session.county.code if session.county else None,
        "participants": {t: {"female": f, "male": m} for t, (f, m) in sorted(participants.items())},
    }


@transaction.atomic
def training_record(*, actor: Actor, data: TrainingInput) -> TrainingSession:
    """A training session organised by the user's agency."""
    require(actor, Action.NPA_TRAINING_RECORD)
    if not actor.agency_id:
        raise PermissionDenied()
    values, participants = _training_values(data)
    session = TrainingSession(owning_agency_id=actor.agency_id, created_by=actor, **values)
    session.save(force_insert=True)
    _write_participants(session, participants)
    _npa_audit(actor, NpaEvent.TRAINING_RECORD, TRAINING, session, _training_changes(session, participants))
    return session


@transaction.atomic
def training_update(
    *, actor: Actor, session: TrainingSession, expected_version: int | None, data: TrainingInput
) -> TrainingSession:
    require(actor, Action.NPA_TRAINING_RECORD, session)
    values, participants = _training_values(data)
    locked = _locked(TrainingSession, session, expected_version)
    for name, value in values.items():
        setattr(locked, name, value)
    _bump(locked, actor, list(values))
    _write_participants(locked, participants)
    _npa_audit(actor, NpaEvent.TRAINING_UPDATE, TRAINING, locked, _training_changes(locked, participants))
    return locked


# --- awareness campaigns ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignInput:
    title: str
    channel: str
    start_date: date
    end_date: date
    reach: int
    county_code: str = ""


def _campaign_values(data: CampaignInput) -> dict:
    errors: dict[str, list[str]] = {}
    title = _text(data.title, 200)
    if not title:
        errors["title"] = [_("Give the campaign's title.")]
    if data.channel not in CampaignChannel.values:
        errors["channel"] = [_("Choose the channel.")]
    _period(data.start_date, data.end_date, errors)
    if not isinstance(data.reach, int) or data.reach < 0 or data.reach > MAX_REACH:
        errors["reach"] = [_("Give the number of people reached, 0 or more.")]
    county = _county(data.county_code, errors)
    if errors:
        raise ValidationFailed(fields=errors)
    return {
        "title": title,
        "channel": data.channel,
        "start_date": data.start_date,
        "end_date": data.end_date,
        "reach": data.reach,
        "county": county,
    }


def _campaign_changes(campaign: Campaign) -> dict:
    return {
        **_changes(campaign, ["title", "channel", "start_date", "end_date", "reach"]),
        "county": campaign.county.code if campaign.county else None,
    }


@transaction.atomic
def campaign_record(*, actor: Actor, data: CampaignInput) -> Campaign:
    """An awareness campaign run by the user's agency."""
    require(actor, Action.NPA_TRAINING_RECORD)
    if not actor.agency_id:
        raise PermissionDenied()
    campaign = Campaign(owning_agency_id=actor.agency_id, created_by=actor, **_campaign_values(data))
    campaign.save(force_insert=True)
    _npa_audit(actor, NpaEvent.CAMPAIGN_RECORD, CAMPAIGN, campaign, _campaign_changes(campaign))
    return campaign


@transaction.atomic
def campaign_update(*, actor: Actor, campaign: Campaign, expected_version: int | None, data: CampaignInput) -> Campaign:
    require(actor, Action.NPA_TRAINING_RECORD, campaign)
    values = _campaign_values(data)
    locked = _locked(Campaign, campaign, expected_version)
    for name, value in values.items():
        setattr(locked, name, value)
    _bump(locked, actor, list(values))
    _npa_audit(actor, NpaEvent.CAMPAIGN_UPDATE, CAMPAIGN, locked, _campaign_changes(locked))
    return locked
