"""The national figures: identity-free aggregate reads of victim cases, referrals and the criminal-justice chain.

Every figure is computed by the database (values/annotate/Count, conditional counts), never by looping over
records, so a page runs the same handful of queries at 100 cases or 200,000. Nothing here opens an identity: the
import-linter contract "Statistics never open an identity" (pyproject.toml) forbids this app the vault, the
identity module and the people selectors and services. The sex and age used are the case's copies made when it
opened (Case.sex_at_identification, Case.age_at_identification).

Selectors return *exact* counts inside `Figure`s; `publish` (ctip.stats.tables) turns them into what people see
(small cells suppressed, with complementary suppression, and the rest rounded). Views, the API and the exports
only ever get published figures.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import ExtractMonth, ExtractYear, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.accounts.access import require
from ctip.accounts.actor import Actor
from ctip.accounts.enums import AgencyType
from ctip.accounts.roles import Action
from ctip.cases.enums import EventType, IdentificationChannel, ServiceType
from ctip.cases.models import Case, CaseAttribute, TraffickingEvent
from ctip.core.disclosure import PublishedCount, publish_count
from ctip.justice.enums import Verdict
from ctip.justice.models import ChargeCount, ChargeSheet, CountOutcome, Investigation, InvestigationCase, Submission
from ctip.justice.selectors import SENTENCE_BANDS, funnel_counts
from ctip.people.enums import Sex
from ctip.recruitment.enums import AgencyStatus, ComplaintActionKind, ComplaintSource, ComplaintStatus
from ctip.recruitment.models import AgencyStatusChange, Complaint, ComplaintAction
from ctip.reference.enums import Statute
from ctip.reference.selectors import place_names
from ctip.referrals.enums import OCCUPYING_STATUSES
from ctip.referrals.models import Referral, ServiceProvider
from ctip.trustfund.enums import EntryKind, Purpose
from ctip.trustfund.models import LedgerEntry

from .filters import EXPLOITATION_FIELD, Filters, exploitation_choices

KENYA = "KE"
NOT_RECORDED = "_none"

# CTDC age groups (the Counter Trafficking Data Collaborative's bands), and the child / adult split at 18.
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


@dataclass
class Figure:
    """One table of exact counts (never shown as is: see tables.publish).

    kind: "additive" (categories that add up to the total: one line with its total), "multi" (a case may count
    in several categories: no total, each cell protected on its own), "crosstab" (rows by columns with both
    margins), "measures" (columns are different measures of the same rows; each additive column is protected as
    its own line with its total; "median_*" columns are medians of days, shown only over enough records).
    """

    key: str
    title: str
    row_header: str
    rows: list[tuple[str, str]]  # (key, label)
    counts: list  # additive/multi: list[int]; crosstab/measures: list[list[int | None]]
    kind: str = "additive"
    columns: list[tuple[str, str]] = field(default_factory=list)  # crosstab/measures
    chart: str = ""  # "line", "bar", "funnel" or "" (table only)
    note: str = ""
    median_n: list[list[int]] = field(default_factory=list)  # measures: how many records each median is over
    total_medians: dict[str, int | None] = field(default_factory=dict)
    total_median_n: dict[str, int] = field(default_factory=dict)
    # the same numbers as a cross-table's margins ("<key>:rows" or "<key>:cols"): published from that table's
    # protected margins, so a cell hidden there is hidden here too (tables.publish_all)
    margin_of: str = ""


# --- the cases the filters select -------------------------------------------------------------------------


def cases_for(filters: Filters) -> QuerySet[Case]:
    """Victim cases in the filters (identification date, county, sex, form of exploitation): every national
    case, since statistics.view is a national scope and nothing identifying is read."""
    qs = Case.objects.all()
    if filters.date_from:
        qs = qs.filter(identified_on__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(identified_on__lte=filters.date_to)
    if filters.county:
        qs = qs.filter(identified_county__code=filters.county)
    if filters.sex:
        qs = qs.filter(sex_at_identification=filters.sex)
    if filters.exploitation:
        qs = qs.filter(
            Exists(
                CaseAttribute.objects.filter(
                    case_id=OuterRef("pk"), field=EXPLOITATION_FIELD, value=filters.exploitation
                )
            )
        )
    return qs


def _transnational_q() -> Q:
    abroad_event = TraffickingEvent.objects.filter(case_id=OuterRef("pk"), country__isnull=False).exclude(
        country__alpha2=KENYA
    )
    return Q(is_abroad=True) | Q(is_foreign=True) | Q(Exists(abroad_event))


def _age_q(low: int, high: int | None) -> Q:
    q = Q(age_at_identification__gte=low)
    return q & Q(age_at_identification__lte=high) if high is not None else q


def _labels(choices) -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in choices]


# --- victims ----------------------------------------------------------------------------------------------


def victim_figures(*, user: Actor, filters: Filters) -> list[Figure]:
    """Victims identified: by year (and year by sex), sex, child or adult, CTDC age band, form of exploitation,
    citizenship, county of identification, country of exploitation, identifying agency type and channel; internal
    or transnational; Kenyans abroad by destination. Five queries whatever the number of cases."""
    require(user, Action.STATS_VIEW)
    cases = cases_for(filters)
    names = place_names()
    sexes = _labels(Sex.choices)
    channels = _labels(IdentificationChannel.choices)
    agency_types = _labels(AgencyType.choices)

    # 1. every fixed-category count in one conditional aggregate
    spec: dict[str, Q] = {}
    for value, _label in sexes:
        spec[f"sex:{value}"] = Q(sex_at_identification=value)
    spec[f"sex:{NOT_RECORDED}"] = Q(sex_at_identification="")
    spec["child:child"] = Q(is_child=True)
    spec["child:adult"] = Q(is_child=False)
    for band, low, high in AGE_BANDS:
        spec[f"age:{band}"] = _age_q(low, high)
    spec[f"age:{NOT_RECORDED}"] = Q(age_at_identification__isnull=True)
    spec["citizenship:KE"] = Q(is_foreign=False)
    spec["citizenship:foreign"] = Q(is_foreign=True)
    spec["reach:transnational"] = _transnational_q()
    spec["reach:internal"] = ~_transnational_q()
    for value, _label in channels:
        spec[f"channel:{value}"] = Q(channel=value)
    for value, _label in agency_types:
        spec[f"agency:{value}"] = Q(identifying_agency_type=value)
    spec[f"agency:{NOT_RECORDED}"] = ~Q(identifying_agency_type__in=[v for v, _ in agency_types])
    aliases = {key: f"n{i}" for i, key in enumerate(spec)}
    agg = cases.aggregate(**{aliases[key]: Count("id", filter=q) for key, q in spec.items()})
    n = {key: agg[alias] or 0 for key, alias in aliases.items()}

    def fixed(prefix: str, rows: list[tuple[str, str]]) -> list[int]:
        return [n[f"{prefix}:{key}"] for key, _label in rows]

    not_recorded = str(_("Not recorded"))

    # 2. year by sex
    by_year_sex: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        cases.annotate(year=ExtractYear("identified_on"))
        .values("year", "sex_at_identification")
        .annotate(n=Count("id"))
        .order_by()
    ):
        by_year_sex[row["year"]][row["sex_at_identification"] or NOT_RECORDED] = row["n"]
    years = _year_range(by_year_sex, filters)
    sex_columns = [*sexes, (NOT_RECORDED, not_recorded)]

    # 3. county of identification, and destination abroad, in one grouping
    by_county: dict[str, int] = defaultdict(int)
    by_destination: dict[str, int] = defaultdict(int)
    for place in (
        cases.values("identified_county__code", "is_abroad", "abroad_country__alpha2")
        .annotate(n=Count("id"))
        .order_by()
    ):
        by_county[place["identified_county__code"] or NOT_RECORDED] += place["n"]
        if place["is_abroad"]:
            by_destination[place["abroad_country__alpha2"] or NOT_RECORDED] += place["n"]

    # 4. form of exploitation (a case may have several)
    by_form = dict(
        CaseAttribute.objects.filter(field=EXPLOITATION_FIELD, case__in=cases)
        .values_list("value")
        .annotate(n=Count("case_id", distinct=True))
        .order_by()
    )
    # 5. country of exploitation (the countries of the exploitation steps; a case may have several)
    by_country = dict(
        TraffickingEvent.objects.filter(event_type=EventType.EXPLOITATION, case__in=cases, country__isnull=False)
        .values_list("country__alpha2")
        .annotate(n=Count("case_id", distinct=True))
        .order_by()
    )

    county_rows = sorted(names["county"].items(), key=lambda kv: kv[0]) + [(NOT_RECORDED, not_recorded)]
    form_rows = exploitation_choices()
    known_forms = {k for k, _label in form_rows}
    form_rows += [(k, k) for k in sorted(by_form) if k not in known_forms]
    country_rows = sorted(((str(c), names["country"].get(str(c), str(c))) for c in by_country), key=lambda kv: kv[1])
    destination_rows = sorted(
        ((c, names["country"].get(c, not_recorded if c == NOT_RECORDED else c)) for c in by_destination),
        key=lambda kv: kv[1],
    )
    return [
        Figure(
            "victims-by-year",
            str(_("Victims identified by year")),
            str(_("Year")),
            [(str(y), str(y)) for y in years],
            [sum(by_year_sex.get(y, {}).values()) for y in years],
            chart="line",
            margin_of="victims-by-year-and-sex:rows",
        ),
        Figure(
            "victims-by-year-and-sex",
            str(_("Victims identified by year and sex")),
            str(_("Year")),
            [(str(y), str(y)) for y in years],
            [[by_year_sex.get(y, {}).get(key, 0) for key, _label in sex_columns] for y in years],
            kind="crosstab",
            columns=sex_columns,
        ),
        Figure(
            "victims-by-sex",
            str(_("Victims by sex")),
            str(_("Sex")),
            sex_columns,
            fixed("sex", sex_columns),
            margin_of="victims-by-year-and-sex:cols",
        ),
        Figure(
            "victims-child-adult",
            str(_("Children and adults")),
            str(_("Age group")),
            [("child", str(_("Child (under 18)"))), ("adult", str(_("Adult or age not recorded")))],
            fixed("child", [("child", ""), ("adult", "")]),
        ),
        Figure(
            "victims-by-age-band",
            str(_("Victims by age band (CTDC age groups)")),
            str(_("Age when identified")),
            [(band, band) for band, _low, _high in AGE_BANDS] + [(NOT_RECORDED, not_recorded)],
            fixed("age", [(band, "") for band, _low, _high in AGE_BANDS] + [(NOT_RECORDED, "")]),
        ),
        Figure(
            "victims-by-exploitation",
            str(_("Victims by form of exploitation")),
            str(_("Form of exploitation")),
            form_rows,
            [by_form.get(key, 0) for key, _label in form_rows],
            kind="multi",
            note=str(_("A victim may have suffered several forms of exploitation, so the rows do not add up.")),
        ),
        Figure(
            "victims-by-citizenship",
            str(_("Victims by citizenship")),
            str(_("Citizenship")),
            [("KE", str(_("Kenyan"))), ("foreign", str(_("Foreign national")))],
            fixed("citizenship", [("KE", ""), ("foreign", "")]),
        ),
        Figure(
            "victims-internal-transnational",
            str(_("Internal and transnational trafficking")),
            str(_("Trafficking")),
            [("internal", str(_("Internal (within Kenya)"))), ("transnational", str(_("Transnational")))],
            fixed("reach", [("internal", ""), ("transnational", "")]),
            note=str(
                _(
                    "Transnational: a Kenyan identified abroad, a foreign national, or a step of the trafficking "
                    "in another country."
                )
            ),
        ),
        Figure(
            "victims-by-county",
            str(_("Victims by county of identification")),
            str(_("County")),
            county_rows,
            [by_county.get(key, 0) for key, _label in county_rows],
            chart="bar",
            note=str(_("Not recorded includes Kenyans identified abroad.")),
        ),
        Figure(
            "victims-by-country-of-exploitation",
            str(_("Victims by country of exploitation")),
            str(_("Country")),
            country_rows,
            [by_country.get(key, 0) for key, _label in country_rows],
            kind="multi",
            note=str(_("Countries of the exploitation steps recorded; a victim may count in several.")),
        ),
        Figure(
            "kenyans-abroad-by-destination",
            str(_("Kenyans in distress abroad, by destination")),
            str(_("Country")),
            destination_rows,
            [by_destination.get(key, 0) for key, _label in destination_rows],
        ),
        Figure(
            "victims-by-agency-type",
            str(_("Victims by type of identifying agency")),
            str(_("Identified by")),
            [*agency_types, (NOT_RECORDED, not_recorded)],
            fixed("agency", [*agency_types, (NOT_RECORDED, "")]),
        ),
        Figure(
            "victims-by-channel",
            str(_("Victims by identification channel")),
            str(_("Channel")),
            channels,
            fixed("channel", channels),
        ),
    ]


def victim_crosstabs(*, user: Actor, filters: Filters) -> list[Figure]:
    """The cross-tables the TIP questionnaire and GLOTIP ask for: victims by age group and sex, by citizenship and
    sex, and by form of exploitation and sex. Two queries."""
    require(user, Action.STATS_VIEW)
    cases = cases_for(filters)
    not_recorded = str(_("Not recorded"))
    sexes = [*_labels(Sex.choices), (NOT_RECORDED, not_recorded)]
    by_child: dict[tuple[str, str], int] = defaultdict(int)
    by_citizenship: dict[tuple[str, str], int] = defaultdict(int)
    for row in cases.values("sex_at_identification", "is_child", "is_foreign").annotate(n=Count("id")).order_by():
        sex = row["sex_at_identification"] or NOT_RECORDED
        by_child[("child" if row["is_child"] else "adult", sex)] += row["n"]
        by_citizenship[("foreign" if row["is_foreign"] else "KE", sex)] += row["n"]
    by_form: dict[tuple[str, str], int] = {}
    for form, sex, n in (
        CaseAttribute.objects.filter(field=EXPLOITATION_FIELD, case__in=cases)
        .values_list("value", "case__sex_at_identification")
        .annotate(n=Count("case_id", distinct=True))
        .order_by()
    ):
        by_form[(form, sex or NOT_RECORDED)] = n
    form_rows = exploitation_choices()
    known = {k for k, _label in form_rows}
    form_rows += [(k, k) for k in sorted({f for f, _s in by_form}) if k not in known]
    child_rows = [("child", str(_("Child (under 18)"))), ("adult", str(_("Adult or age not recorded")))]
    citizenship_rows = [("KE", str(_("Kenyan"))), ("foreign", str(_("Foreign national")))]
    return [
        Figure(
            "victims-by-age-group-and-sex",
            str(_("Victims by age group and sex")),
            str(_("Age group")),
            child_rows,
            [[by_child.get((k, s), 0) for s, _l in sexes] for k, _label in child_rows],
            kind="crosstab",
            columns=sexes,
        ),
        Figure(
            "victims-by-citizenship-and-sex",
            str(_("Victims by citizenship and sex")),
            str(_("Citizenship")),
            citizenship_rows,
            [[by_citizenship.get((k, s), 0) for s, _l in sexes] for k, _label in citizenship_rows],
            kind="crosstab",
            columns=sexes,
        ),
        Figure(
            "victims-by-exploitation-and-sex",
            str(_("Victims by form of exploitation and sex")),
            str(_("Form of exploitation")),
            form_rows,
            [[by_form.get((k, s), 0) for s, _l in sexes] for k, _label in form_rows],
            kind="crosstab",
            columns=sexes,
            note=str(
                _(
                    "A victim who suffered several forms of exploitation counts under each, so the totals count "
                    "victims per form."
                )
            ),
        ),
    ]


def _year_range(by_year: dict[int, dict], filters: Filters) -> list[int]:
    """Every year from the first to the last with cases (or the filter's years), so a trend shows gaps as 0."""
    years = [y for y in by_year if y]
    if filters.date_from and filters.date_to:
        return list(range(filters.date_from.year, filters.date_to.year + 1))
    if not years:
        return []
    return list(range(min(years), max(years) + 1))


# --- referrals --------------------------------------------------------------------------------------------

ACCEPTED_Q = Q(responded_at__isnull=False) & ~Q(status="declined")


def _median_from_histogram(histogram: dict[int, int]) -> tuple[int | None, int]:
    """The median of values given as {value: how many}, and how many values there are."""
    total = sum(histogram.values())
    if not total:
        return None, 0
    ordered = sorted(histogram.items())
    lower_rank, upper_rank = (total - 1) // 2, total // 2
    lower = upper = None
    seen = 0
    for value, count in ordered:
        if lower is None and seen + count > lower_rank:
            lower = value
        if seen + count > upper_rank:
            upper = value
            break
        seen += count
    assert lower is not None and upper is not None
    return (lower + upper) // 2, total


def referral_figures(*, user: Actor, filters: Filters) -> list[Figure]:
    """Referrals sent in the period (of the cases the filters select), accepted, completed and the median days to
    acceptance, by service and by the county where the victim was identified. Four queries."""
    require(user, Action.STATS_VIEW)
    qs = Referral.objects.all()
    if filters.county or filters.sex or filters.exploitation:
        qs = qs.filter(
            case__in=cases_for(Filters(county=filters.county, sex=filters.sex, exploitation=filters.exploitation))
        )
    if filters.date_from:
        qs = qs.filter(sent_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(sent_at__date__lte=filters.date_to)
    measures = {
        "sent": Count("id"),
        "accepted": Count("id", filter=ACCEPTED_Q),
        "declined": Count("id", filter=Q(status="declined")),
        "completed": Count("id", filter=Q(status="completed")),
    }
    columns = [
        ("sent", str(_("Sent"))),
        ("accepted", str(_("Accepted"))),
        ("declined", str(_("Declined"))),
        ("completed", str(_("Completed"))),
        ("median_days", str(_("Median days to acceptance"))),
    ]
    names = place_names()
    out = []
    for key, group, title, header, labels in (
        ("referrals-by-service", "service_type", _("Referrals by service"), _("Service"), dict(ServiceType.choices)),
        (
            "referrals-by-county",
            "case__identified_county__code",
            _("Referrals by county where the victim was identified"),
            _("County"),
            names["county"],
        ),
    ):
        rows_data = {(row[group] or NOT_RECORDED): row for row in qs.values(group).annotate(**measures).order_by()}
        histograms: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        overall: dict[int, int] = defaultdict(int)
        for row in (
            qs.filter(ACCEPTED_Q)
            .annotate(sent_day=TruncDate("sent_at"), answered_day=TruncDate("responded_at"))
            .values(group, "sent_day", "answered_day")
            .annotate(n=Count("id"))
            .order_by()
        ):
            days = max(0, (row["answered_day"] - row["sent_day"]).days)
            histograms[row[group] or NOT_RECORDED][days] += row["n"]
            overall[days] += row["n"]
        row_keys = sorted(rows_data, key=lambda k: str(labels.get(k, _("Not recorded"))))
        rows = [(k, str(labels.get(k, _("Not recorded")))) for k in row_keys]
        counts, median_n = [], []
        for k in row_keys:
            median, how_many = _median_from_histogram(histograms.get(k, {}))
            counts.append([rows_data[k][m] for m in measures] + [median])
            median_n.append([0, 0, 0, 0, how_many])
        total_median, total_n = _median_from_histogram(overall)
        out.append(
            Figure(
                key,
                str(title),
                str(header),
                rows,
                counts,
                kind="measures",
                columns=columns,
                chart="bar" if key == "referrals-by-county" else "",
                median_n=median_n,
                total_medians={"median_days": total_median},
                total_median_n={"median_days": total_n},
                note=str(_("Days counted from the day sent to the day accepted (Nairobi time).")),
            )
        )
    return out


# --- criminal justice -------------------------------------------------------------------------------------


def _linked_files(filters: Filters) -> QuerySet[Investigation]:
    """Investigation files, limited to those linked to a victim case in the filters when a county, sex or form of
    exploitation is chosen."""
    qs = Investigation.objects.all()
    if filters.county or filters.sex or filters.exploitation:
        cases = cases_for(Filters(county=filters.county, sex=filters.sex, exploitation=filters.exploitation))
        qs = qs.filter(Exists(InvestigationCase.objects.filter(investigation_id=OuterRef("pk"), case__in=cases)))
    return qs


def justice_figures(*, user: Actor, filters: Filters) -> list[Figure]:
    """The funnel investigations -> files with the prosecutor -> charged (by the date the file was opened); persons
    prosecuted and convicted by the law of the offence and sex, outcomes and sentences (by the date of charge);
    lead times; files charged under a law other than the CTIP Act. With a county, sex or form of exploitation,
    only files linked to a victim case in it. Seven queries whatever the number of files."""
    require(user, Action.STATS_VIEW)
    cases = None
    if filters.county or filters.sex or filters.exploitation:
        cases = cases_for(Filters(county=filters.county, sex=filters.sex, exploitation=filters.exploitation))
    counts = funnel_counts(user=user, date_from=filters.date_from, date_to=filters.date_to, cases=cases)
    files = _linked_files(filters)
    sheets = ChargeSheet.objects.filter(investigation__in=files)
    if filters.date_from:
        sheets = sheets.filter(charged_on__gte=filters.date_from)
    if filters.date_to:
        sheets = sheets.filter(charged_on__lte=filters.date_to)
    charge_counts = ChargeCount.objects.filter(charge_sheet__in=sheets)

    # 1. persons prosecuted and convicted, by statute and sex (distinct accused)
    sexes = [(str(v), str(label)) for v, label in ChargeCount._meta.get_field("accused_sex").choices or []]
    statutes = _labels(Statute.choices)
    prosecuted: dict[tuple[str, str], int] = {}
    convicted: dict[tuple[str, str], int] = {}
    for statute, sex, n_prosecuted, n_convicted in (
        charge_counts.values_list("offence__statute", "accused_sex")
        .annotate(
            p=Count("accused_id", distinct=True),
            c=Count("accused_id", distinct=True, filter=Q(outcome__verdict=Verdict.CONVICTED)),
        )
        .order_by()
    ):
        prosecuted[(statute, sex)] = n_prosecuted
        convicted[(statute, sex)] = n_convicted

    # 2. outcomes of the counts decided and sentence bands of the convictions
    conviction = Q(verdict=Verdict.CONVICTED)
    band_q = {
        "fine_only": conviction & Q(imprisonment_months__isnull=True, fine_cents__isnull=False),
        "lt_5y": conviction & Q(imprisonment_months__gte=1, imprisonment_months__lte=59),
        "5_10y": conviction & Q(imprisonment_months__gte=60, imprisonment_months__lte=120),
        "gt_10y": conviction & Q(imprisonment_months__gt=120),
    }
    outcome_agg = CountOutcome.objects.filter(count__in=charge_counts).aggregate(
        **{f"v_{v}": Count("id", filter=Q(verdict=v)) for v in Verdict.values},
        **{f"b_{k}": Count("id", filter=q) for k, q in band_q.items()},
    )
    verdicts = _labels(Verdict.choices)
    bands = [(key, str(label)) for key, label, _lo, _hi in SENTENCE_BANDS]
    convictions = outcome_agg[f"v_{Verdict.CONVICTED}"] or 0
    banded = sum(outcome_agg[f"b_{k}"] or 0 for k, _label in bands)

    # 3. files charged, by the law of the offences on the sheet (a sheet may name several laws)
    by_law = dict(sheets.values_list("counts__offence__statute").annotate(n=Count("id", distinct=True)).order_by())
    has_counts = Exists(ChargeCount.objects.filter(charge_sheet_id=OuterRef("pk")))
    under_ctip = Exists(ChargeCount.objects.filter(charge_sheet_id=OuterRef("pk"), offence__statute=Statute.CTIP_ACT))
    lighter = sheets.filter(has_counts).exclude(under_ctip)
    n_lighter = lighter.count()

    # 4. lead times (histograms of days; medians shown only over enough files)
    opened = files
    if filters.date_from:
        opened = opened.filter(opened_on__gte=filters.date_from)
    if filters.date_to:
        opened = opened.filter(opened_on__lte=filters.date_to)
    # the first identification of a linked victim and the first advice, per file, as sub-queries grouped with the
    # opening date (an aggregate cannot be grouped on)
    first_identified = Subquery(
        InvestigationCase.objects.filter(investigation_id=OuterRef("pk"))
        .order_by("case__identified_on")
        .values("case__identified_on")[:1]
    )
    first_advice = Subquery(
        Submission.objects.filter(investigation_id=OuterRef("pk"))
        .exclude(advice="")
        .order_by("advised_at")
        .values("advised_at")[:1]
    )
    ident: dict[int, int] = defaultdict(int)
    for first, opened_on, n in (
        opened.annotate(first=first_identified)
        .filter(first__isnull=False)
        .values_list("first", "opened_on")
        .annotate(n=Count("id"))
        .order_by()
    ):
        ident[max(0, (opened_on - first).days)] += n
    advice: dict[int, int] = defaultdict(int)
    for opened_on, first_day, n in (
        opened.annotate(first_day=TruncDate(first_advice))
        .filter(first_day__isnull=False)
        .values_list("opened_on", "first_day")
        .annotate(n=Count("id"))
        .order_by()
    ):
        advice[max(0, (first_day - opened_on).days)] += n
    charge: dict[int, int] = defaultdict(int)
    for opened_on, charged_on, n in (
        sheets.values_list("investigation__opened_on", "charged_on").annotate(n=Count("id")).order_by()
    ):
        charge[max(0, (charged_on - opened_on).days)] += n
    lead_rows, lead_counts, lead_n = [], [], []
    for key, label, histogram in (
        ("identification_to_file", _("From the victim's identification to the investigation file"), ident),
        ("file_to_advice", _("From the file to the prosecutor's first advice"), advice),
        ("file_to_charge", _("From the file to the charge in court"), charge),
    ):
        median, how_many = _median_from_histogram(histogram)
        lead_rows.append((key, str(label)))
        lead_counts.append([how_many, median])
        lead_n.append([0, how_many])

    return [
        Figure(
            "justice-funnel",
            str(_("Criminal-justice funnel")),
            str(_("Stage")),
            [
                ("opened", str(_("Investigation files opened"))),
                ("with_odpp", str(_("Files handed to the prosecutor (ODPP)"))),
                ("charged", str(_("Files charged in court"))),
            ],
            [counts.opened, counts.with_odpp, counts.charged],
            kind="multi",
            chart="funnel",
            note=str(_("Each stage counts the files of the period that reached it; a stage is part of the one above.")),
        ),
        Figure(
            "justice-prosecuted-by-law-and-sex",
            str(_("Persons prosecuted, by law of the offence and sex")),
            str(_("Law")),
            statutes,
            [[prosecuted.get((law, sex), 0) for sex, _l in sexes] for law, _label in statutes],
            kind="crosstab",
            columns=sexes,
            note=str(_("By date of charge. A person charged under two laws counts under each.")),
        ),
        Figure(
            "justice-convicted-by-law-and-sex",
            str(_("Persons convicted, by law of the offence and sex")),
            str(_("Law")),
            statutes,
            [[convicted.get((law, sex), 0) for sex, _l in sexes] for law, _label in statutes],
            kind="crosstab",
            columns=sexes,
            note=str(_("By date of charge. A person convicted under two laws counts under each.")),
        ),
        Figure(
            "justice-outcomes",
            str(_("Outcomes of the counts decided")),
            str(_("Outcome")),
            verdicts,
            [outcome_agg[f"v_{v}"] or 0 for v, _label in verdicts],
            chart="bar",
        ),
        Figure(
            "justice-sentences",
            str(_("Sentences on conviction")),
            str(_("Sentence")),
            [*bands, ("other", str(_("Other sentence or not recorded")))],
            [outcome_agg[f"b_{k}"] or 0 for k, _label in bands] + [max(0, convictions - banded)],
            note=str(_("Counts of convictions (one accused, one offence).")),
        ),
        Figure(
            "justice-charged-by-law",
            str(_("Files charged, by law of the offences")),
            str(_("Law")),
            [*statutes, ("lighter", str(_("Charged only under laws other than the CTIP Act")))],
            [by_law.get(law, 0) for law, _label in statutes] + [n_lighter],
            kind="multi",
            note=str(
                _(
                    "A file charged under several laws counts under each. The last row counts the files charged "
                    "without any count under the Counter-Trafficking in Persons Act (lighter laws)."
                )
            ),
        ),
        Figure(
            "justice-lead-times",
            str(_("Lead times")),
            str(_("Interval")),
            lead_rows,
            lead_counts,
            kind="measures",
            columns=[("files", str(_("Files"))), ("median_days", str(_("Median days")))],
            median_n=lead_n,
            note=str(_("Medians are shown only when drawn from 11 files or more.")),
        ),
    ]


# --- shelters -----------------------------------------------------------------------------------------------


def shelter_figures(*, user: Actor, filters: Filters) -> list[Figure]:
    """Shelter beds and beds occupied today (accepted or in-progress shelter referrals), by the shelter's county
    (the first, by code, of the counties it serves). A snapshot: the period filters do not apply. One query."""
    require(user, Action.STATS_VIEW)
    names = place_names()
    beds: dict[str, int] = defaultdict(int)
    occupied: dict[str, int] = defaultdict(int)
    providers = ServiceProvider.objects.filter(shelter_capacity__gt=0, is_active=True)
    if filters.county:
        providers = providers.filter(counties__code=filters.county)
    for county, capacity, n in (
        providers.annotate(
            county=Min("counties__code"),
            occupied=Count(
                "referrals",
                filter=Q(referrals__service_type=ServiceType.SHELTER, referrals__status__in=list(OCCUPYING_STATUSES)),
                distinct=True,
            ),
        )
        .values_list("county", "shelter_capacity", "occupied")
        .order_by()
    ):
        beds[county or NOT_RECORDED] += capacity
        occupied[county or NOT_RECORDED] += n
    keys = sorted(beds, key=lambda k: str(names["county"].get(k, _("National"))))
    return [
        Figure(
            "shelter-occupancy",
            str(_("Shelter occupancy today, by county")),
            str(_("County")),
            [(k, str(names["county"].get(k, _("National")))) for k in keys],
            [[beds[k], occupied[k]] for k in keys],
            kind="measures",
            columns=[("exact_beds", str(_("Beds"))), ("occupied", str(_("Beds occupied")))],
            chart="bar",
            note=str(
                _(
                    "Beds are shown as registered; beds occupied are victims placed (a count, protected like the "
                    "others). A snapshot of today: the period filters do not apply."
                )
            ),
        )
    ]


def referral_and_shelter_figures(*, user: Actor, filters: Filters) -> list[Figure]:
    return referral_figures(user=user, filters=filters) + shelter_figures(user=user, filters=filters)


# --- recruitment enforcement --------------------------------------------------------------------------------


def recruitment_figures(*, user: Actor, filters: Filters) -> list[Figure]:
    """Complaints against recruitment agencies received in the period (by status and source), the actions taken
    on them, and agencies whose licence was suspended, deregistered or blacklisted in the period. Only the period
    filter applies (complaints are not victim cases). Three queries."""
    require(user, Action.STATS_VIEW)
    complaints = Complaint.objects.all()
    actions = ComplaintAction.objects.all()
    changes = AgencyStatusChange.objects.filter(
        status__in=[AgencyStatus.SUSPENDED, AgencyStatus.DEREGISTERED, AgencyStatus.BLACKLISTED]
    )
    if filters.date_from:
        complaints = complaints.filter(created_at__date__gte=filters.date_from)
        actions = actions.filter(at__date__gte=filters.date_from)
        changes = changes.filter(effective_on__gte=filters.date_from)
    if filters.date_to:
        complaints = complaints.filter(created_at__date__lte=filters.date_to)
        actions = actions.filter(at__date__lte=filters.date_to)
        changes = changes.filter(effective_on__lte=filters.date_to)
    statuses = _labels(ComplaintStatus.choices)
    sources = _labels(ComplaintSource.choices)
    agg = complaints.aggregate(
        **{f"s_{v}": Count("id", filter=Q(status=v)) for v, _l in statuses},
        **{f"o_{v}": Count("id", filter=Q(source=v)) for v, _l in sources},
    )
    kinds = _labels(ComplaintActionKind.choices)
    by_kind = dict(actions.values_list("kind").annotate(n=Count("id")).order_by())
    licence = _labels(
        [(s, s.label) for s in (AgencyStatus.SUSPENDED, AgencyStatus.DEREGISTERED, AgencyStatus.BLACKLISTED)]
    )
    by_status = dict(changes.values_list("status").annotate(n=Count("agency_id", distinct=True)).order_by())
    note = str(_("Only the period filter applies to these figures."))
    return [
        Figure(
            "recruitment-complaints-by-status",
            str(_("Complaints against recruiters, by status")),
            str(_("Status")),
            statuses,
            [agg[f"s_{v}"] or 0 for v, _l in statuses],
            chart="bar",
            note=note,
        ),
        Figure(
            "recruitment-complaints-by-source",
            str(_("Complaints against recruiters, by source")),
            str(_("Source")),
            sources,
            [agg[f"o_{v}"] or 0 for v, _l in sources],
            note=note,
        ),
        Figure(
            "recruitment-actions",
            str(_("Actions taken on complaints")),
            str(_("Action")),
            kinds,
            [by_kind.get(v, 0) for v, _l in kinds],
            note=note,
        ),
        Figure(
            "recruitment-licence-actions",
            str(_("Agencies suspended, deregistered or blacklisted")),
            str(_("Licence status")),
            licence,
            [by_status.get(v, 0) for v, _l in licence],
            kind="multi",
            chart="bar",
            note=str(_("Agencies whose licence status changed in the period; an agency may count in several rows.")),
        ),
    ]


# --- the Trust Fund -----------------------------------------------------------------------------------------


def _kes(cents: int | None) -> int:
    """Whole shillings, halves away from zero (KSh 25,000.50 -> 25,001)."""
    return int((Decimal(cents or 0) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def trustfund_figures(*, user: Actor, filters: Filters) -> list[Figure]:
    """Trust Fund receipts and disbursements per period (by month within one year, else by year), net of their
    reversals, and disbursements by purpose. Amounts (whole shillings) are shown as recorded: they are not counts
    of people. The number of disbursements is a count of victims helped and is protected. Two queries."""
    require(user, Action.STATS_VIEW)
    entries = LedgerEntry.objects.all()
    if filters.date_from:
        entries = entries.filter(entry_date__gte=filters.date_from)
    if filters.date_to:
        entries = entries.filter(entry_date__lte=filters.date_to)
    one_year = bool(filters.date_from and filters.date_to and filters.date_from.year == filters.date_to.year)
    receipt_q = Q(kind=EntryKind.RECEIPT) | Q(kind=EntryKind.REVERSAL, reverses__kind=EntryKind.RECEIPT)
    payment_q = Q(kind=EntryKind.DISBURSEMENT) | Q(kind=EntryKind.REVERSAL, reverses__kind=EntryKind.DISBURSEMENT)
    period = ExtractMonth("entry_date") if one_year else ExtractYear("entry_date")
    rows_data: dict[int, Any] = {
        row["period"]: row
        for row in entries.annotate(period=period)
        .values("period")
        .annotate(
            received=Sum("amount_cents", filter=receipt_q),
            paid=Sum("amount_cents", filter=payment_q),
            n=Count("id", filter=Q(kind=EntryKind.DISBURSEMENT, reversed_by__isnull=True)),
        )
        .order_by()
    }
    if one_year and filters.date_from is not None:
        keys = list(range(1, 13))
        labels = {m: f"{filters.date_from.year}-{m:02d}" for m in keys}
    else:
        keys = list(range(min(rows_data), max(rows_data) + 1)) if rows_data else []
        labels = {y: str(y) for y in keys}
    purposes = _labels(Purpose.choices)
    by_purpose: dict[str, Any] = {
        row["purpose"]: row
        for row in entries.filter(kind=EntryKind.DISBURSEMENT, reversed_by__isnull=True)
        .values("purpose")
        .annotate(n=Count("id"), paid=Sum("amount_cents"))
        .order_by()
    }
    note = str(
        _(
            "Amounts in Kenya shillings, net of reversing entries, shown as recorded. The number of "
            "disbursements counts victims' payments and is protected like every count."
        )
    )
    return [
        Figure(
            "trustfund-by-period",
            str(_("Trust Fund receipts and disbursements")),
            str(_("Period")),
            [(str(k), labels[k]) for k in keys],
            [
                [
                    _kes(rows_data.get(k, {}).get("received")),
                    -_kes(rows_data.get(k, {}).get("paid")),
                    rows_data.get(k, {}).get("n", 0),
                ]
                for k in keys
            ],
            kind="measures",
            columns=[
                ("exact_received", str(_("Received (KES)"))),
                ("exact_paid", str(_("Disbursed (KES)"))),
                ("disbursements", str(_("Disbursements"))),
            ],
            chart="bar",
            note=note,
        ),
        Figure(
            "trustfund-by-purpose",
            str(_("Trust Fund disbursements by purpose")),
            str(_("Purpose")),
            purposes,
            [[by_purpose.get(v, {}).get("n", 0), -_kes(by_purpose.get(v, {}).get("paid"))] for v, _l in purposes],
            kind="measures",
            columns=[("disbursements", str(_("Disbursements"))), ("exact_paid", str(_("Disbursed (KES)")))],
            note=note,
        ),
    ]


DASHBOARDS = {
    "victims": (_("Victims identified"), victim_figures),
    "referrals": (_("Referral performance and shelters"), referral_and_shelter_figures),
    "justice": (_("Criminal justice"), justice_figures),
    "recruitment": (_("Recruitment enforcement"), recruitment_figures),
    "trustfund": (_("Trust Fund"), trustfund_figures),
}


def dashboard_figures(*, user: Actor, dashboard: str, filters: Filters) -> list[Figure]:
    return DASHBOARDS[dashboard][1](user=user, filters=filters)


@dataclass
class Headline:
    year: int
    this_year: PublishedCount
    last_year: PublishedCount
    children_this_year: PublishedCount


def headline(*, user: Actor) -> Headline:
    """The landing's figures: victims identified this year and last year, and children this year (one query)."""
    require(user, Action.STATS_VIEW)
    year = timezone.localdate().year
    counts = Case.objects.filter(identified_on__year__gte=year - 1, identified_on__year__lte=year).aggregate(
        this_year=Count("id", filter=Q(identified_on__year=year)),
        last_year=Count("id", filter=Q(identified_on__year=year - 1)),
        children=Count("id", filter=Q(identified_on__year=year, is_child=True)),
    )
    return Headline(
        year=year,
        this_year=publish_count(counts["this_year"]),
        last_year=publish_count(counts["last_year"]),
        children_this_year=publish_count(counts["children"]),
    )


# --- Kenya's population (the SDG 16.2.2 denominator) ------------------------------------------------------------


@dataclass
class PopulationReference:
    reference_year: int | None
    source: str
    by_sex: dict[str, int]  # "total", "male", "female", "intersex" (every age)
    by_age: dict[tuple[str, str], int]  # (sex, age group) when age-group figures are recorded


def population_reference(*, up_to_year: int) -> PopulationReference:
    """The latest population figures whose reference year is not after `up_to_year` (else the earliest). One or
    two queries."""
    from .models import Population

    years = Population.objects.values_list("reference_year", flat=True).distinct().order_by("-reference_year")
    chosen = next((y for y in years if y <= up_to_year), None)
    if chosen is None:
        chosen = Population.objects.order_by("reference_year").values_list("reference_year", flat=True).first()
    if chosen is None:
        return PopulationReference(None, "", {}, {})
    rows = list(Population.objects.filter(reference_year=chosen).order_by("sex", "age_group"))
    return PopulationReference(
        reference_year=chosen,
        source="; ".join(sorted({r.source for r in rows})),
        by_sex={r.sex: r.count for r in rows if r.age_group == "all"},
        by_age={(r.sex, r.age_group): r.count for r in rows if r.age_group != "all"},
    )


# --- annual reports ---------------------------------------------------------------------------------------------


def report_list_for_user(*, user: Actor) -> QuerySet:
    """Every annual report (published figures only, so national for statistics.view), newest first, without
    their files."""
    from .models import AnnualReport

    require(user, Action.STATS_VIEW)
    return AnnualReport.objects.select_related("created_by").defer("pdf", "xlsx", "sections")


def report_get_for_user(*, user: Actor, public_id):
    from ctip.core.errors import NotFound

    from .models import AnnualReport

    require(user, Action.STATS_VIEW)
    report = AnnualReport.objects.select_related("created_by").filter(public_id=public_id).first()
    if report is None:
        raise NotFound()
    return report
