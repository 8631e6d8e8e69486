""" "My tasks": what an officer should do next. A dict of lists, so other apps can add their own kinds of task
(overdue referrals, tips to triage) by extending the dict in their own selector."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from ctip.accounts.access import visible_q
from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action

from ..enums import CLOSED_STATUSES
from ..models import TARGET, Case, FollowUp

DUE_SOON_DAYS = 7
DECISION_WAIT_DAYS = 7  # a case should have a trafficking-status decision within a week of identification
TASK_LIMIT = 50


def _task_querysets(*, user: Actor, today=None) -> dict[str, QuerySet | None]:
    """The querysets behind `my_tasks` (None: the user has no such task), so the landing page can count them
    without fetching the rows."""
    today = today or timezone.localdate()
    tasks: dict[str, QuerySet | None] = {
        "follow_ups_overdue": None,
        "follow_ups_due": None,
        "cases_awaiting_decision": None,
    }
    if not getattr(user, "is_authenticated", False):
        return tasks
    q = visible_q(user, Action.CASE_VIEW, TARGET, owner_field="case__owning_agency", id_field="case__public_id")
    if q is not None:
        open_follow_ups = (
            FollowUp.objects.filter(q)
            .filter(assigned_to=user, done_at__isnull=True)
            .exclude(case__status__in=list(CLOSED_STATUSES))
            .select_related("case")
            .order_by("due_on", "id")
        )
        tasks["follow_ups_overdue"] = open_follow_ups.filter(due_on__lt=today)
        tasks["follow_ups_due"] = open_follow_ups.filter(
            due_on__gte=today, due_on__lte=today + timedelta(days=DUE_SOON_DAYS)
        )
    if user.agency_id and user.can(Action.CASE_SCREEN):
        tasks["cases_awaiting_decision"] = (
            Case.objects.filter(
                owning_agency_id=user.agency_id,
                trafficking_status="",
                identified_on__lte=today - timedelta(days=DECISION_WAIT_DAYS),
            )
            .exclude(status__in=list(CLOSED_STATUSES))
            .select_related("owning_agency")
            .order_by("identified_on", "id")
        )
    return tasks


def my_tasks(*, user: Actor, today=None) -> dict[str, list]:
    """Follow-ups assigned to the user (overdue, and due within a week) on cases they can still see, and the
    open cases of the user's agency still waiting for a status decision a week after identification."""
    return {
        key: [] if qs is None else list(qs[:TASK_LIMIT]) for key, qs in _task_querysets(user=user, today=today).items()
    }


def my_task_counts(*, user: Actor, today=None) -> dict[str, int]:
    """How many of each of `my_tasks` (capped as the lists are), counted by the database: no row is fetched."""
    return {
        key: 0 if qs is None else qs[:TASK_LIMIT].count() for key, qs in _task_querysets(user=user, today=today).items()
    }
