"""Reading the CTDC Global Victim-Perpetrator Synthetic Dataset (issue 14): a reference dataset for comparison, never
case records (no names, year ranges such as "2014-2018", differentially private synthetic rows, so duplicates are
expected).

`read_ctdc` checks the whole file and returns its rows, or raises CtdcInvalid naming every problem by row and column
(all or nothing: nothing is loaded from a file with one bad row). The header must hold exactly the dataset's
columns (any order): an unknown column is refused, as a missing one.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ctip.core.errors import ValidationFailed

MAX_BYTES = 16 * 1024 * 1024
MAX_ROWS = 200_000  # the published file has 21,195 rows; CTDC adds a few thousand a year
ERRORS_LISTED = 50

# The CTDC column name -> the CtdcRecord field.
COLUMNS = {
    "yearRegister": "year_register",
    "gender": "gender",
    "majorityStatus": "majority_status",
    "isForcedLabour": "forced_labour",
    "isSexualExploit": "sexual_exploitation",
    "UN_COO_Region": "coo_region",
    "UN_COE_Region": "coe_region",
    "IP_Exploiter": "ip_exploiter",
    "IP_Gender": "ip_gender",
    "IP_ageBroad": "ip_age",
    "IP_citizen_UNRegion": "ip_citizen_region",
    "IP_Relation": "ip_relation",
    "IP_PayMoney": "ip_pay_money",
    "IP_RecruiterBroker": "ip_recruiter_broker",
    "IP_TransactionProcess": "ip_transaction_process",
    "IP_ControlAbuseKidnap": "ip_control_abuse_kidnap",
}
FLAGS = {
    "isForcedLabour",
    "isSexualExploit",
    "IP_Exploiter",
    "IP_RecruiterBroker",
    "IP_TransactionProcess",
    "IP_ControlAbuseKidnap",
}
REGIONS = {"Africa", "Americas/Oceania", "Asia", "Europe"}
CHOICES: dict[str, set[str]] = {
    "gender": {"Female", "Male"},
    "majorityStatus": {"Adult", "Minor"},
    "UN_COO_Region": REGIONS,
    "UN_COE_Region": REGIONS,
}
# Multi-valued columns (values separated by ';'), each value from the set.
MULTI: dict[str, set[str]] = {
    "IP_Gender": {"Female", "Male"},
    "IP_citizen_UNRegion": REGIONS,
    "IP_Relation": {"FamilyIntimatePartner", "FriendAcquaintance", "StrangerUnknownOther"},
    "IP_PayMoney": {"No", "Yes"},
}
YEAR = re.compile(r"^(\d{4})(?:-(\d{4}))?$")
AGE = re.compile(r"^(\d{1,2})--(\d{1,2})$|^(\d{1,2})\+$")

# The columns that tell a CTDC file from a case file (the case import points there instead of listing them).
SIGNATURE = {"yearRegister", "majorityStatus", "isForcedLabour", "UN_COO_Region"}


def looks_like_ctdc(headers) -> bool:
    return {str(h).strip() for h in headers if h} >= SIGNATURE


class CtdcInvalid(ValidationFailed):
    """The file as a whole, or some of its rows, cannot be loaded; `fields` maps "row N" (or "file") -> messages."""


@dataclass(frozen=True)
class YearRange:
    first: int
    last: int


def parse_year_range(text: str) -> YearRange | None:
    """'2019' -> 2019-2019, '2014-2018' -> 2014-2018, '' -> None; ValueError for anything else."""
    text = text.strip()
    if not text:
        return None
    match = YEAR.match(text)
    if not match:
        raise ValueError(text)
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if not 1990 <= first <= last <= 2100:
        raise ValueError(text)
    return YearRange(first, last)


def _check_age(text: str) -> bool:
    for part in text.split(";"):
        match = AGE.match(part.strip())
        if not match:
            return False
        if match.group(1) is not None and int(match.group(1)) > int(match.group(2)):
            return False
    return True


def _check(column: str, value: str) -> str | None:
    """The problem with one cell, or None."""
    if value == "":
        return None
    if column == "yearRegister":
        try:
            parse_year_range(value)
        except ValueError:
            return _("%(value)s is not a year or a year range such as 2014-2018.") % {"value": value[:40]}
        return None
    if column in FLAGS:
        return None if value == "1" else _("%(value)s: a flag is 1 or empty.") % {"value": value[:40]}
    if column in CHOICES:
        allowed = CHOICES[column]
        if value not in allowed:
            return _("%(value)s is not one of: %(allowed)s.") % {
                "value": value[:40],
                "allowed": ", ".join(sorted(allowed)),
            }
        return None
    if column in MULTI:
        allowed = MULTI[column]
        bad = [v for v in value.split(";") if v.strip() not in allowed]
        if bad:
            return _("%(value)s is not one of: %(allowed)s.") % {
                "value": bad[0][:40],
                "allowed": ", ".join(sorted(allowed)),
            }
        return None
    if column == "IP_ageBroad":
        return (
            None
            if _check_age(value)
            else _("%(value)s is not an age band such as 30--38 or 48+.") % {"value": value[:40]}
        )
    return None


def read_ctdc(content: bytes) -> list[dict[str, str]]:
    """The rows of a CTDC CSV file as {CtdcRecord field: text}, every cell checked."""
    if len(content) > MAX_BYTES:
        raise CtdcInvalid(_("The file is larger than 16 MB."), fields={"file": [_("File too large.")]})
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CtdcInvalid(_("Save the CSV file as UTF-8."), fields={"file": [_("Not UTF-8.")]}) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration as exc:
        raise CtdcInvalid(_("The file is empty."), fields={"file": [_("Empty file.")]}) from exc
    except csv.Error as exc:
        raise CtdcInvalid(_("The CSV file could not be read."), fields={"file": [_("Bad CSV.")]}) from exc
    unknown = [h for h in header if h not in COLUMNS]
    missing = [c for c in COLUMNS if c not in header]
    duplicated = sorted({h for h in header if header.count(h) > 1})
    problems = []
    if unknown:
        problems.append(
            _("Unknown columns: %(columns)s.") % {"columns": ", ".join(h[:40] or '""' for h in unknown[:20])}
        )
    if missing:
        problems.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    if duplicated:
        problems.append(_("Columns named twice: %(columns)s.") % {"columns": ", ".join(duplicated)})
    if problems:
        raise CtdcInvalid(
            _("This is not the CTDC victim-perpetrator dataset's header: %(problems)s")
            % {"problems": " ".join(problems)},
            fields={"file": problems},
        )
    rows: list[dict[str, str]] = []
    errors: dict[str, list[str]] = {}
    error_count = 0
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                problems = [_("%(n)s cells where the header has %(m)s.") % {"n": len(cells), "m": len(header)}]
            else:
                problems = []
                for column, value in zip(header, cells, strict=True):
                    problem = _check(column, value.strip())
                    if problem:
                        problems.append(f"{column}: {problem}")
            if problems:
                error_count += 1
                if len(errors) < ERRORS_LISTED:
                    errors[_("row %(n)s") % {"n": number}] = problems
                continue
            rows.append({COLUMNS[column]: value.strip() for column, value in zip(header, cells, strict=True)})
            if len(rows) > MAX_ROWS:
                raise CtdcInvalid(
                    _("The file has more than %(n)s rows.") % {"n": f"{MAX_ROWS:,}"},
                    fields={"file": [_("Too many rows.")]},
                )
    except csv.Error as exc:
        raise CtdcInvalid(_("The CSV file could not be read."), fields={"file": [_("Bad CSV.")]}) from exc
    if errors:
        raise CtdcInvalid(
            _("%(n)s rows have problems; nothing was loaded.") % {"n": error_count},
            fields=errors,
        )
    if not rows:
        raise CtdcInvalid(_("The file has no rows."), fields={"file": [_("No rows.")]})
    return rows
