"""The public verification API (no log-in): POST a name, licence number or phone; rate-limited per client."""

from __future__ import annotations

from django.utils import translation
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ctip.core import api as core_api
from ctip.core import ratelimit
from ctip.core.api import error_body
from ctip.core.errors import ErrorCode
from ctip.core.schema import error

from . import answers, selectors
from .enums import AgencyStatus
from .public import API_LIMIT, too_many


class VerifyIn(serializers.Serializer):
    q = serializers.CharField(max_length=100, help_text="Agency name (misspellings tolerated), licence number or phone")
    language = serializers.ChoiceField(choices=[("en", "en"), ("sw", "sw")], required=False, default="en")


class WarnedOut(serializers.Serializer):
    name = serializers.CharField()
    licence_number = serializers.CharField()
    status = serializers.ChoiceField(choices=AgencyStatus.choices)
    status_since = serializers.DateField()


class ResultOut(serializers.Serializer):
    name = serializers.CharField()
    trading_name = serializers.CharField()
    licence_number = serializers.CharField()
    county = serializers.CharField()
    status = serializers.ChoiceField(choices=AgencyStatus.choices)
    status_label = serializers.CharField()
    status_since = serializers.DateField()
    last_updated = core_api.DateTimeField()
    may_recruit = serializers.BooleanField()
    matched_by = serializers.ChoiceField(choices=[("licence", "licence"), ("phone", "phone"), ("name", "name")])
    advice = serializers.CharField()
    resembles = WarnedOut(many=True)
    warning = serializers.CharField()


class VerifyOut(serializers.Serializer):
    query = serializers.CharField()
    searched_by = serializers.CharField()
    found = serializers.BooleanField()
    results = ResultOut(many=True)
    warnings = serializers.ListField(child=serializers.CharField())
    advice = serializers.CharField()


class VerifyView(APIView):
    """Check a recruitment agency: its licence status, since when, what to do, and look-alike warnings."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=VerifyIn, responses={200: VerifyOut, 400: error(400), 429: error(429)}, auth=[])
    def post(self, request):
        if not ratelimit.allow(API_LIMIT, ratelimit.client_key(request)):
            too_many("api")
            return Response(error_body(ErrorCode.RATE_LIMITED, ErrorCode.RATE_LIMITED.label), status=429)
        s = VerifyIn(data=request.data)
        s.is_valid(raise_exception=True)
        with translation.override(s.validated_data["language"]):
            data = answers.describe(selectors.verify(s.validated_data["q"]))
            return Response(VerifyOut(data).data)
