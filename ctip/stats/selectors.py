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

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.accounts.access import require
from ctip.accounts.actor import Actor
from ctip.accounts.enums import AgencyType
from ctip.accounts.roles import Action
from ctip.cases.enums import EventType, IdentificationChannel, ServiceType
from ctip.cases.models import Case, CaseAttribute, TraffickingEvent
from ctip.core.disclosure import PublishedCount, publish_count
from ctip.justice.selectors import funnel_counts
from ctip.people.enums import Sex
from ctip.reference.selectors import place_names
from ctip.referrals.models import Referral

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


def justice_figures(*, user: Actor, filters: Filters) -> list[Figure]:
    """The funnel investigations -> files with the prosecutor -> charged, by the date the file was opened; with a
    county, sex or form of exploitation, only files linked to a victim case in it. One query."""
    require(user, Action.STATS_VIEW)
    cases = None
    if filters.county or filters.sex or filters.exploitation:
        cases = cases_for(Filters(county=filters.county, sex=filters.sex, exploitation=filters.exploitation))
    counts = funnel_counts(user=user, date_from=filters.date_from, date_to=filters.date_to, cases=cases)
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
        )
    ]


DASHBOARDS = {
    "victims": (_("Victims identified"), victim_figures),
    "referrals": (_("Referral performance"), referral_figures),
    "justice": (_("Criminal-justice funnel"), justice_figures),
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
