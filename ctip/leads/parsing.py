"""Identifiers found in free text (a tip's "people involved", a complaint): Kenyan phone numbers and M-Pesa
transaction codes, offered to the officer as a starting point (they check and correct them)."""

from __future__ import annotations

import re

# 07xx / 01xx, or +254 / 254 followed by 7xx / 1xx; separators (space, dash) allowed between groups.
_PHONE = re.compile(r"(?<![\d+])(?:\+?254[\s-]?|0)([17]\d{2})[\s-]?(\d{3})[\s-]?(\d{3})(?!\d)")
# M-Pesa confirmation codes: 10 upper-case letters and digits, starting with a letter, with at least 2 digits.
_MPESA_CODE = re.compile(r"\b(?=[A-Z0-9]{10}\b)(?=(?:[A-Z]*\d){2})[A-Z][A-Z0-9]{9}\b")


def normalise_phone(raw: str) -> str | None:
    """'+254 712-345 678' -> '0712345678'; None when it is not a Kenyan mobile number."""
    m = _PHONE.fullmatch(raw.strip())
    return f"0{m.group(1)}{m.group(2)}{m.group(3)}" if m else None


def find_phones(text: str) -> list[str]:
    """Kenyan mobile numbers in the text, normalised (07xxxxxxxx / 01xxxxxxxx), each once, in order."""
    return list(dict.fromkeys(f"0{a}{b}{c}" for a, b, c in _PHONE.findall(text or "")))


def find_mpesa_codes(text: str) -> list[str]:
    return list(dict.fromkeys(_MPESA_CODE.findall(text or "")))


def split_lines(text: str) -> list[str]:
    """One item per line (or separated by commas or semicolons), blank ones dropped, each once."""
    parts = re.split(r"[\n;,]+", text or "")
    return list(dict.fromkeys(p.strip() for p in parts if p.strip()))


def names_in(text: str) -> list[str]:
    """What is left of each line once phone numbers and M-Pesa codes are taken out: the names ("Agent Mwangi
    0712345678" -> "Agent Mwangi"), each once."""
    names = []
    for line in split_lines(text):
        rest = _MPESA_CODE.sub(" ", _PHONE.sub(" ", line))
        rest = " ".join(rest.replace("(", " ").replace(")", " ").replace(":", " ").split()).strip(" -/.")
        if any(ch.isalpha() for ch in rest):
            names.append(rest)
    return list(dict.fromkeys(names))
