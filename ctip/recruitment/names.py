"""Normalising agency names, licence numbers and contacts (pure functions, no database).

Names are compared on their *distinctive* part: lower case, accents and punctuation removed, and the words every
agency uses (legal forms such as "Ltd", generic words such as "Agency", "Recruitment", "International",
"Ventures") dropped, so "JAKARTA VENTURES LTD." and "Jakartya Ventures Limited" compare as "jakarta" and
"jakartya". When nothing distinctive is left (an agency called "International Recruitment Agency Ltd"), the whole
normalised name is used.
"""

from __future__ import annotations

import re
import unicodedata

from ctip.people.normalize import IdentifierInvalid, normalize_email, normalize_phone

GENERIC_WORDS = frozenset(
    {
        "ltd",
        "limited",
        "co",
        "company",
        "plc",
        "llc",
        "inc",
        "incorporated",
        "llp",
        "the",
        "and",
        "of",
        "agency",
        "agencies",
        "recruitment",
        "recruiters",
        "recruiting",
        "recruiter",
        "employment",
        "employer",
        "employers",
        "placement",
        "placements",
        "international",
        "intl",
        "global",
        "services",
        "service",
        "consultants",
        "consultant",
        "consultancy",
        "consulting",
        "ventures",
        "venture",
        "enterprise",
        "enterprises",
        "group",
        "holdings",
        "kenya",
        "ke",
        "east",
        "africa",
        "african",
        "manpower",
        "staffing",
        "human",
        "resource",
        "resources",
        "hr",
        "solutions",
        "travel",
        "travels",
        "tours",
        "overseas",
        "abroad",
        "jobs",
        "job",
    }
)

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower case, accents removed, '&' read as 'and', everything but letters and digits turned into spaces."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().replace("&", " and ")
    return " ".join(_NON_ALNUM.sub(" ", text).split())


def name_key(name: str) -> str:
    """The distinctive part of an agency name (see the module docstring); '' for an empty name."""
    words = fold(name).split()
    core = [w for w in words if w not in GENERIC_WORDS]
    return " ".join(core or words)


def licence_key(number: str) -> str:
    """A licence number as compared: upper case, letters and digits only ('nea/pea/2024/0012' -> NEAPEA20240012)."""
    return re.sub(r"[^A-Z0-9]", "", (number or "").upper())


def phone_key(raw: str) -> str:
    """E.164, or '' when it is not a phone number."""
    try:
        return normalize_phone(raw)
    except IdentifierInvalid:
        return ""


def email_key(raw: str) -> str:
    try:
        return normalize_email(raw)
    except IdentifierInvalid:
        return ""


def website_key(raw: str) -> str:
    """The host of a website, without scheme, 'www.' or path: 'https://www.Example.co.ke/jobs' -> example.co.ke."""
    text = (raw or "").strip().lower()
    text = re.sub(r"^[a-z]+://", "", text)
    text = text.split("/", 1)[0].split("?", 1)[0]
    return text.removeprefix("www.")


def social_key(raw: str) -> str:
    """A social-media handle as compared: lower case, without '@' and spaces."""
    return re.sub(r"\s+", "", (raw or "").strip().lower()).lstrip("@")
