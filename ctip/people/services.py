"""Registering and editing persons. Identity is validated and normalised once (identity.validate_identity),
sealed, indexed and audited (masked). `person_register_or_link` is the one way a record about a person (a
victim's case today; a suspect or a witness tomorrow) gets its person: the duplicate look-up, the choice among the
persons it proposed (proven by its link token) or a new registration."""

from __future__ import annotations

import base64
import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.accounts.access import allowed_ids, require
from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action
from ctip.accounts.selectors import agency_users_who_can
from ctip.audit.services import audit_record
from ctip.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from ctip.notifications.services import notify

from . import matching_store, scan, selectors
from .identity import Identity, ValidIdentity, ctx, open_identity, seal_identity, validate_identity
from .matching_store import Candidate
from .models import (
    ConfirmationStatus,
    DuplicateCandidate,
    DuplicateConfirmation,
    DuplicateStatus,
    Person,
    PersonIdentifier,
    PersonMatchKey,
    PersonPhoto,
)
from .vault import get_vault

if TYPE_CHECKING:
    pass

TARGET = "people.person"
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
PHOTO_MAX_BYTES = 5 * 1024 * 1024


def _write_identifiers(person: Person, identity: ValidIdentity) -> None:
    v = get_vault()
    PersonIdentifier.objects.filter(person=person).delete()
    PersonIdentifier.objects.bulk_create(
        [
            PersonIdentifier(
                person=person,
                kind=i.kind,
                issuing_country=i.issuing_country,
                value=v.seal(i.value, context=ctx(person.public_id, f"identifier:{i.kind}")),
                blind_index=v.blind_index(i.kind, i.value),
            )
            for i in identity.identifiers
        ]
    )


@transaction.atomic
def person_register(
    *, actor: Actor, identity: Identity, owning_agency=None, dismissed_candidates: bool = False
) -> Person:
    """Register a person (identity sealed in the vault, blind indexes and match keys written). Callers look for
    existing persons first: call `person_register_or_link`, which does. `dismissed_candidates` records in the audit
    trail that CTIP proposed existing persons and the officer confirmed a new one. A ValidIdentity is not checked
    again."""
    if not actor.can(Action.PERSON_CREATE):
        raise PermissionDenied()
    agency = owning_agency or actor.agency
    if agency is None or (agency.pk != actor.agency_id and not actor.scope(Action.PERSON_CREATE) == "national"):
        raise PermissionDenied()
    identity = validate_identity(identity)
    public_id = uuid.uuid4()
    person = Person(public_id=public_id, owning_agency=agency, created_by=actor, **seal_identity(public_id, identity))
    person.save()
    _write_identifiers(person, identity)
    matching_store.write_keys(person, identity)
    audit_record(
        actor=actor,
        action="person.create",
        target_type=TARGET,
        target_id=person.public_id,
        changes={
            "fields": sorted(k for k, val in identity.as_dict().items() if val),
            "identifier_kinds": sorted({i.kind for i in identity.identifiers}),
            **({"candidates_dismissed": True} if dismissed_candidates else {}),
        },
    )
    return person


@transaction.atomic
def person_register_queueing_duplicates(
    *, actor: Actor, identity: Identity, owning_agency=None, limit: int = 5
) -> tuple[Person, int]:
    """Register a person where nobody is at hand to choose among candidates (a bulk import): persons already
    registered who may be the same one are queued for an officer's review (people:duplicates) instead of being
    linked. Returns the person and how many pairs were queued."""
    identity = validate_identity(identity)
    found = matching_store.candidates(identity, limit=limit)
    person = person_register(actor=actor, identity=identity, owning_agency=owning_agency)
    queued = duplicates_queue(pairs=[(person.pk, c.person.pk, c.score, c.codes) for c in found]) if found else 0
    return person, queued


# --- the person a new record is about: look up, choose, link or register --------------------------------------

LINK_SALT = "ctip.people.link"  # signs the persons a look-up proposed to one user, so only those can be linked
LINK_MAX_AGE = 3600  # seconds a proposal stays valid


@dataclass
class PersonChoice:
    """Who a new record (a victim's case; later a suspect or a witness) is about, as the officer or client said.

    - `identity` alone: look for persons who may be the same one first; register a new person only if none.
    - `identity` and `confirm_new`: the officer saw the persons proposed and says this is a new one.
    - `link_person_id` and `link_token`: one of the persons the look-up proposed (the token, from that look-up,
      proves it); the identity entered, if any, is not used.
    - `identity` and `queue_duplicates`: nobody is at hand to choose (a bulk import): register, and queue any
      likely duplicate for an officer's review."""

    identity: Identity | None = None
    link_person_id: str | None = None
    link_token: str = ""
    confirm_new: bool = False
    queue_duplicates: bool = False


@dataclass
class PersonOutcome:
    """The person registered or linked; or, when `person` is None, the persons proposed (best first) and the link
    token proving the proposal (for PersonChoice.link_token, valid LINK_MAX_AGE seconds, for this user only)."""

    person: Person | None = None
    candidates: list[Candidate] = field(default_factory=list)
    link_token: str = ""
    duplicates_queued: int = 0


def _link_token(actor: Actor, candidates: list[Candidate]) -> str:
    return signing.dumps({"u": actor.pk, "p": [str(c.person.public_id) for c in candidates]}, salt=LINK_SALT)


def _proposed(actor: Actor, token: str) -> list[str]:
    """The persons a look-up proposed to `actor`, from its link token (none if the token is missing, forged,
    expired or another user's)."""
    try:
        proposal = signing.loads(token or "", salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return []
    if not isinstance(proposal, dict) or proposal.get("u") != actor.pk:
        return []
    return [str(p) for p in proposal.get("p", [])]


@transaction.atomic
def person_link_proposed(*, actor: Actor, public_id, link_token: str) -> Person:
    """The existing person an officer links a new record to, after CTIP proposed it as a likely match of the
    identity they entered: only a person the look-up proposed to this user (`link_token`) may be linked. The
    person may belong to another agency: linking is audited; the owning agency of the new record then works with
    this person through its record (e.g. ctip.cases.selectors)."""
    if not actor.can(Action.PERSON_CREATE):
        raise PermissionDenied()
    if str(public_id) not in _proposed(actor, link_token):
        raise ValidationFailed(fields={"person_id": [_("Choose one of the persons proposed, or a new person.")]})
    person = Person.objects.filter(public_id=public_id, is_active=True, merged_into__isnull=True).first()
    if person is None:
        raise ValidationFailed(fields={"person_id": [_("This person record is no longer available.")]})
    audit_record(
        actor=actor,
        action="person.link",
        target_type=TARGET,
        target_id=person.public_id,
        changes={"owning_agency": person.owning_agency_id},
    )
    return person


@transaction.atomic
def person_register_or_link(*, actor: Actor, choice: PersonChoice, owning_agency=None) -> PersonOutcome:
    """The one way a new record gets its person (case registration calls it; so will suspects and witnesses).

    The identity is validated and normalised once, here (a ValidIdentity is passed on as it is). Then, as
    `choice` says: link a proposed person (token checked), register after the officer confirmed a new person,
    register and queue duplicates for review (bulk import), or look for persons who may be the same one
    (people.selectors.person_candidates_for_identity: audited, names only where the user may see them) and
    register only when there is none. When there are candidates nothing is written but the look-up's audit
    event: the outcome carries them and the link token, and the caller asks the officer to choose."""
    if not actor.can(Action.PERSON_CREATE):
        raise PermissionDenied()
    if choice.link_person_id:
        return PersonOutcome(
            person=person_link_proposed(actor=actor, public_id=choice.link_person_id, link_token=choice.link_token)
        )
    if choice.identity is None:
        raise ValidationFailed(fields={"person": [_("Enter the person's identity, or choose a person proposed.")]})
    identity = validate_identity(choice.identity)
    if choice.queue_duplicates:
        person, queued = person_register_queueing_duplicates(
            actor=actor, identity=identity, owning_agency=owning_agency
        )
        return PersonOutcome(person=person, duplicates_queued=queued)
    if not choice.confirm_new:
        found = selectors.person_candidates_for_identity(user=actor, identity=identity)
        if found:
            return PersonOutcome(candidates=found, link_token=_link_token(actor, found))
    person = person_register(
        actor=actor, identity=identity, owning_agency=owning_agency, dismissed_candidates=choice.confirm_new
    )
    return PersonOutcome(person=person)


@transaction.atomic
def person_update_identity(*, actor: Actor, person: Person, identity: Identity, expected_version: int) -> Person:
    locked = Person.objects.select_for_update().get(pk=person.pk)
    require(actor, Action.PERSON_EDIT, locked, owner_side=True)
    if locked.version != expected_version:
        raise Conflict(
            _(
                "Someone else changed this person's record since you opened it. "
                "Your changes were not saved: reload, check theirs, and edit again."
            )
        )
    identity = validate_identity(identity)
    before = open_identity(locked).as_dict()
    after = identity.as_dict()
    changed = sorted(k for k in after if before.get(k) != after.get(k))
    for name, token in seal_identity(locked.public_id, identity).items():
        setattr(locked, name, token)
    locked.version += 1
    locked.save()
    _write_identifiers(locked, identity)
    matching_store.write_keys(locked, identity)
    audit_record(
        actor=actor,
        action="person.update",
        target_type=TARGET,
        target_id=locked.public_id,
        changes={"fields_changed": changed},
    )
    return locked


@transaction.atomic
def person_add_photo(*, actor: Actor, person: Person, content: bytes, content_type: str) -> PersonPhoto:
    require(actor, Action.PERSON_EDIT, person, owner_side=True)  # a photo is identity: shares read, never change
    if content_type not in PHOTO_TYPES:
        raise ValidationFailed(fields={"photo": [_("Upload a JPEG, PNG or WebP image.")]})
    if len(content) > PHOTO_MAX_BYTES:
        raise ValidationFailed(fields={"photo": [_("The photo is larger than 5 MB.")]})
    photo_id = uuid.uuid4()
    token = get_vault().seal(base64.b64encode(content).decode(), context=ctx(person.public_id, f"photo:{photo_id}"))
    photo = PersonPhoto.objects.create(
        person=person, public_id=photo_id, content_type=content_type, data=token, created_by=actor
    )
    audit_record(actor=actor, action="person.photo_add", target_type=TARGET, target_id=person.public_id)
    return photo


@transaction.atomic
def person_deactivate(*, actor: Actor, person: Person, reason: str) -> Person:
    require(actor, Action.PERSON_EDIT, person, owner_side=True)
    if not reason.strip():
        raise ValidationFailed(fields={"reason": [_("A reason is required.")]})
    Person.objects.filter(pk=person.pk).update(is_active=False, updated_at=timezone.now())
    PersonMatchKey.objects.filter(person=person).delete()  # no longer proposed as a duplicate
    audit_record(actor=actor, action="person.deactivate", target_type=TARGET, target_id=person.public_id, reason=reason)
    person.refresh_from_db()
    return person


# --- duplicates and merges -----------------------------------------------------------------------------------


@transaction.atomic
def duplicates_queue(*, pairs) -> int:
    """Queue likely duplicate pairs (a, b, score, reason codes) found by the matcher; returns how many are new.
    Pairs already queued or reviewed are not queued again."""
    wanted: dict[tuple[int, int], DuplicateCandidate] = {}
    for a, b, score, reasons in pairs:
        a, b = min(a, b), max(a, b)
        if a != b:
            wanted.setdefault(
                (a, b), DuplicateCandidate(person_a_id=a, person_b_id=b, score=score, reasons=list(reasons))
            )
    keys = list(wanted)
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        known = DuplicateCandidate.objects.filter(
            person_a_id__in={a for a, _b in chunk}, person_b_id__in={b for _a, b in chunk}
        ).values_list("person_a_id", "person_b_id")
        for key in known:
            wanted.pop(key, None)
    DuplicateCandidate.objects.bulk_create(list(wanted.values()), batch_size=1000, ignore_conflicts=True)
    return len(wanted)


@dataclass
class ScanResult:
    blocks: int = 0
    pairs_scored: int = 0
    found: int = 0
    queued: int = 0
    seconds: float = 0.0
    prior: float = 0.0  # the log2 prior odds the scan scored with (matching_store.batch_config)
    phases: dict[str, float] = field(default_factory=dict)  # seconds: pairs, persons, scores, queue
    # peak resident memory (MB) after each phase: this process, and the largest worker process so far
    peaks: dict[str, tuple[int, int]] = field(default_factory=dict)


SCAN_FLUSH = 10_000  # likely pairs held before they are written to the review queue


def duplicates_scan(
    *,
    actor: Actor,
    max_block: int = 200,
    threshold: str = "possible",
    expected_rate: float | None = None,
    processes: int = 1,
) -> ScanResult:
    """Find likely duplicate persons across the whole registry and queue them for review (nothing is merged).

    Pairs the persons sharing a match key or an identifier once each (keys shared by more than `max_block` persons
    are too common to tell anything; in groups larger than scan.DENSE_BLOCK only pairs sharing a second key or an
    identifier), decrypts each person once, scores every pair with the vectorised matcher (over `processes`
    processes) and queues the pairs the matcher calls `threshold` or better as DuplicateCandidate rows (opaque ids,
    score, reason codes; no names), written and audited in chunks. See ctip.people.scan.

    Scores use the registry-wide prior (matching_store.batch_config) for the number of live persons and the
    `expected_rate` of second registrations: the larger the registry, the more evidence a pair needs."""
    started = time.monotonic()
    population = Person.objects.filter(merged_into__isnull=True, is_active=True).count()
    cfg = matching_store.batch_config(population, expected_rate or matching_store.EXPECTED_DUPLICATE_RATE)
    found: list[tuple[int, int, float, list[str]]] = []
    out = ScanResult(prior=round(cfg.prior, 2))
    wanted = {"match"} if threshold == "match" else {"match", "possible"}

    def flush(final: bool) -> None:
        # Written in chunks, so memory stays flat however many pairs are found; each chunk is audited in its own
        # transaction (a scan cut short leaves what it queued; a re-run skips pairs already queued).
        with transaction.atomic():
            queued = duplicates_queue(pairs=found)
            out.found += len(found)
            out.queued += queued
            out.seconds = time.monotonic() - started
            audit_record(
                actor=actor,
                action="people.duplicates_scan",
                changes={
                    "blocks": out.blocks,
                    "pairs_scored": out.pairs_scored,
                    "found": out.found,
                    "queued": out.queued,
                    "prior": out.prior,
                    "finished": final,
                },
            )
        found.clear()

    pairs = scan.candidate_pairs(max_block)
    out.blocks = pairs.groups
    out.phases["pairs"] = time.monotonic() - started
    out.peaks["pairs"] = scan.peak_memory_mb()
    pks, table = scan.load_table(processes, needed=scan.persons_in(pairs))
    out.phases["persons"] = time.monotonic() - started - sum(out.phases.values())
    out.peaks["persons"] = scan.peak_memory_mb()
    rows_a, rows_b = scan.rows_of(pks, pairs)
    del pairs
    out.pairs_scored = len(rows_a)
    level = 2 if threshold == "match" else 1
    kept = scan.score_candidates(table, rows_a, rows_b, cfg, wanted=level, processes=processes)
    likely = [(int(pks[rows_a[k]]), int(pks[rows_b[k]])) for k in kept.tolist()]
    del table, rows_a, rows_b
    out.phases["scores"] = time.monotonic() - started - sum(out.phases.values())
    out.peaks["scores"] = scan.peak_memory_mb()
    for a, b, result in scan.explain(likely, cfg):
        if result.decision in wanted:
            found.append((a, b, result.score, [r.code for r in result.reasons]))
        if len(found) >= SCAN_FLUSH:
            flush(final=False)
    flush(final=True)
    out.phases["queue"] = time.monotonic() - started - sum(out.phases.values())
    out.peaks["queue"] = scan.peak_memory_mb()
    return out


@transaction.atomic
def person_merge(*, actor: Actor, keep: Person, merge: Person, reason: str) -> Person:
    """Record that `merge` is the same person as `keep`. Reversible: nothing is deleted or moved; the merged
    record points at the one kept. It drops out of the person list, the duplicate look-ups (its match keys are
    deleted) and case linking; an exact search by one of its identifiers shows the person kept instead; its cases
    show under the person kept."""
    if not actor.can(Action.PERSON_MERGE):
        raise PermissionDenied()
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    merge = Person.objects.select_for_update().get(pk=merge.pk)
    require(actor, Action.PERSON_MERGE, keep, owner_side=True)
    require(actor, Action.PERSON_MERGE, merge, owner_side=True)
    errors = {}
    if keep.pk == merge.pk:
        errors["merge"] = [_("A person cannot be merged with itself.")]
    if keep.merged_into_id or merge.merged_into_id or not keep.is_active or not merge.is_active:
        errors["merge"] = [_("One of these records was already merged or deactivated.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Say why these records are the same person.")]
    if errors:
        raise ValidationFailed(fields=errors)
    merge.merged_into = keep
    merge.merged_at = timezone.now()
    merge.version += 1
    merge.save(update_fields=["merged_into", "merged_at", "version", "updated_at"])
    PersonMatchKey.objects.filter(person=merge).delete()
    a, b = min(keep.pk, merge.pk), max(keep.pk, merge.pk)
    DuplicateCandidate.objects.filter(person_a_id=a, person_b_id=b).update(
        status=DuplicateStatus.MERGED, reviewed_by=actor, reviewed_at=timezone.now()
    )
    audit_record(
        actor=actor,
        action="person.merge",
        target_type=TARGET,
        target_id=merge.public_id,
        changes={"merged_into": str(keep.public_id)},
        reason=reason,
    )
    return merge


@transaction.atomic
def person_unmerge(*, actor: Actor, person: Person, reason: str) -> Person:
    """Undo a merge: the record stands on its own again (its match keys are rebuilt)."""
    if not actor.can(Action.PERSON_MERGE):
        raise PermissionDenied()
    person = Person.objects.select_for_update().get(pk=person.pk)
    require(actor, Action.PERSON_MERGE, person, owner_side=True)
    if not person.merged_into_id:
        raise ValidationFailed(fields={"person": [_("This record is not merged.")]})
    if not (reason or "").strip():
        raise ValidationFailed(fields={"reason": [_("Say why the merge is undone.")]})
    kept = person.merged_into
    assert kept is not None  # merged_into_id checked above
    person.merged_into = None
    person.merged_at = None
    person.version += 1
    person.save(update_fields=["merged_into", "merged_at", "version", "updated_at"])
    matching_store.write_keys(person, open_identity(person))
    # The pair goes back to the review queue: undoing a merge says the decision was wrong, not that they differ.
    a, b = min(person.pk, kept.pk), max(person.pk, kept.pk)
    DuplicateCandidate.objects.filter(person_a_id=a, person_b_id=b, status=DuplicateStatus.MERGED).update(
        status=DuplicateStatus.OPEN, reviewed_by=None, reviewed_at=None
    )
    audit_record(
        actor=actor,
        action="person.unmerge",
        target_type=TARGET,
        target_id=person.public_id,
        changes={"was_merged_into": str(kept.public_id)},
        reason=reason,
    )
    return person


@transaction.atomic
def duplicate_dismiss(*, actor: Actor, candidate, reason: str = ""):
    if not actor.can(Action.PERSON_MERGE):
        raise PermissionDenied()
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    require(actor, Action.PERSON_MERGE, candidate.person_a, owner_side=True)
    require(actor, Action.PERSON_MERGE, candidate.person_b, owner_side=True)
    if candidate.status != DuplicateStatus.OPEN:
        raise Conflict(_("This pair was already reviewed."))
    candidate.status = DuplicateStatus.NOT_DUPLICATE
    candidate.reviewed_by = actor
    candidate.reviewed_at = timezone.now()
    candidate.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    audit_record(
        actor=actor,
        action="person.not_duplicate",
        target_type=TARGET,
        target_id=candidate.person_a.public_id,
        changes={"other": str(candidate.person_b.public_id)},
        reason=reason,
    )
    return candidate


# --- asking the owning agency to confirm a cross-agency duplicate ----------------------------------------------


@transaction.atomic
def duplicate_confirmation_request(*, actor: Actor, candidate: DuplicateCandidate) -> list[DuplicateConfirmation]:
    """Ask the agency owning the person (or persons) of a pair whose identity the reviewer may not see: "is this
    the same person as the other record?". One open request per pair and agency; the agency's officers who may
    merge are notified (the notification names the pair's reference, never a person). Refused when the reviewer
    sees both identities (decide on the review page) or when the pair was already reviewed."""
    if not actor.can(Action.PERSON_MERGE):
        raise PermissionDenied()
    candidate = (
        DuplicateCandidate.objects.select_for_update()
        .select_related("person_a__owning_agency", "person_b__owning_agency")
        .get(pk=candidate.pk)
    )
    pair = (candidate.person_a, candidate.person_b)
    for person in pair:
        require(actor, Action.PERSON_MERGE, person, owner_side=True)
    if candidate.status != DuplicateStatus.OPEN:
        raise Conflict(_("This pair was already reviewed."))
    seen = allowed_ids(actor, Action.PERSON_VIEW_IDENTITY, TARGET, list(pair))
    hidden: dict[int, Person] = {}
    for person in pair:
        if person.public_id not in seen:
            hidden.setdefault(person.owning_agency_id, person)
    if not hidden:
        raise ValidationFailed(fields={"confirm": [_("You can see both identities: decide on this page.")]})
    already = set(
        DuplicateConfirmation.objects.filter(
            candidate=candidate, agency_id__in=list(hidden), status=ConfirmationStatus.OPEN
        ).values_list("agency_id", flat=True)
    )
    created = [
        DuplicateConfirmation.objects.create(
            candidate=candidate, person=person, agency=person.owning_agency, asked_by=actor
        )
        for agency_id, person in hidden.items()
        if agency_id not in already
    ]
    if not created:
        raise Conflict(_("The owning agency was already asked; wait for its answer."))
    for confirmation in created:
        notify(
            users=agency_users_who_can(agency=confirmation.agency, action=Action.PERSON_MERGE),
            kind="person.confirm_request",
            params={"reference": confirmation.person.ref},
            url=reverse("people:confirmation", kwargs={"public_id": confirmation.public_id}),
        )
    audit_record(
        actor=actor,
        action="person.confirm_request",
        target_type=TARGET,
        target_id=candidate.person_a.public_id,
        changes={
            "other": str(candidate.person_b.public_id),
            "pair": str(candidate.public_id),
            "asked": [str(c.person.public_id) for c in created],
        },
    )
    return created


@transaction.atomic
def duplicate_confirmation_answer(*, actor: Actor, confirmation: DuplicateConfirmation, answer: str):
    """The owning agency's answer (ConfirmationStatus.SAME or NOT_SAME) to a confirmation request, once. The reviewer
    who asked is notified; the pair stays in the review queue for the reviewer to merge or dismiss."""
    if not actor.can(Action.PERSON_MERGE):
        raise PermissionDenied()
    confirmation = (
        DuplicateConfirmation.objects.select_for_update()
        .select_related("person", "candidate", "asked_by")
        .get(pk=confirmation.pk)
    )
    if actor.agency_id != confirmation.agency_id:
        raise NotFound()
    require(actor, Action.PERSON_MERGE, confirmation.person, owner_side=True)
    if answer not in (ConfirmationStatus.SAME, ConfirmationStatus.NOT_SAME):
        raise ValidationFailed(fields={"answer": [_("Say whether these are the same person.")]})
    if confirmation.status != ConfirmationStatus.OPEN:
        raise Conflict(_("This request was already answered."))
    confirmation.status = answer
    confirmation.answered_by = actor
    confirmation.answered_at = timezone.now()
    confirmation.save(update_fields=["status", "answered_by", "answered_at"])
    notify(
        users=[confirmation.asked_by],
        kind="person.confirm_answer",
        params={"reference": confirmation.person.ref},
        url=reverse("people:duplicate_review", kwargs={"public_id": confirmation.candidate.public_id}),
    )
    audit_record(
        actor=actor,
        action="person.confirm_answer",
        target_type=TARGET,
        target_id=confirmation.person.public_id,
        changes={"answer": answer, "pair": str(confirmation.candidate.public_id)},
    )
    return confirmation
