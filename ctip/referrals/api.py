"""API of the directory and of referrals: input serializer -> service -> output serializer (ARCHITECTURE.md rule
8). Errors come out as {"code", "message", "fields"} through ctip.core.api.exception_handler."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ctip.accounts.access import require, require_any
from ctip.accounts.roles import Action
from ctip.cases import selectors as case_selectors
from ctip.cases.enums import CaseSection, ServiceType
from ctip.core import api as core_api
from ctip.core.errors import NotFound, ValidationFailed
from ctip.core.schema import error, paged
from ctip.reference.selectors import county_list

from . import selectors, services
from .enums import ReferralStatus


class ProviderOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    agency = serializers.UUIDField(source="agency.public_id")
    name = serializers.CharField(source="agency.name")
    services = serializers.SerializerMethodField()
    national = serializers.BooleanField()
    counties = serializers.SerializerMethodField()
    shelter_capacity = serializers.IntegerField()
    available_beds = serializers.SerializerMethodField()
    accepts_children = serializers.BooleanField()
    accepts_adults = serializers.BooleanField()
    accepts_sex = serializers.CharField()
    languages = serializers.ListField(child=serializers.CharField())
    phone = serializers.CharField()
    email = serializers.CharField()
    notes = serializers.CharField()
    is_active = serializers.BooleanField()
    version = serializers.IntegerField()

    def get_services(self, obj) -> list[str]:
        return selectors.provider_services(obj)

    def get_counties(self, obj) -> list[str]:
        return [c.code for c in obj.counties.all()]

    def get_available_beds(self, obj) -> int | None:
        return selectors.available_beds(obj)


class ReferralOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    reference = serializers.CharField()
    case = serializers.UUIDField(source="case.public_id")
    case_reference = serializers.CharField(source="case.reference")
    provider = serializers.UUIDField(source="provider.public_id")
    provider_agency = serializers.UUIDField(source="provider.agency.public_id")
    sender_agency = serializers.UUIDField(source="sender_agency.public_id")
    service_type = serializers.CharField()
    sections = serializers.ListField(child=serializers.CharField())
    status = serializers.CharField()
    consent_override = serializers.BooleanField()
    sent_at = core_api.DateTimeField()
    response_due_at = core_api.DateTimeField()
    overdue = serializers.BooleanField(source="is_overdue")
    responded_at = core_api.DateTimeField(allow_null=True)
    started_at = core_api.DateTimeField(allow_null=True)
    completed_at = core_api.DateTimeField(allow_null=True)
    revoked_at = core_api.DateTimeField(allow_null=True)
    version = serializers.IntegerField()


class ReferralIn(serializers.Serializer):
    case = serializers.UUIDField()
    provider = serializers.UUIDField()
    service_type = serializers.ChoiceField(choices=ServiceType.choices)
    sections = serializers.ListField(child=serializers.ChoiceField(choices=CaseSection.choices), default=list)
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    override_reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class TransitionIn(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ProviderListView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("county", str, description="County code (001-047)"),
            OpenApiParameter("service", str, enum=ServiceType.values),
            OpenApiParameter("q", str, description="Part of the agency's name"),
            OpenApiParameter("beds", bool, description="Only shelters with a free bed"),
        ],
        responses=paged(ProviderOut),
        summary="Search the service-provider directory",
    )
    def get(self, request):
        require_any(request.user, *selectors.DIRECTORY_ACTIONS)
        service = request.query_params.get("service", "")
        if service and service not in ServiceType.values:
            raise ValidationFailed(fields={"service": ["Unknown service."]})
        county_id = None
        code = request.query_params.get("county", "")
        if code:
            county = county_list().filter(code=code).first()
            if county is None:
                raise ValidationFailed(fields={"county": ["Unknown county code."]})
            county_id = county.pk
        filters = selectors.ProviderFilters(
            county_id=county_id,
            service=service,
            text=request.query_params.get("q", ""),
            beds_free=request.query_params.get("beds", "") in ("1", "true", "yes"),
        )
        return core_api.page_response(
            request, selectors.provider_list_for_user(user=request.user, filters=filters), ProviderOut
        )


class ProviderDetailView(APIView):
    @extend_schema(responses=ProviderOut, summary="One provider of the directory")
    def get(self, request, public_id):
        require_any(request.user, *selectors.DIRECTORY_ACTIONS)
        return Response(ProviderOut(selectors.provider_get_for_user(user=request.user, public_id=public_id)).data)


class ReferralListView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("box", str, enum=["inbox", "outbox", "all"]),
            OpenApiParameter("status", str, enum=ReferralStatus.values),
            OpenApiParameter("overdue", bool),
        ],
        responses=paged(ReferralOut),
        summary="Referrals received (inbox) or sent (outbox); overdue first",
    )
    def get(self, request):
        require_any(request.user, Action.REFERRAL_SEND, Action.REFERRAL_RESPOND)
        box = request.query_params.get("box", selectors.ALL)
        status = request.query_params.get("status", "")
        if box not in (selectors.INBOX, selectors.OUTBOX, selectors.ALL):
            raise ValidationFailed(fields={"box": ["Use inbox, outbox or all."]})
        if status and status not in ReferralStatus.values:
            raise ValidationFailed(fields={"status": ["Unknown status."]})
        qs = selectors.referral_list_for_user(
            user=request.user,
            box=box,
            status=status,
            overdue_only=request.query_params.get("overdue", "") in ("1", "true", "yes"),
        )
        return core_api.page_response(request, qs, ReferralOut)

    @extend_schema(
        request=ReferralIn,
        responses={
            201: ReferralOut,
            404: error(404, "The case is not visible to this user (code not_found)."),
            409: error(
                409, "The case already has an open referral of this service to this provider (code already_referred)."
            ),
        },
        summary="Send a referral for a case",
    )
    def post(self, request):
        require(request.user, Action.REFERRAL_SEND)
        ser = ReferralIn(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        case, _access = case_selectors.case_get_for_user(user=request.user, public_id=d["case"])
        try:
            provider = selectors.provider_get_for_user(user=request.user, public_id=d["provider"])
        except NotFound as exc:
            raise ValidationFailed(fields={"provider": ["Unknown provider."]}) from exc
        referral = services.referral_send(
            actor=request.user,
            case=case,
            provider=provider,
            service_type=d["service_type"],
            sections=d["sections"],
            notes=d["notes"],
            override_reason=d["override_reason"],
        )
        return Response(ReferralOut(referral).data, status=201)


class ReferralDetailView(APIView):
    @extend_schema(responses=ReferralOut, summary="One referral")
    def get(self, request, public_id):
        require_any(request.user, Action.REFERRAL_SEND, Action.REFERRAL_RESPOND)
        return Response(ReferralOut(selectors.referral_get_for_user(user=request.user, public_id=public_id)).data)


TRANSITIONS = {
    "accept": (Action.REFERRAL_RESPOND, lambda actor, r, d: services.referral_accept(
        actor=actor, referral=r, expected_version=d["version"])),
    "decline": (Action.REFERRAL_RESPOND, lambda actor, r, d: services.referral_decline(
        actor=actor, referral=r, reason=d["reason"], expected_version=d["version"])),
    "start": (Action.REFERRAL_RESPOND, lambda actor, r, d: services.referral_start(
        actor=actor, referral=r, expected_version=d["version"])),
    "complete": (Action.REFERRAL_RESPOND, lambda actor, r, d: services.referral_complete(
        actor=actor, referral=r, note=d["note"], expected_version=d["version"])),
    "revoke": (Action.REFERRAL_SEND, lambda actor, r, d: services.referral_revoke(
        actor=actor, referral=r, reason=d["reason"], expected_version=d["version"])),
}  # fmt: skip


class ReferralTransitionView(APIView):
    @extend_schema(
        operation_id="v1_referrals_transition",
        parameters=[OpenApiParameter("transition", str, OpenApiParameter.PATH, enum=list(TRANSITIONS))],
        request=TransitionIn,
        responses={
            200: ReferralOut,
            409: error(
                409,
                "The referral changed since it was read (code conflict), the transition is not allowed "
                "from its status (invalid_transition), or the shelter is full (shelter_full).",
            ),
        },
        summary="Move a referral: accept, decline (reason), start, complete (note), revoke (reason)",
    )
    def post(self, request, public_id, transition):
        if transition not in TRANSITIONS:
            raise NotFound()
        action, call = TRANSITIONS[transition]
        require(request.user, action)
        referral = selectors.referral_get_for_user(user=request.user, public_id=public_id)
        ser = TransitionIn(data=request.data)
        ser.is_valid(raise_exception=True)
        return Response(ReferralOut(call(request.user, referral, ser.validated_data)).data)
