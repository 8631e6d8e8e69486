"""The case overview (where the case stands in the NRM, what to do next) and the caseload of an agency's officers.

Both read in a fixed number of queries whatever the number of referrals, follow-ups, care actions or cases: the
overview reads one row of flags for the case (EXISTS subqueries), a bounded list of open follow-ups and, through
`contributions`, the referrals; the caseload is aggregate queries only (COUNT ... FILTER per officer)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from ctip.accounts.access import require
from ctip.accounts.actor import Actor
from ctip.accounts.models import Agency, User
from ctip.accounts.roles import Action, Scope
from ctip.accounts.selectors import agency_users_who_can_q
from ctip.core.errors import NotFound

from .. import contributions
from ..enums import CLOSED_STATUSES, CaseSection, ClosureReason, ConsentGiver, RepatriationStep
from ..models import (
    CarePlanAction,
    Case,
    CaseAssignment,
    Consent,
    FollowUp,
    NeedsAssessment,
    Repatriation,
    Screening,
    ServiceDelivery,
    TimelineEntry,
)

__all__ = [
    "CASELOAD_FLAGS",
    "IDLE_DAYS",
    "NRM_STEPS",
    "OVERVIEW_LIST_LIMIT",
    "CaseOverview",
    "CaseloadRow",
    "case_flag_q",
    "case_overview_for_user",
    "caseload_agency_for_user",
    "caseload_for_user",
    "officer_label_for_user",
]

OVERVIEW_LIST_LIMIT = 5  # open follow-ups and open referrals listed on the overview (the counts are exact)
IDLE_DAYS = 30  # a case with nothing on its timeline for this long has had "no activity"
RETURN_DONE_STEPS = (RepatriationStep.AIRPORT_RECEPTION, RepatriationStep.ONWARD_REFERRAL)
RETURN_CLOSURES = (ClosureReason.REINTEGRATED, ClosureReason.REPATRIATED)

# The steps of the National Referral Mechanism, in order, and the section of the case that tells each one (a user
# whose access does not reach that section sees the step as "not shared"). Labels are in the template.
NRM_STEPS = (
    ("identified", ""),
    ("screened", CaseSection.STATUS),
    ("decided", CaseSection.STATUS),
    ("consent", CaseSection.CONSENT),
    ("referred", ""),
    ("assisted", CaseSection.CARE),
    ("returned", CaseSection.RETURN),
    ("closed", ""),
)

# The caseload's "needs attention" columns, each also a filter of the case list (?flag=...).
CASELOAD_FLAGS = ("overdue_follow_ups", "overdue_care", "awaiting_referral", "idle")


# --- the conditions, shared by the overview, the caseload and the case list ------------------------------------


def _overdue_follow_up(ref, today):
    return Exists(FollowUp.objects.filter(case_id=ref, done_at__isnull=True, due_on__lt=today))


def _overdue_care(ref, today):
    return Exists(
        CarePlanAction.objects.filter(
            plan__case_id=ref, plan__actual_end__isnull=True, done_on__isnull=True, planned_on__lt=today
        )
    )


def _recent_activity(ref, since):
    return Exists(TimelineEntry.objects.filter(case_id=ref, at__gte=since))


def case_flag_q(flag: str, *, today=None, ref=None) -> Q:
    """The case-list condition for one caseload column (`CASELOAD_FLAGS`, or "unassigned"), over `ref` (the case
    id, OuterRef("pk") by default)."""
    today = today or timezone.localdate()
    ref = ref if ref is not None else OuterRef("pk")
    if flag == "overdue_follow_ups":
        return Q(_overdue_follow_up(ref, today))
    if flag == "overdue_care":
        return Q(_overdue_care(ref, today))
    if flag == "awaiting_referral":
        return Q(contributions.awaiting_referral(ref))
    if flag == "idle":
        return ~Q(_recent_activity(ref, timezone.now() - timedelta(days=IDLE_DAYS)))
    if flag == "unassigned":
        return ~Q(Exists(CaseAssignment.objects.filter(case_id=ref, ended_at__isnull=True)))
    raise ValueError(flag)


# --- the case overview ----------------------------------------------------------------------------------------


@dataclass
class CaseOverview:
    steps: list[dict]  # {"key", "state": done|current|todo|skipped|hidden, "date"}
    consent: dict | None  # None: the consent section is not visible
    follow_ups: list[FollowUp] = field(default_factory=list)
    follow_ups_open: int = 0
    follow_ups_overdue: int = 0
    care_overdue: int = 0
    referrals: contributions.OverviewReferrals | None = None
    next_actions: list[dict] = field(default_factory=list)  # {"key", "url" (a URL name or ""), "count"}
    today: object = None


def case_overview_for_user(*, user: Actor, case: Case, access, can_edit: bool, can_screen: bool, can_refer: bool):
    """Where `case` stands in the NRM, for the case page, read with the user's `access` (what a section not visible
    holds is not shown). One query of flags (the latest consent and the referrals' flags included); the open
    follow-ups and the open referrals only when there are some: 1 to 3 queries whatever their numbers."""
    today = timezone.localdate()
    sees = access.sees
    ref = OuterRef("pk")
    latest_consent = Consent.objects.filter(case_id=ref).order_by("-given_on", "-id")
    flags: dict[str, Any] = dict(
        Case.objects.filter(pk=case.pk)
        .annotate(
            has_screening=Exists(Screening.objects.filter(case_id=ref)),
            has_needs=Exists(NeedsAssessment.objects.filter(case_id=ref)),
            has_service=Exists(ServiceDelivery.objects.filter(case_id=ref)),
            has_return_step=Exists(Repatriation.objects.filter(case_id=ref)),
            returned_on=Subquery(
                Repatriation.objects.filter(case_id=ref, step__in=RETURN_DONE_STEPS, done_on__isnull=False)
                .order_by("done_on")
                .values("done_on")[:1]
            ),
            consent_given_on=Subquery(latest_consent.values("given_on")[:1]),
            consent_given_by=Subquery(latest_consent.values("given_by")[:1]),
            consent_sharing=Subquery(latest_consent.values("sharing")[:1]),
            consent_withdrawn_at=Subquery(latest_consent.values("withdrawn_at")[:1]),
            follow_ups_open=_count(FollowUp.objects.filter(case_id=ref, done_at__isnull=True)),
            follow_ups_overdue=_count(FollowUp.objects.filter(case_id=ref, done_at__isnull=True, due_on__lt=today)),
            care_overdue=_count(
                CarePlanAction.objects.filter(
                    plan__case_id=ref, plan__actual_end__isnull=True, done_on__isnull=True, planned_on__lt=today
                ),
                "plan__case_id",
            ),
            **contributions.overview_referral_flags(ref),
        )
        .values()
        .get()
    )
    consent: dict[str, Any] | None = None
    if sees(CaseSection.CONSENT):
        consent = {"state": "none"}
        if flags["consent_given_on"] is not None:
            consent = {
                "state": "withdrawn" if flags["consent_withdrawn_at"] else "given",
                "given_on": flags["consent_given_on"],
                "given_by": _label(ConsentGiver, flags["consent_given_by"]),
                "sharing": bool(flags["consent_sharing"]),
                "withdrawn_at": flags["consent_withdrawn_at"],
            }
    follow_ups = []
    if sees(CaseSection.FOLLOW_UPS) and flags["follow_ups_open"]:
        follow_ups = list(
            FollowUp.objects.filter(case=case, done_at__isnull=True)
            .select_related("assigned_to")
            .order_by("due_on", "id")[:OVERVIEW_LIST_LIMIT]
        )
        for f in follow_ups:
            setattr(f, "overdue", f.due_on < today)  # noqa: B010 (for the template)
    referrals = None
    if contributions.has_referrals():
        rows = (
            contributions.overview_referral_rows(user=user, case=case, limit=OVERVIEW_LIST_LIMIT)
            if flags["referrals_open"]
            else []
        )
        referrals = contributions.OverviewReferrals(
            any_sent=bool(flags["referral_sent"]),
            any_assisted=bool(flags["referral_assisted"]),
            # the owning side counts every open referral; a provider, only those it sees
            open_count=flags["referrals_open"] if access.owner_side else len(rows),
            open=rows,
        )

    closed = case.status in CLOSED_STATUSES
    done = {
        "identified": (True, case.identified_on),
        "screened": (flags["has_screening"] or bool(case.trafficking_status), None),
        "decided": (bool(case.trafficking_status), None),
        "consent": (consent is not None and consent["state"] == "given", consent and consent.get("given_on")),
        "referred": (referrals is not None and referrals.any_sent, None),
        "assisted": (flags["has_service"] or (referrals is not None and referrals.any_assisted), None),
        "returned": (
            flags["returned_on"] is not None or (closed and case.closure_reason in RETURN_CLOSURES),
            flags["returned_on"],
        ),
        "closed": (closed, timezone.localdate(case.closed_at) if closed and case.closed_at else None),
    }
    steps = []
    current_found = False
    for key, section in NRM_STEPS:
        if (section and not sees(section)) or (key == "referred" and referrals is None):
            steps.append({"key": key, "state": "hidden", "date": None})
            continue
        is_done, on = done[key]
        if is_done:
            state = "done"
        elif closed:
            state = "skipped"  # the case was closed without this step
        elif not current_found:
            state, current_found = "current", True
        else:
            state = "todo"
        steps.append({"key": key, "state": state, "date": on if is_done else None})

    overview = CaseOverview(
        steps=steps,
        consent=consent,
        follow_ups=follow_ups,
        follow_ups_open=flags["follow_ups_open"] if sees(CaseSection.FOLLOW_UPS) else 0,
        follow_ups_overdue=flags["follow_ups_overdue"] if sees(CaseSection.FOLLOW_UPS) else 0,
        care_overdue=flags["care_overdue"] if sees(CaseSection.CARE) else 0,
        referrals=referrals,
        today=today,
    )
    overview.next_actions = _next_actions(
        case, overview, flags, can_edit=can_edit, can_screen=can_screen, can_refer=can_refer, closed=closed
    )
    return overview


def _count(qs: QuerySet, field: str = "case_id"):
    """COUNT(*) of `qs` as a scalar subquery (0 when empty)."""
    return Coalesce(Subquery(qs.order_by().values(field).annotate(n=Count("pk")).values("n")[:1]), 0)


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or ""


def _next_actions(case, o: CaseOverview, flags, *, can_edit, can_screen, can_refer, closed) -> list[dict]:
    """What is missing, in NRM order, as things the user may do (links to the page where it is done)."""
    if closed or not can_edit:
        return []
    actions = []

    def add(key, url="", count=0):
        actions.append({"key": key, "url": url, "count": count})

    if o.follow_ups_overdue:
        add("follow_ups_overdue", "cases:follow_ups", o.follow_ups_overdue)
    if o.care_overdue:
        add("care_overdue", "cases:care", o.care_overdue)
    if o.referrals is not None:
        overdue = sum(1 for r in o.referrals.open if r["overdue"])
        if overdue:
            add("referral_overdue", "", overdue)
    if can_screen and not flags["has_screening"] and not case.trafficking_status:
        add("screen", "cases:screening")
    elif can_screen and not case.trafficking_status:
        add("decide", "cases:screening")
    if o.consent is not None and o.consent["state"] == "none":
        add("consent", "cases:consent")
    elif o.consent is not None and o.consent["state"] == "withdrawn":
        add("consent_withdrawn", "cases:consent")
    if not flags["has_needs"]:
        add("needs", "cases:care")
    victim = case.trafficking_status != "NotAVictimOfTrafficking"
    if (
        can_refer
        and victim
        and o.referrals is not None
        and not o.referrals.any_sent
        and o.consent is not None
        and o.consent["state"] == "given"
        and o.consent["sharing"]
    ):
        add("refer", "referrals:send")
    if (case.is_abroad or (case.is_foreign and case.return_requested)) and not flags["has_return_step"]:
        add("return", "cases:return")
    if not o.follow_ups_open:
        add("follow_up", "cases:follow_ups")
    if case.trafficking_status == "NotAVictimOfTrafficking":
        add("close_not_victim")
    return actions


# --- the caseload ---------------------------------------------------------------------------------------------


@dataclass
class CaseloadRow:
    officer: User | None  # None: the agency's open cases nobody is assigned to
    open: int = 0
    overdue_follow_ups: int = 0
    overdue_care: int = 0
    awaiting_referral: int = 0
    idle: int = 0


def caseload_agency_for_user(*, user: Actor, agency_public_id=None) -> Agency:
    """The agency whose caseload `user` may read: their own, or (national scope, the coordinator) any agency
    asked for. Another agency asked for by a user of agency scope: NotFound."""
    require(user, Action.CASELOAD_VIEW)
    national = user.scope(Action.CASELOAD_VIEW) == Scope.NATIONAL
    if agency_public_id:
        try:
            agency = Agency.objects.get(public_id=agency_public_id)
        except (Agency.DoesNotExist, ValueError, ValidationError) as exc:  # a malformed id as a missing one
            raise NotFound() from exc
        if national or agency.pk == user.agency_id:
            return agency
        raise NotFound()
    if user.agency is None:
        raise NotFound()
    return user.agency


def _counts(field: str, ref, today) -> dict:
    """COUNT(DISTINCT case) FILTER (...) for each column, the case being `field` (its id as `ref` in subqueries)."""
    since = timezone.now() - timedelta(days=IDLE_DAYS)
    return {
        "open": Count(field, distinct=True),
        "overdue_follow_ups": Count(field, filter=Q(_overdue_follow_up(ref, today)), distinct=True),
        "overdue_care": Count(field, filter=Q(_overdue_care(ref, today)), distinct=True),
        "awaiting_referral": Count(field, filter=Q(contributions.awaiting_referral(ref)), distinct=True),
        "idle": Count(field, filter=~Q(_recent_activity(ref, since)), distinct=True),
    }


def caseload_for_user(*, user: Actor, agency: Agency) -> list[CaseloadRow]:
    """The open cases of `agency` per assigned officer, with how many need attention; officers who may hold cases
    but have none are listed with zeros, and the open cases nobody is assigned to come last. Three queries: the
    counts per officer, the counts of unassigned cases, the officers."""
    require(user, Action.CASELOAD_VIEW)
    today = timezone.localdate()
    open_cases = Case.objects.filter(owning_agency=agency).exclude(status__in=list(CLOSED_STATUSES))
    per_officer: dict[int, dict[str, Any]] = {
        row["user_id"]: {k: v for k, v in row.items() if k != "user_id"}
        for row in CaseAssignment.objects.filter(ended_at__isnull=True, case__in=open_cases)
        .values("user_id")
        .annotate(**_counts("case_id", OuterRef("case_id"), today))
        .order_by()
    }
    unassigned = open_cases.filter(case_flag_q("unassigned", today=today)).aggregate(
        **_counts("pk", OuterRef("pk"), today)
    )
    officers = User.objects.filter(
        agency_users_who_can_q(agency=agency, action=Action.CASE_EDIT) | Q(pk__in=list(per_officer))
    )
    rows = [CaseloadRow(officer=u, **per_officer.get(u.pk, {})) for u in officers]
    rows.sort(key=lambda r: (-r.open, _name(r.officer).lower()))
    rows.append(CaseloadRow(officer=None, **unassigned))
    return rows


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def officer_label_for_user(*, user: Actor, public_id) -> str:
    """The name of the officer a case-list filter names, if the user may read that officer's caseload (their own
    agency, or any for a national scope); "" otherwise."""
    if not public_id or not getattr(user, "is_authenticated", False):
        return ""
    qs = User.objects.filter(public_id=public_id)
    if user.scope(Action.CASE_VIEW) != Scope.NATIONAL:
        if not user.agency_id:
            return ""
        qs = qs.filter(agency_id=user.agency_id)
    officer = qs.only("first_name", "last_name", "username").first()
    return (officer.get_full_name() or officer.username) if officer else ""
