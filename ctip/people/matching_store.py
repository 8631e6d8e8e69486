"""Candidate retrieval over encrypted identities.

Exact identifiers (national ID, passport, phone, e-mail) are found through their blind indexes. Scoring of the
candidates found is done on decrypted values by ctip.people.matching, in memory, so the database never sees
a name in clear.
"""

from __future__ import annotations

from .identity import Identity
from .models import Person, PersonIdentifier
from .normalize import IdentifierInvalid, normalize_identifier
from .vault import get_vault

MAX_CANDIDATES = 200

IDENTIFIER_REASONS = {
    "national_id": "same national ID number",
    "passport": "same passport number",
    "phone": "same phone number",
    "email": "same e-mail address",
}


def identifier_indexes(identity: Identity) -> dict[str, str]:
    """blind index -> identifier kind, for the identifiers of `identity` that normalise."""
    vault = get_vault()
    out = {}
    for ident in identity.identifiers:
        try:
            value = normalize_identifier(ident.kind, ident.value)
        except IdentifierInvalid:
            continue
        out[vault.blind_index(ident.kind, value)] = ident.kind
    return out


def candidates(identity: Identity, *, limit: int = 10, exclude_pk: int | None = None) -> list:
    from .selectors import Candidate

    indexes = identifier_indexes(identity)
    found: dict[int, Candidate] = {}
    if indexes:
        rows = (
            PersonIdentifier.objects.filter(blind_index__in=list(indexes))
            .values("person_id", "blind_index")
            .order_by()[:MAX_CANDIDATES]
        )
        hits: dict[int, list[str]] = {}
        for row in rows:
            hits.setdefault(row["person_id"], []).append(IDENTIFIER_REASONS.get(indexes[row["blind_index"]], ""))
        persons = Person.objects.filter(pk__in=list(hits), is_active=True, merged_into__isnull=True).select_related(
            "owning_agency"
        )
        for person in persons:
            if person.pk == exclude_pk:
                continue
            reasons = sorted(set(hits[person.pk]))
            found[person.pk] = Candidate(person=person, score=min(1.0, 0.6 + 0.2 * len(reasons)), reasons=reasons)
    ranked = sorted(found.values(), key=lambda c: (-c.score, c.person.pk))
    return ranked[:limit]
