from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from ctip.accounts.roles import Action
from ctip.core.api import IsAuthenticatedAndVerified

from . import selectors


class CanViewReference(BasePermission):
    def has_permission(self, request, view):
        return request.user.can(Action.REFERENCE_VIEW)


class CountyOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    iso_code = serializers.CharField()


class CountryOut(serializers.Serializer):
    alpha2 = serializers.CharField()
    alpha3 = serializers.CharField()
    numeric = serializers.CharField()
    name = serializers.CharField()


class HtcdsValueOut(serializers.Serializer):
    field = serializers.CharField()
    name = serializers.CharField()
    label = serializers.CharField()


class OffenceOut(serializers.Serializer):
    code = serializers.CharField()
    statute = serializers.CharField()
    section = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    penalty = serializers.CharField()
    min_years = serializers.IntegerField(allow_null=True)
    min_fine_kes = serializers.IntegerField(allow_null=True)
    life_on_subsequent = serializers.BooleanField()
    penalty_checked = serializers.BooleanField()


class IndicatorOut(serializers.Serializer):
    code = serializers.CharField()
    indicator_list = serializers.CharField()
    dimension = serializers.CharField()
    strength = serializers.CharField()
    text = serializers.CharField()
    text_sw = serializers.CharField()
    is_active = serializers.BooleanField()
    version = serializers.IntegerField()


class ReferenceView(APIView):
    permission_classes = [IsAuthenticatedAndVerified, CanViewReference]


class CountyListView(ReferenceView):
    @extend_schema(responses=CountyOut(many=True), summary="Kenya's 47 counties")
    def get(self, request):
        return Response(CountyOut(selectors.county_list(), many=True).data)


class CountryListView(ReferenceView):
    @extend_schema(responses=CountryOut(many=True), summary="ISO 3166-1 countries")
    def get(self, request):
        return Response(CountryOut(selectors.country_list(), many=True).data)


class HtcdsValueListView(ReferenceView):
    @extend_schema(
        responses=HtcdsValueOut(many=True),
        summary="HTCDS v2.0 picklist values (exact value names)",
        parameters=[OpenApiParameter("field", str, description="HTCDS field name, e.g. vic_TypeOfExploitation")],
    )
    def get(self, request):
        field = request.query_params.get("field")
        fields = [field] if field else [f for f, _label, _section in selectors.htcds_fields()]
        rows = [{"field": f, "name": n, "label": lab} for f in fields for n, lab in selectors.htcds_values(f)]
        return Response(HtcdsValueOut(rows, many=True).data)


class OffenceListView(ReferenceView):
    @extend_schema(responses=OffenceOut(many=True), summary="Offences (CTIP Act s.3-s.10 and related offences)")
    def get(self, request):
        return Response(OffenceOut(selectors.offence_list(request.query_params.get("statute")), many=True).data)


class IndicatorListView(ReferenceView):
    @extend_schema(
        responses=IndicatorOut(many=True),
        summary="Delphi trafficking indicators (provisional catalogue)",
        parameters=[OpenApiParameter("list", str, description="adult_labour, child_labour, ...")],
    )
    def get(self, request):
        return Response(IndicatorOut(selectors.indicator_list(request.query_params.get("list")), many=True).data)
