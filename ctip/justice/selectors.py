"""Reads of investigation files, scoped by the user (ARCHITECTURE.md rule 3).

Who sees a file: the investigating unit's agency (investigation.view at agency scope) and the prosecution office
it was handed to (a share naming sections). Coordinators and analysts see aggregates only (`figures`). Missing
and not-yours raise the same NotFound. Sealed text and suspects' names are opened only here, and every read is
logged."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.accounts.access import Access, require, visible_q
from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action
from ctip.audit.services import audit_record
from ctip.core.disclosure import PublishedCount, publish_count
from ctip.core.errors import NotFound
from ctip.people.identity import NAME_FIELDS, open_identity
from ctip.people.sealed import has_text
from ctip.reference.enums import Statute
from ctip.reference.selectors import htcds_values, offence_list

from .enums import Advice, EvidenceItem, FileSection, InvestigationStatus
from .models import TARGET, ChargeSheet, Evidence, Investigation, InvestigationCase, Submission, Suspect

ROLE_FIELD = "per_RoleInProcess"


def investigation_list_for_user(*, user: Actor, status: str = "") -> QuerySet[Investigation]:
    """Files the user may see: their unit's, and those handed to their office."""
    q = visible_q(user, Action.INVESTIGATION_VIEW, TARGET)
    if q is None:
        return Investigation.objects.none()
    qs = Investigation.objects.filter(q)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("owning_agency", "prosecution_agency").order_by("-opened_on", "-id")


def review_queue_for_user(*, user: Actor) -> QuerySet[Investigation]:
    """Files awaiting the advice of the user's prosecution office, oldest first."""
    require(user, Action.INVESTIGATION_REVIEW)
    q = visible_q(user, Action.INVESTIGATION_VIEW, TARGET)
    if q is None or not user.agency_id:
        return Investigation.objects.none()
    return (
        Investigation.objects.filter(q, status=InvestigationStatus.WITH_ODPP, prosecution_agency_id=user.agency_id)
        .select_related("owning_agency", "prosecution_agency")
        .order_by("status_changed_at", "id")
    )


def investigation_get_for_user(
    *, user: Actor, public_id, action: Action = Action.INVESTIGATION_VIEW, section: str | None = None
) -> tuple[Investigation, Access]:
    require(user, action)
    try:
        investigation = (
            Investigation.objects.select_related("owning_agency", "prosecution_agency")
            .annotate(
                first_identified=Subquery(
                    InvestigationCase.objects.filter(investigation_id=OuterRef("pk"))
                    .order_by("case__identified_on")
                    .values("case__identified_on")[:1]
                ),
                first_advice=Subquery(
                    Submission.objects.filter(investigation_id=OuterRef("pk"), advised_at__isnull=False)
                    .order_by("advised_at")
                    .values("advised_at")[:1]
                ),
                charge_advice=Subquery(
                    Submission.objects.filter(investigation_id=OuterRef("pk"), advice=Advice.CHARGE)
                    .order_by("-advised_at")
                    .values("advised_at")[:1]
                ),
                charged_on=Subquery(
                    ChargeSheet.objects.filter(investigation_id=OuterRef("pk")).values("charged_on")[:1]
                ),
            )
            .get(public_id=public_id)
        )
    except (Investigation.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound() from exc
    return investigation, require(user, action, investigation, section=section)


def visible_sections(access: Access) -> set[str]:
    return access.sections_of(FileSection.values)


def _read_sensitive(user: Actor, investigation: Investigation, fields: list[str], purpose: str) -> None:
    if fields:
        audit_record(
            actor=user,
            action="investigation.read_sensitive",
            target_type=TARGET,
            target_id=investigation.public_id,
            changes={"reference": investigation.reference, "fields": fields, "purpose": purpose},
        )


# --- the file's parts -------------------------------------------------------------------------------------------


def case_links(*, investigation: Investigation, access: Access) -> list[InvestigationCase]:
    if not access.sees(FileSection.VICTIMS):
        return []
    return list(investigation.case_links.select_related("case__owning_agency"))


@dataclass
class SuspectRow:
    suspect: Suspect
    name: str  # the person's name where the user may see it, the organisation's name, or ""
    roles: list[str]


def suspects_for_user(
    *, user: Actor, investigation: Investigation, access: Access, names_shown: bool = False
) -> list[SuspectRow]:
    """The suspects; with `names_shown`, the names of persons for a role that sees identity (one logged read for
    the page). Names are opened on demand, as a case's narrative is."""
    if not access.sees(FileSection.SUSPECTS):
        return []
    suspects = list(investigation.suspects.select_related("person"))
    labels = dict(role_choices())
    names: dict[int, str] = {}
    if names_shown and user.can(Action.PERSON_VIEW_IDENTITY):
        names = {s.pk: open_identity(s.person, NAME_FIELDS).full_name for s in suspects if s.person is not None}
        if names:
            audit_record(
                actor=user,
                action="identity.list",
                target_type="people.person",
                changes={
                    "purpose": "investigation",
                    "via": access.via,
                    "reference": investigation.reference,
                    "persons": [str(s.person.public_id) for s in suspects if s.pk in names and s.person],
                },
            )
    return [
        SuspectRow(
            suspect=s,
            name=names.get(s.pk, "") if s.person_id else s.organisation_name,
            roles=[str(labels.get(r, r)) for r in s.roles],
        )
        for s in suspects
    ]


def offences(*, investigation: Investigation, access: Access) -> list:
    if not access.sees(FileSection.OFFENCES):
        return []
    return [row.offence for row in investigation.offences.select_related("offence")]


def offence_choices(*, investigation: Investigation):
    return offence_list().exclude(pk__in=investigation.offences.values("offence_id"))


@lru_cache(maxsize=1)
def role_choices() -> tuple[tuple[str, str], ...]:
    """The HTCDS perpetrator roles (reference data is static between migrations: read once per process)."""
    return tuple(htcds_values(ROLE_FIELD))


def log_counts(*, investigation: Investigation, access: Access) -> dict:
    """How many identifiers and actions are recorded, without opening them (one query)."""
    counts = Investigation.objects.filter(pk=investigation.pk).aggregate(
        identifiers=Count("identifiers", distinct=True), actions=Count("actions", distinct=True)
    )
    return {
        "identifiers": counts["identifiers"] if access.sees(FileSection.IDENTIFIERS) else 0,
        "actions": counts["actions"] if access.sees(FileSection.ACTIONS) else 0,
    }


def log_for_user(*, user: Actor, investigation: Investigation, access: Access) -> dict:
    """The identifiers found and the action log, opened (sealed): one logged read."""
    out: dict = {"identifiers": [], "actions": []}
    fields = []
    if access.sees(FileSection.IDENTIFIERS):
        out["identifiers"] = [
            {"kind": row.get_kind_display(), "value": row.value, "added_at": row.added_at}
            for row in investigation.identifiers.all()
        ]
        if out["identifiers"]:
            fields.append("identifiers")
    if access.sees(FileSection.ACTIONS):
        out["actions"] = [
            {"done_on": row.done_on, "text": row.text, "by": row.added_by}
            for row in investigation.actions.select_related("added_by")
        ]
        if out["actions"]:
            fields.append("actions")
    _read_sensitive(user, investigation, fields, "log")
    return out


@dataclass
class EvidenceRow:
    item: str
    label: str
    state: str
    state_label: str
    reason: str
    updated_at: object


def evidence_for_user(*, user: Actor, investigation: Investigation, access: Access) -> list[EvidenceRow]:
    """The checklist in the SOP's order, with the reasons given for missing items (a logged read)."""
    if not access.sees(FileSection.EVIDENCE):
        return []
    rows: dict[str, Evidence] = {e.item: e for e in investigation.evidence.all()}
    out = []
    opened = False
    for item in EvidenceItem.values:
        row = rows.get(item)
        if row is None:
            continue
        reason = row.reason if row.state == "missing" else ""
        opened = opened or bool(reason)
        out.append(
            EvidenceRow(item, str(EvidenceItem(item).label), row.state, row.get_state_display(), reason, row.updated_at)
        )
    _read_sensitive(user, investigation, ["evidence_reasons"] if opened else [], "evidence")
    return out


def exchange_for_user(*, user: Actor, investigation: Investigation, text_shown: bool = False) -> list[dict]:
    """The hand-overs and the prosecutor's advice, oldest first: the timeline both sides see. With `text_shown`,
    the sealed notes, requests and reasons are opened (one logged read); else only whether there is text."""
    rows = []
    opened = False
    for s in investigation.submissions.select_related("agency", "submitted_by", "advised_by"):
        if text_shown:
            note, advice_text = s.note, s.advice_text
            opened = opened or bool(note) or bool(advice_text)
        else:
            note = advice_text = ""
        rows.append(
            {
                "submission": s,
                "note": note,
                "advice_text": advice_text,
                "has_text": has_text(s, "note") or has_text(s, "advice_text"),
                "sections": [str(FileSection(x).label) for x in s.sections if x in FileSection.values],
                "gaps": [str(EvidenceItem(x).label) for x in s.gaps if x in EvidenceItem.values],
            }
        )
    _read_sensitive(user, investigation, ["exchange"] if opened else [], "exchange")
    return rows


# --- lead times and figures -----------------------------------------------------------------------------------


@dataclass
class LeadTimes:
    identification_to_file: int | None  # days from the earliest linked victim's identification to the file
    file_to_decision: int | None  # days from the file to the prosecutor's first advice
    decision_to_charge: int | None = None  # days from the advice to charge to the date of charge


def lead_times(*, investigation: Investigation) -> LeadTimes:
    """From the annotations `investigation_get_for_user` adds (no query), else read."""
    if hasattr(investigation, "first_identified"):
        identified = investigation.first_identified
        advised = getattr(investigation, "first_advice", None)  # annotated with first_identified
    else:
        identified = investigation.case_links.aggregate(first=Min("case__identified_on"))["first"]
        advised = investigation.submissions.exclude(advice="").aggregate(first=Min("advised_at"))["first"]
    charge_advice = getattr(investigation, "charge_advice", None)
    charged_on = getattr(investigation, "charged_on", None)
    return LeadTimes(
        identification_to_file=(investigation.opened_on - identified).days if identified else None,
        file_to_decision=(timezone.localtime(advised).date() - investigation.opened_on).days if advised else None,
        decision_to_charge=(charged_on - timezone.localtime(charge_advice).date()).days
        if charge_advice and charged_on
        else None,
    )


@dataclass
class FigureRow:
    label: str
    count: PublishedCount


@dataclass
class Figures:
    by_status: list[FigureRow]
    by_advice: list[FigureRow]
    by_statute: list[FigureRow]
    files_with_children: PublishedCount
    median_identification_to_file: int | None  # None when fewer than SMALL_CELL files give it
    median_file_to_decision: int | None
    year: int | None


def _median_days(pairs: list[tuple[date, date]]) -> int | None:
    days = [(later - earlier).days for earlier, later in pairs if earlier and later]
    # a median drawn from a small cell is not published either
    return None if publish_count(len(days)).suppressed else int(statistics.median(days))


def figures(*, user: Actor, year: int | None = None) -> Figures:
    """Aggregates for coordinators and analysts (stats.view): every count through publish_count, medians only
    over enough files. A fixed number of queries whatever the number of files."""
    require(user, Action.STATS_VIEW)
    qs = Investigation.objects.all()
    if year:
        qs = qs.filter(opened_on__year=year)
    by_status = dict(qs.values_list("status").annotate(n=Count("id")).order_by())
    subs = Submission.objects.filter(investigation__in=qs).exclude(advice="")
    by_advice = dict(subs.values_list("advice").annotate(n=Count("id")).order_by())
    by_statute = dict(qs.values_list("offences__offence__statute").annotate(n=Count("id", distinct=True)).order_by())
    children = qs.filter(case_links__case__is_child=True).values("id").distinct().count()
    first_identified = list(
        qs.annotate(first=Min("case_links__case__identified_on"))
        .filter(first__isnull=False)
        .values_list("first", "opened_on")
    )
    first_advice = list(
        qs.annotate(first=Min("submissions__advised_at")).filter(first__isnull=False).values_list("opened_on", "first")
    )
    return Figures(
        by_status=[FigureRow(str(s.label), publish_count(by_status.get(s.value, 0))) for s in InvestigationStatus],
        by_advice=[FigureRow(str(a.label), publish_count(by_advice.get(a.value, 0))) for a in Advice],
        by_statute=[FigureRow(str(s.label), publish_count(by_statute.get(s.value, 0))) for s in Statute],
        files_with_children=publish_count(children),
        median_identification_to_file=_median_days(first_identified),
        median_file_to_decision=_median_days([(o, timezone.localtime(a).date()) for o, a in first_advice]),
        year=year,
    )


# --- prosecution ----------------------------------------------------------------------------------------------------


def charge_sheet_for_user(*, investigation: Investigation, access: Access) -> ChargeSheet | None:
    """The file's charge sheet with its counts (accused and offence read with them), for whoever sees the
    file's suspects; None when there is none or the section is not visible."""
    if not access.sees(FileSection.SUSPECTS):
        return None
    sheet = ChargeSheet.objects.filter(investigation=investigation).select_related("prosecution_agency").first()
    if sheet is not None:
        sheet.count_rows = list(sheet.counts.select_related("accused", "offence"))  # type: ignore[attr-defined]
    return sheet


def accused_choices(*, investigation: Investigation) -> list[tuple[str, str]]:
    """The file's suspects as the accused a count can name, without opening any identity: an organisation by
    its name, a person as "Person suspect n" with their roles."""
    labels = dict(role_choices())
    out = []
    n = 0
    for s in investigation.suspects.all():
        roles = ", ".join(str(labels.get(r, r)) for r in s.roles)
        if s.person_id:
            n += 1
            out.append((str(s.public_id), _("Person suspect %(n)s (%(roles)s)") % {"n": n, "roles": roles}))
        else:
            out.append((str(s.public_id), f"{s.organisation_name} ({roles})"))
    return out


def suspect_of(*, investigation: Investigation, public_id) -> Suspect | None:
    try:
        return investigation.suspects.filter(public_id=public_id).first()
    except (ValueError, ValidationError):
        return None


def offence_list_for_charge(*, investigation: Investigation):
    """Offences a count may cite: every offence of the reference catalogue (statute and section)."""
    return offence_list()


@dataclass
class FunnelCounts:
    """Exact counts of the criminal-justice funnel, for the statistics module only (ctip.stats), which suppresses
    and rounds them before anyone sees them."""

    opened: int  # investigation files opened in the period
    with_odpp: int  # of them, files handed to a prosecution office at least once
    charged: int  # of them, files with a charge sheet


def funnel_counts(
    *, user: Actor, date_from: date | None = None, date_to: date | None = None, cases=None
) -> FunnelCounts:
    """Investigations -> files with the ODPP -> charged, by the date the file was opened; `cases` (a queryset of
    victim cases) keeps only the files linked to one of them. One aggregate query."""
    require(user, Action.STATS_VIEW)
    qs = Investigation.objects.all()
    if date_from:
        qs = qs.filter(opened_on__gte=date_from)
    if date_to:
        qs = qs.filter(opened_on__lte=date_to)
    if cases is not None:
        qs = qs.filter(Exists(InvestigationCase.objects.filter(investigation_id=OuterRef("pk"), case__in=cases)))
    counts = qs.aggregate(
        opened=Count("id"),
        with_odpp=Count("id", filter=Q(Exists(Submission.objects.filter(investigation_id=OuterRef("pk"))))),
        charged=Count("id", filter=Q(Exists(ChargeSheet.objects.filter(investigation_id=OuterRef("pk"))))),
    )
    return FunnelCounts(opened=counts["opened"], with_odpp=counts["with_odpp"], charged=counts["charged"])
