"""Amounts in Kenya shillings: stored as exact integer cents, typed as KSh with at most two decimals.

`parse_ksh` is strict: digits, optionally grouped by commas in threes, optionally a point and one or two decimals;
an optional "KSh" before. Nothing else: no sign, no exponent, no spaces inside, no third decimal (which would be
rounded away), no other digits than ASCII ones (Python's int() accepts Arabic-Indic digits; a ledger must not).
"""

from __future__ import annotations

import re

MAX_CENTS = 10**15  # KSh 10 trillion: far above any single entry, far below a BigIntegerField's limit
_AMOUNT = re.compile(r"(?:KSh\s?)?(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<frac>[0-9]{1,2}))?", re.IGNORECASE)


class AmountError(ValueError):
    """The text is not an amount in KSh."""


def parse_ksh(text: str) -> int:
    """The amount in cents of `text` ("1,250.50", "KSh 300", "0.05"), > 0; else AmountError."""
    if not isinstance(text, str):
        raise AmountError("not text")
    match = _AMOUNT.fullmatch(text.strip())
    if match is None:
        raise AmountError("not an amount")
    whole = int(match["whole"].replace(",", ""))
    frac = (match["frac"] or "").ljust(2, "0")
    cents = whole * 100 + int(frac)
    if cents <= 0:
        raise AmountError("not positive")
    if cents > MAX_CENTS:
        raise AmountError("too large")
    return cents


def format_ksh(cents: int) -> str:
    """ "1,250.50" for 125050; "-300.00" for -30000. Exact: integer arithmetic, no float."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole:,}.{frac:02d}"
