"""Kenya's cases in the CTDC 2024 Global Synthetic Dataset schema (issue 14, docs/exchange.md): one de-identified
row per consented case, for the k-anonymised (k = 11) and the differentially private synthetic exports.

Like the HTCDS export (htcds.py, same consent rule and scope), nothing identifying is read: the module never imports
the identity vault and reads no sealed field; a row holds the year, CTDC age band, sex, citizenship (KEN unless the
case is a foreign national's, whose nationality lives in the identity and is left empty), country of exploitation,
duration band and `1`-or-empty flags.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.db.models import QuerySet

from ctip.core.synthetic import KAnonymity, SynthesisReport, dp_synthesise, k_anonymise

from ..enums import EventType
from ..models import Case, CaseAttribute, TraffickingEvent

__all__ = [
    "CTDC_COLUMNS",
    "CTDC_K",
    "CTDC_QUASI_IDENTIFIERS",
    "ctdc_age_band",
    "ctdc_k_anonymised",
    "ctdc_rows",
    "ctdc_synthetic",
]

CTDC_K = 11

# The CTDC 2024 Global Synthetic Dataset's columns, in its order.
MEANS_OF_CONTROL: dict[str, tuple[str, ...]] = {
    # CTDC merged column <- CTIP's HTCDS vic_MethodsOfControl values (HTCDS "Other" has no CTDC column)
    "meansDebtBondageEarnings": ("DebtBondage", "TakesEarnings"),
    "meansThreats": ("PhysicalThreats", "ThreatsLawEnforcement", "ThreatensChildrenFamily"),
    "meansAbusePsyPhySex": ("PsychologicalAbuse", "PhysicalAbuse", "SexualAbuse"),
    "meansFalsePromises": ("FalsePromises",),
    "meansDrugsAlcohol": ("PsychoactiveSubstance",),
    "meansDenyBasicNeeds": ("RestrictsFinancialAccess", "RestrictsMedicalCare", "WithholdsNecessities"),
    "meansExcessiveWorkHours": ("ExcessiveWorkingHours",),
    "meansWithholdDocs": ("WithholdsDocuments",),
}
EXPLOITATION: dict[str, tuple[str, ...]] = {
    # <- vic_TypeOfExploitation
    "isForcedLabour": ("ForcedLabour", "ChildLabour"),
    "isSexualExploit": ("SexualExploitation",),
    "isOtherExploit": (
        "ForcedMarriage",
        "Servitude",
        "ForcedMilitaryByNonStateActors",
        "OrganRemoval",
        "ForcedBegging",
        "ForcedAdoption",
        "Surrogacy",
        "Other",
    ),
}
LABOUR: dict[str, tuple[str, ...]] = {
    # <- vic_ForcedLabourIndustry (ISIC sections)
    "typeOfLabourAgriculture": ("A_AgricultureForestryAndFishing",),
    "typeOfLabourConstruction": ("F_Construction",),
    "typeOfLabourDomesticWork": ("T_ActivitiesOfHouseholdsAsEmployers",),
    "typeOfLabourHospitality": ("I_AccommodationAndFoodServiceActivities",),
}
SEX: dict[str, tuple[str, ...]] = {
    # <- vic_TypeOfSexExploitation
    "typeOfSexProstitution": ("Prostitution",),
    "typeOfSexPornography": ("Pornography",),
}
RECRUITER: dict[str, tuple[str, ...]] = {
    # <- vic_RelationshipToTrafficker; HTCDS "Acquainted" cannot tell a friend from an intimate partner, so CTDC's
    # recruiterRelationFriend and recruiterRelationIntimatePartner stay empty and it counts as Other.
    "recruiterRelationIntimatePartner": (),
    "recruiterRelationFriend": (),
    "recruiterRelationFamily": ("Familial",),
    "recruiterRelationOther": ("Acquainted", "Unaquainted"),
}
FLAG_GROUPS: dict[str, dict[str, tuple[str, ...]]] = {
    "vic_MethodsOfControl": MEANS_OF_CONTROL,
    "vic_TypeOfExploitation": EXPLOITATION,
    "vic_ForcedLabourIndustry": LABOUR,
    "vic_TypeOfSexExploitation": SEX,
    "vic_RelationshipToTrafficker": RECRUITER,
}

CTDC_COLUMNS: list[str] = [
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "citizenship",
    "CountryOfExploitation",
    "traffickMonths",
    *MEANS_OF_CONTROL,
    *EXPLOITATION,
    *LABOUR,
    *SEX,
    *RECRUITER,
]
# The quasi-identifiers: what an outsider may know of a person (when and where they were registered, sex, age,
# nationality, where exploited). k-anonymity is enforced on their combination; the flags are the sensitive part.
CTDC_QUASI_IDENTIFIERS = ["yearOfRegistration", "gender", "ageBroad", "citizenship", "CountryOfExploitation"]
QI_INDEXES = [CTDC_COLUMNS.index(c) for c in CTDC_QUASI_IDENTIFIERS]
# Generalisation steps for rare records, in order (then suppression): countries, then age, then year.
K_STEPS = [
    [CTDC_COLUMNS.index("citizenship"), CTDC_COLUMNS.index("CountryOfExploitation")],
    [CTDC_COLUMNS.index("ageBroad")],
    [CTDC_COLUMNS.index("yearOfRegistration")],
]

AGE_BANDS: list[tuple[str, int, int | None]] = [
    ("0--8", 0, 8),
    ("9--17", 9, 17),
    ("18--20", 18, 20),
    ("21--23", 21, 23),
    ("24--26", 24, 26),
    ("27--29", 27, 29),
    ("30--38", 30, 38),
    ("39--47", 39, 47),
    ("48+", 48, None),
]
GENDER = {"female": "Woman", "male": "Man"}  # CTDC's third value (Trans/Transgender/NonConforming) has no CTIP sex
MONTH_BANDS = [("0--12 (0-1 yr)", 0, 12), ("13--24 (1-2 yrs)", 13, 24), ("25+ (2+ yrs)", 25, None)]


def ctdc_age_band(age: int | None) -> str:
    if age is None:
        return ""
    for name, low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return name
    return ""


def _months_band(start: date | None, end: date | None) -> str:
    if start is None or end is None:
        return ""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    for name, low, high in MONTH_BANDS:
        if months >= low and (high is None or months <= high):
            return name
    return ""


def ctdc_rows(cases: QuerySet[Case]) -> list[list[str]]:
    """The rows (CTDC_COLUMNS order) of `cases` (the export's consented cases): three queries whatever their number
    (the cases' own columns, their HTCDS attributes, their exploitation events)."""
    base = list(
        cases.order_by("pk").values_list(
            "pk",
            "identified_on",
            "sex_at_identification",
            "age_at_identification",
            "is_foreign",
            "is_abroad",
            "abroad_country__alpha3",
        )
    )
    ids = [row[0] for row in base]
    flags: dict[int, set[str]] = defaultdict(set)
    for case_id, field, value in CaseAttribute.objects.filter(case_id__in=ids, field__in=list(FLAG_GROUPS)).values_list(
        "case_id", "field", "value"
    ):
        for column, values in FLAG_GROUPS[field].items():
            if value in values:
                flags[case_id].add(column)
    exploited_in: dict[int, str] = {}
    span: dict[int, tuple[date | None, date | None]] = {}
    for case_id, alpha3, started, ended in (
        TraffickingEvent.objects.filter(case_id__in=ids, event_type=EventType.EXPLOITATION)
        .order_by("case_id", "started_on", "id")
        .values_list("case_id", "country__alpha3", "started_on", "ended_on")
    ):
        if alpha3 and case_id not in exploited_in:
            exploited_in[case_id] = alpha3
        first, last = span.get(case_id, (None, None))
        first = started if first is None or (started and started < first) else first
        last = ended if last is None or (ended and ended > last) else last
        span[case_id] = (first, last)
    rows = []
    for pk, identified_on, sex, age, is_foreign, is_abroad, abroad_alpha3 in base:
        country = exploited_in.get(pk) or (abroad_alpha3 if is_abroad and abroad_alpha3 else "")
        row = [
            str(identified_on.year),
            GENDER.get(sex or "", ""),
            ctdc_age_band(age),
            "" if is_foreign else "KEN",
            country,
            _months_band(*span.get(pk, (None, None))),
        ]
        row += ["1" if column in flags[pk] else "" for column in CTDC_COLUMNS[6:]]
        rows.append(row)
    return rows


def ctdc_k_anonymised(cases: QuerySet[Case], k: int = CTDC_K) -> KAnonymity:
    """The rows, k-anonymous on CTDC_QUASI_IDENTIFIERS: rare records generalised (K_STEPS) then suppressed."""
    return k_anonymise(ctdc_rows(cases), QI_INDEXES, K_STEPS, k)


def ctdc_synthetic(cases: QuerySet[Case], k: int = CTDC_K) -> tuple[list[list[str]], SynthesisReport]:
    """Differentially private synthetic rows (pac-synth) from the rows, with the privacy report."""
    epsilon = float(getattr(settings, "CTIP_CTDC_SYNTHETIC_EPSILON", 4.0))
    return dp_synthesise(CTDC_COLUMNS, ctdc_rows(cases), QI_INDEXES, k=k, epsilon=epsilon)
