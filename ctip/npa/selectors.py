"""Reads of the National Plan of Action, scoped by the user (ARCHITECTURE.md rule 3).

The plans, their overview and progress reports are national documents: every role with npa.view reads them.
Training sessions and campaigns belong to the organising agency: npa.view at agency scope reads one's own agency's,
at national scope every one (`visible_q`, `require` with the record). Nothing here reads an identity; the computed
indicators come from indicators.py in one query."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import number_format

from ctip.accounts.access import require, visible_q
from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action
from ctip.audit.services import audit_record
from ctip.core.errors import NotFound

from .enums import ActivityStatus, IndicatorSource, Metric, Pillar
from .events import NpaEvent
from .indicators import MetricValue, metric_values, published
from .models import (
    CAMPAIGN,
    PLAN,
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

# --- plans --------------------------------------------------------------------------------------------------------


def plans_for_user(*, user: Actor) -> QuerySet[Plan]:
    require(user, Action.NPA_VIEW)
    return Plan.objects.annotate(
        objective_count=Count("objectives", distinct=True),
        activity_count=Count("objectives__activities", distinct=True),
    ).order_by("-start_date", "id")


def _get(model, public_id, **related):
    obj = model.objects.select_related(*related.get("select", ())).filter(public_id=public_id).first()
    if obj is None:
        raise NotFound()
    return obj


def plan_get_for_user(*, user: Actor, public_id) -> Plan:
    require(user, Action.NPA_VIEW)
    return _get(Plan, public_id)


def objective_get_for_user(*, user: Actor, public_id) -> Objective:
    require(user, Action.NPA_VIEW)
    return _get(Objective, public_id, select=("plan",))


def activity_get_for_user(*, user: Actor, public_id) -> Activity:
    require(user, Action.NPA_VIEW)
    return _get(Activity, public_id, select=("objective", "objective__plan"))


def indicator_get_for_user(*, user: Actor, public_id) -> Indicator:
    require(user, Action.NPA_VIEW)
    return _get(Indicator, public_id, select=("activity", "activity__objective", "activity__objective__plan"))


# --- the overview: where the plan stands --------------------------------------------------------------------------


@dataclass
class IndicatorRow:
    indicator: Indicator
    actual: Decimal | int | None  # the number compared with the target (None: suppressed or not reported)
    shown: str  # the actual as shown ("fewer than 11", "1,230", "")
    computed: MetricValue | None = None

    @property
    def percent(self) -> int | None:
        """The actual as a percentage of the target (None when either is missing or the target is 0)."""
        target = self.indicator.target
        if self.actual is None or not target:
            return None
        return int(Decimal(self.actual) * 100 / target)

    @property
    def target(self) -> str:
        return _number(self.indicator.target)

    @property
    def baseline(self) -> str:
        return _number(self.indicator.baseline) if self.indicator.baseline is not None else ""

    @property
    def met(self) -> bool:
        return self.actual is not None and Decimal(self.actual) >= self.indicator.target


@dataclass
class PillarSummary:
    pillar: str
    label: str
    objectives: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    indicators: int = 0
    indicators_met: int = 0

    @property
    def activities(self) -> int:
        return sum(self.by_status.values())

    def count(self, status: str) -> int:
        return self.by_status.get(status, 0)

    @property
    def status_counts(self) -> list[int]:
        return [self.count(status) for status in ActivityStatus.values]


@dataclass
class Overview:
    plan: Plan
    as_of: date
    period_end: date
    objectives: list[Objective]
    pillars: list[PillarSummary]
    indicator_rows: dict[int, list[IndicatorRow]]  # by activity id
    statuses: list[tuple[str, str]]
    totals: dict[str, int]
    metrics: dict[str, MetricValue]

    @property
    def metric_list(self) -> list[dict]:
        return [{"label": label, "value": str(self.metrics[value])} for value, label in Metric.choices]


def overview_for_user(*, user: Actor, plan: Plan, export: str = "") -> Overview:
    """Where `plan` stands today: its objectives by pillar with their activities (status, responsible agencies,
    indicators against targets), counts of activities by status per pillar, and the computed indicators over the
    plan's period up to today. Six queries whatever the plan holds (objectives, activities, their agencies,
    indicators, the computed figures). An export is recorded in the audit trail."""
    require(user, Action.NPA_VIEW)
    as_of = timezone.localdate()
    period_end = min(plan.end_date, as_of)
    indicators = Prefetch("indicators", queryset=Indicator.objects.order_by("id"))
    activities = Prefetch(
        "activities",
        queryset=Activity.objects.order_by("number", "id").prefetch_related("responsible_agencies", indicators),
    )
    objectives = list(plan.objectives.order_by("number", "id").prefetch_related(activities))
    if period_end >= plan.start_date:
        metrics = published(metric_values(plan.start_date, period_end))
    else:  # a plan that has not started yet: nothing to count
        metrics = published(dict.fromkeys(Metric.values, 0))
    pillars = {p: PillarSummary(p, str(label)) for p, label in Pillar.choices}
    rows: dict[int, list[IndicatorRow]] = defaultdict(list)
    totals: dict[str, int] = defaultdict(int)
    for objective in objectives:
        summary = pillars[objective.pillar]
        summary.objectives += 1
        for activity in objective.activities.all():
            summary.by_status[activity.status] = summary.by_status.get(activity.status, 0) + 1
            totals[activity.status] += 1
            activity_rows: list[IndicatorRow] = []
            for ind in activity.indicators.all():
                row = _indicator_row(ind, metrics)
                activity_rows.append(row)
                summary.indicators += 1
                summary.indicators_met += row.met
            rows[activity.pk] = activity_rows
            activity.indicator_rows = activity_rows  # type: ignore[attr-defined]  # for the template
    if export:
        audit_record(
            actor=user,
            action=NpaEvent.OVERVIEW_EXPORT,
            target_type=PLAN,
            target_id=plan.public_id,
            changes={"format": export, "as_of": as_of.isoformat()},
        )
    return Overview(
        plan=plan,
        as_of=as_of,
        period_end=period_end,
        objectives=objectives,
        pillars=list(pillars.values()),
        indicator_rows=dict(rows),
        statuses=[(value, str(label)) for value, label in ActivityStatus.choices],
        totals=dict(totals),
        metrics=metrics,
    )


def _indicator_row(ind: Indicator, metrics: dict[str, MetricValue]) -> IndicatorRow:
    if ind.source == IndicatorSource.COMPUTED:
        value = metrics[ind.metric]
        return IndicatorRow(ind, value.value, str(value), value)
    if ind.actual is None:
        return IndicatorRow(ind, None, "")
    return IndicatorRow(ind, ind.actual, _number(ind.actual))


def _number(value: Decimal) -> str:
    return number_format(value.normalize() if value == value.to_integral() else value, force_grouping=True)


# --- progress reports ---------------------------------------------------------------------------------------------


def reports_for_plan(*, user: Actor, plan: Plan) -> QuerySet[ProgressReport]:
    require(user, Action.NPA_VIEW)
    return plan.reports.annotate(entries=Count("progress")).order_by("-period_end", "id")


def report_get_for_user(*, user: Actor, public_id) -> ProgressReport:
    require(user, Action.NPA_VIEW)
    return _get(ProgressReport, public_id, select=("plan",))


@dataclass
class ReportLine:
    activity: Activity
    progress: ActivityProgress | None
    may_report: bool


def report_lines(*, user: Actor, report: ProgressReport) -> list[ReportLine]:
    """Every activity of the report's plan with its progress in this report (or none yet), and whether the user
    may report on it. Three queries (activities with their objective, their agencies, the report's entries)."""
    require(user, Action.NPA_VIEW)
    activities = list(
        Activity.objects.filter(objective__plan_id=report.plan_id)
        .select_related("objective")
        .prefetch_related("responsible_agencies")
        .order_by("objective__number", "number", "id")
    )
    entries = {
        p.activity_id: p
        for p in ActivityProgress.objects.filter(report=report).select_related("reporting_agency").order_by("id")
    }
    return [
        ReportLine(a, entries.get(a.pk), may_report_on(user, a, {agency.pk for agency in a.responsible_agencies.all()}))
        for a in activities
    ]


def progress_entry(*, report: ProgressReport, activity: Activity) -> ActivityProgress | None:
    return ActivityProgress.objects.filter(report=report, activity=activity).first()


# --- trainings and campaigns --------------------------------------------------------------------------------------


def trainings_for_user(*, user: Actor) -> QuerySet[TrainingSession]:
    """The sessions the user sees (their agency's, or all nationally), each with its totals (no query per row)."""
    q = visible_q(user, Action.NPA_VIEW, TRAINING)
    if q is None:
        require(user, Action.NPA_VIEW)
        return TrainingSession.objects.none()
    return (
        TrainingSession.objects.filter(q)
        .select_related("owning_agency", "county")
        .annotate(women=Sum("participants__female"), men=Sum("participants__male"))
        .order_by("-held_on", "-id")
    )


def training_get_for_user(*, user: Actor, public_id) -> TrainingSession:
    require(user, Action.NPA_VIEW)
    session = _get(TrainingSession, public_id, select=("owning_agency", "county"))
    require(user, Action.NPA_VIEW, session)
    return session


def training_participants(session: TrainingSession) -> dict[str, tuple[int, int]]:
    return {p.agency_type: (p.female, p.male) for p in TrainingParticipants.objects.filter(session=session)}


def campaigns_for_user(*, user: Actor) -> QuerySet[Campaign]:
    q = visible_q(user, Action.NPA_VIEW, CAMPAIGN)
    if q is None:
        require(user, Action.NPA_VIEW)
        return Campaign.objects.none()
    return Campaign.objects.filter(q).select_related("owning_agency", "county").order_by("-start_date", "-id")


def campaign_get_for_user(*, user: Actor, public_id) -> Campaign:
    require(user, Action.NPA_VIEW)
    campaign = _get(Campaign, public_id, select=("owning_agency", "county"))
    require(user, Action.NPA_VIEW, campaign)
    return campaign
