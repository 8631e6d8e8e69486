"""Parsers for what job seekers type: amounts of money ("50k", "KSh 1,500", "$800", "1.2m", "elfu hamsini" is not
read: words are left to the phrase rules) and the pasted text of an advert, normalised for phrase matching.

Both are total: any input gives an answer (None for an amount that cannot be read), never an exception.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

MAX_AMOUNT = Decimal("1000000000000")  # a trillion: above it the number is a typing accident

# Currency words and symbols written before or after the number, removed before reading it.
_CURRENCY = re.compile(
    r"(?i)\b(kes|ksh|kshs|sh|shs|shillings?|usd|us\$|dollars?|eur|euros?|gbp|pounds?|sar|aed|qar|kwd|omr|bhd|thb|"
    r"rub|cad|aud|jpy|pln|riyals?|dirhams?|baht|rubles?|roubles?)\b\.?|[$€£]"
)
_SUFFIX = {"k": Decimal(1000), "m": Decimal(1000000), "mn": Decimal(1000000), "million": Decimal(1000000)}
_NUMBER = re.compile(r"^(\d+(?:[.,]\d+)*)\s*(k|m|mn|million)?$", re.IGNORECASE)


def parse_amount(text: str | None) -> Decimal | None:
    """The amount written in `text` (a number with thousands separators, a decimal point, a k/m suffix and a
    currency word or symbol around it), or None when there is none or it is unreasonable. "0" is 0."""
    if text is None:
        return None
    s = _CURRENCY.sub(" ", str(text)[:60])
    s = s.replace("\u00a0", " ").replace("/=", " ").replace("=", " ").strip().strip("-/ ")
    s = re.sub(r"(?<=\d)[ '](?=\d{3}\b)", "", s)  # "50 000" and "50'000"
    m = _NUMBER.match(s)
    if not m:
        return None
    digits, suffix = m.group(1), (m.group(2) or "").lower()
    groups = re.split(r"[.,]", digits)
    if len(groups) == 1:
        number = digits
    elif all(len(g) == 3 for g in groups[1:]) and len(groups[0]) <= 3:
        # "1,500" / "1.500.000": thousands separators (unless a k/m suffix makes "1.500k" a decimal)
        number = digits.replace(",", "").replace(".", "") if not suffix or len(groups) > 2 else digits.replace(",", ".")
    elif len(groups) == 2:
        number = groups[0] + "." + groups[1]  # "1.5", "2,75"
    elif all(len(g) == 3 for g in groups[1:-1]) and len(groups[-1]) <= 2:
        number = "".join(groups[:-1]) + "." + groups[-1]  # "1,500.50"
    else:
        return None
    try:
        value = Decimal(number) * _SUFFIX.get(suffix, Decimal(1))
    except InvalidOperation:
        return None
    if value < 0 or value > MAX_AMOUNT:
        return None
    return value


_NOT_WORD = re.compile(r"[^0-9a-z]+")
MAX_TEXT = 5000


def normalise_text(text: str | None) -> str:
    """Lower case, accents dropped, every run of other characters (punctuation, emoji, new lines) one space,
    with a space at each end, so a phrase matches whole words only: `f" {phrase} " in normalise_text(text)`."""
    if not text:
        return " "
    text = unicodedata.normalize("NFKD", str(text)[:MAX_TEXT])
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    words = _NOT_WORD.sub(" ", text).split()
    return " " + " ".join(words) + " " if words else " "


def normalise_phrase(phrase: str) -> str:
    """A phrase as the rules hold it: the words of `normalise_text`, without the spaces around."""
    return normalise_text(phrase).strip()
