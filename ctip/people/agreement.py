"""Field-by-field agreement of two identities, for a reviewer who may not see one of them (or either).

Computed on the server from the decrypted identities; only the category of each field leaves this module:
SAME, SIMILAR, DIFFERENT or MISSING (on one side or both). Never a value, a length or a spelling. Names are
compared with the matcher's token levels (ctip.people.matching.token_level), so "similar" means what the matcher
means: a spelling variant, an initial, a close spelling.

Pure functions of two Identity objects, symmetric in their arguments (hypothesis-tested)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _
from rapidfuzz.distance import OSA

from . import matching
from .enums import IdentifierKind
from .identity import Identity

SAME, SIMILAR, DIFFERENT, MISSING = "same", "similar", "different", "missing"
CATEGORY_LABELS = {
    SAME: _("Same"),
    SIMILAR: _("Similar"),
    DIFFERENT: _("Different"),
    MISSING: _("Missing on one side"),
}

# Identifier kinds compared, in display order; a value one character off is "similar" for these.
_TYPO_KINDS = frozenset({IdentifierKind.NATIONAL_ID, IdentifierKind.PASSPORT, IdentifierKind.PHONE})
_ORDER = [k.value for k in IdentifierKind]


@dataclass(frozen=True)
class FieldAgreement:
    field: str  # a stable code ("first_name", "identifier:passport")
    label: str
    category: str

    @property
    def category_label(self) -> str:
        return str(CATEGORY_LABELS[self.category])


def _names_category(a: str, b: str) -> str:
    ta, tb = matching.name_tokens(a), matching.name_tokens(b)
    if not ta or not tb:
        return MISSING
    if sorted(ta) == sorted(tb):
        return SAME
    # Each token of the shorter name against its best partner in the other; both ways when the lengths are equal,
    # the worse of the two kept (so the category does not depend on which side is A).
    directions = [(ta, tb), (tb, ta)] if len(ta) == len(tb) else [(ta, tb) if len(ta) < len(tb) else (tb, ta)]
    levels = [_best_level(t, large) for small, large in directions for t in small]
    if all(lv in (matching.EXACT, matching.VARIANT, matching.INITIAL, matching.CLOSE) for lv in levels):
        return SIMILAR
    return DIFFERENT


_RANK = {matching.EXACT: 0, matching.VARIANT: 1, matching.INITIAL: 2, matching.CLOSE: 3}


def _best_level(token: str, others: list[str]) -> str:
    levels = [matching.token_level(token, o) for o in others]
    return min(levels, key=lambda lv: _RANK.get(lv, 9))


def _dob_category(a: date | None, b: date | None) -> str:
    if a is None or b is None:
        return MISSING
    if a == b:
        return SAME
    swapped = a.year == b.year and a.day == b.month and a.month == b.day
    digits_a, digits_b = a.strftime("%Y%m%d"), b.strftime("%Y%m%d")
    if swapped or OSA.distance(digits_a, digits_b) == 1:
        return SIMILAR
    return DIFFERENT


def _year_category(a: int | None, b: int | None) -> str:
    """Years of birth (of the dates, or estimated): an estimate two years off is still "similar"."""
    if a is None or b is None:
        return MISSING
    gap = abs(a - b)
    return SAME if gap == 0 else SIMILAR if gap <= 2 else DIFFERENT


def _sex_category(a: str, b: str) -> str:
    a, b = (a or "").strip(), (b or "").strip()
    if a in ("", "unknown") or b in ("", "unknown"):
        return MISSING
    return SAME if a == b else DIFFERENT


def _values_category(va: set[str], vb: set[str], typo: bool) -> str:
    if not va or not vb:
        return MISSING
    if va & vb:
        return SAME
    if typo and any(len(x) == len(y) and OSA.distance(x, y) == 1 for x in va for y in vb):
        return SIMILAR
    return DIFFERENT


def _counties(identity: Identity) -> set[str]:
    return {str(a.get("county")) for a in identity.addresses if isinstance(a, dict) and a.get("county")}


def _address_category(a: Identity, b: Identity) -> str:
    """The address lines compared as the matcher compares them (same, similar or different words)."""
    lines_a = [str(x.get("line")) for x in a.addresses if isinstance(x, dict) and x.get("line")]
    lines_b = [str(x.get("line")) for x in b.addresses if isinstance(x, dict) and x.get("line")]
    if not lines_a or not lines_b:
        return MISSING
    level = matching._locality_level(
        matching.prepare(matching.Record(id=None, locality=lines_a)),
        matching.prepare(matching.Record(id=None, locality=lines_b)),
    )
    if level in ("locality_same", "locality_same_area"):
        return SAME
    if level in ("locality_similar", "locality_weak"):
        return SIMILAR
    return DIFFERENT


def compare(a: Identity, b: Identity) -> list[FieldAgreement]:
    """The agreement of every compared field, in display order (a field missing on both sides is listed too)."""
    rows = [
        FieldAgreement("first_name", str(_("First name")), _names_category(a.first_name, b.first_name)),
        FieldAgreement("middle_names", str(_("Middle name(s)")), _names_category(a.middle_names, b.middle_names)),
        FieldAgreement("last_name", str(_("Last name")), _names_category(a.last_name, b.last_name)),
        FieldAgreement("full_name", str(_("All names, in any order")), _names_category(a.full_name, b.full_name)),
        FieldAgreement(
            "aliases",
            str(_("Other names")),
            _names_category(" ".join(a.aliases or []), " ".join(b.aliases or [])),
        ),
        FieldAgreement("date_of_birth", str(_("Date of birth")), _dob_category(a.date_of_birth, b.date_of_birth)),
        FieldAgreement("birth_year", str(_("Year of birth")), _year_category(a.year_of_birth, b.year_of_birth)),
        FieldAgreement("sex", str(_("Sex")), _sex_category(a.sex, b.sex)),
    ]
    always = {IdentifierKind.NATIONAL_ID.value, IdentifierKind.PASSPORT.value, IdentifierKind.PHONE.value}
    kinds = {i.kind for i in a.identifiers} | {i.kind for i in b.identifiers} | always
    for kind in sorted(kinds, key=lambda k: (_ORDER.index(k) if k in _ORDER else len(_ORDER), k)):
        label = str(IdentifierKind(kind).label) if kind in _ORDER else kind
        category = _values_category(set(a.of_kind(kind)), set(b.of_kind(kind)), kind in _TYPO_KINDS)
        rows.append(FieldAgreement(f"identifier:{kind}", label, category))
    rows.append(FieldAgreement("county", str(_("County")), _values_category(_counties(a), _counties(b), False)))
    rows.append(FieldAgreement("address", str(_("Address or place")), _address_category(a, b)))
    return rows
