"""Statistics pages: the analyst's landing and the three dashboards, with CSV and XLSX downloads.

filters -> selectors (exact counts) -> tables.publish (suppressed, rounded) -> page; each view records one audit
event (services.stats_viewed). Queries per page are fixed by the figures shown, never by the number of records.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ctip.accounts.roles import Action
from ctip.core.disclosure import SMALL_CELL
from ctip.core.errors import NotFound, ValidationFailed
from ctip.core.views_helpers import apply_service_error, require_action
from ctip.people.enums import Sex
from ctip.reference.selectors import place_names

from . import selectors, services
from .exports import to_csv, to_xlsx
from .filters import Filters, exploitation_choices, parse_filters
from .forms import ReportForm
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


# --- the annual report ---------------------------------------------------------------------------------------


def _report(request, public_id):
    try:
        return selectors.report_get_for_user(user=request.user, public_id=public_id)
    except NotFound as exc:
        raise Http404 from exc


@never_cache
@require_action(Action.STATS_VIEW)
def reports(request):
    """The reports generated (anyone with statistics access) and, for analysts and coordinators, the form."""
    may_generate = request.user.can(Action.STATS_REPORT)
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not may_generate:
            raise DjangoPermissionDenied
        if form.is_valid():
            try:
                report = services.report_start(
                    actor=request.user, date_from=form.cleaned_data["date_from"], date_to=form.cleaned_data["date_to"]
                )
            except ValidationFailed as exc:
                apply_service_error(form, exc)
            else:
                return redirect("stats:report", public_id=report.public_id)
        status = 400
    return render(
        request,
        "stats/reports.html",
        {
            "form": form,
            "may_generate": may_generate,
            "reports": selectors.report_list_for_user(user=request.user)[:30],
            "small_cell": SMALL_CELL,
            "dashboards": [(s, t) for s, (t, _f) in selectors.DASHBOARDS.items()],
        },
        status=status,
    )


@never_cache
@require_action(Action.STATS_VIEW)
def report_detail(request, public_id):
    return render(request, "stats/report_detail.html", {"report": _report(request, public_id)})


@never_cache
@require_action(Action.STATS_VIEW)
def report_status(request, public_id):
    return render(request, "stats/_report_progress.html", {"report": _report(request, public_id)})


@never_cache
@require_action(Action.STATS_VIEW)
def report_download(request, public_id, fmt: str):
    report = _report(request, public_id)
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    try:
        content, content_type, name = services.report_download(actor=request.user, report=report, fmt=fmt)
    except ValidationFailed:
        return render(request, "stats/report_detail.html", {"report": report}, status=409)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
