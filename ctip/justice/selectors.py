"""Reads of investigation files, scoped by the user (ARCHITECTURE.md rule 3).

Who sees a file: the investigating unit's agency (investigation.view at agency scope) and the prosecution office
it was handed to (a share naming sections). Coordinators and analysts see aggregates only (`figures`). Missing
and not-yours raise the same NotFound. Sealed text and suspects' names are opened only here, and every read is
logged."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ctip.accounts.access import Access, require, visible_q
from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action
from ctip.audit.services import audit_record
from ctip.cases.enums import TraffickingStatus
from ctip.cases.models import Screening
from ctip.core.disclosure import PublishedCount, publish_count
from ctip.core.errors import NotFound
from ctip.people.identity import NAME_FIELDS, open_identity
from ctip.people.sealed import has_text
from ctip.reference.enums import Statute
from ctip.reference.selectors import htcds_values, offence_list

from . import fund
from .enums import (
    Advice,
    CourtEventKind,
    CourtEventStatus,
    EvidenceItem,
    FileSection,
    Flag,
    InvestigationStatus,
    Sex,
    Verdict,
)
from .models import (
    TARGET,
    Appeal,
    ChargeCount,
    ChargeSheet,
    CountOutcome,
    CourtEvent,
    CourtStation,
    Evidence,
    ForfeitureOrder,
    Investigation,
    InvestigationCase,
    InvestigationOffence,
    RestitutionOrder,
    Submission,
    Suspect,
    VictimWitness,
)

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


def _days_histogram(per_file: QuerySet, earlier: str, later: str) -> list[tuple[int, int]]:
    """(days from `earlier` to `later`, files) over `per_file` (one row a file, two date columns by those names),
    the files where both are known. The database groups, so a median over 50,000 files reads a few hundred rows
    and converts no date in Python (the date difference is the one vendor-specific part)."""
    sql, params = per_file.query.sql_with_params()
    if connection.vendor == "sqlite":
        days = f"CAST(julianday(per_file.{later}) - julianday(per_file.{earlier}) AS INTEGER)"
    else:  # PostgreSQL: date - date is a number of days
        days = f"(per_file.{later} - per_file.{earlier})"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {days}, COUNT(*) FROM ({sql}) per_file "  # noqa: S608 - column names are ours, values are params
            f"WHERE per_file.{earlier} IS NOT NULL AND per_file.{later} IS NOT NULL GROUP BY 1",
            params,
        )
        return [(int(d), n) for d, n in cursor.fetchall()]


def _median_of_histogram(histogram: list[tuple[int, int]]) -> int | None:
    """`_median_days` over the files a histogram counts: the same median (the mean of the two middle values when
    their number is even, truncated), None for a small cell."""
    total = sum(n for _days, n in histogram)
    if publish_count(total).suppressed:
        return None
    low_at, high_at = (total - 1) // 2, total // 2
    low = high = None
    seen = 0
    for days, n in sorted(histogram):
        if low is None and seen + n > low_at:
            low = days
        if seen + n > high_at:
            high = days
            break
        seen += n
    if low is None or high is None:  # not reached: total > 0 files are counted, so both middles exist
        return None
    return int(statistics.median([low, high]))


def figures(*, user: Actor, year: int | None = None) -> Figures:
    """Aggregates for coordinators and analysts (stats.view): every count through publish_count, medians only
    over enough files. A fixed number of queries whatever the number of files, each returning a few rows (the
    lead times as histograms of days: 50,000 files in well under the 500 ms of issue 11, bench/justice.py)."""
    require(user, Action.STATS_VIEW)
    qs = Investigation.objects.all()
    subs = Submission.objects.all()
    file_offences = InvestigationOffence.objects.all()
    links = InvestigationCase.objects.all()
    if year:
        qs = qs.filter(opened_on__year=year)
        subs = subs.filter(investigation__opened_on__year=year)
        file_offences = file_offences.filter(investigation__opened_on__year=year)
        links = links.filter(investigation__opened_on__year=year)
    child_links = links.filter(case__is_child=True)
    by_status = dict(qs.values_list("status").annotate(n=Count("id")).order_by())
    by_advice = dict(subs.exclude(advice="").values_list("advice").annotate(n=Count("id")).order_by())
    by_statute = dict(
        file_offences.values_list("offence__statute").annotate(n=Count("investigation_id", distinct=True)).order_by()
    )
    children = child_links.values("investigation_id").distinct().count()
    # per file, from the linked cases and the submissions (only files that have them): the earliest
    # identification of a linked victim, and the date (Nairobi) of the prosecutor's first advice
    to_file = _days_histogram(
        links.values("investigation_id")
        .annotate(opened_on=Min("investigation__opened_on"), identified=Min("case__identified_on"))
        .order_by(),
        "identified",
        "opened_on",
    )
    to_decision = _days_histogram(
        subs.filter(advised_at__isnull=False)
        .values("investigation_id")
        .annotate(opened_on=Min("investigation__opened_on"), advised=TruncDate(Min("advised_at")))
        .order_by(),
        "opened_on",
        "advised",
    )
    return Figures(
        by_status=[FigureRow(str(s.label), publish_count(by_status.get(s.value, 0))) for s in InvestigationStatus],
        by_advice=[FigureRow(str(a.label), publish_count(by_advice.get(a.value, 0))) for a in Advice],
        by_statute=[FigureRow(str(s.label), publish_count(by_statute.get(s.value, 0))) for s in Statute],
        files_with_children=publish_count(children),
        median_identification_to_file=_median_of_histogram(to_file),
        median_file_to_decision=_median_of_histogram(to_decision),
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


def accused_on_sheet(*, investigation: Investigation) -> list[tuple[str, str]]:
    """The accused named on the file's charge sheet, labelled as `accused_choices` does (no identity opened)."""
    on_sheet = {
        str(p)
        for p in ChargeCount.objects.filter(charge_sheet__investigation=investigation).values_list(
            "accused__public_id", flat=True
        )
    }
    return [(p, label) for p, label in accused_choices(investigation=investigation) if p in on_sheet]


def suspect_of(*, investigation: Investigation, public_id) -> Suspect | None:
    try:
        return investigation.suspects.filter(public_id=public_id).first()
    except (ValueError, ValidationError):
        return None


def court_choices() -> QuerySet[CourtStation]:
    """The active court stations, by name (reference data)."""
    return CourtStation.objects.filter(is_active=True).order_by("name")


def offence_list_for_charge(*, investigation: Investigation):
    """Offences a count may cite: every offence of the reference catalogue (statute and section)."""
    return offence_list()


def audit_ids_for_reference(text: str) -> list[str]:
    """For the audit trail's record filter (ctip.audit.lookups): a file number -> the investigation's public id."""
    reference = text.strip().upper()
    return [str(v) for v in Investigation.objects.filter(reference=reference).values_list("public_id", flat=True)]


# --- the court: diary, victim-witnesses, outcomes, flags -------------------------------------------------------------

LIGHTER_STATUTES = (Statute.IMMIGRATION, Statute.LABOUR_INSTITUTIONS, Statute.EMPLOYMENT)
TRAFFICKED = (TraffickingStatus.ACTUAL, TraffickingStatus.POSSIBLE)
UPCOMING_DAYS = 30


def pending_days() -> int:
    """Days after the charge with no hearing held before a prosecution is flagged (setting, default 90)."""
    return int(getattr(settings, "CTIP_JUSTICE_PENDING_DAYS", 90))


def _trafficked_cases(investigation_id) -> QuerySet[InvestigationCase]:
    """The file's victim cases whose indicators show trafficking: decided a possible or actual victim, or not yet
    decided and their latest screening's Delphi indicators suggest one (a case decided "not a victim" is not)."""
    latest_suggestion = Subquery(
        Screening.objects.filter(case_id=OuterRef("case_id")).order_by("-screened_on", "-id").values("suggestion")[:1]
    )
    return (
        InvestigationCase.objects.filter(investigation_id=investigation_id)
        .annotate(screened_as=latest_suggestion)
        .filter(Q(case__trafficking_status__in=TRAFFICKED) | Q(case__trafficking_status="", screened_as__in=TRAFFICKED))
    )


def _flag_annotations(today: date) -> dict:
    """Each flag as an EXISTS over the charge sheet's own rows: one query for a whole list, whatever its size."""
    inv = OuterRef("investigation_id")
    counts = ChargeCount.objects.filter(charge_sheet_id=OuterRef("pk"))
    return {
        "flag_child_victim": Exists(InvestigationCase.objects.filter(investigation_id=inv, case__is_child=True)),
        "flag_victim_accused": Exists(counts.filter(accused__person__cases__investigation_links__investigation_id=inv)),
        "flag_lighter_charges": Exists(counts)
        & ~Exists(counts.exclude(offence__statute__in=LIGHTER_STATUTES))
        & Exists(_trafficked_cases(inv)),
        "flag_pending": Q(charged_on__lte=today - timedelta(days=pending_days()))
        & ~Exists(
            CourtEvent.objects.filter(
                charge_sheet_id=OuterRef("pk"), kind=CourtEventKind.HEARING, status=CourtEventStatus.HELD
            )
        )
        & Exists(counts.filter(outcome__isnull=True)),
    }


def _with_flags(qs: QuerySet[ChargeSheet]) -> QuerySet[ChargeSheet]:
    annotations = {
        name: ExpressionWrapper(expr, output_field=BooleanField())
        for name, expr in _flag_annotations(timezone.localdate()).items()
    }
    return qs.annotate(**annotations)


def flags_of(sheet: ChargeSheet) -> list[tuple[str, str]]:
    """The flags annotated on a sheet, as (value, label)."""
    return [(f.value, str(f.label)) for f in Flag if getattr(sheet, f"flag_{f.value}", False)]


def prosecution_list_for_user(*, user: Actor, flag: str = "") -> QuerySet[ChargeSheet]:
    """The prosecutions of the user's office (the charge sheets it brought on files it still sees), newest charge
    first, each with its flags; `flag` keeps those with that flag."""
    require(user, Action.PROSECUTION_COURT)
    # the visibility of each sheet's file, on the sheet's own rows (not an IN over every file the user sees)
    q = visible_q(
        user,
        Action.INVESTIGATION_VIEW,
        TARGET,
        owner_field="investigation__owning_agency",
        id_field="investigation__public_id",
    )
    if q is None or not user.agency_id:
        return ChargeSheet.objects.none()
    qs = _with_flags(ChargeSheet.objects.filter(q, prosecution_agency_id=user.agency_id))
    if flag in Flag.values:
        qs = qs.filter(**{f"flag_{flag}": True})
    return qs.select_related("investigation", "court").order_by("-charged_on", "-id")


def upcoming_sittings_for_user(*, user: Actor, days: int = UPCOMING_DAYS) -> QuerySet[CourtEvent]:
    """The office's scheduled sittings in the next `days` days (today included), soonest first."""
    require(user, Action.PROSECUTION_COURT)
    q = visible_q(
        user,
        Action.INVESTIGATION_VIEW,
        TARGET,
        owner_field="charge_sheet__investigation__owning_agency",
        id_field="charge_sheet__investigation__public_id",
    )
    if q is None or not user.agency_id:
        return CourtEvent.objects.none()
    today = timezone.localdate()
    return (
        CourtEvent.objects.filter(
            q,
            status=CourtEventStatus.SCHEDULED,
            sits_on__gte=today,
            sits_on__lte=today + timedelta(days=days),
            charge_sheet__prosecution_agency_id=user.agency_id,
        )
        .select_related("charge_sheet__investigation", "charge_sheet__court")
        .order_by("sits_on", "id")
    )


def flagged_sheet(*, investigation: Investigation, access: Access) -> ChargeSheet | None:
    """The file's charge sheet with its flags (one query), for whoever sees the file's suspects."""
    if not access.sees(FileSection.SUSPECTS):
        return None
    return _with_flags(ChargeSheet.objects.filter(investigation=investigation)).select_related("court").first()


@dataclass
class CourtRecord:
    sheet: ChargeSheet
    events: list[CourtEvent]
    counts: list[ChargeCount]  # each with .outcome_row (CountOutcome or None)
    restitution: list[RestitutionOrder]
    forfeiture: list[ForfeitureOrder]
    appeals: list[Appeal]
    accused: list[tuple[str, str]]  # (suspect public_id, label) of the accused on the sheet
    flags: list[tuple[str, str]]


def court_record_for_user(*, user: Actor, investigation: Investigation, access: Access) -> CourtRecord | None:
    """The court record of a charged file: diary, counts with their outcomes, orders, appeals, flags. A fixed
    number of queries whatever it holds. Assets of forfeiture orders stay sealed here."""
    sheet = flagged_sheet(investigation=investigation, access=access)
    if sheet is None:
        return None
    counts = list(sheet.counts.select_related("accused", "offence", "outcome"))
    for c in counts:
        c.outcome_row = getattr(c, "outcome", None)  # type: ignore[attr-defined]  # None when undecided
    labels = dict(accused_choices(investigation=investigation))
    on_sheet = list(dict.fromkeys(str(c.accused.public_id) for c in counts))
    forfeiture = list(sheet.forfeiture_orders.select_related("accused"))
    fund.attach_received(forfeiture)  # what the Trust Fund received on each order (one query)
    return CourtRecord(
        sheet=sheet,
        events=list(sheet.events.all()),
        counts=counts,
        restitution=list(sheet.restitution_orders.select_related("accused", "beneficiary_case")),
        forfeiture=forfeiture,
        appeals=list(sheet.appeals.select_related("accused")),
        accused=[(p, labels.get(p, "")) for p in on_sheet],
        flags=flags_of(sheet),
    )


@dataclass
class WitnessRow:
    witness: VictimWitness
    pseudonym: str
    name: str  # "" unless shown on demand to a role that may see identity
    statement: str  # "" unless opened on demand
    has_statement: bool
    is_child: bool


def witnesses_for_user(
    *, user: Actor, sheet: ChargeSheet, access: Access, names_shown: bool = False, statements_shown: bool = False
) -> list[WitnessRow]:
    """The victim-witnesses as the court sees them: PW1, PW2... (s.11). A role that may see identity, reaching the
    file's victims, can open the names (one `identity.list` event); the impact statements (s.12) open on demand
    (one `prosecution.read_sensitive` event)."""
    witnesses = list(sheet.witnesses.select_related("case__person"))
    may_names = may_see_witness_names(user=user, access=access)
    names: dict[int, str] = {}
    if names_shown and may_names and witnesses:
        names = {w.pk: open_identity(w.case.person, NAME_FIELDS).full_name for w in witnesses}
        audit_record(
            actor=user,
            action="identity.list",
            target_type="people.person",
            changes={
                "purpose": "victim_witnesses",
                "via": access.via,
                "reference": sheet.investigation.reference,
                "persons": [str(w.case.person.public_id) for w in witnesses],
            },
        )
    rows = []
    opened = False
    for w in witnesses:
        statement = w.impact_statement if statements_shown else ""
        opened = opened or bool(statement)
        rows.append(
            WitnessRow(
                witness=w,
                pseudonym=w.pseudonym,
                name=names.get(w.pk, ""),
                statement=statement,
                has_statement=has_text(w, "impact_statement"),
                is_child=w.case.is_child,
            )
        )
    if opened:
        audit_record(
            actor=user,
            action="prosecution.read_sensitive",
            target_type=TARGET,
            target_id=sheet.investigation.public_id,
            changes={"reference": sheet.investigation.reference, "fields": ["impact_statements"]},
        )
    return rows


def may_see_witness_names(*, user: Actor, access: Access) -> bool:
    return user.can(Action.PERSON_VIEW_IDENTITY) and access.sees(FileSection.VICTIMS)


def witness_case_choices(*, investigation: Investigation, sheet: ChargeSheet) -> list[tuple[str, str]]:
    """Linked victim cases not yet witnesses, by case number (no identity)."""
    taken = sheet.witnesses.values("case_id")
    return [
        (link.case.reference, f"{link.case.reference} ({link.get_role_display()})")
        for link in investigation.case_links.exclude(case_id__in=taken).select_related("case")
    ]


def beneficiary_choices(*, investigation: Investigation) -> list[tuple[str, str]]:
    return [(link.case.reference, link.case.reference) for link in investigation.case_links.select_related("case")]


def linked_case(*, investigation: Investigation, reference: str):
    link = investigation.case_links.select_related("case").filter(case__reference=reference).first()
    return link.case if link else None


# --- figures of the court -------------------------------------------------------------------------------------------


@dataclass
class CourtFigureRow:
    label: str
    female: PublishedCount
    male: PublishedCount
    unknown: PublishedCount
    total: PublishedCount


@dataclass
class CourtFigures:
    prosecuted: list[CourtFigureRow]  # persons prosecuted, by statute of the offence and sex
    convicted: list[CourtFigureRow]  # persons convicted, by statute and sex
    verdicts: list[FigureRow]  # counts decided, by outcome
    sentences: list[FigureRow]  # convictions by sentence band
    restitution_orders: PublishedCount
    forfeiture_orders: PublishedCount


SENTENCE_BANDS = [
    ("fine_only", gettext_lazy("Fine only"), None, None),
    ("lt_5y", gettext_lazy("Imprisonment under 5 years"), 1, 59),
    ("5_10y", gettext_lazy("Imprisonment of 5 to 10 years"), 60, 120),
    ("gt_10y", gettext_lazy("Imprisonment over 10 years"), 121, None),
]


def _by_statute_sex(rows) -> list[CourtFigureRow]:
    table: dict[str, dict[str, int]] = {}
    for statute, sex, n in rows:
        table.setdefault(statute, {})[sex] = n
    out = []
    for s in Statute:
        cells = table.get(s.value, {})
        out.append(
            CourtFigureRow(
                str(s.label),
                publish_count(cells.get(Sex.FEMALE, 0)),
                publish_count(cells.get(Sex.MALE, 0)),
                publish_count(cells.get(Sex.UNKNOWN, 0)),
                publish_count(sum(cells.values())),
            )
        )
    return out


def court_figures(*, user: Actor, year: int | None = None) -> CourtFigures:
    """Persons prosecuted and convicted (distinct accused, per statute and sex; a person charged under two statutes
    counts in each), outcomes and sentences: every count through publish_count. Three queries whatever the size."""
    require(user, Action.STATS_VIEW)
    counts = ChargeCount.objects.all()
    if year:
        counts = counts.filter(charge_sheet__charged_on__year=year)
    convicted_q = Q(outcome__verdict=Verdict.CONVICTED)
    persons = (
        counts.values_list("offence__statute", "accused_sex")
        .annotate(
            prosecuted=Count("accused_id", distinct=True),
            convicted=Count("accused_id", distinct=True, filter=convicted_q),
        )
        .order_by()
    )
    prosecuted = [(statute, sex, n) for statute, sex, n, _c in persons]
    convicted = [(statute, sex, c) for statute, sex, _n, c in persons]
    outcomes = CountOutcome.objects.filter(count__in=counts)
    conviction = Q(verdict=Verdict.CONVICTED)
    bands = outcomes.aggregate(
        **{v: Count("id", filter=Q(verdict=v)) for v in Verdict.values},
        fine_only=Count("id", filter=conviction & Q(imprisonment_months__isnull=True, fine_cents__isnull=False)),
        lt_5y=Count("id", filter=conviction & Q(imprisonment_months__gte=1, imprisonment_months__lte=59)),
        **{"5_10y": Count("id", filter=conviction & Q(imprisonment_months__gte=60, imprisonment_months__lte=120))},
        gt_10y=Count("id", filter=conviction & Q(imprisonment_months__gt=120)),
    )
    verdicts = {v: bands[v] for v in Verdict.values}
    sheets = ChargeSheet.objects.filter(charged_on__year=year) if year else ChargeSheet.objects.all()
    orders = sheets.aggregate(
        restitution=Count("restitution_orders", distinct=True), forfeiture=Count("forfeiture_orders", distinct=True)
    )
    return CourtFigures(
        prosecuted=_by_statute_sex(prosecuted),
        convicted=_by_statute_sex(convicted),
        verdicts=[FigureRow(str(v.label), publish_count(verdicts.get(v.value, 0))) for v in Verdict],
        sentences=[FigureRow(str(label), publish_count(bands[key])) for key, label, _lo, _hi in SENTENCE_BANDS],
        restitution_orders=publish_count(orders["restitution"]),
        forfeiture_orders=publish_count(orders["forfeiture"]),
    )


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
