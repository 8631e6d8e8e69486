"""Duplicate detection over encrypted identities.

Each person carries keyed hashes of its blocking keys (PersonMatchKey: phonetic name pairs, name + birth year,
date of birth; see ctip.people.matching.blocking_keys) and of its identifiers (PersonIdentifier.blind_index).
A look-up hashes the keys of the identity being registered, finds the persons sharing a key through the
indexes, decrypts only those candidates and scores them in memory with ctip.people.matching. The database never
sees a name in clear.

Identities given here are already normalised: validated ones (identity.ValidIdentity) or ones opened from the
vault (stored normalised). Nothing here normalises again.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from . import matching
from .identity import Identity, open_identity
from .models import Person, PersonIdentifier, PersonMatchKey
from .vault import get_vault

# Two records with different national ID numbers are at most a "possible" duplicate in CTIP: common names and
# dates of birth must not merge different people (the matcher's recommended setting; FEBRL does not use it).
CTIP_CONFIG = dataclasses.replace(matching.DEFAULT_CONFIG, cap_at_possible=frozenset({"national_id_conflict"}))
# Share of the registry expected to be a second registration of someone already in it (the demo plants 2%).
EXPECTED_DUPLICATE_RATE = 0.02


def batch_config(population: int, expected_rate: float = EXPECTED_DUPLICATE_RATE) -> matching.MatchConfig:
    """The matcher's settings for a scan of the whole registry of `population` persons.

    The matcher's weights say how much more likely the evidence is for one person than for two (Fellegi-Sunter);
    the prior says how rare true pairs are among the pairs compared. At registration one probe is compared with a
    shortlist, and the default prior (1 in 4,096) suits it. A scan compares persons with each other: the pairs grow
    with the square of the registry, the true pairs only in proportion, so the prior is the log2 odds against a
    pair being the same person, log2((N - 1) / (2 r)) for N persons of whom a share r are registered twice. At
    1,000,000 persons this is 24.6 bits: the same two names and birth year, common in a large registry, stay a
    "possible" pair; names with the full date of birth or a shared identifier make a "match". Never below the
    default prior."""
    if not 0 < expected_rate < 1:
        raise ValueError("expected_rate must be between 0 and 1")
    prior = math.log2(max(population - 1, 1) / (2 * expected_rate))
    return dataclasses.replace(CTIP_CONFIG, prior=max(CTIP_CONFIG.prior, prior))


# Persons decrypted and scored per look-up, at most (those sharing most keys). At 1,000,000 demo persons, 35 found
# the re-typed person as often as 50 (197 of 200 probes) at two thirds of the cost (bench/candidates.py).
MAX_CANDIDATES = 35
# The sealed fields the matcher compares (a look-up decrypts only these of each candidate).
COMPARED_FIELDS = (
    "first_name",
    "middle_names",
    "last_name",
    "aliases",
    "date_of_birth",
    "birth_year",
    "sex",
    "addresses",
)
# What a look-up reads of each candidate: the compared fields and what the candidate list shows.
CANDIDATE_FIELDS = ("public_id", "owning_agency", *COMPARED_FIELDS)
MATCH_INDEX_KIND = "match"

IDENTIFIER_REASONS = {
    "national_id": _("same national ID number"),
    "passport": _("same passport number"),
    "phone": _("same phone number"),
    "email": _("same e-mail address"),
}


@dataclass
class Candidate:
    """An existing person who may be the one being registered (what `candidates` finds). The selector that shows
    candidates (people.selectors.person_candidates_for_identity) fills in `agency`, and `name` only when the user
    may see it."""

    person: Person
    score: float
    reasons: list[str] = field(default_factory=list)
    name: str = ""
    agency: str = ""
    codes: list[str] = field(default_factory=list)  # the matcher's reason codes (for the review queue)
    decision: str = "possible"  # the matcher's decision: "match" or "possible"


def record_of(identity: Identity, record_id=None) -> matching.Record:
    """The matcher's view of a normalised identity."""
    identifiers: dict[str, set[str]] = {}
    for ident in identity.identifiers:
        identifiers.setdefault(ident.kind, set()).add(ident.value)
    # The county and the address line (street, village, estate...) of each address, as the matcher's locality.
    locality = [
        part for a in identity.addresses for part in (a.get("county", ""), a.get("line", "")) if part and part.strip()
    ]
    return matching.Record(
        id=record_id,
        given_names=" ".join(p for p in (identity.first_name, identity.middle_names) if p),
        family_name=identity.last_name,
        other_names=list(identity.aliases),
        date_of_birth=identity.date_of_birth,
        birth_year=None if identity.date_of_birth else identity.birth_year,
        sex=identity.sex or None,
        identifiers=identifiers,
        locality=locality,
    )


def _names_record(identity: Identity, indexes: dict[str, str], record_id) -> matching.Record:
    """A matcher record whose identifiers are blind indexes (kind -> hashes), for comparison by equality."""
    record = record_of(identity, record_id=record_id)
    by_kind: dict[str, set[str]] = {}
    for index, kind in indexes.items():
        by_kind.setdefault(kind, set()).add(index)
    record.identifiers = by_kind
    return record


def hashed_keys(identity: Identity) -> set[str]:
    """The keyed hashes a person is indexed under: the matcher's blocking keys and the one-character-deletion
    variants of its ID, passport and phone numbers (`identifier_variant_keys`, docs/adr/0011)."""
    vault = get_vault()
    record = record_of(identity)
    keys = matching.blocking_keys(record) | set(identifier_variant_keys(record.identifiers))
    return {vault.blind_index(MATCH_INDEX_KIND, key) for key in keys}


# Identifier kinds whose numbers may be typed with one character wrong, and how many of their last characters vary
# (a phone's country code and the 7 or 1 after it are the same for everyone: variants there would pair no one new).
VARIANT_KINDS = {"national_id": 8, "passport": 9, "phone": 9}


def identifier_variant_keys(identifiers: dict[str, set[str]]) -> dict[str, str]:
    """variant key -> identifier kind: for each ID, passport and phone number, the number with one of its last
    characters deleted, tagged with the kind and the position ("idv:national_id:3:2345678"). Two numbers of one kind
    share such a key exactly when they differ in that one character (one digit wrong), so a look-up finds a person
    whose number was typed with one digit wrong without any number being decrypted or compared in clear. Stored as
    keyed hashes like the other match keys (docs/adr/0011 explains what they leak)."""
    out: dict[str, str] = {}
    for kind, values in identifiers.items():
        tail = VARIANT_KINDS.get(kind)
        if tail is None:
            continue
        for value in values:
            for i in range(max(0, len(value) - tail), len(value)):
                out[f"idv:{kind}:{len(value) - i}:{value[:i]}{value[i + 1 :]}"] = kind
    return out


def hashed_query_keys(identity: Identity) -> set[str]:
    """The keyed hashes to look up for a probe: also the neighbouring birth years, and name pairs for probes
    without a year of birth (matching.query_keys)."""
    vault = get_vault()
    return {vault.blind_index(MATCH_INDEX_KIND, key) for key in matching.query_keys(record_of(identity))}


def key_rows(person: Person, identity: Identity) -> list[PersonMatchKey]:
    return [PersonMatchKey(person=person, key=key) for key in sorted(hashed_keys(identity))]


def write_keys(person: Person, identity: Identity) -> None:
    """Replace the person's match keys (called in the transaction that writes the identity)."""
    PersonMatchKey.objects.filter(person=person).delete()
    PersonMatchKey.objects.bulk_create(key_rows(person, identity))


def identifier_indexes(identity: Identity) -> dict[str, str]:
    """blind index -> identifier kind, for the (normalised) identifiers of `identity`."""
    vault = get_vault()
    return {vault.blind_index(ident.kind, ident.value): ident.kind for ident in identity.identifiers}


def _typo_ids(identity: Identity, exclude_pk: int | None) -> dict[int, set[str]]:
    """Persons with an ID, passport or phone number one character away from one of `identity`'s (sharing a
    variant key), with the kinds concerned."""
    variants = identifier_variant_keys(record_of(identity).identifiers)
    if not variants:
        return {}
    vault = get_vault()
    kind_of = {vault.blind_index(MATCH_INDEX_KIND, key): kind for key, kind in variants.items()}
    out: dict[int, set[str]] = {}
    for pid, key in PersonMatchKey.objects.filter(key__in=list(kind_of)).values_list("person_id", "key")[
        : MAX_CANDIDATES * 4
    ]:
        if pid != exclude_pk:
            out.setdefault(pid, set()).add(kind_of[key])
    return out


def _typo_stand_in(index: str) -> str:
    """A value one character away from the blind index `index`: what the matcher is shown for a candidate whose
    number a variant key found one character away from the probe's (the matcher then rates the pair's numbers as
    one typing error apart, which is what the shared variant key proved)."""
    return index[:-1] + ("0" if index[-1] != "0" else "1")


def _candidate_ids(identity: Identity, exclude_pk: int | None) -> tuple[dict[int, list[str]], list[int]]:
    """Persons sharing an identifier (with the kinds shared) and persons sharing match keys (most shared first)."""
    indexes = identifier_indexes(identity)
    by_identifier: dict[int, list[str]] = {}
    if indexes:
        for row in PersonIdentifier.objects.filter(blind_index__in=list(indexes)).values("person_id", "blind_index")[
            :MAX_CANDIDATES
        ]:
            by_identifier.setdefault(row["person_id"], []).append(indexes[row["blind_index"]])
    keys = hashed_query_keys(identity)
    by_key: list[int] = []
    if keys:
        by_key = list(
            PersonMatchKey.objects.filter(key__in=keys)
            .values("person_id")
            .annotate(shared=Count("id"))
            .order_by("-shared", "person_id")
            .values_list("person_id", flat=True)[:MAX_CANDIDATES]
        )
    by_identifier.pop(exclude_pk, None)
    return by_identifier, [pk for pk in by_key if pk != exclude_pk]


def candidates(identity: Identity, *, limit: int = 10, exclude_pk: int | None = None) -> list[Candidate]:
    """Existing persons who may be `identity` (normalised), best first, each with a score and the reasons (texts
    name no one: they are the matcher's reason codes turned into short phrases)."""
    by_identifier, by_key = _candidate_ids(identity, exclude_pk)
    typos = _typo_ids(identity, exclude_pk)
    ids = list(dict.fromkeys([*by_identifier, *typos, *by_key]))[:MAX_CANDIDATES]
    if not ids:
        return []
    persons = list(
        Person.objects.filter(pk__in=ids, is_active=True, merged_into__isnull=True)
        .select_related("owning_agency")
        .only(*CANDIDATE_FIELDS)
    )
    # Identifiers are compared by their blind indexes (equal values, equal hashes): no identifier is decrypted.
    indexes_of: dict[int, dict[str, set[str]]] = {}
    for pid, kind, index in PersonIdentifier.objects.filter(person_id__in=[p.pk for p in persons]).values_list(
        "person_id", "kind", "blind_index"
    ):
        indexes_of.setdefault(pid, {}).setdefault(kind, set()).add(index)
    probe_indexes = identifier_indexes(identity)
    probe = matching.prepare(_names_record(identity, probe_indexes, None), CTIP_CONFIG)
    probe_by_kind: dict[str, list[str]] = {}
    for index, kind in probe_indexes.items():
        probe_by_kind.setdefault(kind, []).append(index)
    # Scored without explanations first; only the persons proposed are explained (the reasons are the slow part).
    kept = []
    for person in persons:
        other = _names_record(open_identity(person, COMPARED_FIELDS), {}, person.pk)
        other.identifiers = {kind: set(values) for kind, values in indexes_of.get(person.pk, {}).items()}
        for kind in typos.get(person.pk, ()):
            other.identifiers.setdefault(kind, set()).update(_typo_stand_in(i) for i in probe_by_kind.get(kind, ()))
        prepared = matching.prepare(other, CTIP_CONFIG)
        result = matching.score_prepared(probe, prepared, CTIP_CONFIG, explain=False)
        if result.decision != "non_match" or person.pk in by_identifier:
            kept.append((result.score, person, prepared))
    kept.sort(key=lambda t: (-t[0], t[1].pk))
    found = []
    for _score, person, prepared in kept[:limit]:
        result = matching.score_prepared(probe, prepared, CTIP_CONFIG)
        shared = sorted({str(IDENTIFIER_REASONS.get(kind, kind)) for kind in by_identifier.get(person.pk, [])})
        reasons = shared + [reason_text(r.code) for r in result.reasons if r.code not in SILENT_REASONS]
        codes = [f"{kind}_same" for kind in sorted(set(by_identifier.get(person.pk, [])))]
        codes += [r.code for r in result.reasons if r.code not in SILENT_REASONS]
        found.append(
            Candidate(
                person=person,
                score=round(result.score, 3),
                reasons=list(dict.fromkeys(reasons)),
                codes=list(dict.fromkeys(codes)),
                decision=result.decision,
            )
        )
    found.sort(key=lambda c: (-c.score, c.person.pk))
    return found[:limit]


# Reason codes -> short phrases that quote no name (the candidate list may show persons whose names the user
# may not see). Unknown codes are shown as they are.
REASON_TEXTS = {
    "name_same": _("same name"),
    "name_same_tokens_any_order": _("same names in another order"),
    "name_phonetic_variant": _("name spelt differently (sounds the same)"),
    "name_same_tokens_subset": _("some of the names agree"),
    "name_extra_tokens": _("one record has more names"),
    "name_initial": _("an initial agrees"),
    "name_alias": _("agrees with another name recorded"),
    "name_close_spelling": _("name spelt closely"),
    "name_different_lookalike": _("names look alike but differ"),
    "name_conflict": _("names differ"),
    "name_missing": _("a name is missing"),
    "dob_same": _("same date of birth"),
    "dob_day_month_swapped": _("date of birth with day and month swapped"),
    "dob_same_year_month": _("same month and year of birth"),
    "dob_same_year": _("same year of birth"),
    "dob_one_digit_typo": _("date of birth differs by one digit"),
    "dob_conflict": _("different date of birth"),
    "yob_same": _("same year of birth"),
    "yob_near": _("years of birth one apart"),
    "yob_conflict": _("years of birth far apart"),
    "id_one_digit_typo": _("document or phone number differs by one digit"),
    "national_id_same": _("same national ID number"),
    "national_id_conflict": _("different national ID number"),
    "passport_same": _("same passport number"),
    "passport_conflict": _("different passport number"),
    "phone_same": _("same phone number"),
    "phone_conflict": _("different phone numbers"),
    "email_same": _("same e-mail address"),
    "email_conflict": _("different e-mail addresses"),
    "sex_conflict": _("different sex"),
}
SILENT_REASONS = frozenset(
    {
        "locality_same",
        "locality_differs",
        "locality_similar",
        "locality_same_area",
        "locality_weak",
        "locality_conflict",
    }
)


def reason_text(code: str) -> str:
    """The phrase for a reason code, in the active language."""
    return str(REASON_TEXTS.get(code, code.replace("_", " ")))


# --- whole-registry passes ------------------------------------------------------------------------------------


def iter_persons(batch: int = 2000) -> Iterator[list[Person]]:
    last = 0
    while True:
        rows = list(
            Person.objects.filter(pk__gt=last, is_active=True, merged_into__isnull=True)
            .order_by("pk")
            .prefetch_related("identifiers")[:batch]
        )
        if not rows:
            return
        last = rows[-1].pk
        yield rows


def _runs(rows: Iterable[tuple[str, int]], max_block: int) -> Iterator[list[int]]:
    """Consecutive rows with the same key (rows sorted by key) -> the person ids of each run of 2..max_block."""
    current: str | None = None
    members: list[int] = []
    for key, pid in rows:
        if key != current:
            if 1 < len(members) <= max_block:
                yield members
            current, members = key, []
        if len(members) <= max_block and (not members or members[-1] != pid):
            members.append(pid)
    if 1 < len(members) <= max_block:
        yield members


def blocks(max_block: int) -> Iterator[tuple[str, list[int]]]:
    """Groups of person ids that share a match key ("key", ids) or an identifier ("identifier", ids), streamed in
    key order from the indexes (one pass, constant memory); groups larger than `max_block` are skipped: a key that
    common says nothing."""
    keys = PersonMatchKey.objects.order_by("key", "person_id").values_list("key", "person_id")
    for ids in _runs(keys.iterator(chunk_size=20_000), max_block):
        yield "key", ids
    # Persons sharing an identifier (same blind index: same kind and number), whatever their names and dates say:
    # a re-registration often has no date of birth, and so no match key in common with the first registration.
    shared = (
        PersonIdentifier.objects.filter(person__is_active=True, person__merged_into__isnull=True)
        .order_by("blind_index", "person_id")
        .values_list("blind_index", "person_id")
    )
    for ids in _runs(shared.iterator(chunk_size=20_000), max_block):
        yield "identifier", ids


def open_records(ids: Iterable[int]) -> dict[int, matching.Record]:
    persons = Person.objects.filter(pk__in=list(ids)).prefetch_related("identifiers")
    return {p.pk: record_of(open_identity(p), record_id=p.pk) for p in persons}


# --- find a person by name --------------------------------------------------------------------------------------

# Persons decrypted and scored per name search, at most (those sharing most keys with the name searched for).
SEARCH_CANDIDATES = 50
NAME_SEARCH_INDEX_KIND = "name_search"  # the keyed hash of a name searched for, as the audit trail keeps it


def name_probe(name: str, birth_year: int | None = None) -> matching.Record:
    """The matcher's view of a name searched for (typed in one box: its order does not matter)."""
    return matching.Record(id=None, given_names=name, birth_year=birth_year)


def hashed_name_query_keys(probe: matching.Record) -> set[str]:
    """The keyed hashes of the blocking keys a name search looks up (matching.query_keys: neighbouring years for a
    probe with a year, every year and the year-less keys for one without)."""
    vault = get_vault()
    return {vault.blind_index(MATCH_INDEX_KIND, key) for key in matching.query_keys(probe)}


def searchable(name: str) -> bool:
    """Whether a name gives blocking keys at all: two names of two letters or more (a single name or initials
    would look up nothing, or everyone)."""
    return bool(matching.query_keys(name_probe(name), years=()))


def name_search_digest(name: str, birth_year: int | None, county: str) -> str:
    """A keyed hash of a name search (normalised name, year, county): the audit trail can tell that the same search
    was made again, and nobody can read it back without CTIP_INDEX_KEY."""
    text = f"{matching.normalise_name(name)}|{birth_year or ''}|{county}"
    return get_vault().blind_index(NAME_SEARCH_INDEX_KIND, text)


def score_name(probe: matching._Prepared, identity: Identity) -> matching.Match:
    """The matcher's comparison of a name searched for (and its year) with a person's decrypted identity."""
    record = record_of(identity)
    record.identifiers = {}
    record.locality = []
    return matching.score_prepared(probe, matching.prepare(record, CTIP_CONFIG), CTIP_CONFIG, explain=False)
