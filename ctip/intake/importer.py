"""Reading and checking bulk-import files: the HTCDS v2.0 Excel template or a CSV with HTCDS column names.

Pure parsing and validation, no writes: `read_table` turns the upload into (row number, {column: text}) pairs,
`RowParser.parse` turns one row into a `RowPlan` (what the services will create) or raises `RowInvalid` with
every problem of the row, keyed by column. The column mapping is documented in docs/import.md.

A file is refused as a whole (FileInvalid, nothing imported) when its header row has a column CTIP does not know
(a misspelt name would otherwise drop that column's values) or when an imported cell of a workbook holds a
formula (CTIP does not compute formulas, so the cell would be read as empty or as a stale cached value).
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

import openpyxl
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from ctip.cases.enums import (
    HTCDS_CASE_FIELDS,
    CaseStatus,
    ClosureReason,
    DecisionMakingOrg,
    EventType,
    TraffickingStatus,
)
from ctip.cases.services import EventInput, validate_dates, validate_htcds
from ctip.core.errors import ServiceError, ValidationFailed
from ctip.people.enums import Gender, IdentifierKind, Sex
from ctip.people.identity import IdentifierValue, Identity, ValidIdentity, validate_identity
from ctip.reference.ctdc import looks_like_ctdc
from ctip.reference.places import county_code_key, county_keys, place_key
from ctip.reference.selectors import country_list, county_list

MAX_ROWS = 20_000
MAX_BYTES = 8 * 1024 * 1024
MULTI_SEPARATOR = ";"

# Canonical column names. Aliases (other spellings people use) map onto them; matching ignores case.
IDENTITY_COLUMNS = {
    "prs_FirstName": ("prs_FirstName",),
    "prs_MiddleName": ("prs_MiddleName",),
    "prs_SecondName": ("prs_SecondName", "prs_LastName"),
    "prs_Birthdate": ("prs_Birthdate", "prs_DateOfBirth"),
    "prs_Gender": ("prs_Gender",),
    "prs_Citizenship": ("prs_Citizenship",),
    "prs_Email": ("prs_Email",),
    "prs_HomePhone": ("prs_HomePhone",),
    "prs_MobilePhone": ("prs_MobilePhone",),
    "prs_IdentityNumber": ("prs_IdentityNumber",),
    "prs_MailingStreet": ("prs_MailingStreet",),
    "prs_MailingCity": ("prs_MailingCity",),
    "prs_MailingState": ("prs_MailingState",),
    "prs_MailingPostalCode": ("prs_MailingPostalCode",),
    "prs_MailingCountry": ("prs_MailingCountry",),
    "ctip_Aliases": ("ctip_Aliases",),
    "ctip_Sex": ("ctip_Sex",),
    "ctip_NationalID": ("ctip_NationalID", "ctip_NationalId"),
    "ctip_Passport": ("ctip_Passport",),
    "ctip_Phone": ("ctip_Phone",),
}
CASE_COLUMNS = {
    "vic_TraffickingStatus": ("vic_TraffickingStatus",),
    "vic_TraffickingStatusDecisionMakingOrg": (
        "vic_TraffickingStatusDecisionMakingOrg",
        "vic_TraffickinStatusDecisionMakingOrg",  # the spelling in the v2.0 Excel template
    ),
    "vic_LocationOfRecruitment": ("vic_LocationOfRecruitment",),
    "vic_LocationOfExploitation": ("vic_LocationOfExploitation",),
    "cas_Status": ("cas_Status",),
    "cas_ReasonForCaseClosure": ("cas_ReasonForCaseClosure",),
    "cas_ReferringOrganisation": ("cas_ReferringOrganisation",),
    "cas_IncomingReferralDate": ("cas_IncomingReferralDate",),
    "cas_IncomingReferralDetails": ("cas_IncomingReferralDetails",),
    "ctip_IdentifiedOn": ("ctip_IdentifiedOn",),
    "ctip_IdentifiedCounty": ("ctip_IdentifiedCounty",),
    "ctip_IdentifiedCountry": ("ctip_IdentifiedCountry",),
    "ctip_IsChild": ("ctip_IsChild",),
    "ctip_ClosureReason": ("ctip_ClosureReason",),
    "ctip_Narrative": ("ctip_Narrative",),
    **{f: (f,) for f in HTCDS_CASE_FIELDS},
}
EVENT_PARTS = ("Date", "EndDate", "County", "Country", "City")
EVENT_COLUMNS = {f"hte_{t}{part}": (f"hte_{t}{part}",) for t in EventType.values for part in EVENT_PARTS}
ALL_COLUMNS = {**IDENTITY_COLUMNS, **CASE_COLUMNS, **EVENT_COLUMNS}
_LOOKUP = {alias.lower(): name for name, aliases in ALL_COLUMNS.items() for alias in aliases}
NAME_COLUMNS = ("prs_FirstName", "prs_SecondName")
# Template columns CTIP reads but does not import (documented in docs/import.md).
NOT_IMPORTED_COLUMNS = (
    "cas_CaseOwner",
    "prs_Salutation",
    "prs_Title",
    "con_Consent",
    "cas_ReferringPrimaryCaseWorker",
    "cas_ReasonForIncomingReferral",
    "cas_ReferredOrganisation",
    "cas_ReferredPrimaryCaseWorker",
    "cas_ReasonForOutgoingReferral",
    "cas_OutgoingReferralDate",
    "cas_OutgoingReferralDetails",
)
KNOWN_NOT_IMPORTED = {c.lower() for c in NOT_IMPORTED_COLUMNS}
LISTED_AT_MOST = 20  # unknown columns / formula cells named in an error; the count says how many more

# Where a service's error field belongs in the file.
SERVICE_FIELD_COLUMN = {
    "first_name": "prs_FirstName",
    "middle_names": "prs_MiddleName",
    "last_name": "prs_SecondName",
    "date_of_birth": "prs_Birthdate",
    "sex": "ctip_Sex",
    "gender": "prs_Gender",
    "citizenships": "prs_Citizenship",
    IdentifierKind.NATIONAL_ID: "ctip_NationalID",
    IdentifierKind.PASSPORT: "ctip_Passport",
    IdentifierKind.PHONE: "prs_MobilePhone",
    IdentifierKind.EMAIL: "prs_Email",
    IdentifierKind.OTHER: "prs_IdentityNumber",
    "identified_on": "ctip_IdentifiedOn",
    "is_child": "ctip_IsChild",
    "status": "vic_TraffickingStatus",
    "decision_org": "vic_TraffickingStatusDecisionMakingOrg",
    "decided_on": "ctip_IdentifiedOn",
    "closure_reason": "cas_ReasonForCaseClosure",
    "note": "cas_ReasonForCaseClosure",
}


class FileInvalid(ValidationFailed):
    """The file as a whole cannot be read (format, headers, size)."""


class RowInvalid(ValidationFailed):
    """One row has problems; `fields` maps column name -> messages."""


@dataclass
class RowPlan:
    row: int
    identity: ValidIdentity  # validated once, here; registration passes it on unchecked
    identified_on: date
    is_child: bool | None
    htcds: dict[str, list[str]]
    events: list[EventInput]
    narrative: str
    case_fields: dict
    trafficking_status: str = ""
    decision_org: str = ""
    case_status: str = CaseStatus.ACTIVE
    closure_reason: str = ""
    closure_note: str = ""
    duplicate_keys: list[tuple[str, str]] = field(default_factory=list)


# --- reading the file --------------------------------------------------------------------------------------


def detect_format(file_name: str, content: bytes) -> str:
    if content[:4] == b"PK\x03\x04" or file_name.lower().endswith(".xlsx"):
        return "xlsx"
    return "csv"


class Formula:
    """A workbook cell holding a formula (`cell` is its reference, e.g. 'C7'): its value is never read."""

    __slots__ = ("cell",)

    def __init__(self, cell: str):
        self.cell = cell


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Formula):
        return "="  # not empty: the row holds something, and the file is refused for it
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _squash(name: str) -> str:
    """'PRS first-name' -> 'prsfirstname': what two spellings of a column name have in common."""
    return "".join(ch for ch in name.lower() if ch.isalnum())


def _suggestions() -> dict[str, str]:
    """Every spelling a column is known by (aliases, the read-but-not-imported ones, and without the prefix when
    that is unambiguous: 'Birthdate' -> prs_Birthdate), squashed -> the name to suggest."""
    full = {
        **{_squash(c): c for c in NOT_IMPORTED_COLUMNS},
        **{_squash(alias): name for name, aliases in ALL_COLUMNS.items() for alias in aliases},
    }
    bare: dict[str, set[str]] = {}
    for name in [*NOT_IMPORTED_COLUMNS, *ALL_COLUMNS]:
        bare.setdefault(_squash(name.split("_", 1)[1]), set()).add(name)
    return {**{key: names.pop() for key, names in bare.items() if len(names) == 1 and key not in full}, **full}


_SUGGESTIONS = _suggestions()


def _edits(a: str, b: str) -> int:
    """Letters to delete, insert, replace or swap with a neighbour to turn a into b (optimal string alignment)."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def suggest_column(header: str) -> str | None:
    """The known column name an unknown header most likely means ('prs_FristName' -> 'prs_FirstName'): the
    fewest letter edits, at most two (one for names under 8 letters), ignoring case and separators; ties go to the
    most similar by difflib's ratio. None when nothing is that close."""
    key = _squash(header)
    if not key:
        return None
    scored = [(_edits(key, known), known) for known in _SUGGESTIONS]
    best = min(distance for distance, _known in scored)
    if best > (2 if len(key) >= 8 else 1):
        return None
    tied = [known for distance, known in scored if distance == best]
    return _SUGGESTIONS[max(tied, key=lambda known: (difflib.SequenceMatcher(None, key, known).ratio(), known))]


@dataclass
class UnknownColumn:
    header: str  # as written in the file (at most 60 characters)
    position: int  # 0-based index in the row

    @property
    def letter(self) -> str:
        return get_column_letter(self.position + 1)


def _map_headers(headers: list[str]) -> tuple[dict[int, str], list[str], list[UnknownColumn]]:
    """Column index -> canonical name, the read-but-not-imported columns present, and the unknown columns."""
    mapped: dict[int, str] = {}
    ignored: list[str] = []
    unknown: list[UnknownColumn] = []
    for i, h in enumerate(headers):
        key = (h or "").strip().lower()
        if not key:
            continue
        name = _LOOKUP.get(key)
        if name is None:
            if key in KNOWN_NOT_IMPORTED:
                ignored.append(h.strip()[:60])
            else:
                unknown.append(UnknownColumn(h.strip()[:60], i))
            continue
        if name in mapped.values():
            raise FileInvalid(
                _("The column %(column)s appears twice.") % {"column": name}, fields={"file": [_("Duplicate column.")]}
            )
        mapped[i] = name
    if not any(n in mapped.values() for n in NAME_COLUMNS):
        raise FileInvalid(
            _("No name column found: the first row must hold HTCDS column names such as prs_FirstName."),
            fields={"file": [_("No prs_FirstName or prs_SecondName column.")]},
        )
    return mapped, ignored, unknown


def _refuse(
    unknown: list[UnknownColumn], formulas: list[str], sheet: str | None, unheaded: dict[int, int] | None = None
) -> None:
    """One error naming every unknown column (with the closest known name), every column holding data under an
    empty header (`unheaded`: column index -> first row number with data) and the formula cells, if any."""
    unheaded = unheaded or {}
    if not unknown and not formulas and not unheaded:
        return
    summary: list[str] = []
    details: list[str] = []
    if unheaded:
        letters = [get_column_letter(i + 1) for i in sorted(unheaded)[:LISTED_AT_MOST]]
        summary.append(
            _("Columns %(letters)s hold data but have no name in the header row.") % {"letters": ", ".join(letters)}
        )
        for i in sorted(unheaded)[:LISTED_AT_MOST]:
            details.append(
                _("Column %(letter)s has no header but holds data (first in row %(row)s): name it or delete it.")
                % {"letter": get_column_letter(i + 1), "row": unheaded[i]}
            )
    if unknown:
        shown = unknown[:LISTED_AT_MOST]
        names = ", ".join(c.header for c in shown)
        if len(unknown) > len(shown):
            names += " " + _("and %(n)s more") % {"n": len(unknown) - len(shown)}
        summary.append(_("The header row has columns CTIP does not know: %(columns)s.") % {"columns": names})
        for c in shown:
            suggestion = suggest_column(c.header)
            if suggestion:
                details.append(
                    _("Unknown column %(column)s (column %(letter)s): did you mean %(suggestion)s?")
                    % {"column": c.header, "letter": c.letter, "suggestion": suggestion}
                )
            else:
                details.append(
                    _("Unknown column %(column)s (column %(letter)s): rename it to an HTCDS column name or delete it.")
                    % {"column": c.header, "letter": c.letter}
                )
    if formulas:
        cells = ", ".join(formulas[:LISTED_AT_MOST])
        if len(formulas) > LISTED_AT_MOST:
            cells += " " + _("and %(n)s more") % {"n": len(formulas) - LISTED_AT_MOST}
        text = _("Sheet %(sheet)s has formulas in cells %(cells)s.") % {"sheet": sheet or "", "cells": cells}
        summary.append(text)
        details.append(
            text + " " + _("CTIP does not compute formulas: copy those cells and paste them back as values only.")
        )
    raise FileInvalid(" ".join([_("Nothing was imported."), *summary]), fields={"file": details})


def _rows_from(
    matrix, first_row_number: int, sheet: str | None = None
) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """Find the header row (the first with an HTCDS name column), then the data rows below it. Refuses the file
    when the header row has unknown columns or a header or imported cell holds a formula (`Formula`)."""
    iterator = iter(matrix)
    number = first_row_number - 1
    mapped = None
    named: set[int] = set()
    ignored: list[str] = []
    unknown: list[UnknownColumn] = []
    formulas: list[str] = []
    for raw in iterator:
        number += 1
        cells = [_cell(v) for v in raw]
        if looks_like_ctdc(cells):
            message = _(
                "This is a CTDC dataset (counts for research, not case records: no names, years as ranges). "
                "Load it as reference data on the CTDC comparison page (Statistics) instead."
            )
            raise FileInvalid(message, fields={"file": [message]})
        if any(c.strip().lower() in ("prs_firstname", "prs_secondname", "prs_lastname") for c in cells):
            formulas.extend(v.cell for v in raw if isinstance(v, Formula))
            headers = ["" if isinstance(v, Formula) else _cell(v) for v in raw]
            mapped, ignored, unknown = _map_headers(headers)
            # named, or a formula header (refused as such): every other column must stay empty
            named = {i for i, h in enumerate(headers) if h.strip() or isinstance(raw[i], Formula)}
            break
        if number - first_row_number > 20:
            break
    if mapped is None:
        raise FileInvalid(
            _("No header row found: the first row must hold HTCDS column names such as prs_FirstName."),
            fields={"file": [_("No header row.")]},
        )
    labels = {"first name", "second name", "last name"}
    rows: list[tuple[int, dict[str, str]]] = []
    unheaded: dict[int, int] = {}  # a column with data but no header would be dropped silently: refused instead
    for raw in iterator:
        number += 1
        cells = [_cell(v) for v in raw]
        formulas.extend(raw[i].cell for i in mapped if i < len(raw) and isinstance(raw[i], Formula))
        row = {name: (cells[i] if i < len(cells) else "") for i, name in mapped.items()}
        if not any(row.values()):
            continue  # empty (the template numbers 1,000 empty rows in column A)
        if {v.lower() for k, v in row.items() if k in NAME_COLUMNS and v} <= labels and any(
            row.get(k) for k in NAME_COLUMNS
        ):
            continue  # the template's second header row (human labels)
        for i, cell in enumerate(cells):
            if i not in named and i not in unheaded and cell.strip() and not isinstance(raw[i], Formula):
                if i == 0 and cell.strip().isdigit():
                    continue  # the HTCDS template numbers its rows in an unnamed column A
                unheaded[i] = number
        rows.append((number, row))
        if len(rows) > MAX_ROWS:
            raise FileInvalid(
                _("The file has more than %(max)s rows: split it.") % {"max": MAX_ROWS},
                fields={"file": [_("Too many rows.")]},
            )
    _refuse(unknown, formulas, sheet, unheaded)
    return rows, ignored


def read_table(content: bytes, fmt: str) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """(row number as the user sees it, {canonical column: text}) for every non-empty data row, and the names of
    the columns read but not imported (NOT_IMPORTED_COLUMNS) present. Raises FileInvalid when the file cannot be
    read, has unknown columns, or (a workbook) has formulas in its header row or in imported columns."""
    if len(content) > MAX_BYTES:
        raise FileInvalid(_("The file is larger than 8 MB: split it."), fields={"file": [_("File too large.")]})
    if fmt == "xlsx":
        try:
            # data_only=False: a formula cell comes back as a formula (data_type "f"), not as a cached value
            wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the user's file problem
            raise FileInvalid(
                _("This is not a readable Excel (.xlsx) file."), fields={"file": [_("Unreadable file.")]}
            ) from exc
        try:
            ws = wb.worksheets[0]
            matrix = (
                [Formula(c.coordinate) if c.data_type == "f" else c.value for c in cells] for cells in ws.iter_rows()
            )
            return _rows_from(matrix, 1, sheet=ws.title)
        finally:
            wb.close()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileInvalid(_("Save the CSV file as UTF-8."), fields={"file": [_("Not UTF-8.")]}) from exc
    sample = text[:4096]
    delimiter = ","
    if sample.count(";") > sample.count(",") and sample.count("\t") < sample.count(";"):
        delimiter = ";"
    elif sample.count("\t") > sample.count(","):
        delimiter = "\t"
    try:
        return _rows_from(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1)
    except csv.Error as exc:
        raise FileInvalid(_("The CSV file could not be read."), fields={"file": [_("Bad CSV.")]}) from exc


# --- checking one row ----------------------------------------------------------------------------------


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")
YES = {"yes", "y", "true", "1", "ndiyo"}
NO = {"no", "n", "false", "0", "hapana"}


def parse_date(text: str) -> date:
    text = text.strip()
    if "T" in text or " " in text:
        text = re.split(r"[T ]", text, maxsplit=1)[0]
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


@functools.cache
def _choice_keys(choices: type[models.TextChoices]) -> dict[str, str]:
    """Spellings accepted for a value list: the value in any case, and the English label (Female, Not specified)."""
    keys: dict[str, str] = {}
    with translation.override("en"):
        for value, label in choices.choices:
            keys[place_key(str(label))] = value
    for value in choices.values:
        keys[place_key(value)] = value
    return keys


def choice_value(choices: type[models.TextChoices], text: str) -> str | None:
    """The value `text` stands for ('FEMALE', 'female', 'Female' -> 'female'), or None if it is none of them."""
    return _choice_keys(choices).get(place_key(text))


def split_multi(text: str) -> list[str]:
    return [p.strip() for p in (text or "").split(MULTI_SEPARATOR) if p.strip()]


@dataclass
class Reference:
    """Reference data the parser needs, loaded once per import."""

    counties: dict[str, int]  # lower code / name -> pk
    countries: dict[str, tuple[int, str]]  # lower alpha2 / alpha3 / name -> (pk, alpha2)
    county_codes: dict[int, str]

    @classmethod
    def load(cls) -> Reference:
        counties: dict[str, int] = {}
        codes: dict[int, str] = {}
        for c in county_list():
            for key in county_keys(c.code, c.name, c.iso_code):
                counties[key] = c.pk
            codes[c.pk] = c.code
        countries: dict[str, tuple[int, str]] = {}
        for c in country_list():
            for key in (c.alpha2, c.alpha3, c.name):
                countries[place_key(key)] = (c.pk, c.alpha2)
        return cls(counties=counties, countries=countries, county_codes=codes)

    def county(self, text: str) -> int | None:
        """By official code (47 or 047), ISO code (KE-30) or name as commonly written (Nairobi, Muranga)."""
        return self.counties.get(county_code_key(text) or place_key(text))

    def country(self, text: str) -> tuple[int, str] | None:
        return self.countries.get(place_key(text))


class RowParser:
    def __init__(self, reference: Reference, today: date | None = None):
        self.ref = reference
        self.today = today or timezone.localdate()

    def parse(self, number: int, row: dict[str, str]) -> RowPlan:  # noqa: C901 - one pass over the columns
        errors: dict[str, list[str]] = {}

        def err(column: str, message: str) -> None:
            messages = errors.setdefault(column, [])
            if str(message) not in messages:  # one unknown value named once, however often it repeats
                messages.append(str(message))

        def val(column: str) -> str:
            return (row.get(column) or "").strip()

        def day(column: str) -> date | None:
            text = val(column)
            if not text:
                return None
            try:
                return parse_date(text)
            except (ValueError, OverflowError):
                err(column, _("Write the date as YYYY-MM-DD (or DD/MM/YYYY)."))
                return None

        def choice(column: str, choices: type[models.TextChoices]) -> str:
            text = val(column)
            if not text or text in choices.values:
                return text
            found = choice_value(choices, text)
            if found is None:
                err(
                    column,
                    _("Not a value of this field: use one of %(values)s.") % {"values": ", ".join(choices.values)},
                )
                return ""
            return found

        # --- identity ---
        identifiers: list[IdentifierValue] = []
        for column, kind, country in (
            ("ctip_NationalID", IdentifierKind.NATIONAL_ID, "KE"),
            ("ctip_Passport", IdentifierKind.PASSPORT, ""),
            ("prs_IdentityNumber", IdentifierKind.OTHER, ""),
        ):
            if val(column):
                identifiers.append(IdentifierValue(kind, val(column), country))
        phone_columns = ("prs_MobilePhone", "prs_HomePhone", "ctip_Phone")
        for column in phone_columns:
            for phone in split_multi(val(column)):
                identifiers.append(IdentifierValue(IdentifierKind.PHONE, phone))
        for email in split_multi(val("prs_Email")):
            identifiers.append(IdentifierValue(IdentifierKind.EMAIL, email))
        citizenships = []
        for text in split_multi(val("prs_Citizenship")):
            found = self.ref.country(text)
            if found is None:
                err("prs_Citizenship", _("Unknown country: use ISO codes (KE, UG) or English names."))
            else:
                citizenships.append(found[1])
        addresses = []
        street = ", ".join(
            v for v in (val("prs_MailingStreet"), val("prs_MailingCity"), val("prs_MailingPostalCode")) if v
        )
        state = val("prs_MailingState")
        county_pk = self.ref.county(state) if state else None
        mailing_country = self.ref.country(val("prs_MailingCountry")) if val("prs_MailingCountry") else None
        if val("prs_MailingCountry") and mailing_country is None:
            err("prs_MailingCountry", _("Unknown country: use ISO codes (KE, UG) or English names."))
        if street or state or mailing_country:
            line = street if county_pk or not state else ", ".join(v for v in (street, state) if v)
            address = {"county": self.ref.county_codes.get(county_pk, "") if county_pk else "", "line": line}
            if mailing_country:
                address["country"] = mailing_country[1]
            addresses.append(address)
        identity = Identity(
            first_name=val("prs_FirstName"),
            middle_names=val("prs_MiddleName"),
            last_name=val("prs_SecondName"),
            aliases=split_multi(val("ctip_Aliases")),
            date_of_birth=day("prs_Birthdate"),
            sex=choice("ctip_Sex", Sex),
            gender=choice("prs_Gender", Gender),
            citizenships=citizenships,
            addresses=addresses,
            identifiers=identifiers,
        )
        try:
            identity = validate_identity(identity)
        except ValidationFailed as exc:
            for name, messages in exc.fields.items():
                for m in messages if isinstance(messages, list) else [messages]:
                    err(SERVICE_FIELD_COLUMN.get(name, name), m)
        # --- HTCDS victim context ---
        htcds = {f: split_multi(val(f)) for f in HTCDS_CASE_FIELDS if val(f)}
        try:
            htcds = validate_htcds(htcds)
        except ValidationFailed as exc:
            for name, messages in exc.fields.items():
                for m in messages:
                    err(name, m)
        trafficking_status = choice("vic_TraffickingStatus", TraffickingStatus)
        decision_org = choice("vic_TraffickingStatusDecisionMakingOrg", DecisionMakingOrg)
        if trafficking_status and not decision_org and not errors.get("vic_TraffickingStatusDecisionMakingOrg"):
            err("vic_TraffickingStatusDecisionMakingOrg", _("Say which type of organisation decided the status."))
        # --- case status and closure ---
        case_status = choice("cas_Status", CaseStatus) or CaseStatus.ACTIVE
        closure_reason = choice("ctip_ClosureReason", ClosureReason)
        closure_text = val("cas_ReasonForCaseClosure")
        if closure_text in ClosureReason.values and not closure_reason:
            closure_reason, closure_text = closure_text, ""
        if case_status == CaseStatus.CLOSED_REFERRED and not closure_reason:
            closure_reason = ClosureReason.REFERRED_ON
        if case_status == CaseStatus.CLOSED and not closure_reason:
            if closure_text:
                closure_reason = ClosureReason.OTHER
            elif not errors.get("ctip_ClosureReason"):
                err("cas_ReasonForCaseClosure", _("A closed case needs a reason for closure."))
        if len(closure_text) > 2000:
            err("cas_ReasonForCaseClosure", _("At most 2,000 characters."))
        # --- identification ---
        identified_on = day("ctip_IdentifiedOn") or day("cas_IncomingReferralDate") or self.today
        is_child = None
        child_text = val("ctip_IsChild").lower()
        if child_text in YES:
            is_child = True
        elif child_text in NO:
            is_child = False
        elif child_text:
            err("ctip_IsChild", _("Write yes or no (or leave it empty)."))
        case_fields: dict = {}
        if val("ctip_IdentifiedCounty"):
            pk = self.ref.county(val("ctip_IdentifiedCounty"))
            if pk is None:
                err("ctip_IdentifiedCounty", _("Unknown county: use the county code (047) or name (Nairobi)."))
            case_fields["identified_county_id"] = pk
        if val("ctip_IdentifiedCountry"):
            found = self.ref.country(val("ctip_IdentifiedCountry"))
            if found is None:
                err("ctip_IdentifiedCountry", _("Unknown country: use ISO codes (KE, UG) or English names."))
            case_fields["identified_country_id"] = found[0] if found else None
        narrative_parts = [val("ctip_Narrative")]
        if val("cas_ReferringOrganisation") or val("cas_IncomingReferralDetails"):
            narrative_parts.append(
                _("Referred by %(org)s: %(details)s")
                % {"org": val("cas_ReferringOrganisation") or "-", "details": val("cas_IncomingReferralDetails")}
            )
        narrative = "\n\n".join(p for p in narrative_parts if p)
        if len(narrative) > 10_000:
            err("ctip_Narrative", _("At most 10,000 characters."))
        # --- trafficking events ---
        events: list[EventInput] = []
        event_columns: list[str] = []
        for event_type in EventType.values:
            prefix = f"hte_{event_type}"
            location = {"Recruitment": "vic_LocationOfRecruitment", "Exploitation": "vic_LocationOfExploitation"}
            city = val(f"{prefix}City") or val(location.get(event_type, ""))
            parts = [val(f"{prefix}{p}") for p in EVENT_PARTS]
            if not any(parts) and not city:
                continue
            county_id = None
            country_id = None
            if val(f"{prefix}County"):
                county_id = self.ref.county(val(f"{prefix}County"))
                if county_id is None:
                    err(f"{prefix}County", _("Unknown county: use the county code (047) or name (Nairobi)."))
            if val(f"{prefix}Country"):
                found = self.ref.country(val(f"{prefix}Country"))
                if found is None:
                    err(f"{prefix}Country", _("Unknown country: use ISO codes (KE, UG) or English names."))
                country_id = found[0] if found else None
            if len(city) > 120:
                err(f"{prefix}City", _("At most 120 characters."))
            events.append(
                EventInput(
                    event_type=event_type,
                    started_on=day(f"{prefix}Date"),
                    ended_on=day(f"{prefix}EndDate"),
                    county_id=county_id,
                    country_id=country_id,
                    city=city[:120],
                )
            )
            event_columns.append(f"{prefix}Date")
        try:
            is_child = validate_dates(
                identified_on=identified_on,
                dob=identity.date_of_birth if not errors.get("prs_Birthdate") else None,
                events=events,
                is_child=is_child,
            )[0]
        except ValidationFailed as exc:
            for name, messages in exc.fields.items():
                if name.startswith("events."):
                    column = event_columns[int(name.split(".")[1])]
                else:
                    column = SERVICE_FIELD_COLUMN.get(name, name)
                    if name == "identified_on" and not val("ctip_IdentifiedOn") and val("cas_IncomingReferralDate"):
                        column = "cas_IncomingReferralDate"
                for m in messages:
                    err(column, m)
        if errors:
            raise RowInvalid(fields=errors)
        return RowPlan(
            row=number,
            identity=identity,
            identified_on=identified_on,
            is_child=is_child,
            htcds=htcds,
            events=events,
            narrative=narrative,
            case_fields=case_fields,
            trafficking_status=trafficking_status,
            decision_org=decision_org,
            case_status=case_status,
            closure_reason=closure_reason,
            closure_note=closure_text,
            duplicate_keys=[(i.kind, i.value) for i in identity.identifiers if i.kind != IdentifierKind.PHONE],
        )


def errors_of(number: int, exc: ServiceError) -> list[dict]:
    """Row-level report lines of a service error: {row, column, message}; never the cell's value."""
    out = []
    if isinstance(exc, ValidationFailed) and exc.fields:
        for name, messages in exc.fields.items():
            column = SERVICE_FIELD_COLUMN.get(name, name)
            for m in messages if isinstance(messages, list) else [messages]:
                out.append({"row": number, "column": column, "message": str(m)})
        if exc.message and exc.message not in (str(ValidationFailed.code.label),) and not isinstance(exc, RowInvalid):
            out.append({"row": number, "column": "", "message": exc.message})
    else:
        out.append({"row": number, "column": "", "message": exc.message})
    return out
