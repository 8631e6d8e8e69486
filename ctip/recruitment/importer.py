"""Reading and checking the NEA published list of private employment agencies (CSV), pure: no writes.

`read_list(content)` turns the upload into (row number, {column: text}) pairs, refusing the file as a whole
(FileInvalid, nothing imported) when it is not UTF-8 CSV, too large, empty, or when its header row has a column
CTIP does not know (a misspelt heading would otherwise drop that column's values: the error names the closest
known column) or lacks a required one. `parse_row` turns one row into an `AgencyRow` or raises `RowInvalid` with
every problem of the row, keyed by column. The columns are documented in docs/recruitment.md.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _

from ctip.core.errors import ValidationFailed
from ctip.reference.places import county_code_key, place_key

from .enums import AgencyStatus, ContactKind
from .names import email_key, licence_key, phone_key, social_key, website_key

MAX_BYTES = 4 * 1024 * 1024
MAX_ROWS = 20_000
SEPARATOR = ";"  # several phones (e-mails...) in one cell

# Canonical column -> accepted headings (compared without case, spaces, dots, underscores or dashes).
COLUMNS: dict[str, tuple[str, ...]] = {
    "licence_number": ("licence_number", "license_number", "registration_number", "reg_no", "licence_no", "cert_no"),
    "legal_name": ("legal_name", "agency_name", "name_of_agency", "name", "company_name"),
    "trading_name": ("trading_name", "business_name", "trading_as"),
    "status": ("status", "licence_status", "license_status"),
    "status_date": ("status_date", "date", "effective_date"),
    "county": ("county",),
    "office_address": ("office_address", "physical_address", "address", "location"),
    "phones": ("phones", "phone", "telephone", "tel", "mobile"),
    "emails": ("emails", "email", "e_mail"),
    "websites": ("websites", "website", "web"),
    "socials": ("socials", "social_media", "social"),
    "guarantee_issuer": ("guarantee_issuer", "bank_guarantee_issuer", "guarantor"),
    "guarantee_amount_ksh": ("guarantee_amount_ksh", "guarantee_amount", "bank_guarantee"),
    "guarantee_expires_on": ("guarantee_expires_on", "guarantee_expiry"),
}
REQUIRED = ("licence_number", "legal_name", "status")
# Words NEA and officers use for each status, English and Kiswahili.
STATUS_WORDS = {
    AgencyStatus.VALID: ("valid", "active", "licensed", "halali"),
    AgencyStatus.EXPIRED: ("expired", "lapsed", "imeisha"),
    AgencyStatus.SUSPENDED: ("suspended", "imesimamishwa"),
    AgencyStatus.DEREGISTERED: ("deregistered", "de-registered", "revoked", "invalid", "imefutwa"),
    AgencyStatus.BLACKLISTED: ("blacklisted", "black-listed", "banned", "marufuku"),
    AgencyStatus.DENIED: ("denied", "rejected", "imekataliwa"),
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
CONTACT_COLUMNS = {
    "phones": (ContactKind.PHONE, phone_key),
    "emails": (ContactKind.EMAIL, email_key),
    "websites": (ContactKind.WEBSITE, website_key),
    "socials": (ContactKind.SOCIAL, social_key),
}


def _squash(text: str) -> str:
    return re.sub(r"[\s._\-/]+", "_", (text or "").strip().lower()).strip("_")


HEADINGS = {_squash(alias): canonical for canonical, aliases in COLUMNS.items() for alias in aliases}
STATUS_LOOKUP = {_squash(word): status for status, words in STATUS_WORDS.items() for word in words}


class FileInvalid(ValidationFailed):
    """The file as a whole cannot be used: nothing is imported."""


class RowInvalid(ValidationFailed):
    """One row has problems (fields: column -> messages)."""


@dataclass
class AgencyRow:
    number: int
    licence_number: str
    licence_key: str
    legal_name: str
    status: str
    trading_name: str = ""
    status_date: date | None = None
    county: str = ""  # county code, resolved by the caller's reference table
    office_address: str = ""
    contacts: dict[str, list[str]] = field(default_factory=dict)  # ContactKind -> values
    guarantee_issuer: str = ""
    guarantee_amount_cents: int | None = None
    guarantee_expires_on: date | None = None


def read_list(content: bytes) -> list[tuple[int, dict[str, str]]]:
    if len(content) > MAX_BYTES:
        raise FileInvalid(_("The file is larger than 4 MB: split it."), fields={"file": [_("File too large.")]})
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileInvalid(_("Save the CSV file as UTF-8."), fields={"file": [_("Not UTF-8.")]}) from exc
    if "\x00" in text:
        raise FileInvalid(_("This is not a CSV file."), fields={"file": [_("Not a CSV file.")]})
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    try:
        matrix = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise FileInvalid(_("The CSV file could not be read."), fields={"file": [_("Bad CSV.")]}) from exc
    if not matrix or not any(c.strip() for c in matrix[0]):
        raise FileInvalid(_("The file is empty: the first row must name the columns."), fields={"file": [_("Empty.")]})
    headers = matrix[0]
    mapped: dict[int, str] = {}
    problems: list[str] = []
    for i, heading in enumerate(headers):
        name = HEADINGS.get(_squash(heading))
        if name is None:
            if not heading.strip():
                if any(i < len(r) and r[i].strip() for r in matrix[1:]):
                    problems.append(_("Column %(n)s holds data but has no heading.") % {"n": i + 1})
                continue
            guess = difflib.get_close_matches(_squash(heading), list(COLUMNS), n=1, cutoff=0.6)
            shown = heading.strip()[:60]
            problems.append(
                _("Unknown column %(column)s: did you mean %(suggestion)s?") % {"column": shown, "suggestion": guess[0]}
                if guess
                else _("Unknown column %(column)s: rename it or delete it.") % {"column": shown}
            )
        elif name in mapped.values():
            problems.append(_("Column %(column)s appears twice.") % {"column": name})
        else:
            mapped[i] = name
    missing = [c for c in REQUIRED if c not in mapped.values()]
    if missing:
        problems.append(_("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)})
    if problems:
        raise FileInvalid(_("Nothing was imported: the header row must be fixed first."), fields={"file": problems})
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(matrix[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        rows.append((number, {name: (cells[i].strip() if i < len(cells) else "") for i, name in mapped.items()}))
        if len(rows) > MAX_ROWS:
            raise FileInvalid(
                _("The file has more than %(n)s rows: split it.") % {"n": MAX_ROWS},
                fields={"file": [_("Too many rows.")]},
            )
    if not rows:
        raise FileInvalid(_("The file has no data rows."), fields={"file": [_("No rows.")]})
    return rows


def parse_date(text: str) -> date:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_amount_cents(text: str) -> int:
    """'1,500,000' or '1500000.50' KSh -> integer cents; ValueError for anything else or a negative amount."""
    cleaned = re.sub(r"(?i)^\s*(ksh\.?|kes)\s*", "", text).replace(",", "").replace(" ", "")
    if not re.fullmatch(r"\d{1,13}(\.\d{1,2})?", cleaned):
        raise ValueError(text)
    whole, _dot, fraction = cleaned.partition(".")
    return int(whole) * 100 + int((fraction + "00")[:2])


def parse_row(number: int, row: dict[str, str], *, counties: dict[str, str], today: date) -> AgencyRow:
    """One row -> AgencyRow, or RowInvalid naming every problem by column. `counties`: lower-case name or code ->
    county code."""
    errors: dict[str, list[str]] = {}

    def err(column: str, message: str) -> None:
        errors.setdefault(column, []).append(message)

    def text(column: str, max_length: int) -> str:
        value = row.get(column, "")
        if len(value) > max_length:
            err(column, _("At most %(n)s characters.") % {"n": max_length})
        return value

    licence = text("licence_number", 40)
    key = licence_key(licence)
    if not key:
        err("licence_number", _("Enter the licence number."))
    legal_name = text("legal_name", 200)
    if not legal_name:
        err("legal_name", _("Enter the agency's name."))
    status = STATUS_LOOKUP.get(_squash(row.get("status", "")), "")
    if not status:
        err(
            "status",
            _("Unknown status %(value)s: use valid, expired, suspended, deregistered, blacklisted or denied.")
            % {"value": row.get("status", "")[:40]},
        )

    def day(column: str) -> date | None:
        value = row.get(column, "")
        if not value:
            return None
        try:
            parsed = parse_date(value)
        except ValueError:
            err(column, _("Not a date: write it as 2024-06-30 or 30/06/2024."))
            return None
        return parsed

    status_date = day("status_date")
    if status_date and status_date > today:
        err("status_date", _("The status date is in the future."))
    county = ""
    if row.get("county"):
        county = counties.get(county_code_key(row["county"]) or place_key(row["county"]), "")
        if not county:
            err("county", _("Unknown county %(value)s.") % {"value": row["county"][:40]})
    contacts: dict[str, list[str]] = {}
    for column, (kind, normaliser) in CONTACT_COLUMNS.items():
        values = [v.strip() for v in row.get(column, "").split(SEPARATOR) if v.strip()]
        for value in values:
            if len(value) > 200 or not normaliser(value):
                err(column, _("Not valid: %(value)s") % {"value": value[:60]})
        if values:
            contacts[str(kind)] = values
    amount = None
    if row.get("guarantee_amount_ksh"):
        try:
            amount = parse_amount_cents(row["guarantee_amount_ksh"])
        except ValueError:
            err("guarantee_amount_ksh", _("Not an amount in KSh (digits, optionally with cents)."))
    result = AgencyRow(
        number=number,
        licence_number=licence,
        licence_key=key,
        legal_name=legal_name,
        status=status,
        trading_name=text("trading_name", 200),
        status_date=status_date,
        county=county,
        office_address=text("office_address", 300),
        contacts=contacts,
        guarantee_issuer=text("guarantee_issuer", 200),
        guarantee_amount_cents=amount,
        guarantee_expires_on=day("guarantee_expires_on"),
    )
    if errors:
        raise RowInvalid(fields=errors)
    return result


def parse_all(
    rows: list[tuple[int, dict[str, str]]], *, counties: dict[str, str], today: date
) -> tuple[list[AgencyRow], list[dict]]:
    """Every row parsed, and the row-level errors [{"row", "column", "message"}] (a licence number twice too)."""
    parsed: list[AgencyRow] = []
    errors: list[dict] = []
    first_row: dict[str, int] = {}
    for number, row in rows:
        try:
            item = parse_row(number, row, counties=counties, today=today)
        except RowInvalid as exc:
            for column, messages in exc.fields.items():
                errors.extend({"row": number, "column": column, "message": m} for m in messages)
            continue
        if item.licence_key in first_row:
            errors.append(
                {
                    "row": number,
                    "column": "licence_number",
                    "message": _("The same licence number is already in row %(row)s.")
                    % {"row": first_row[item.licence_key]},
                }
            )
            continue
        first_row[item.licence_key] = number
        parsed.append(item)
    return parsed, errors
