"""Normalising identifiers before they are indexed or compared. Pure functions (hypothesis-tested)."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from django.utils.translation import gettext_lazy as _

from .enums import IdentifierKind


class IdentifierInvalid(ValueError):
    pass


def normalize_phone(raw: str, default_region: str = "KE") -> str:
    """To E.164. Kenyan numbers may be written 0712 345 678, 712345678, +254712345678 or 254712345678."""
    text = (raw or "").strip()
    if not text:
        raise IdentifierInvalid(_("Enter a phone number."))
    digits = re.sub(r"[^\d+]", "", text)
    if digits.startswith("254") and not digits.startswith("+"):
        digits = "+" + digits
    try:
        number = phonenumbers.parse(digits, default_region)
    except phonenumbers.NumberParseException as exc:
        raise IdentifierInvalid(_("This is not a phone number.")) from exc
    if not phonenumbers.is_valid_number(number):
        raise IdentifierInvalid(_("This phone number is not valid (Kenyan mobiles: 07xx or 01xx, 10 digits)."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_national_id(raw: str) -> str:
    text = re.sub(r"[\s-]", "", raw or "")
    if not re.fullmatch(r"\d{1,8}", text) or int(text) == 0:
        raise IdentifierInvalid(_("A Kenyan national ID number has up to 8 digits."))
    return str(int(text))


def normalize_passport(raw: str) -> str:
    text = re.sub(r"[\s-]", "", raw or "").upper()
    if not re.fullmatch(r"[A-Z0-9]{6,12}", text) or not re.search(r"\d", text):
        raise IdentifierInvalid(_("A passport number has 6-12 letters and digits (Kenya: a letter and 7-8 digits)."))
    return text


def normalize_email(raw: str) -> str:
    text = (raw or "").strip().lower()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", text):
        raise IdentifierInvalid(_("This is not an e-mail address."))
    return text


def normalize_kra_pin(raw: str) -> str:
    text = re.sub(r"\s", "", raw or "").upper()
    if not re.fullmatch(r"[AP]\d{9}[A-Z]", text):
        raise IdentifierInvalid(_("A KRA PIN is A or P, 9 digits and a letter (A123456789B)."))
    return text


def normalize_other(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw or "").strip().upper()
    text = re.sub(r"\s+", " ", text)
    if not text or len(text) > 60:
        raise IdentifierInvalid(_("Enter the document number (at most 60 characters)."))
    return text


NORMALIZERS = {
    IdentifierKind.NATIONAL_ID: normalize_national_id,
    IdentifierKind.PASSPORT: normalize_passport,
    IdentifierKind.PHONE: normalize_phone,
    IdentifierKind.EMAIL: normalize_email,
    IdentifierKind.KRA_PIN: normalize_kra_pin,
    IdentifierKind.OTHER: normalize_other,
}


def normalize_identifier(kind: str, raw: str) -> str:
    try:
        return NORMALIZERS[IdentifierKind(kind)](raw)
    except (KeyError, ValueError) as exc:
        if isinstance(exc, IdentifierInvalid):
            raise
        raise IdentifierInvalid(_("Unknown kind of identifier.")) from exc
