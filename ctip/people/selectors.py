"""Reads of persons, scoped by the user. Identity reads are checked and written to the audit trail."""

from __future__ import annotations

import base64
import heapq
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet

from ctip.accounts.access import Access, allowed_ids, granted_q, record_access, visible_q
from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action, Scope
from ctip.audit.services import audit_record
from ctip.core.disclosure import PublishedCount, publish_count
from ctip.core.errors import NotFound, PermissionDenied
from ctip.core.replica import using_reports

from . import agreement, matching, matching_store
from .agreement import FieldAgreement
from .identity import NAME_FIELDS, Identity, ctx, open_identity, validate_identity
from .matching_store import Candidate
from .models import (
    ConfirmationStatus,
    DuplicateCandidate,
    DuplicateConfirmation,
    Person,
    PersonMatchKey,
    PersonPhoto,
)
from .normalize import IdentifierInvalid, normalize_identifier
from .vault import get_vault

TARGET = "people.person"
NATIONAL_COUNT_KEY = "people:live_count"
NATIONAL_COUNTS_KEY = "people:live_counts_week"
NATIONAL_COUNT_SECONDS = 60


class OwnAndGranted:
    """The live persons an agency-scoped user sees -- their agency's own, and the few shared with them or opened
    by break-the-glass -- newest first, read by slices (as `paginate` does).

    Each part is read in order from its own index and the two are merged here: a single query with an OR of the
    two makes the database sort every person of the agency for each page."""

    def __init__(self, own: QuerySet[Person], granted: QuerySet[Person]):
        self.parts = [qs.order_by("-created_at", "-id").values_list("created_at", "pk") for qs in (own, granted)]

    def __getitem__(self, item: slice) -> list[Person]:
        if not isinstance(item, slice) or item.stop is None or item.step is not None:
            raise TypeError("OwnAndGranted reads bounded slices only")
        start, stop = item.start or 0, item.stop
        merged = heapq.merge(*(list(part[:stop]) for part in self.parts), reverse=True)
        pks = list(dict.fromkeys(pk for _created, pk in merged))[start:stop]
        rows = Person.objects.filter(pk__in=pks).select_related("owning_agency").in_bulk()
        return [rows[pk] for pk in pks if pk in rows]


def person_list_for_user(*, user: Actor, agency_id: int | None = None) -> QuerySet[Person] | OwnAndGranted:
    """Live persons (active, not merged) the user may see, newest first. No identity: names are opened
    separately (person_names_for_user), and only where allowed."""
    scope = user.scope(Action.PERSON_VIEW) if user.is_authenticated else None
    if scope is None:
        return Person.objects.none()
    live = Person.objects.filter(is_active=True, merged_into__isnull=True)
    if scope == Scope.NATIONAL:
        qs = live.select_related("owning_agency").order_by("-created_at", "-id")
        return qs.filter(owning_agency_id=agency_id) if agency_id else qs
    granted = live.filter(granted_q(user, TARGET))
    own = live.none()
    if scope == Scope.AGENCY and user.agency_id:
        own = live.filter(owning_agency_id=user.agency_id)
        granted = granted.exclude(owning_agency_id=user.agency_id)
    return OwnAndGranted(own, granted)


def person_counts_for_user(*, user: Actor, since) -> tuple[int, int]:
    """How many live persons the user may see, and how many of them were registered since `since`.

    Counted the way the indexes allow: the agency's own persons (or everyone, for a national scope) through the
    live-persons indexes, plus the few reached through a share or break-the-glass. One query with an OR of the
    two would make the database read the whole registry."""
    scope = user.scope(Action.PERSON_VIEW) if user.is_authenticated else None
    if scope is None:
        return 0, 0
    live = Person.objects.filter(is_active=True, merged_into__isnull=True).order_by()
    if scope == Scope.NATIONAL:
        # Counting a million rows takes PostgreSQL ~100 ms whatever the index: the national counts are kept for a
        # minute in the (shared) cache, and read from the reports replica when there is one (ctip.core.replica).
        # Agency counts are index range counts and always exact, from the primary.
        counts = cache.get(NATIONAL_COUNTS_KEY)
        if counts is None:
            live = live.using(using_reports())
            counts = (live.count(), live.filter(created_at__gte=since).count())
            cache.set(NATIONAL_COUNTS_KEY, counts, NATIONAL_COUNT_SECONDS)
        return tuple(counts)
    own = live.none()
    granted = live.filter(granted_q(user, TARGET))
    if scope == Scope.AGENCY and user.agency_id:
        own = live.filter(owning_agency_id=user.agency_id)
        granted = granted.exclude(owning_agency_id=user.agency_id)
    return (
        own.count() + granted.count(),
        own.filter(created_at__gte=since).count() + granted.filter(created_at__gte=since).count(),
    )


def person_get_for_user(*, user: Actor, public_id, action: Action = Action.PERSON_VIEW) -> tuple[Person, Access]:
    """The person and how the user reaches it. Missing and not-yours raise the same NotFound."""
    try:
        person = Person.objects.select_related("owning_agency").get(public_id=public_id)
    except (Person.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound() from exc
    access = record_access(user, action, TARGET, public_id=person.public_id, owning_agency_id=person.owning_agency_id)
    if not access.allowed:
        raise NotFound()
    return person, access


def person_identity_for_user(*, user: Actor, person: Person, purpose: str = "view") -> Identity:
    """Decrypt a person's identity for a user allowed to see it; the read is logged."""
    access = record_access(
        user,
        Action.PERSON_VIEW_IDENTITY,
        TARGET,
        public_id=person.public_id,
        owning_agency_id=person.owning_agency_id,
    )
    if not access.allowed:
        raise PermissionDenied()
    identity = open_identity(person)
    audit_record(
        actor=user,
        action="identity.read",
        target_type=TARGET,
        target_id=person.public_id,
        changes={"purpose": purpose, "via": access.via},
    )
    return identity


def person_names_for_user(*, user: Actor, persons: list[Person], purpose: str = "list") -> dict[int, str]:
    """Names for a page of persons the user may identify; one audit event lists every person shown."""
    if not user.can(Action.PERSON_VIEW_IDENTITY) or not persons:
        return {}
    allowed = allowed_ids(user, Action.PERSON_VIEW_IDENTITY, TARGET, persons)
    shown = {p.pk: open_identity(p, NAME_FIELDS).full_name for p in persons if p.public_id in allowed}
    if shown:
        audit_record(
            actor=user,
            action="identity.list",
            target_type=TARGET,
            changes={"purpose": purpose, "persons": [str(p.public_id) for p in persons if p.pk in shown]},
        )
    return shown


def _resolve_merged(found: list[Person], q) -> list[Person]:
    """A merged record found by its identifier stands for the person it was merged into (followed along a chain of
    merges): the search shows the person kept, if the user may see it, and never the merged record itself."""
    for _hop in range(5):
        targets = {p.merged_into_id for p in found if p.merged_into_id}
        if not targets:
            break
        kept = {p.pk: p for p in Person.objects.filter(q).filter(pk__in=targets)}
        hopped = [kept.get(p.merged_into_id) if p.merged_into_id else p for p in found]
        found = list(dict.fromkeys(p for p in hopped if p is not None))
    return [p for p in found if not p.merged_into_id]


def person_find_by_identifier(*, user: Actor, kind: str, value: str) -> list[Person]:
    """Exact look-up through the blind index, restricted to what the user may see. The search is logged."""
    if not user.can(Action.PERSON_VIEW):
        raise PermissionDenied()
    try:
        normalised = normalize_identifier(kind, value)
    except IdentifierInvalid:
        return []
    index = get_vault().blind_index(kind, normalised)
    q = visible_q(user, Action.PERSON_VIEW, TARGET)
    if q is None:
        return []
    found = list(Person.objects.filter(q).filter(identifiers__blind_index=index).distinct()[:50])
    found = _resolve_merged(found, q)
    audit_record(
        actor=user,
        action="identity.search",
        target_type=TARGET,
        changes={"kind": kind, "results": len(found)},
    )
    return found


def person_photo_for_user(*, user: Actor, person: Person, photo_public_id) -> tuple[bytes, str]:
    access = record_access(
        user,
        Action.PERSON_VIEW_IDENTITY,
        TARGET,
        public_id=person.public_id,
        owning_agency_id=person.owning_agency_id,
    )
    if not access.allowed:
        raise NotFound()
    try:
        photo = PersonPhoto.objects.get(person=person, public_id=photo_public_id)
    except (PersonPhoto.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound() from exc
    data = get_vault().open(photo.data, context=ctx(person.public_id, f"photo:{photo.public_id}"))
    audit_record(actor=user, action="identity.read_photo", target_type=TARGET, target_id=person.public_id)
    return base64.b64decode(data), photo.content_type


def person_photos(*, person: Person) -> list[PersonPhoto]:
    return list(PersonPhoto.objects.filter(person=person).only("public_id", "content_type", "created_at"))


def person_exists(*, public_id) -> bool:
    """Existence only (for break-the-glass): reveals nothing else and is only asked after a reason is given."""
    return Person.objects.filter(public_id=public_id).exists()


def person_count_national(*, known: int | None = None) -> PublishedCount:
    """Aggregate for analysts and coordinators: a count only, small cells suppressed and the rest rounded
    (ctip.core.disclosure), so it cannot be watched to see individuals arrive. `known`: the count already made
    for this request (the landing page counts once). Up to a minute old (cached); counted on the reports replica
    when there is one."""
    n = known if known is not None else cache.get(NATIONAL_COUNT_KEY)
    if n is None:
        n = Person.objects.using(using_reports()).filter(is_active=True, merged_into__isnull=True).count()
        cache.set(NATIONAL_COUNT_KEY, n, NATIONAL_COUNT_SECONDS)
    return publish_count(n)


# --- candidates at registration ----------------------------------------------------------------------------


def person_candidates_for_identity(*, user: Actor, identity: Identity, limit: int = 10) -> list[Candidate]:
    """Existing persons who may be the same as `identity` (being registered), best first.

    Exact identifiers go through the blind indexes; names, dates of birth and spelling variants through the
    matcher's keyed blocking keys (ctip.people.matching), decrypting only the candidates. The look-up is logged
    (without the values searched for). Names are shown only for persons the user may identify. Registration
    calls it through people.services.person_register_or_link; a plain Identity is validated first."""
    if not user.can(Action.PERSON_CREATE):
        raise PermissionDenied()
    found = matching_store.candidates(validate_identity(identity), limit=limit)
    allowed = allowed_ids(user, Action.PERSON_VIEW_IDENTITY, TARGET, [c.person for c in found])
    for candidate in found:
        candidate.agency = str(candidate.person.owning_agency)
        if candidate.person.public_id in allowed:
            candidate.name = open_identity(candidate.person, NAME_FIELDS).full_name
    audit_record(
        actor=user,
        action="identity.match",
        target_type=TARGET,
        changes={
            "candidates": [str(c.person.public_id) for c in found],
            "names_shown": [str(c.person.public_id) for c in found if c.name],
        },
    )
    return found


# --- duplicates review ------------------------------------------------------------------------------------------


def _duplicates_visible(user: Actor):
    scope = user.scope(Action.PERSON_MERGE) if user.is_authenticated else None
    if scope not in ("agency", "national"):
        return DuplicateCandidate.objects.none()
    qs = DuplicateCandidate.objects.select_related("person_a__owning_agency", "person_b__owning_agency")
    if scope != "national":
        qs = qs.filter(person_a__owning_agency_id=user.agency_id, person_b__owning_agency_id=user.agency_id)
    return qs


def duplicate_queue_for_user(*, user: Actor, status: str = "open"):
    """Pairs to review that the user may merge: both persons within the user's merge scope."""
    return _duplicates_visible(user).filter(status=status).order_by("-score", "pk")


def duplicate_get_for_user(*, user: Actor, public_id):
    try:
        return _duplicates_visible(user).get(public_id=public_id)
    except (DuplicateCandidate.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound() from exc


# --- find a person by name --------------------------------------------------------------------------------------


@dataclass
class NameHit:
    """A person found by a name search: shown only to users who may see the person's identity."""

    person: Person
    name: str
    score: float
    birth_year: int | None = None
    counties: list[str] = field(default_factory=list)


NAME_SEARCH_RESULTS = 20


def person_find_by_name(
    *, user: Actor, name: str, birth_year: int | None = None, county: str = "", limit: int = NAME_SEARCH_RESULTS
) -> list[NameHit]:
    """Persons whose name may be `name`, spelling-tolerant, best first: the matcher's blocking keys of the name
    (and the year of birth, when given) find the persons sharing most keys, their names are decrypted and compared
    by the matcher; `county` keeps only persons with an address in that county.

    Only persons whose identity the user may see are searched (a name linked to a record is identity): the others
    are not looked at, counted or mentioned. The search is logged as `identity.search_name` with a keyed hash of
    what was searched for (never the name itself) and the persons shown. Three queries at most, whatever the
    registry's size: the key look-up, the persons, the audit row (plus the user's grants, once)."""
    if not user.can(Action.PERSON_VIEW_IDENTITY):
        raise PermissionDenied()
    probe_record = matching_store.name_probe(name, birth_year)
    keys = matching_store.hashed_name_query_keys(probe_record)
    q = visible_q(
        user, Action.PERSON_VIEW_IDENTITY, TARGET, owner_field="person__owning_agency", id_field="person__public_id"
    )
    hits: list[NameHit] = []
    if keys and q is not None:
        ids = list(
            PersonMatchKey.objects.filter(q, key__in=sorted(keys), person__is_active=True, person__merged_into=None)
            .values("person_id")
            .annotate(shared=Count("id"))
            .order_by("-shared", "person_id")
            .values_list("person_id", flat=True)[: matching_store.SEARCH_CANDIDATES]
        )
        persons = (
            Person.objects.filter(pk__in=ids).select_related("owning_agency").only(*matching_store.CANDIDATE_FIELDS)
            if ids
            else []
        )
        probe = matching.prepare(probe_record, matching_store.CTIP_CONFIG)
        for person in persons:
            identity = open_identity(person, matching_store.COMPARED_FIELDS)
            counties = [a.get("county", "") for a in identity.addresses if a.get("county")]
            if county and county not in counties:
                continue
            result = matching_store.score_name(probe, identity)
            if result.decision == "non_match":
                continue
            hits.append(NameHit(person, identity.full_name, round(result.score, 3), identity.year_of_birth, counties))
        hits.sort(key=lambda h: (-h.score, h.person.pk))
        hits = hits[:limit]
    audit_record(
        actor=user,
        action="identity.search_name",
        target_type=TARGET,
        changes={
            "query": matching_store.name_search_digest(name, birth_year, county),
            "narrowed_by": [k for k, v in (("birth_year", birth_year), ("county", county)) if v],
            "results": len(hits),
            "persons": [str(h.person.public_id) for h in hits],
        },
    )
    return hits


# --- field-by-field agreement and confirmation requests ----------------------------------------------------------


def duplicate_agreement_for_user(*, user: Actor, candidate: DuplicateCandidate) -> list[FieldAgreement]:
    """Field-by-field agreement (same, similar, different, missing) of a pair the user may review (a candidate from
    duplicate_get_for_user, or the pair of a confirmation request to the user's agency): both identities are
    decrypted here and only the categories are returned. Logged as `identity.compare` (both persons)."""
    if not user.can(Action.PERSON_MERGE):
        raise PermissionDenied()
    a, b = candidate.person_a, candidate.person_b
    rows = agreement.compare(open_identity(a), open_identity(b))
    audit_record(
        actor=user,
        action="identity.compare",
        target_type=TARGET,
        target_id=a.public_id,
        changes={"other": str(b.public_id), "pair": str(candidate.public_id)},
    )
    return rows


def confirmations_of_pair(*, candidate: DuplicateCandidate) -> list[DuplicateConfirmation]:
    """The confirmation requests about a pair (for its review page), newest first."""
    return list(
        DuplicateConfirmation.objects.filter(candidate=candidate).select_related("agency", "person").order_by("-id")
    )


def _confirmations_visible(user: Actor):
    if not user.is_authenticated or user.scope(Action.PERSON_MERGE) is None or not user.agency_id:
        return DuplicateConfirmation.objects.none()
    return DuplicateConfirmation.objects.filter(agency_id=user.agency_id)


def confirmation_inbox_for_user(*, user: Actor, limit: int = 50) -> list[DuplicateConfirmation]:
    """Open confirmation requests to the user's agency (for officers who may merge), oldest first."""
    return list(
        _confirmations_visible(user)
        .filter(status=ConfirmationStatus.OPEN)
        .select_related("person", "candidate")
        .order_by("asked_at", "id")[:limit]
    )


def confirmation_get_for_user(*, user: Actor, public_id) -> DuplicateConfirmation:
    """A confirmation request to the user's agency; any other (or a missing one) is NotFound."""
    try:
        return (
            _confirmations_visible(user)
            .select_related(
                "person__owning_agency",
                "candidate__person_a__owning_agency",
                "candidate__person_b__owning_agency",
                "asked_by__agency",
                "answered_by",
            )
            .get(public_id=public_id)
        )
    except (DuplicateConfirmation.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound() from exc
