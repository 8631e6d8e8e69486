"""Reads of victim cases, scoped by the user (ARCHITECTURE.md rule 3). Missing and not-yours raise the same
NotFound; lists only ever contain what the user may see; sealed free text is opened only through
`case_sensitive_text_for_user`, which logs the read."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL

from ctip.accounts.access import Access, allowed_ids, record_access, require, visible_q
from ctip.accounts.actor import Actor
from ctip.accounts.models import User
from ctip.accounts.roles import Action
from ctip.accounts.selectors import agency_users_who_can_q
from ctip.audit.services import audit_record
from ctip.core.errors import NotFound
from ctip.people.identity import NAME_FIELDS, open_identity
from ctip.people.models import Person
from ctip.reference.selectors import htcds_label

from .. import timeline as timeline_messages
from ..enums import CLOSED_STATUSES, CaseSection
from ..models import TARGET, Case, CaseAssignment, CaseAttribute, TimelineEntry

OPEN = "open"  # the case-list status filter's "open (not closed)"


@dataclass
class CaseFilters:
    status: str = ""
    county_id: int | None = None
    exploitation: str = ""  # HTCDS vic_TypeOfExploitation value
    agency_id: int | None = None
    identified_from: date | None = None
    identified_to: date | None = None
    text: str = ""  # case number (CT-2026-000123 or its digits)
    assigned_to_me: bool = False
    trafficking_status: str = ""
    officer: str = ""  # public id of an officer assigned to the case (the caseload's links)
    flag: str = ""  # a caseload column: overdue_follow_ups, overdue_care, awaiting_referral, idle, unassigned


def case_list_for_user(*, user: Actor, filters: CaseFilters | None = None) -> QuerySet[Case]:
    q = visible_q(user, Action.CASE_VIEW, TARGET)
    if q is None:
        return Case.objects.none()
    f = filters or CaseFilters()
    qs = Case.objects.filter(q)
    if f.status == OPEN:
        qs = qs.exclude(status__in=list(CLOSED_STATUSES))
    elif f.status:
        qs = qs.filter(status=f.status)
    if f.officer:
        qs = qs.filter(
            Exists(
                CaseAssignment.objects.filter(case_id=OuterRef("pk"), user__public_id=f.officer, ended_at__isnull=True)
            )
        )
    if f.flag:
        from .overview import case_flag_q  # the caseload's conditions, one definition

        qs = qs.filter(case_flag_q(f.flag))
    if f.trafficking_status:
        qs = qs.filter(trafficking_status=f.trafficking_status)
    if f.county_id:
        qs = qs.filter(identified_county_id=f.county_id)
    if f.agency_id:
        qs = qs.filter(owning_agency_id=f.agency_id)
    if f.identified_from:
        qs = qs.filter(identified_on__gte=f.identified_from)
    if f.identified_to:
        qs = qs.filter(identified_on__lte=f.identified_to)
    if f.exploitation:
        qs = qs.filter(
            Exists(
                CaseAttribute.objects.filter(
                    case_id=OuterRef("pk"), field="vic_TypeOfExploitation", value=f.exploitation
                )
            )
        )
    if f.assigned_to_me:
        qs = qs.filter(Exists(CaseAssignment.objects.filter(case_id=OuterRef("pk"), user=user, ended_at__isnull=True)))
    text = f.text.strip().upper()
    if text:
        digits = "".join(ch for ch in text if ch.isdigit())
        if text.startswith("CT-"):
            qs = qs.filter(reference=text)
        elif digits:
            qs = (
                qs.filter(reference__endswith=digits.zfill(6)[-6:])
                if len(digits) <= 6
                else qs.filter(reference__icontains=digits)
            )
        else:
            qs = qs.none()
    return qs.select_related("owning_agency", "identified_county").order_by("-identified_on", "-id")


_CASE_RELATED = ("owning_agency", "person", "identified_county", "identified_country", "abroad_country", "mission")


def case_get_for_user(
    *, user: Actor, public_id, action: Action = Action.CASE_VIEW, section: str | None = None
) -> tuple[Case, Access]:
    """The case and the user's access for `action` (and `section`), through `accounts.access.require`:
    PermissionDenied if the role lacks `action` (whatever the id); NotFound if the case does not exist, is not
    visible, or (with `section`) its section is not visible; PermissionDenied if visible but not for `action`."""
    require(user, action)
    try:
        case = Case.objects.select_related(*_CASE_RELATED).get(public_id=public_id)
    except (Case.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound() from exc
    return case, require(user, action, case, section=section)


def case_detail_for_user(*, user: Actor, public_id) -> tuple[Case, Access, list[Case]]:
    """case_get_for_user for the case page, with the person's other cases the user may see (earlier
    identifications, re-trafficking) read in the same query: the case and its person's cases, then the others
    the user reaches (their grants read only when one is not the user's agency's)."""
    require(user, Action.CASE_VIEW)
    try:
        rows: list[Case] = list(
            Case.objects.select_related(*_CASE_RELATED)
            .annotate(attributes_json=_attributes_json())
            # Every case of the case's person, the case itself included, through one scalar subquery: an index
            # scan on person_id (an OR with the case's own public id made PostgreSQL scan both tables: 35 ms at
            # 10,000 cases and 50,000 persons, against well under 1 ms).
            .filter(person_id=Subquery(Case.objects.filter(public_id=public_id).values("person_id")[:1]))
        )
    except (ValueError, ValidationError) as exc:
        raise NotFound() from exc
    case = next((c for c in rows if str(c.public_id) == str(public_id)), None)
    if case is None:
        raise NotFound()
    access = require(user, Action.CASE_VIEW, case)
    others = [c for c in rows if c.pk != case.pk]
    visible = allowed_ids(user, Action.CASE_VIEW, TARGET, others) if others else set()
    others = sorted((c for c in others if c.public_id in visible), key=lambda c: (c.identified_on, c.pk), reverse=True)
    return case, access, others


def case_team(*, case: Case, candidates_action: str | None = None) -> tuple[list[CaseAssignment], list]:
    """The case's active assignments (with their users) and, given `candidates_action`, the officers of the owning
    agency whose role has it (the assign form's choices), in one query of users."""
    if candidates_action is None:
        current = case.assignments.filter(ended_at__isnull=True).select_related("user").order_by("assigned_at", "id")
        return list(current), []
    eligible = agency_users_who_can_q(agency=case.owning_agency, action=candidates_action)
    # at most one active assignment per case and user (constraint case_assignment_active_once): a left join
    active = FilteredRelation(
        "case_assignments", condition=Q(case_assignments__case=case, case_assignments__ended_at__isnull=True)
    )
    users = list(
        User.objects.annotate(active=active)
        .filter(eligible | Q(active__isnull=False))
        .annotate(
            assignment_id=F("active__id"),
            assignment_lead=F("active__is_lead"),
            assignment_at=F("active__assigned_at"),
            candidate=ExpressionWrapper(eligible, output_field=BooleanField()),
        )
        .order_by("username")
    )
    team = [
        CaseAssignment(
            pk=u.assignment_id, case=case, user=u, is_lead=bool(u.assignment_lead), assigned_at=u.assignment_at
        )
        for u in users
        if u.assignment_id is not None
    ]
    team.sort(key=lambda a: (a.assigned_at, a.pk))
    return team, [u for u in users if u.candidate]


def visible_sections(access: Access) -> set[str]:
    """The sections of a case an access reaches (the rule itself: `Access.sees`)."""
    return access.sections_of(CaseSection.values)


def case_sensitive_text_for_user(
    *, user: Actor, case: Case, obj, field: str, section: str, purpose: str = "view"
) -> str:
    """Open one sealed free-text field of a case record for a user who may see its section; the read is logged."""
    access = require(user, Action.CASE_VIEW, case, section=section)
    value = getattr(obj, field)  # a SealedTextField: opened here, on first read
    if value:
        audit_record(
            actor=user,
            action="case.read_sensitive",
            target_type=TARGET,
            target_id=case.public_id,
            changes={"field": f"{obj._meta.model_name}.{field}", "purpose": purpose, "via": access.via},
        )
    return value


def timeline_for_user(*, user: Actor, case: Case, access: Access, limit: int = 200) -> list[dict]:
    sections = visible_sections(access)
    qs = TimelineEntry.objects.filter(case=case).filter(Q(section="") | Q(section__in=sections))
    return [
        {
            "at": entry.at,
            "kind": entry.kind,
            "text": timeline_messages.render(entry.kind, entry.params),
            "actor": entry.actor.get_username() if entry.actor is not None else "",
            "agency": str(entry.agency) if entry.agency_id else "",
            "section": entry.section,
        }
        for entry in qs.select_related("actor", "agency")[:limit]
    ]


def _attributes_json() -> RawSQL:
    """A case's HTCDS attributes as a JSON text of [field, value] pairs in entry order, read with the case
    (case_detail_for_user) so the page does not ask for them apart."""
    # Names from the models' metadata only, no input: the SQL is constant per database (hence the noqa).
    table = connection.ops.quote_name(CaseAttribute._meta.db_table)
    case_id = f"{connection.ops.quote_name(Case._meta.db_table)}.{connection.ops.quote_name('id')}"
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT COALESCE(json_agg(json_build_array(a.field, a.value) ORDER BY a.id), '[]'::json)::text "  # noqa: S608
            f"FROM {table} a WHERE a.case_id = {case_id}"
        )
    else:
        sql = (
            f"SELECT json_group_array(json_array(a.field, a.value)) "  # noqa: S608
            f"FROM (SELECT field, value FROM {table} WHERE case_id = {case_id} ORDER BY id) a"
        )
    return RawSQL(sql, (), output_field=TextField())  # noqa: S611


def case_attributes(*, case: Case) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    read = getattr(case, "attributes_json", None)  # read with the case already (case_detail_for_user)
    pairs = (
        json.loads(read)
        if read is not None
        else CaseAttribute.objects.filter(case=case).values_list("field", "value").order_by("id")
    )
    for field, value in pairs:
        out.setdefault(field, []).append(value)
    return out


def _identity_via(user: Actor, case: Case, access: Access) -> str:
    """How the user may see the identity of the case's person, or "" if not at all.

    The owning agency of a case works with its person even when the person record was first registered by
    another agency (linked at registration); a referral recipient sees it only when the identity section was
    shared; otherwise the person record's own access rules apply."""
    if not user.can(Action.PERSON_VIEW_IDENTITY):
        return ""
    # A national view of cases is not a national view of identities: outside the user's own agency, the role's
    # identity scope decides (a national coordinator sees cases everywhere, names only where allowed).
    if access.via == "agency" or access.via == "break_glass":
        return f"case_{access.via}"
    if access.via == "national" and (
        case.owning_agency_id == user.agency_id or user.scope(Action.PERSON_VIEW_IDENTITY) == "national"
    ):
        return "case_national"
    if access.via == "share" and CaseSection.IDENTITY in visible_sections(access):
        return "case_share"
    person = case.person
    person_access = record_access(
        user,
        Action.PERSON_VIEW_IDENTITY,
        "people.person",
        public_id=person.public_id,
        owning_agency_id=person.owning_agency_id,
    )
    return person_access.via if person_access.allowed else ""


def case_identity_visible(*, user: Actor, case: Case, access: Access) -> bool:
    """Whether the user may see the identity of the case's person (as the overview decides; nothing is read or
    logged): for records filed under the identity section, such as a passport copy attached to the case."""
    return bool(_identity_via(user, case, access))


def case_person_identity_for_user(*, user: Actor, case: Case, access: Access, purpose: str = "case"):
    """The identity of the case's person if the user may see it (the read is logged), else None."""
    via = _identity_via(user, case, access)
    if not via:
        return None
    identity = open_identity(case.person)
    audit_record(
        actor=user,
        action="identity.read",
        target_type="people.person",
        target_id=case.person.public_id,
        changes={"purpose": purpose, "via": via, "case": case.reference},
    )
    return identity


def case_person_names_for_user(*, user: Actor, cases: list[Case], purpose: str = "case_list") -> dict[int, str]:
    """Names of the persons of a page of cases, where the user may see them; one audit event for the page
    (`purpose`: the case list, or a list export)."""
    if not user.can(Action.PERSON_VIEW_IDENTITY) or not cases:
        return {}
    scope_ok = allowed_ids(user, Action.CASE_VIEW, TARGET, cases)
    shown: dict[int, str] = {}
    # the persons of the page in one query (not one per row); each identity is then opened in memory
    prefetch_related_objects([c for c in cases if c.public_id in scope_ok], "person")
    for case in cases:
        if case.public_id not in scope_ok:
            continue
        if case.owning_agency_id == user.agency_id or user.scope(Action.PERSON_VIEW_IDENTITY) == "national":
            shown[case.pk] = open_identity(case.person, NAME_FIELDS).full_name
    if shown:
        audit_record(
            actor=user,
            action="identity.list",
            target_type="people.person",
            changes={"purpose": purpose, "cases": [c.reference for c in cases if c.pk in shown]},
        )
    return shown


def audit_ids_for_reference(text: str) -> list[str]:
    """For the audit trail's record filter (ctip.audit.lookups): a case number -> the case's public id and its
    person's, so an auditor asking about a case also sees who opened that victim's identity."""
    row = Case.objects.filter(reference=text.strip().upper()).values_list("public_id", "person__public_id").first()
    return [str(value) for value in row if value] if row else []


def case_exploitation_labels(*, cases: list[Case]) -> dict[int, list[str]]:
    """The forms of exploitation of a page of cases (labels, in one query): for list exports."""
    out: dict[int, list[str]] = {}
    rows = CaseAttribute.objects.filter(case__in=cases, field="vic_TypeOfExploitation").order_by("case_id", "value")
    for case_id, value in rows.values_list("case_id", "value"):
        out.setdefault(case_id, []).append(htcds_label("vic_TypeOfExploitation", value))
    return out


PERSON_CASES_LIMIT = 50


def cases_of_person_for_user(*, user: Actor, person, limit: int = PERSON_CASES_LIMIT) -> list[tuple[Case, Access]]:
    """The cases about `person` (and about records merged into it) that the user may see, newest first, each with
    how the user reaches it. Cases the user may not see are left out of the query itself: nothing about them (not
    even how many there are) reaches the page. One query for the cases (the user's grants are read once per
    request); at most `limit` cases."""
    q = visible_q(user, Action.CASE_VIEW, TARGET)
    if q is None:
        return []
    rows = list(
        Case.objects.filter(q)
        # The person and the records merged into it, as a subquery: an OR across the join would make the database
        # read every case; this is an index look-up on cases.person_id (and the persons' partial merged index).
        .filter(person_id__in=Person.objects.filter(Q(pk=person.pk) | Q(merged_into_id=person.pk)).values("pk"))
        .select_related("owning_agency")
        .only("public_id", "reference", "status", "trafficking_status", "identified_on", "owning_agency")
        .order_by("-identified_on", "-id")[:limit]
    )
    out = []
    for case in rows:
        access = record_access(
            user, Action.CASE_VIEW, TARGET, public_id=case.public_id, owning_agency_id=case.owning_agency_id
        )
        if access.allowed:
            out.append((case, access))
    return out
