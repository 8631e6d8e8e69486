"""The plan's computed indicators: what CTIP's own records say, over a period, in ONE query.

Each metric is a scalar sub-select of one SELECT (COUNT or SUM over an identity-free table), so the overview runs
the same single query whatever the plan holds. Victims are counted through the statistics' own selection of
victim cases (`ctip.stats.selectors.cases_for`, by date identified), referrals by the day they were completed,
prosecutions by the date of the charge sheet, convictions as the accused convicted on at least one count by the
date of the decision, trainings by the day held, campaigns by the day they started.

Counts of victims and offenders are exact here; `published` turns them into what a role without identity access
may see (ctip.core.disclosure: below 11 suppressed, the rest rounded to 10). Nothing here opens an identity (the
import-linter contract "The plan of action never opens an identity")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import F, Func, IntegerField, QuerySet

from ctip.core.disclosure import PublishedCount, publish_count
from ctip.justice.enums import Verdict
from ctip.justice.models import ChargeSheet, CountOutcome
from ctip.referrals.enums import ReferralStatus
from ctip.referrals.models import Referral
from ctip.stats.filters import Filters
from ctip.stats.selectors import cases_for

from .enums import PROTECTED_METRICS, Metric
from .models import Campaign, TrainingParticipants, TrainingSession


class _Count(Func):
    function = "COUNT"
    output_field = IntegerField()


class _CountDistinct(Func):
    function = "COUNT"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = IntegerField()


class _Sum(Func):
    function = "SUM"
    output_field = IntegerField()


def _scalar(qs: QuerySet, expression: Func) -> QuerySet:
    """`expression` (an aggregate function) over `qs`: no GROUP BY, one row, one column."""
    return qs.order_by().annotate(_v=expression).values("_v")[:1]


def metric_querysets(start: date, end: date) -> dict[str, QuerySet]:
    sessions = TrainingSession.objects.filter(held_on__gte=start, held_on__lte=end)
    participants = TrainingParticipants.objects.filter(session__held_on__gte=start, session__held_on__lte=end)
    campaigns = Campaign.objects.filter(start_date__gte=start, start_date__lte=end)
    return {
        Metric.VICTIMS_IDENTIFIED: _scalar(cases_for(Filters(date_from=start, date_to=end)), _Count(F("id"))),
        Metric.REFERRALS_COMPLETED: _scalar(
            Referral.objects.filter(
                status=ReferralStatus.COMPLETED, completed_at__date__gte=start, completed_at__date__lte=end
            ),
            _Count(F("id")),
        ),
        Metric.PROSECUTIONS: _scalar(
            ChargeSheet.objects.filter(charged_on__gte=start, charged_on__lte=end), _Count(F("id"))
        ),
        Metric.CONVICTIONS: _scalar(
            CountOutcome.objects.filter(verdict=Verdict.CONVICTED, decided_on__gte=start, decided_on__lte=end),
            _CountDistinct(F("count__accused_id")),
        ),
        Metric.TRAININGS_HELD: _scalar(sessions, _Count(F("id"))),
        Metric.PERSONS_TRAINED: _scalar(participants, _Sum(F("female") + F("male"))),
        Metric.WOMEN_TRAINED: _scalar(participants, _Sum(F("female"))),
        Metric.MEN_TRAINED: _scalar(participants, _Sum(F("male"))),
        Metric.CAMPAIGNS_HELD: _scalar(campaigns, _Count(F("id"))),
        Metric.CAMPAIGN_REACH: _scalar(campaigns, _Sum(F("reach"))),
    }


def metric_values(start: date, end: date) -> dict[str, int]:
    """Every metric's exact value over `start`..`end` (both included), in one query: SELECT (sub-select), ...,
    each sub-select compiled by the ORM for the database in use (SQLite or PostgreSQL)."""
    querysets = metric_querysets(start, end)
    columns, params = [], []
    for qs in querysets.values():
        sql, qs_params = qs.query.get_compiler(connection=connection).as_sql()
        columns.append(f"COALESCE(({sql}), 0)")
        params.extend(qs_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns), params)
        row = cursor.fetchone()
    return {metric: int(value or 0) for metric, value in zip(querysets, row, strict=True)}


@dataclass(frozen=True)
class MetricValue:
    """A computed figure fit to show: protected metrics through publish_count, the others exact."""

    metric: str
    exact: int
    shown: PublishedCount | int

    @property
    def value(self) -> int | None:
        """The number to compare with a target (None when suppressed)."""
        return self.shown.value if isinstance(self.shown, PublishedCount) else self.shown

    def __str__(self) -> str:
        return str(self.shown)


def published(values: dict[str, int]) -> dict[str, MetricValue]:
    return {
        metric: MetricValue(metric, n, publish_count(n) if metric in PROTECTED_METRICS else n)
        for metric, n in values.items()
    }
