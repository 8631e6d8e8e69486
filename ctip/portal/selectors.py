"""What each role's landing page shows: counts and shortcuts over what the user may see. No identity."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ctip.accounts import selectors as account_selectors
from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action
from ctip.audit import selectors as audit_selectors
from ctip.cases.selectors.tasks import my_task_counts as case_task_counts
from ctip.cases.selectors.tasks import my_tasks as case_tasks
from ctip.core.disclosure import PublishedCount, publish_count
from ctip.intake.selectors import tips_awaiting_triage
from ctip.people import selectors as people_selectors
from ctip.referrals.selectors import referrals_overdue, referrals_to_answer
from ctip.trustfund import selectors as trustfund_selectors
from ctip.trustfund.money import format_ksh


def landing_cards(*, user: Actor) -> list[dict]:
    cards: list[dict] = []
    national_total: int | None = None
    if user.can(Action.PERSON_VIEW):
        count: int | PublishedCount
        recent: int | PublishedCount
        count, recent = people_selectors.person_counts_for_user(user=user, since=timezone.now() - timedelta(days=7))
        if user.scope(Action.PERSON_VIEW) == "national":
            national_total = count
        if not user.sees_identity:
            # a role without identity access gets published figures only (none has a persons card today)
            count, recent = publish_count(count), publish_count(recent)
        cards.append({"key": "persons", "count": count, "recent": recent, "url": "people:list"})
    if user.can(Action.BREAKGLASS_REVIEW):
        cards.append(
            {
                "key": "breakglass",
                "count": account_selectors.breakglass_pending_count(user=user),
                "url": "accounts:breakglass_list",
            }
        )
    if user.can(Action.AUDIT_VIEW):
        today = timezone.now() - timedelta(hours=24)
        qs = audit_selectors.audit_events_for_user(user=user)
        cards.append(
            {
                "key": "audit",
                "count": qs.filter(occurred_at__gte=today).count(),
                "identity_reads": qs.filter(occurred_at__gte=today, action__startswith="identity.").count(),
                "url": "audit:list",
            }
        )
    if user.can(Action.USERS_MANAGE):
        users = account_selectors.user_list_for_admin(user=user)
        cards.append(
            {
                "key": "users",
                "count": users.filter(is_active=True).count(),
                "inactive": users.filter(is_active=False).count(),
                "url": "accounts:user_list",
            }
        )
    if user.can(Action.AGENCIES_MANAGE) or user.can(Action.STATS_VIEW):
        cards.append(
            {
                "key": "agencies",
                "count": account_selectors.agency_list(active_only=True).count(),
                "url": "accounts:agency_list",
            }
        )
    if user.can(Action.STATS_VIEW):
        cards.append(
            {
                "key": "stats",
                "persons_total": people_selectors.person_count_national(known=national_total),
                "url": None,
            }
        )
    if user.can(Action.TRUSTFUND_VIEW):
        balance = trustfund_selectors.balance_for_user(user=user)
        cards.append({"key": "trustfund", "balance": format_ksh(balance), "url": "trustfund:index"})
    return cards


def my_tasks(*, user: Actor) -> dict[str, list]:
    """Everything waiting for the user, across apps: follow-ups, cases without a status decision, new referrals
    to the user's agency to accept or decline, overdue referrals (sent by or to the user's agency), and public tips
    awaiting triage."""
    tasks = case_tasks(user=user)
    tasks["referrals_overdue"] = []
    if user.can(Action.REFERRAL_SEND) or user.can(Action.REFERRAL_RESPOND):
        tasks["referrals_overdue"] = list(referrals_overdue(user=user)[:50])
    tasks["referrals_to_answer"] = []
    if user.agency_id and user.can(Action.REFERRAL_RESPOND):
        tasks["referrals_to_answer"] = list(referrals_to_answer(user=user)[:50])
    tasks["tips_to_triage"] = []
    if user.can(Action.TIP_TRIAGE):
        tasks["tips_to_triage"] = list(tips_awaiting_triage(user)[:50])
    return tasks


def task_count(*, user: Actor) -> int:
    """How many tasks `my_tasks` lists, counted by the database (capped as the lists are): no row is fetched."""
    total = sum(case_task_counts(user=user).values())
    if user.can(Action.REFERRAL_SEND) or user.can(Action.REFERRAL_RESPOND):
        total += referrals_overdue(user=user)[:50].count()
    if user.agency_id and user.can(Action.REFERRAL_RESPOND):
        total += referrals_to_answer(user=user)[:50].count()
    if user.can(Action.TIP_TRIAGE):
        total += tips_awaiting_triage(user)[:50].count()
    return total
