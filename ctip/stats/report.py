"""The annual report: the published figures of a date range arranged in the sections Kenya reports in, and the
PDF (WeasyPrint) and XLSX drawn from them.

Sections: the Counter-Trafficking Advisory Committee (CTIP Act s.21), the US TIP report questionnaire, UNODC's
GLOTIP, and SDG 16.2.2 (victims per 100,000 population). Every table is published through ctip.stats.tables
(small cells suppressed with complementary suppression, the rest rounded to 10): the report holds no exact
small count, no name and no record id. The SDG rates are computed from the *published* (rounded) counts, so a
rate cannot be multiplied back into an exact count.

Reproducible: the figures depend only on the date range, the data, the threshold and rounding, and the
population reference; all of these are recorded in the report's parameters, and the tables are written in a
fixed order (`build_sections` twice on the same data gives the same JSON).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.accounts.actor import Actor
from ctip.core.disclosure import ROUND_TO, SMALL_CELL
from ctip.core.spreadsheets import xlsx_bytes

from . import selectors
from .exports import figure_rows
from .filters import Filters
from .tables import Cell, Published, Row, publish_all, published_from_dict, published_to_dict

try:  # the system's Pango library may be missing (`make pdf-libs`): the XLSX is still written
    from weasyprint import CSS, HTML
except OSError:  # pragma: no cover - depends on the server
    CSS = HTML = None

SECTION_KEYS = ["committee", "tip", "glotip", "sdg"]
PER = 100_000


def section_titles() -> dict[str, str]:
    return {
        "committee": _("Counter-Trafficking Advisory Committee (CTIP Act s.21)"),
        "tip": _("US Trafficking in Persons report questionnaire"),
        "glotip": _("UNODC Global Report on Trafficking in Persons (GLOTIP)"),
        "sdg": _("SDG indicator 16.2.2: victims of trafficking per 100,000 population"),
    }


def parameters(*, date_from, date_to) -> dict:
    """What the numbers depend on, recorded with the report."""
    population = selectors.population_reference(up_to_year=date_to.year)
    return {
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "small_cell": SMALL_CELL,
        "rounding": ROUND_TO,
        "suppression": "primary + complementary (lines and linked lines), ctip/stats/suppression.py",
        "population_reference_year": population.reference_year,
        "population_source": population.source,
        "dates": "victims: identification date; referrals: sending date; files: opening date; charges, outcomes "
        "and sentences: date of charge; Trust Fund: entry date; complaints: date received",
    }


def _pick(figures: list, keys: list[str]) -> list:
    by_key = {f.key: f for f in figures}
    return [by_key[k] for k in keys if k in by_key]


def _rate(count: int | None, population: int | None) -> Decimal | None:
    if count is None or not population:
        return None
    return (Decimal(count) * PER / Decimal(population)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _sdg_table(
    key: str, title: str, header: str, rows: list[tuple[str, str, Cell | None, int | None]], note: str
) -> Published:
    """Victims (the published count), the population and the rate per 100,000 (from the published count)."""
    out = []
    for row_key, label, cell, population in rows:
        count = cell.value if cell is not None else None
        out.append(
            Row(
                row_key,
                label,
                [
                    Cell(count),
                    Cell(population) if population else Cell(None),
                    Cell(_rate(count, population)) if population else Cell(None),
                ],
            )
        )
    return Published(
        key=key,
        title=title,
        row_header=header,
        columns=[
            ("victims", _("Victims (published count)")),
            ("exact_population", _("Population")),
            ("rate", _("Per 100,000")),
        ],
        rows=out,
        totals=None,
        grand_total=None,
        kind="rates",
        chart="",
        note=note,
    )


def _sdg(published: dict[str, Published], population: selectors.PopulationReference) -> list[Published]:
    pop = population.by_sex
    total_pop = pop.get("total")
    by_sex = published.get("victims-by-sex")
    sex_rows: list[tuple[str, str, Cell | None, int | None]] = []
    total_cell = by_sex.totals[0] if by_sex and by_sex.totals else None
    sex_rows.append(("total", _("All victims"), total_cell, total_pop))
    for row in by_sex.rows if by_sex else []:
        sex_rows.append((row.key, row.label, row.cells[0], pop.get(row.key)))
    source = population.source or _("no population figures recorded")
    year_note = _("Population: %(source)s (reference year %(year)s).") % {
        "source": source,
        "year": population.reference_year or "-",
    }
    rate_note = _(
        "Rates are computed from the published counts (rounded to 10, suppressed below %(n)s), so a rate never "
        "reveals an exact count. No rate where the count is suppressed or no population figure is recorded."
    ) % {"n": SMALL_CELL}
    age = published.get("victims-child-adult")
    age_rows = []
    for row in age.rows if age else []:
        group = "0-17" if row.key == "child" else "18+"
        age_rows.append((row.key, row.label, row.cells[0], population.by_age.get(("total", group))))
    forms = published.get("victims-by-exploitation")
    form_rows = [(row.key, row.label, row.cells[0], total_pop) for row in (forms.rows if forms else [])]
    age_note = _(
        "Rates by age group need Kenya's population by age (KNBS 2019 Census, Volume III, \"Distribution of "
        'Population by Age and Sex"); none is recorded yet, so only the counts are shown. Add the figures with '
        "`manage.py stats_population`."
    )
    return [
        _sdg_table(
            "sdg-by-sex", _("Victims per 100,000 population, by sex"), _("Sex"), sex_rows, f"{year_note} {rate_note}"
        ),
        _sdg_table(
            "sdg-by-age-group",
            _("Victims per 100,000 population, by age group"),
            _("Age group"),
            age_rows,
            f"{year_note} {age_note if not population.by_age else rate_note}",
        ),
        _sdg_table(
            "sdg-by-exploitation",
            _("Victims per 100,000 population, by form of exploitation"),
            _("Form of exploitation"),
            form_rows,
            f"{year_note} {rate_note} "
            + _("The rate of each form is over the whole population; a victim may count under several forms."),
        ),
    ]


def build_sections(*, user: Actor, date_from, date_to, progress: Callable[[int], None] | None = None) -> list[dict]:
    """The report's sections as JSON-ready dicts [{"key", "title", "figures": [published figure dicts]}].
    `progress(n)` is called after each of the steps (SECTION_STEPS)."""
    filters = Filters(date_from=date_from, date_to=date_to)
    step = progress or (lambda n: None)
    victims = selectors.victim_figures(user=user, filters=filters)
    crosstabs = selectors.victim_crosstabs(user=user, filters=filters)
    published = {p.key: p for p in publish_all(victims) + publish_all(crosstabs)}
    step(1)
    referrals = publish_all(selectors.referral_and_shelter_figures(user=user, filters=filters))
    justice = {p.key: p for p in publish_all(selectors.justice_figures(user=user, filters=filters))}
    recruitment = publish_all(selectors.recruitment_figures(user=user, filters=filters))
    trustfund = publish_all(selectors.trustfund_figures(user=user, filters=filters))
    step(2)
    titles = section_titles()
    committee = [published[f.key] for f in victims] + referrals + list(justice.values()) + recruitment + trustfund
    tip = _pick(
        [*published.values(), *justice.values()],
        [
            "victims-by-exploitation-and-sex",
            "victims-by-age-group-and-sex",
            "victims-by-citizenship-and-sex",
            "justice-funnel",
            "justice-prosecuted-by-law-and-sex",
            "justice-convicted-by-law-and-sex",
            "justice-outcomes",
            "justice-sentences",
            "justice-charged-by-law",
        ],
    )
    glotip = _pick(
        [*published.values(), *justice.values()],
        [
            "victims-by-age-group-and-sex",
            "victims-by-exploitation",
            "victims-by-citizenship",
            "victims-internal-transnational",
            "victims-by-country-of-exploitation",
            "kenyans-abroad-by-destination",
            "justice-prosecuted-by-law-and-sex",
            "justice-convicted-by-law-and-sex",
        ],
    )
    population = selectors.population_reference(up_to_year=date_to.year)
    sdg = _sdg(published, population)
    step(3)
    sections = []
    for key, figures in (("committee", committee), ("tip", tip), ("glotip", glotip), ("sdg", sdg)):
        sections.append({"key": key, "title": str(titles[key]), "figures": [published_to_dict(f) for f in figures]})
    return sections


SECTION_STEPS = 3  # build_sections' steps; the PDF and the XLSX are two more


def _about(report, sections) -> list[list]:
    p = report.parameters
    return [
        [_("CTIP annual report")],
        [_("Period: %(from)s to %(to)s") % {"from": p["date_from"], "to": p["date_to"]}],
        [
            _("Generated: %(when)s (Nairobi time)")
            % {"when": f"{timezone.localtime(report.generated_at):%Y-%m-%d %H:%M}"}
        ],
        [
            _(
                "Counts below %(n)s are not shown (<%(n)s), nor are cells that would reveal them; the others are "
                "rounded to %(r)s."
            )
            % {"n": p["small_cell"], "r": p["rounding"]}
        ],
        [_("Suppression threshold"), p["small_cell"]],
        [_("Rounding"), p["rounding"]],
        [_("Population reference year"), p.get("population_reference_year") or "-"],
        [_("Population source"), p.get("population_source") or "-"],
        [_("Dates used"), p.get("dates", "")],
        [],
        [_("Sheet"), _("Section"), _("Table")],
        *[
            [f"{i:02d}.{j:02d}", section["title"], figure["title"]]
            for i, section in enumerate(sections, start=1)
            for j, figure in enumerate(section["figures"], start=1)
        ],
    ]


def to_xlsx(report) -> bytes:
    """An "About" sheet (parameters, rules, the list of tables), then one sheet per table, named by its number
    (never by user text). Every cell through ctip.core.spreadsheets."""
    sections = report.sections
    sheets = [(_("About"), _about(report, sections))]
    for i, section in enumerate(sections, start=1):
        for j, figure in enumerate(section["figures"], start=1):
            rows = figure_rows(published_from_dict(figure))
            sheets.append((f"{i:02d}.{j:02d}", [[section["title"]], *rows]))
    return xlsx_bytes(sheets)


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError("external resources are not loaded in a report")


def report_html(report) -> str:
    sections = [
        {**section, "published": [published_from_dict(f) for f in section["figures"]]} for section in report.sections
    ]
    return render_to_string("stats/print/annual_report.html", {"report": report, "sections": sections})


def to_pdf(report) -> bytes:
    if HTML is None:  # pragma: no cover - depends on the server
        return b""
    css = CSS(filename=finders.find("stats/report-print.css"), url_fetcher=_no_fetch)
    buffer = io.BytesIO()
    HTML(string=report_html(report), url_fetcher=_no_fetch).write_pdf(buffer, stylesheets=[css])
    return buffer.getvalue()
