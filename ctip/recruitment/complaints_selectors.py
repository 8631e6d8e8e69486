"""Reads of complaints about recruitment, the agency risk profile and the watchlist.

Officers' reads go through `accounts.access.require` (complaint.view: national, no agency owns a complaint).
Sealed text (what the complainant wrote, the numbers paid to, the officers' notes) is opened only by
`complaint_text_for_user`, which logs the read; evidence files only through `evidence_for_user` (complaint.evidence),
each download logged. The complainant's public status page (`complaint_public_status`) shows the status and dates,
never notes or who decided.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from django.contrib.auth.hashers import check_password, make_password
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ctip.accounts.access import may, require
from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action
from ctip.audit.services import audit_record
from ctip.cases.models import Case
from ctip.cases.selectors import case_list_for_user
from ctip.core.disclosure import PublishedCount, publish_count
from ctip.core.errors import NotFound
from ctip.justice.models import Investigation
from ctip.justice.selectors import investigation_list_for_user

from . import evidence as evidence_files
from .enums import COMPLAINT_OPEN, ComplaintStatus
from .events import ComplaintEvent
from .models import (
    COMPLAINT_TARGET,
    TARGET,
    AgencyStatusChange,
    Complaint,
    ComplaintAction,
    ComplaintEvidence,
    RecruitmentAgency,
    WatchlistEntry,
)

# --- officers: queue and page -------------------------------------------------------------------------------


@dataclass
class ComplaintFilters:
    status: str = "open"  # "open" (received or under review), a ComplaintStatus, or "" for all
    distress: bool = False


def complaint_queue_for_user(*, user: Actor, filters: ComplaintFilters | None = None) -> QuerySet[Complaint]:
    """The triage queue, newest first (people abroad in distress are flagged on the page)."""
    require(user, Action.COMPLAINT_VIEW)
    f = filters or ComplaintFilters()
    qs = Complaint.objects.select_related("agency", "destination_country", "current_country").order_by(
        "-created_at", "-id"
    )
    if f.status == "open":
        qs = qs.filter(status__in=list(COMPLAINT_OPEN))
    elif f.status:
        qs = qs.filter(status=f.status)
    if f.distress:
        qs = qs.filter(whereabouts="abroad_distress")
    return qs


def complaint_get_for_user(*, user: Actor, public_id, action: Action = Action.COMPLAINT_VIEW) -> Complaint:
    try:
        complaint = Complaint.objects.select_related(
            "agency", "destination_country", "current_country", "case", "reviewer"
        ).get(public_id=public_id)
    except (Complaint.DoesNotExist, ValueError) as exc:
        require(user, action)  # a role without the action gets 403 whatever the id
        raise NotFound() from exc
    require(user, action, complaint)
    return complaint


@dataclass
class ComplaintText:
    against_name: str
    paid_to_numbers: str
    transaction_codes: str
    description: str
    contact: str
    notes: dict[int, str] = field(default_factory=dict)  # action pk -> note


@dataclass
class ComplaintDetail:
    complaint: Complaint
    text: ComplaintText
    actions: list[ComplaintAction]
    evidence: list[ComplaintEvidence]
    case_visible: bool
    complainant_visible: bool = False  # the complainant's person record opens for this user


def complaint_detail_for_user(*, user: Actor, complaint: Complaint) -> ComplaintDetail:
    """The complaint page: the sealed text (the read is logged), the triage history with its notes, the evidence
    list (files are downloaded one by one, each logged), and whether the user may open the distress case."""
    require(user, Action.COMPLAINT_VIEW, complaint)
    actions = list(complaint.actions.select_related("by", "status_change"))
    evidence = list(complaint.evidence.all())
    text = ComplaintText(
        against_name=complaint.against_name,
        paid_to_numbers=complaint.paid_to_numbers,
        transaction_codes=complaint.transaction_codes,
        description=complaint.description,
        contact=complaint.contact,
        notes={a.pk: a.note for a in actions},
    )
    audit_record(
        actor=user,
        action=ComplaintEvent.TEXT_READ,
        target_type=COMPLAINT_TARGET,
        target_id=complaint.public_id,
        changes={"purpose": "complaint page"},
    )
    case_visible = complaint.case is not None and may(user, Action.CASE_VIEW, complaint.case)
    complainant_visible = complaint.complainant_id is not None and may(user, Action.PERSON_VIEW, complaint.complainant)
    return ComplaintDetail(complaint, text, actions, evidence, case_visible, complainant_visible)


def evidence_for_user(*, user: Actor, complaint_id, evidence_id) -> tuple[ComplaintEvidence, Path]:
    """One evidence file for download (complaint.evidence), the read logged."""
    complaint = complaint_get_for_user(user=user, public_id=complaint_id, action=Action.COMPLAINT_EVIDENCE)
    try:
        item = complaint.evidence.get(public_id=evidence_id)
    except (ComplaintEvidence.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc
    path = evidence_files.path_of(item.storage_name)
    if not path.is_file():
        raise NotFound()
    audit_record(
        actor=user,
        action=ComplaintEvent.EVIDENCE_READ,
        target_type=COMPLAINT_TARGET,
        target_id=complaint.public_id,
        changes={"evidence": str(item.public_id), "sha256": item.sha256},
    )
    return item, path


def complaint_url_for_user(user: Actor, reference: str) -> str | None:
    """The complaint's page, for a lead's link back to its source: only for a user who may see complaints."""
    if not (getattr(user, "is_authenticated", False) and user.can(Action.COMPLAINT_VIEW)):
        return None
    complaint = Complaint.objects.filter(reference=reference).only("public_id").first()
    return reverse("recruitment:complaint", args=[complaint.public_id]) if complaint is not None else None


# --- the complainant's status page --------------------------------------------------------------------------

PUBLIC_STATUS = {
    ComplaintStatus.NEW: _("Received: it will be reviewed by a labour officer."),
    ComplaintStatus.UNDER_REVIEW: _("Under review by a labour officer."),
    ComplaintStatus.ACTION_TAKEN: _("Decided: action was taken against the agency."),
    ComplaintStatus.REFERRED: _("Decided: passed to the police (DCI) for investigation."),
    ComplaintStatus.CLOSED: _("Closed: no action could be taken on this complaint."),
}


@dataclass(frozen=True)
class PublicComplaintStatus:
    reference: str
    status: str
    status_label: str
    explanation: str
    submitted_on: datetime
    updated_on: datetime


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return make_password("000000")


def normalize_reference(raw: str) -> str:
    """'cmp 7k3q9xrm', 'CMP-7K3Q-9XRM' -> 'CMP-7K3Q-9XRM'; other shapes upper-cased as typed."""
    text = "".join(ch for ch in (raw or "").upper() if ch.isalnum())
    if text.startswith("CMP") and len(text) == 11:
        return f"CMP-{text[3:7]}-{text[7:11]}"
    return (raw or "").strip().upper()[:30]


def complaint_public_status(*, reference: str, pin: str) -> PublicComplaintStatus:
    """What the complainant may see: the status and dates, nothing internal. A wrong reference and a wrong PIN
    raise the same NotFound after the same work (a PIN hash is always checked)."""
    ref = normalize_reference(reference)
    complaint = Complaint.objects.filter(reference=ref).first() if ref else None
    ok = check_password((pin or "").strip(), complaint.pin_hash if complaint is not None else _dummy_hash())
    if complaint is None or not ok:
        raise NotFound()
    status = ComplaintStatus(complaint.status)
    return PublicComplaintStatus(
        reference=complaint.reference,
        status=status.value,
        status_label=str(status.label),
        explanation=str(PUBLIC_STATUS[status]),
        submitted_on=complaint.created_at,
        updated_on=complaint.status_changed_at,
    )


# --- the agency risk profile ----------------------------------------------------------------------------------


@dataclass
class CountOrRows:
    """Records the user may open (rows), or only a published count of them (rows None)."""

    total: int  # exact: shown only with rows
    rows: list | None
    published: PublishedCount | None = None


@dataclass
class RiskProfile:
    agency: RecruitmentAgency
    complaints: CountOrRows
    complaints_by_status: dict[str, int]
    money_paid_cents: int
    cases: CountOrRows
    history: list[AgencyStatusChange]
    watch: WatchlistEntry | None
    watch_reason: str
    investigations: CountOrRows = field(default_factory=lambda: CountOrRows(0, []))
    leads: int = 0  # investigation leads sent from its complaints
    extra: dict = field(default_factory=dict)


PROFILE_ROWS = 50


def _agency_cases_q(agency: RecruitmentAgency) -> Q:
    names = [n for n in {agency.legal_name, agency.trading_name} if n]
    q = Q(pk__in=Complaint.objects.filter(agency=agency, case__isnull=False).values("case_id"))
    for name in names:
        q |= Q(recruiting_agency_name__iexact=name)
    return q


def agency_risk_profile_for_user(*, user: Actor, agency: RecruitmentAgency) -> RiskProfile:
    """What officers weigh about an agency: its complaints (listed for complaint.view, else a published count),
    the victim cases linked to it (its complaints' distress cases, cases naming it as the recruiter: listed when
    the user may see them, else counted with small cells suppressed), its status history and the watchlist."""
    require(user, Action.RECRUITER_VIEW, agency)
    complaint_qs = Complaint.objects.filter(agency=agency)
    stats = complaint_qs.aggregate(
        total=Count("id"),
        **{s.value: Count("id", filter=Q(status=s.value)) for s in ComplaintStatus},
    )
    money = sum(v or 0 for v in complaint_qs.values_list("amount_paid_cents", flat=True)[:10000])
    total = stats.pop("total")
    if user.can(Action.COMPLAINT_VIEW):
        complaints = CountOrRows(
            total,
            list(complaint_qs.select_related("destination_country").order_by("-created_at", "-id")[:PROFILE_ROWS]),
        )
    else:
        complaints = CountOrRows(total, None, publish_count(total))
    case_q = _agency_cases_q(agency)
    case_total = Case.objects.filter(case_q).count()  # a count only: no row leaves this function unchecked
    visible: list = []
    visible_total = 0
    if user.can(Action.CASE_VIEW) and case_total:
        mine = case_list_for_user(user=user).filter(case_q)
        visible = list(mine.order_by("-identified_on", "-id")[:PROFILE_ROWS])
        visible_total = len(visible) if len(visible) < PROFILE_ROWS else mine.count()
    hidden = case_total - visible_total
    cases = CountOrRows(visible_total, visible, publish_count(hidden) if hidden else None)
    watch = agency.watch_entries.filter(removed_at__isnull=True).select_related("added_by").first()
    reason = ""
    if watch is not None and user.can(Action.RECRUITER_WATCH):
        reason = watch.reason
        audit_record(
            actor=user,
            action=ComplaintEvent.WATCH_READ,
            target_type=TARGET,
            target_id=agency.public_id,
            changes={"entries": 1},
        )
    investigations = _investigations(user, agency)
    leads = (
        Complaint.objects.filter(agency=agency).exclude(lead_reference="").count()
        if user.can(Action.COMPLAINT_VIEW)
        else 0
    )
    return RiskProfile(
        investigations=investigations,
        leads=leads,
        agency=agency,
        complaints=complaints,
        complaints_by_status={k: v for k, v in stats.items() if v},
        money_paid_cents=money,
        cases=cases,
        history=list(agency.status_history.select_related("recorded_by", "complaint")[:100]),
        watch=watch,
        watch_reason=reason,
    )


def _investigations(user: Actor, agency: RecruitmentAgency) -> CountOrRows:
    """Investigation files naming the agency as a suspect organisation (justice): the files the user may open
    (justice.selectors.investigation_list_for_user), the others only as a published count."""
    names = [n for n in {agency.legal_name, agency.trading_name} if n]
    q = Q()
    for name in names:
        q |= Q(suspects__organisation_name__iexact=name)
    total = Investigation.objects.filter(q).distinct().count()
    if not total:
        return CountOrRows(0, [])
    rows: list = []
    if user.can(Action.INVESTIGATION_VIEW):
        rows = list(investigation_list_for_user(user=user).filter(q).distinct()[:PROFILE_ROWS])
    hidden = total - len(rows) if len(rows) < PROFILE_ROWS else 0
    return CountOrRows(len(rows), rows, publish_count(hidden) if hidden else None)


def watchlist_for_user(*, user: Actor) -> QuerySet[WatchlistEntry]:
    """The agencies on the watchlist (current entries), with each agency's open complaints counted."""
    require(user, Action.RECRUITER_VIEW)
    return (
        WatchlistEntry.objects.filter(removed_at__isnull=True)
        .select_related("agency", "agency__county", "added_by")
        .annotate(
            open_complaints=Count(
                "agency__complaints", filter=Q(agency__complaints__status__in=list(COMPLAINT_OPEN)), distinct=True
            )
        )
        .order_by("-added_at", "-id")
    )


def watched_agency_ids(agency_ids: list[int]) -> set[int]:
    return set(
        WatchlistEntry.objects.filter(agency_id__in=agency_ids, removed_at__isnull=True).values_list(
            "agency_id", flat=True
        )
    )


def watch_reasons_for_user(*, user: Actor, entries: list[WatchlistEntry]) -> dict[int, str]:
    """The reasons (sealed) of the watchlist entries shown, for users who keep the watchlist; the read logged."""
    if not entries or not user.can(Action.RECRUITER_WATCH):
        return {}
    audit_record(
        actor=user,
        action=ComplaintEvent.WATCH_READ,
        target_type=TARGET,
        target_id="",
        changes={"entries": len(entries)},
    )
    return {e.pk: e.reason for e in entries}
