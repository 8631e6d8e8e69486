"""Kenya's victims beside the CTDC reference dataset (issue 14): shares by sex, age group and form of exploitation.

Identity-free: Kenya's side counts cases through the statistics selectors' filters (no person is opened) and is
small-cell protected like every published figure (ctip.stats.suppression, rounded to 10); the CTDC side is a
public, differentially private synthetic dataset and is shown as published.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from ctip.accounts.access import require
from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action
from ctip.cases.models import CaseAttribute
from ctip.reference.models import CtdcDataset, CtdcRecord
from ctip.stats.filters import EXPLOITATION_FIELD, Filters
from ctip.stats.selectors import cases_for
from ctip.stats.suppression import protect_1d, rounded

AFRICA = "Africa"


@dataclass
class Share:
    count: int | None  # None: hidden (small cell) or not available
    percent: float | None


@dataclass
class ComparisonRow:
    label: str
    kenya: Share
    ctdc_africa: Share
    ctdc_all: Share

    @property
    def shares(self) -> list[Share]:
        return [self.kenya, self.ctdc_africa, self.ctdc_all]


@dataclass
class ComparisonBlock:
    title: str
    rows: list[ComparisonRow]
    kenya_total: int | None
    africa_total: int
    all_total: int


@dataclass
class Comparison:
    dataset: CtdcDataset | None
    blocks: list[ComparisonBlock]
    years: list[tuple[str, int]]  # CTDC's registration years as published (ranges), with their rows


def _share(count: int | None, total: int | None) -> Share:
    if count is None or not total:
        return Share(count, None)
    return Share(count, round(100 * count / total, 1))


def _kenya_line(counts: list[int]) -> tuple[list[int | None], int | None]:
    """A line of Kenya's counts with its total, protected and rounded as the statistics pages publish them."""
    protected = protect_1d(counts)
    return [rounded(v) for v in protected.values], rounded(protected.total)


def _ctdc_counts(records, field: str, values: list[str]) -> dict[str, int]:
    rows = dict(records.values(field).annotate(n=Count("id")).values_list(field, "n"))
    return {v: rows.get(v, 0) for v in values}


def ctdc_comparison(*, user: Actor, filters: Filters) -> Comparison:
    require(user, Action.STATS_VIEW)
    dataset = CtdcDataset.objects.first()
    if dataset is None:
        return Comparison(None, [], [])
    everyone = CtdcRecord.objects.filter(dataset=dataset)
    africa = everyone.filter(coo_region=AFRICA)
    cases = cases_for(filters)

    def exploitation(value: str):
        return Exists(CaseAttribute.objects.filter(case_id=OuterRef("pk"), field=EXPLOITATION_FIELD, value=value))

    kenya = cases.aggregate(
        total=Count("id"),
        female=Count("id", filter=Q(sex_at_identification="female")),
        male=Count("id", filter=Q(sex_at_identification="male")),
        child=Count("id", filter=Q(is_child=True)),
        labour=Count("id", filter=Q(exploitation("ForcedLabour"))),
        sexual=Count("id", filter=Q(exploitation("SexualExploitation"))),
    )
    blocks: list[ComparisonBlock] = []
    ctdc_totals = (africa.count(), everyone.count())

    def block(title, labels, kenya_counts, africa_counts, all_counts) -> ComparisonBlock:
        # Kenya: the categories and the rest ("not recorded / other") make a line that adds up to the total
        rest = max(kenya["total"] - sum(kenya_counts), 0)
        values, total = _kenya_line([*kenya_counts, rest])
        rows = [
            ComparisonRow(
                str(label),
                _share(values[i], total),
                _share(africa_counts[i], ctdc_totals[0]),
                _share(all_counts[i], ctdc_totals[1]),
            )
            for i, label in enumerate(labels)
        ]
        return ComparisonBlock(str(title), rows, total, *ctdc_totals)

    genders = _ctdc_counts(africa, "gender", ["Female", "Male"]), _ctdc_counts(everyone, "gender", ["Female", "Male"])
    blocks.append(
        block(
            _("Sex"),
            [_("Female"), _("Male")],
            [kenya["female"], kenya["male"]],
            [genders[0]["Female"], genders[0]["Male"]],
            [genders[1]["Female"], genders[1]["Male"]],
        )
    )
    minors = (
        _ctdc_counts(africa, "majority_status", ["Minor", "Adult"]),
        _ctdc_counts(everyone, "majority_status", ["Minor", "Adult"]),
    )
    blocks.append(
        block(
            _("Age group"),
            [_("Children"), _("Adults")],
            [kenya["child"], kenya["total"] - kenya["child"]],
            [minors[0]["Minor"], minors[0]["Adult"]],
            [minors[1]["Minor"], minors[1]["Adult"]],
        )
    )
    # forms of exploitation: a victim may count in both, so each is its own line against the total
    forms = []
    for label, key, field in (
        (_("Forced labour"), "labour", "forced_labour"),
        (_("Sexual exploitation"), "sexual", "sexual_exploitation"),
    ):
        values, total = _kenya_line([kenya[key], max(kenya["total"] - kenya[key], 0)])
        forms.append(
            ComparisonRow(
                str(label),
                _share(values[0], total),
                _share(africa.filter(**{field: True}).count(), ctdc_totals[0]),
                _share(everyone.filter(**{field: True}).count(), ctdc_totals[1]),
            )
        )
    blocks.append(
        ComparisonBlock(
            str(_("Form of exploitation (a victim may count in both)")),
            forms,
            rounded(protect_1d([kenya["total"]]).total),
            *ctdc_totals,
        )
    )
    years = list(
        everyone.exclude(year_register="")
        .values("year_register")
        .annotate(n=Count("id"))
        .order_by("year_register")
        .values_list("year_register", "n")
    )
    return Comparison(dataset, blocks, years)
