"""The statistics API: the same published figures as the pages (small cells suppressed, the rest rounded), as
JSON. Bad filters answer 400 {"code", "message", "fields"} (ctip.core.api.exception_handler)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ctip.accounts.access import require
from ctip.accounts.roles import Action
from ctip.core.disclosure import ROUND_TO, SMALL_CELL
from ctip.core.errors import NotFound
from ctip.core.schema import error
from ctip.reference.selectors import place_names

from . import selectors, services
from .filters import parse_filters
from .tables import Cell, Published, publish_all


class DashboardOut(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()


class ColumnOut(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named "label", not Field.label


class RowOut(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named "label", not Field.label
    values = serializers.ListField(child=serializers.IntegerField(allow_null=True))
    total = serializers.IntegerField(allow_null=True, required=False)


class FigureOut(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField(
        help_text="additive (rows add up to the total), multi (a case may count in several rows: no total), "
        "crosstab (rows by columns, with row totals), measures (each column a measure; medians in days)"
    )
    row_header = serializers.CharField()
    columns = ColumnOut(many=True)
    rows = RowOut(many=True)
    totals = serializers.ListField(child=serializers.IntegerField(allow_null=True), allow_null=True)
    grand_total = serializers.IntegerField(allow_null=True)
    note = serializers.CharField()


class FiguresOut(serializers.Serializer):
    dashboard = serializers.CharField()
    title = serializers.CharField()
    filters = serializers.DictField(child=serializers.CharField())
    small_cell = serializers.IntegerField(
        help_text="Counts below this are null (suppressed), as are cells that would reveal them."
    )
    rounding = serializers.IntegerField(help_text="Visible counts are rounded to this.")
    figures = FigureOut(many=True)


def _v(cell: Cell | None) -> int | None:
    return None if cell is None else cell.value


def figure_json(figure: Published) -> dict:
    return {
        "key": figure.key,
        "title": figure.title,
        "kind": figure.kind,
        "row_header": figure.row_header,
        "columns": [{"key": k, "label": label} for k, label in figure.columns],
        "rows": [
            {
                "key": r.key,
                "label": r.label,
                "values": [c.value for c in r.cells],
                **({"total": _v(r.total)} if figure.has_row_totals else {}),
            }
            for r in figure.rows
        ],
        "totals": None if figure.totals is None else [c.value for c in figure.totals],
        "grand_total": _v(figure.grand_total),
        "note": figure.note,
    }


FILTER_PARAMETERS = [
    OpenApiParameter("year", int, description="A calendar year (not with date_from/date_to)."),
    OpenApiParameter(
        "date_from", str, description="YYYY-MM-DD: identification (cases), sending (referrals), opening (files)."
    ),
    OpenApiParameter("date_to", str, description="YYYY-MM-DD, inclusive."),
    OpenApiParameter("county", str, description="County code (e.g. 047) where the victim was identified."),
    OpenApiParameter("sex", str, description="female, male, intersex or unknown."),
    OpenApiParameter("exploitation", str, description="HTCDS vic_TypeOfExploitation value name."),
]


class DashboardListView(APIView):
    @extend_schema(responses={200: DashboardOut(many=True), 403: error(403)}, summary="The statistics dashboards")
    def get(self, request):
        require(request.user, Action.STATS_VIEW)
        return Response(
            [
                {"key": slug, "title": str(title), "url": request.build_absolute_uri(f"{slug}/")}
                for slug, (title, _f) in selectors.DASHBOARDS.items()
            ]
        )


class DashboardView(APIView):
    @extend_schema(
        parameters=FILTER_PARAMETERS,
        responses={200: FiguresOut, 400: error(400), 403: error(403), 404: error(404)},
        summary="A dashboard's figures (small cells suppressed, counts rounded)",
    )
    def get(self, request, slug):
        require(request.user, Action.STATS_VIEW)
        if slug not in selectors.DASHBOARDS:
            raise NotFound()
        filters = parse_filters(request.query_params, counties=place_names()["county"])
        figures = selectors.dashboard_figures(user=request.user, dashboard=slug, filters=filters)
        services.stats_viewed(actor=request.user, dashboard=slug, filters=filters, via="api")
        return Response(
            {
                "dashboard": slug,
                "title": str(selectors.DASHBOARDS[slug][0]),
                "filters": filters.as_query(),
                "small_cell": SMALL_CELL,
                "rounding": ROUND_TO,
                "figures": [figure_json(p) for p in publish_all(figures)],
            }
        )
