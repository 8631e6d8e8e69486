from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors


class CountyOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    iso_code = serializers.CharField()


class CountryOut(serializers.Serializer):
    alpha2 = serializers.CharField()
    alpha3 = serializers.CharField()
    numeric = serializers.CharField()
    name = serializers.CharField()


class CountyListView(APIView):
    @extend_schema(responses=CountyOut(many=True), summary="Kenya's 47 counties")
    def get(self, request):
        return Response(CountyOut(selectors.county_list(), many=True).data)


class CountryListView(APIView):
    @extend_schema(responses=CountryOut(many=True), summary="ISO 3166-1 countries")
    def get(self, request):
        return Response(CountryOut(selectors.country_list(), many=True).data)
