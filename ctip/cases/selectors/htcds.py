"""The HTCDS v2.0 export for partners (issue 14): victim cases as rows of the Human Trafficking Case Data Standard,
de-identified, and only for cases whose person agreed to anonymised research use.

What leaves CTIP and what does not (docs/exchange.md):
- no name, date of birth, contact, document number, address, city or free text: nothing from the identity vault is
  opened here (the module never imports it), and the narrative and event descriptions (sealed) are not read;
- a case is named by a pseudonym (`ctip_ExportID`), a keyed hash of its internal id: stable across exports, so a
  partner can update its copy, and not reversible without the server's key; the case number is not written;
- dates are reduced to the year identified, the age to its CTDC band;
- quasi-identifiers are generalised until every combination of year, sex, age band and county is shared by at
  least `CTIP_HTCDS_EXPORT_MIN_GROUP` rows of the file (k-anonymity): first the county is blanked, then the age band
  becomes child or adult, then the year is blanked.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.crypto import salted_hmac

from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action, Scope

from ..enums import HTCDS_CASE_FIELDS, EventType
from ..models import Case, CaseAttribute, Consent, TraffickingEvent

__all__ = [
    "HTCDS_EXPORT_COLUMNS",
    "HtcdsGeneralisation",
    "htcds_age_band",
    "htcds_export_cases_for_user",
    "htcds_export_generalisation",
    "htcds_export_rows",
]

# CTDC age groups (the bands CTDC publishes), child / adult at 18.
AGE_BANDS: list[tuple[str, int, int | None]] = [
    ("0-8", 0, 8),
    ("9-17", 9, 17),
    ("18-20", 18, 20),
    ("21-23", 21, 23),
    ("24-26", 24, 26),
    ("27-29", 27, 29),
    ("30-38", 30, 38),
    ("39-47", 39, 47),
    ("48+", 48, None),
]
CHILD, ADULT = "0-17", "18+"

EVENT_COLUMNS: dict[str, str] = {
    EventType.RECRUITMENT: "hte_RecruitmentCountry",
    EventType.TRANSIT: "hte_TransitCountry",
    EventType.EXPLOITATION: "hte_ExploitationCountry",
}

# The file's columns, in order: HTCDS v2.0 field names where the standard has the field, `ctip_` where it has not
# (the same `ctip_` names the case import reads, where there is one).
HTCDS_EXPORT_COLUMNS: list[str] = [
    "ctip_ExportID",
    "cas_CaseOwner",
    "cas_Status",
    "ctip_ClosureReason",
    "vic_TraffickingStatus",
    "vic_TraffickingStatusDecisionMakingOrg",
    *HTCDS_CASE_FIELDS,
    *EVENT_COLUMNS.values(),
    "ctip_YearIdentified",
    "ctip_Sex",
    "ctip_AgeBand",
    "ctip_IsChild",
    "ctip_IsForeign",
    "ctip_IdentifiedCounty",
    "ctip_IdentifiedCountry",
    "ctip_AbroadCountry",
    "ctip_IdentificationChannel",
]

MULTI_SEPARATOR = ";"


def min_group() -> int:
    return int(getattr(settings, "CTIP_HTCDS_EXPORT_MIN_GROUP", 5))


def htcds_age_band(age: int | None) -> str:
    if age is None:
        return ""
    for name, low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return name
    return ""


def _consented_q() -> Q:
    """An active consent (not withdrawn) that includes anonymised research use."""
    return Q(Exists(Consent.objects.filter(case_id=OuterRef("pk"), withdrawn_at__isnull=True, research_use=True)))


def htcds_export_cases_for_user(*, user: Actor, cases: QuerySet[Case]) -> QuerySet[Case]:
    """Of `cases` (the user's case list with its filters), those the user may give to a partner: the whole country
    at national scope, the user's own agency's cases at agency scope (never another agency's shared case), and only
    with an active research-use consent."""
    scope = user.scope(Action.HTCDS_EXPORT) if user.is_authenticated else None
    if scope == Scope.NATIONAL:
        qs = cases
    elif scope == Scope.AGENCY and user.agency_id:
        qs = cases.filter(owning_agency_id=user.agency_id)
    else:
        return cases.none()
    return qs.filter(_consented_q())


@dataclass
class HtcdsGeneralisation:
    """Per case id, which quasi-identifiers the file generalises (see the module's docstring)."""

    blank_county: set[int]
    coarse_age: set[int]
    blank_year: set[int]

    @property
    def rows_changed(self) -> int:
        return len(self.blank_county | self.coarse_age | self.blank_year)


def _child_or_adult(band: str) -> str:
    if not band:
        return ""
    return CHILD if band in ("0-8", "9-17") else ADULT


def htcds_export_generalisation(cases: QuerySet[Case], k: int | None = None) -> HtcdsGeneralisation:
    """One pass over the export's cases (five columns each, no identity) to find the rows whose combination of
    year, sex, age band and county is shared by fewer than k rows, generalising step by step."""
    k = min_group() if k is None else k
    rows = list(
        cases.values_list(
            "pk", "identified_on", "sex_at_identification", "age_at_identification", "identified_county_id"
        )
    )
    keys: dict[int, list[Any]] = {
        pk: [on.year if on else None, sex, htcds_age_band(age), county] for pk, on, sex, age, county in rows
    }
    result = HtcdsGeneralisation(set(), set(), set())

    def rare() -> set[int]:
        counts = Counter(tuple(key) for key in keys.values())
        return {pk for pk, key in keys.items() if counts[tuple(key)] < k}

    for pk in rare():
        keys[pk][3] = None
        result.blank_county.add(pk)
    for pk in rare():
        keys[pk][2] = _child_or_adult(keys[pk][2])
        result.coarse_age.add(pk)
    for pk in rare():
        keys[pk][0] = None
        result.blank_year.add(pk)
    return result


def _pseudonym(case: Case) -> str:
    return salted_hmac("ctip.cases.htcds_export", str(case.public_id), algorithm="sha256").hexdigest()[:20]


def htcds_export_rows(cases: list[Case], generalisation: HtcdsGeneralisation) -> Iterable[list[str]]:
    """The rows of a chunk of cases (loaded with owning_agency, identified_county, identified_country and
    abroad_country), in HTCDS_EXPORT_COLUMNS order. Two queries per chunk: the attributes and the event countries."""
    attributes: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for case_id, field, value in (
        CaseAttribute.objects.filter(case__in=cases, field__in=HTCDS_CASE_FIELDS)
        .order_by("case_id", "field", "value")
        .values_list("case_id", "field", "value")
    ):
        attributes[case_id][field].append(value)
    countries: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for case_id, event_type, alpha2 in (
        TraffickingEvent.objects.filter(case__in=cases, country__isnull=False)
        .order_by("case_id", "started_on", "id")
        .values_list("case_id", "event_type", "country__alpha2")
    ):
        column = EVENT_COLUMNS.get(event_type)
        if column and alpha2 not in countries[case_id][column]:
            countries[case_id][column].append(alpha2)
    for case in cases:
        band = htcds_age_band(case.age_at_identification)
        if case.pk in generalisation.coarse_age:
            band = _child_or_adult(band)
        year = "" if case.pk in generalisation.blank_year else str(case.identified_on.year)
        county = (
            "" if case.pk in generalisation.blank_county or not case.identified_county else case.identified_county.name
        )
        row = [
            _pseudonym(case),
            str(case.owning_agency),
            case.status,
            case.closure_reason,
            case.trafficking_status,
            case.decision_org,
        ]
        row += [MULTI_SEPARATOR.join(attributes[case.pk][field]) for field in HTCDS_CASE_FIELDS]
        row += [MULTI_SEPARATOR.join(countries[case.pk][column]) for column in EVENT_COLUMNS.values()]
        row += [
            year,
            case.sex_at_identification or "",
            band,
            "yes" if case.is_child else "no",
            "yes" if case.is_foreign else "no",
            county,
            case.identified_country.alpha2 if case.identified_country else "",
            case.abroad_country.alpha2 if case.is_abroad and case.abroad_country else "",
            case.channel,
        ]
        yield row
