"""Statistics pages: the analyst's landing and the three dashboards, with CSV and XLSX downloads.

filters -> selectors (exact counts) -> tables.publish (suppressed, rounded) -> page; each view records one audit
event (services.stats_viewed). Queries per page are fixed by the figures shown, never by the number of records.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ctip.accounts.roles import Action
from ctip.core.disclosure import SMALL_CELL
from ctip.core.errors import ValidationFailed
from ctip.core.views_helpers import require_action
from ctip.people.enums import Sex
from ctip.reference.selectors import place_names

from . import selectors, services
from .exports import to_csv, to_xlsx
from .filters import Filters, exploitation_choices, parse_filters
from .tables import publish_all

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _dashboard_or_404(slug: str):
    if slug not in selectors.DASHBOARDS:
        raise Http404
    return selectors.DASHBOARDS[slug][0]


def _filters(request) -> tuple[Filters | None, dict]:
    try:
        return parse_filters(request.GET, counties=place_names()["county"]), {}
    except ValidationFailed as exc:
        return None, exc.fields


@require_action(Action.STATS_VIEW)
def index(request):
    headline = selectors.headline(user=request.user)
    services.stats_viewed(actor=request.user, dashboard="index", filters=Filters())
    return render(
        request,
        "stats/index.html",
        {"headline": headline, "dashboards": [(slug, title) for slug, (title, _f) in selectors.DASHBOARDS.items()]},
    )


@require_action(Action.STATS_VIEW)
def dashboard(request, slug: str):
    title = _dashboard_or_404(slug)
    filters, errors = _filters(request)
    figures = []
    if filters is not None:
        figures = publish_all(selectors.dashboard_figures(user=request.user, dashboard=slug, filters=filters))
        services.stats_viewed(actor=request.user, dashboard=slug, filters=filters)
    return render(
        request,
        "stats/dashboard.html",
        {
            "slug": slug,
            "title": title,
            "figures": figures,
            "errors": errors,
            "values": request.GET,
            "filters": filters,
            "query": urlencode(filters.as_query()) if filters else "",
            "counties": sorted(place_names()["county"].items()),
            "sexes": Sex.choices,
            "forms": exploitation_choices(),
            "small_cell": SMALL_CELL,
            "dashboards": [(s, t) for s, (t, _f) in selectors.DASHBOARDS.items()],
        },
        status=400 if errors else 200,
    )


@require_action(Action.STATS_VIEW)
def export(request, slug: str, fmt: str):
    title = str(_dashboard_or_404(slug))
    if fmt not in ("csv", "xlsx"):
        raise Http404
    filters, errors = _filters(request)
    if filters is None:
        return HttpResponse(_("Some filters are not valid."), status=400, content_type="text/plain; charset=utf-8")
    figures = publish_all(selectors.dashboard_figures(user=request.user, dashboard=slug, filters=filters))
    services.stats_viewed(actor=request.user, dashboard=slug, filters=filters, via="download", fmt=fmt)
    name = f"ctip-{slugify(slug)}-statistics.{fmt}"
    if fmt == "csv":
        response = HttpResponse(to_csv(title, filters, figures), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(to_xlsx(title, filters, figures), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
