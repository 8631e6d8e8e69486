"""The public job-offer check API (no log-in): POST the answers, get the risk level and every red flag with its
basis, in English or Kiswahili. Rate-limited per client; nothing about the offer is stored."""

from __future__ import annotations

from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ctip.core import ratelimit
from ctip.core.api import error_body
from ctip.core.errors import ErrorCode
from ctip.core.schema import error
from ctip.reference.selectors import country_codes

from . import selectors, services
from .enums import CURRENCY_CHOICES, Channel, Contact, Departure, Document, FeeTo, Job, Level, Period, Visa
from .parsing import parse_amount
from .public import API_LIMIT, REPORT, too_many


@extend_schema_field(OpenApiTypes.STR)
class AmountIn(serializers.Field):
    """An amount as a number or as people write it ("45,000", "45k"); null or "" for none."""

    def to_internal_value(self, data):
        if data is None or data == "":
            return None
        if isinstance(data, bool) or not isinstance(data, str | int | float) or len(str(data)) > 40:
            raise serializers.ValidationError('Write the amount in figures, for example 45000 or "45k".')
        amount = parse_amount(str(data))
        if amount is None:
            raise serializers.ValidationError('Write the amount in figures, for example 45000 or "45k".')
        return amount

    def to_representation(self, value):
        return None if value is None else str(value)


class CheckIn(serializers.Serializer):
    destination = serializers.CharField(max_length=2, help_text="ISO 3166 alpha-2 code of the country, e.g. TH")
    job = serializers.ChoiceField(choices=Job.choices)
    salary_amount = AmountIn(required=False, allow_null=True, default=None)
    salary_currency = serializers.ChoiceField(choices=CURRENCY_CHOICES, default="KES")
    salary_period = serializers.ChoiceField(choices=Period.choices, default=Period.MONTH)
    fee_to = serializers.ChoiceField(choices=FeeTo.choices, default=FeeTo.NONE)
    fee_amount = AmountIn(required=False, allow_null=True, default=None)
    fee_currency = serializers.ChoiceField(choices=CURRENCY_CHOICES, default="KES")
    visa = serializers.ChoiceField(choices=Visa.choices)
    contact = serializers.ChoiceField(choices=Contact.choices)
    agency_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    documents = serializers.ListField(
        child=serializers.ChoiceField(choices=Document.choices), required=False, default=list, max_length=4
    )
    departure = serializers.ChoiceField(choices=Departure.choices)
    text = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    language = serializers.ChoiceField(choices=[("en", "en"), ("sw", "sw")], required=False, default="en")

    def validate_destination(self, value):
        value = value.upper()
        if value not in country_codes():
            raise serializers.ValidationError("Not a country code (ISO 3166 alpha-2, e.g. TH).")
        return value

    def validate(self, attrs):
        if attrs["fee_to"] != FeeTo.NONE and not attrs.get("fee_amount"):
            raise serializers.ValidationError({"fee_amount": ["Give the amount asked (an estimate is fine)."]})
        if attrs["fee_to"] == FeeTo.NONE and attrs.get("fee_amount"):
            raise serializers.ValidationError({"fee_to": ["Say to whom the fee is to be paid."]})
        return attrs


class FlagOut(serializers.Serializer):
    id = serializers.CharField(help_text="The rule's id in the rule set")
    weight = serializers.IntegerField()
    title = serializers.CharField()
    explain = serializers.CharField()
    basis = serializers.CharField()
    advice = serializers.CharField()
    matched = serializers.ListField(child=serializers.CharField(), help_text="Phrases found in the text")


class CheckedAgencyOut(serializers.Serializer):
    status = serializers.CharField()
    name = serializers.CharField()
    licence_number = serializers.CharField()
    status_label = serializers.CharField()
    lookalike_of = serializers.ListField(child=serializers.CharField())


class CheckOut(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices)
    level_label = serializers.CharField()
    score = serializers.IntegerField()
    rule_set_version = serializers.IntegerField(source="rule_set_number")
    flags = FlagOut(many=True)
    agency = CheckedAgencyOut(allow_null=True)
    report = serializers.CharField(help_text="Where to report and check")


class CheckView(APIView):
    """Check a job offer: the risk level, every red flag with its basis and what to do, and where to report."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request=CheckIn, responses={200: CheckOut, 400: error(400), 429: error(429), 503: error(503)}, auth=[]
    )
    def post(self, request):
        if not ratelimit.allow(API_LIMIT, ratelimit.client_key(request)):
            too_many("api")
            return Response(error_body(ErrorCode.RATE_LIMITED, ErrorCode.RATE_LIMITED.label), status=429)
        s = CheckIn(data=request.data)
        s.is_valid(raise_exception=True)
        d = dict(s.validated_data)
        language = d.pop("language")
        with translation.override(language):
            try:
                result = selectors.check(selectors.CheckInput(**d))
            except selectors.RulesUnavailable:
                return Response(
                    error_body("unavailable", "The check is not available just now. Call 1195."), status=503
                )
            services.record_check(level=result.level, channel=Channel.API, rule_set_number=result.rule_set_number)
            return Response(CheckOut({**vars(result), "report": str(REPORT)}).data)
