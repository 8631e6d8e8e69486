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
    names = [str(h).strip() for h in headers if h]
    return set(names) >= SIGNATURE or detect_generation(names) in (GLOBAL2017, SYNTHETIC2024)


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


# --- Other CTDC generations (issue 14): the 2017-20 Global Dataset (k-anonymised) and the 2024 Global Synthetic ---
# Dataset. `read_ctdc_any` tells the generation from the header and returns rows ready for CtdcRecord: the fields
# the comparison needs, normalised across generations (ISO2 countries, Female/Male, Minor/Adult, CTDC age band,
# forms of exploitation as booleans).

VP2022, GLOBAL2017, SYNTHETIC2024 = "vp2022", "global2017", "synthetic2024"
GENERATION_COLUMNS = {
    # the columns a generation's header must hold; others are accepted only when listed in GENERATION_OPTIONAL
    GLOBAL2017: {"yearOfRegistration", "gender", "ageBroad", "majorityStatus", "citizenship", "isForcedLabour"},
    SYNTHETIC2024: {
        "yearOfRegistration",
        "gender",
        "ageBroad",
        "citizenship",
        "CountryOfExploitation",
        "traffickMonths",
    },
}
GENERATION_OPTIONAL = {
    GLOBAL2017: {
        "Datasource",
        "majorityStatusAtExploit",
        "majorityEntry",
        "isSexualExploit",
        "isOtherExploit",
        "isAbduction",
        "RecruiterRelationship",
        "CountryOfExploitation",
    },
    SYNTHETIC2024: {"isForcedLabour", "isSexualExploit", "isOtherExploit"},
}
GENERATION_PREFIXES = {
    GLOBAL2017: ("meansOfControl", "typeOfLabour", "typeOfSex", "recruiterRelation"),
    SYNTHETIC2024: ("means", "typeOfLabour", "typeOfSex", "sectorOf", "recruiterRelation"),
}
GENDERS = {"Female": "Female", "Male": "Male", "Woman": "Female", "Man": "Male", "Girl": "Female", "Boy": "Male"}
BANDS = {"0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+"}
MINOR_BANDS = {"0--8", "9--17"}
# UN M49 Africa (ISO alpha-2): the comparison's region. Other regions are not derived from the countries.
AFRICA_ISO2 = {
    "DZ",
    "AO",
    "BJ",
    "BW",
    "BF",
    "BI",
    "CV",
    "CM",
    "CF",
    "TD",
    "KM",
    "CG",
    "CD",
    "CI",
    "DJ",
    "EG",
    "GQ",
    "ER",
    "SZ",
    "ET",
    "GA",
    "GM",
    "GH",
    "GN",
    "GW",
    "KE",
    "LS",
    "LR",
    "LY",
    "MG",
    "MW",
    "ML",
    "MR",
    "MU",
    "YT",
    "MA",
    "MZ",
    "NA",
    "NE",
    "NG",
    "RE",
    "RW",
    "SH",
    "ST",
    "SN",
    "SC",
    "SL",
    "SO",
    "ZA",
    "SS",
    "SD",
    "TZ",
    "TG",
    "TN",
    "UG",
    "EH",
    "ZM",
    "ZW",
}


def detect_generation(header: list[str]) -> str | None:
    names = set(header)
    if "yearOfRegistration" in names and "majorityStatus" in names:
        return GLOBAL2017
    if "yearOfRegistration" in names and "traffickMonths" in names:
        return SYNTHETIC2024
    if names & {"yearRegister", "UN_COO_Region", "IP_Exploiter"}:
        return VP2022
    return None


def _iso2(value: str, generation: str) -> str:
    """ISO alpha-2 of a country cell (ISO2 in 2017-20, ISO3 in 2024); ValueError if it is not a country."""
    import pycountry

    if generation == GLOBAL2017:
        country = pycountry.countries.get(alpha_2=value.upper()) if len(value) == 2 else None
    else:
        country = pycountry.countries.get(alpha_3=value.upper()) if len(value) == 3 else None
    if country is None:
        raise ValueError(value)
    return country.alpha_2


def _flag(value: str, generation: str) -> bool:
    """2017-20: 0/1/-99 (-99 missing); 2024: 1 or empty. ValueError otherwise."""
    allowed = {"0", "1", "-99", ""} if generation == GLOBAL2017 else {"1", ""}
    if value not in allowed:
        raise ValueError(value)
    return value == "1"


def _row(generation: str, cells: dict[str, str]) -> tuple[dict, list[str]]:
    problems: list[str] = []
    out: dict = {"generation": generation}
    year = cells.get("yearOfRegistration", "")
    try:
        parse_year_range(year)
        out["year_register"] = year
    except ValueError:
        problems.append("yearOfRegistration: " + _("%(value)s is not a year.") % {"value": year[:40]})
    gender = cells.get("gender", "")
    if gender in GENDERS:
        out["gender"] = GENDERS[gender]
    elif gender and gender not in ("-99", "Unknown") and not gender.startswith("Trans"):
        problems.append("gender: " + _("%(value)s is not a CTDC gender.") % {"value": gender[:40]})
    band = cells.get("ageBroad", "")
    if band in BANDS:
        out["age_band"] = band
    elif band and band != "-99":
        problems.append("ageBroad: " + _("%(value)s is not an age band such as 30--38 or 48+.") % {"value": band[:40]})
    majority = cells.get("majorityStatus", "")
    if majority in ("Adult", "Minor"):
        out["majority_status"] = majority
    elif majority and majority != "-99":
        problems.append(
            "majorityStatus: "
            + _("%(value)s is not one of: %(allowed)s.") % {"value": majority[:40], "allowed": "Adult, Minor"}
        )
    elif band in BANDS:
        out["majority_status"] = "Minor" if band in MINOR_BANDS else "Adult"
    for column, field in (("citizenship", "citizenship"), ("CountryOfExploitation", "country_of_exploitation")):
        value = cells.get(column, "")
        if value and value not in ("-99", "00", "ZZ", "ZZZ"):
            try:
                out[field] = _iso2(value, generation)
            except ValueError:
                problems.append(f"{column}: " + _("%(value)s is not a country code.") % {"value": value[:40]})
    for column, field in (
        ("isForcedLabour", "forced_labour"),
        ("isSexualExploit", "sexual_exploitation"),
        ("isOtherExploit", "other_exploitation"),
    ):
        try:
            out[field] = _flag(cells.get(column, ""), generation)
        except ValueError:
            problems.append(f"{column}: " + _("%(value)s: not a flag.") % {"value": cells[column][:40]})
    for column, value in cells.items():
        if column.startswith(GENERATION_PREFIXES[generation]) and column != "RecruiterRelationship":
            try:
                _flag(value, generation)
            except ValueError:
                problems.append(f"{column}: " + _("%(value)s: not a flag.") % {"value": value[:40]})
    if citizenship := out.get("citizenship"):
        out["coo_region"] = AFRICA if citizenship in AFRICA_ISO2 else ""
    if country := out.get("country_of_exploitation"):
        out["coe_region"] = AFRICA if country in AFRICA_ISO2 else ""
    return out, problems


AFRICA = "Africa"


def read_ctdc_any(content: bytes) -> tuple[str, list[dict]]:
    """(generation, rows as CtdcRecord field values) of any CTDC generation, every cell checked, all or nothing."""
    try:
        text = content[: MAX_BYTES + 1].decode("utf-8-sig")
        header = [h.strip() for h in next(csv.reader(io.StringIO(text, newline="")))]
    except (UnicodeDecodeError, StopIteration, csv.Error):
        header = []
    generation = detect_generation(header)
    if generation in (None, VP2022):
        flags = {
            "forced_labour",
            "sexual_exploitation",
            "ip_exploiter",
            "ip_recruiter_broker",
            "ip_transaction_process",
            "ip_control_abuse_kidnap",
        }
        rows = read_ctdc(content)  # the 2022 file's own checks (and the messages for a file that is none of them)
        return VP2022, [{k: (v == "1") if k in flags else v for k, v in row.items()} for row in rows]
    if len(content) > MAX_BYTES:
        raise CtdcInvalid(_("The file is larger than 16 MB."), fields={"file": [_("File too large.")]})
    known = GENERATION_COLUMNS[generation] | GENERATION_OPTIONAL[generation]
    unknown = [h for h in header if h not in known and not h.startswith(GENERATION_PREFIXES[generation])]
    missing = sorted(GENERATION_COLUMNS[generation] - set(header))
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
            _("This is not a CTDC dataset's header: %(problems)s") % {"problems": " ".join(problems)},
            fields={"file": problems},
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    rows: list[dict] = []
    errors: dict[str, list[str]] = {}
    error_count = 0
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                problems = [_("%(n)s cells where the header has %(m)s.") % {"n": len(cells), "m": len(header)}]
                row = {}
            else:
                row, problems = _row(generation, {h: c.strip() for h, c in zip(header, cells, strict=True)})
            if problems:
                error_count += 1
                if len(errors) < ERRORS_LISTED:
                    errors[_("row %(n)s") % {"n": number}] = problems
                continue
            rows.append(row)
            if len(rows) > MAX_ROWS:
                raise CtdcInvalid(
                    _("The file has more than %(n)s rows.") % {"n": f"{MAX_ROWS:,}"},
                    fields={"file": [_("Too many rows.")]},
                )
    except csv.Error as exc:
        raise CtdcInvalid(_("The CSV file could not be read."), fields={"file": [_("Bad CSV.")]}) from exc
    if errors:
        raise CtdcInvalid(_("%(n)s rows have problems; nothing was loaded.") % {"n": error_count}, fields=errors)
    if not rows:
        raise CtdcInvalid(_("The file has no rows."), fields={"file": [_("No rows.")]})
    return generation, rows
