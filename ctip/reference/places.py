"""Place names as people type them: one normalised key for counties and countries.

Officers and spreadsheets write "Nairobi", "Nairobi County", "nairobi city", "Muranga" or "Taita Taveta" for the
official "Nairobi City", "Murang'a" and "Taita-Taveta". `place_key` folds case, accents, apostrophes, hyphens
and spacing, and drops a trailing "county"; `county_keys` lists every key one county answers to (official code,
ISO 3166-2 code, name, and the name without "City"). Pure functions: no database access.
"""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans("", "", "'\u2019\u2018`\u00b4")
_SEPARATORS = re.compile(r"[\s\-_/.,]+")
_SUFFIXES = (" county", " county government")


def place_key(text: str) -> str:
    """The comparison key of a place name: 'Murang’a County' and 'muranga' give the same key."""
    folded = unicodedata.normalize("NFKD", text or "")
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = folded.casefold().translate(_APOSTROPHES)
    key = _SEPARATORS.sub(" ", folded).strip()
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            key = key[: -len(suffix)].strip()
    if key.startswith("county of "):
        key = key[len("county of ") :].strip()
    return key


def county_code_key(text: str) -> str | None:
    """'47', '047' -> '047'; anything not a 1-3 digit number -> None."""
    t = (text or "").strip()
    if t.isdigit() and 0 < len(t) <= 3:
        return t.zfill(3)
    return None


def county_keys(code: str, name: str, iso_code: str) -> set[str]:
    """Every key a county answers to: its code, its ISO code, its name, and its name without 'City'."""
    keys = {code, place_key(iso_code), place_key(name)}
    base = place_key(name)
    if base.endswith(" city"):
        keys.add(base[: -len(" city")].strip())
    return {k for k in keys if k}
