"""API of intake: input serializer -> service or selector -> output serializer (ARCHITECTURE.md rule 8). Errors
come out as {"code", "message", "fields"} through ctip.core.api.exception_handler.

The two public endpoints (submit a tip, check its status) take no authentication and are rate-limited by the
keyed hash of the client address (ratelimit.py). The PIN travels in the POST body, never in the URL.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ctip.accounts.access import require
from ctip.accounts.roles import Action
from ctip.core import api as core_api
from ctip.core.api import error_body
from ctip.core.errors import ErrorCode, NotFound, ValidationFailed
from ctip.core.schema import error, paged
from ctip.reference.selectors import country_list, county_list

from . import importer, ratelimit, selectors, services
from .enums import (
    CallerType,
    CallLanguage,
    CallStatus,
    Situation,
    TipCloseReason,
    TipSource,
    TipStatus,
    Urgency,
)


def _too_many() -> Response:
    return Response(error_body(ErrorCode.RATE_LIMITED, ErrorCode.RATE_LIMITED.label), status=429)


# --- public -------------------------------------------------------------------------------------------------


class PublicTipIn(serializers.Serializer):
    situation = serializers.ChoiceField(choices=Situation.choices)
    description = serializers.CharField(max_length=5000)
    county = serializers.CharField(max_length=3, required=False, allow_blank=True, help_text="County code, e.g. 047")
    country = serializers.CharField(max_length=2, required=False, allow_blank=True, help_text="ISO alpha-2")
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    occurred = serializers.CharField(max_length=200, required=False, allow_blank=True)
    people_involved = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    contact = serializers.CharField(max_length=200, required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=[("en", "en"), ("sw", "sw")], required=False, default="en")


class PublicTipOut(serializers.Serializer):
    reference = serializers.CharField()
    pin = serializers.CharField()


class PublicStatusIn(serializers.Serializer):
    reference = serializers.CharField(max_length=30)
    pin = serializers.CharField(max_length=12)


class PublicStatusOut(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    submitted_on = core_api.DateTimeField()
    updated_on = core_api.DateTimeField(allow_null=True)
    message = serializers.CharField()


def _place_ids(data) -> tuple[int | None, int | None]:
    county_id = country_id = None
    if data.get("county"):
        county = county_list().filter(code=data["county"].zfill(3)).first()
        if county is None:
            raise ValidationFailed(fields={"county": ["Unknown county code."]})
        county_id = county.pk
    if data.get("country"):
        country = country_list().filter(alpha2=data["country"].upper()).first()
        if country is None:
            raise ValidationFailed(fields={"country": ["Unknown country code."]})
        country_id = country.pk
    return county_id, country_id


class PublicTipView(APIView):
    """Submit an anonymous tip. Returns the reference and PIN once; keep them to check the status."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=PublicTipIn, responses={201: PublicTipOut, 429: error(429)}, auth=[])
    def post(self, request):
        client = ratelimit.client_key(request)
        if ratelimit.exceeded(ratelimit.TIP_SUBMIT, client):
            return _too_many()
        s = PublicTipIn(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        county_id, country_id = _place_ids(d)
        tip, pin = services.tip_submit(
            data=services.TipInput(
                situation=d["situation"],
                description=d["description"],
                county_id=county_id,
                country_id=country_id,
                place=d.get("place", ""),
                occurred=d.get("occurred", ""),
                people_involved=d.get("people_involved", ""),
                contact=d.get("contact", ""),
                language=d.get("language", "en"),
            )
        )
        ratelimit.hit(ratelimit.TIP_SUBMIT, client)
        return Response(PublicTipOut({"reference": tip.reference, "pin": pin}).data, status=201)


class PublicStatusView(APIView):
    """The status of a tip and the coordinator's message. Same 404 for a wrong reference or a wrong PIN."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request=PublicStatusIn,
        responses={200: PublicStatusOut, 404: error(404, "Wrong reference or PIN (code not_found)."), 429: error(429)},
        auth=[],
    )
    def post(self, request):
        s = PublicStatusIn(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        client = ratelimit.client_key(request)
        ref_key = ratelimit.value_key(services.normalize_reference(d["reference"]))
        if not ratelimit.status_check_allowed(client, ref_key):
            return _too_many()
        try:
            result = selectors.tip_public_status(reference=d["reference"], pin=d["pin"])
        except NotFound:
            ratelimit.status_check_failed(client, ref_key)
            raise
        return Response(PublicStatusOut(result).data)


# --- triage ------------------------------------------------------------------------------------------------


class TipOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    reference = serializers.CharField()
    source = serializers.CharField()
    status = serializers.CharField()
    situation = serializers.CharField()
    county = serializers.CharField(source="county.code", allow_null=True, default=None)
    country = serializers.CharField(source="country.alpha2", allow_null=True, default=None)
    language = serializers.CharField()
    has_contact = serializers.BooleanField()
    close_reason = serializers.CharField()
    case = serializers.CharField(source="case.reference", allow_null=True, default=None)
    created_at = core_api.DateTimeField()
    status_changed_at = core_api.DateTimeField(allow_null=True)
    version = serializers.IntegerField()


class TipTextOut(serializers.Serializer):
    place = serializers.CharField()
    occurred = serializers.CharField()
    description = serializers.CharField()
    people_involved = serializers.CharField()
    contact = serializers.CharField()
    message_to_reporter = serializers.CharField()
    close_note = serializers.CharField()


class TipDetailOut(TipOut):
    text = TipTextOut(help_text="The reporter's words (decrypted; the read is audited).")


class TipListView(APIView):
    @extend_schema(responses={200: paged(TipOut)})
    def get(self, request):
        require(request.user, Action.TIP_TRIAGE)
        p = request.query_params
        filters = selectors.TipFilters(
            status=p.get("status", "") if p.get("status", "") in TipStatus.values else "",
            situation=p.get("situation", "") if p.get("situation", "") in Situation.values else "",
            source=p.get("source", "") if p.get("source", "") in TipSource.values else "",
        )
        return core_api.page_response(request, selectors.tip_list_for_user(user=request.user, filters=filters), TipOut)


class TipDetailView(APIView):
    """The tip and the reporter's words (decrypted; the read is audited)."""

    @extend_schema(responses={200: TipDetailOut})
    def get(self, request, public_id):
        require(request.user, Action.TIP_TRIAGE)
        tip = selectors.tip_get_for_user(user=request.user, public_id=public_id)
        texts = selectors.tip_text_for_user(user=request.user, tip=tip)
        return Response({**TipOut(tip).data, "text": TipTextOut(texts).data})


class TipActionIn(serializers.Serializer):
    version = serializers.IntegerField(required=False)
    reason = serializers.ChoiceField(choices=TipCloseReason.choices, required=False)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    message = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class TipActionView(APIView):
    """POST review | close | message."""

    @extend_schema(
        operation_id="v1_intake_tips_action",
        parameters=[OpenApiParameter("action", str, OpenApiParameter.PATH, enum=["review", "close", "message"])],
        request=TipActionIn,
        responses={200: TipOut, 409: error(409)},
    )
    def post(self, request, public_id, action):
        require(request.user, Action.TIP_TRIAGE)
        tip = selectors.tip_get_for_user(user=request.user, public_id=public_id)
        s = TipActionIn(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        version = d.get("version")
        if action == "review":
            tip = services.tip_start_review(actor=request.user, tip=tip, expected_version=version)
        elif action == "close":
            tip = services.tip_close(
                actor=request.user,
                tip=tip,
                reason=d.get("reason", ""),
                note=d["note"],
                message=d["message"],
                expected_version=version,
            )
        elif action == "message":
            tip = services.tip_set_message(actor=request.user, tip=tip, message=d["message"], expected_version=version)
        else:
            raise NotFound()
        return Response(TipOut(tip).data)


# --- hotline calls ------------------------------------------------------------------------------------------


class CallOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    reference = serializers.CharField()
    agency = serializers.UUIDField(source="owning_agency.public_id")
    status = serializers.CharField()
    caller_type = serializers.CharField()
    urgency = serializers.CharField()
    language = serializers.CharField()
    county = serializers.CharField(source="county.code", allow_null=True, default=None)
    country = serializers.CharField(source="country.alpha2", allow_null=True, default=None)
    call_at = core_api.DateTimeField()
    duration_minutes = serializers.IntegerField()
    follow_up_needed = serializers.BooleanField()
    case = serializers.CharField(source="case.reference", allow_null=True, default=None)
    version = serializers.IntegerField()


class CallTextOut(serializers.Serializer):
    summary = serializers.CharField()
    city = serializers.CharField()


class CallDetailOut(CallOut):
    text = CallTextOut(help_text="What the caller said (decrypted; the read is audited).")


class CallIn(serializers.Serializer):
    caller_type = serializers.ChoiceField(choices=CallerType.choices)
    summary = serializers.CharField(max_length=5000)
    call_at = core_api.DateTimeField()
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    language = serializers.ChoiceField(choices=CallLanguage.choices, default=CallLanguage.KISWAHILI)
    county = serializers.CharField(max_length=3, required=False, allow_blank=True)
    country = serializers.CharField(max_length=2, required=False, allow_blank=True)
    city = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    duration_minutes = serializers.IntegerField(min_value=0, max_value=1440, default=0)
    follow_up_needed = serializers.BooleanField(default=False)


class CallListView(APIView):
    @extend_schema(responses={200: paged(CallOut)})
    def get(self, request):
        require(request.user, Action.HOTLINE_LOG)
        status = request.query_params.get("status", "")
        filters = selectors.CallFilters(status=status if status in CallStatus.values else "")
        return core_api.page_response(
            request, selectors.call_list_for_user(user=request.user, filters=filters), CallOut
        )

    @extend_schema(request=CallIn, responses={201: CallOut})
    def post(self, request):
        require(request.user, Action.HOTLINE_LOG)
        s = CallIn(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        county_id, country_id = _place_ids(d)
        call = services.call_log(
            actor=request.user,
            data=services.CallInput(
                caller_type=d["caller_type"],
                summary=d["summary"],
                call_at=d["call_at"],
                urgency=d["urgency"],
                language=d["language"],
                county_id=county_id,
                country_id=country_id,
                city=d["city"],
                duration_minutes=d["duration_minutes"],
                follow_up_needed=d["follow_up_needed"],
            ),
        )
        return Response(CallOut(call).data, status=201)


class CallDetailView(APIView):
    @extend_schema(responses={200: CallDetailOut})
    def get(self, request, public_id):
        require(request.user, Action.HOTLINE_LOG)
        call = selectors.call_get_for_user(user=request.user, public_id=public_id)
        texts = selectors.call_text_for_user(user=request.user, call=call)
        return Response({**CallOut(call).data, "text": texts})


class EscalateIn(serializers.Serializer):
    version = serializers.IntegerField(required=False)
    situation = serializers.ChoiceField(choices=Situation.choices, default=Situation.OTHER)


class CallEscalateView(APIView):
    @extend_schema(request=EscalateIn, responses={201: TipOut, 409: error(409)})
    def post(self, request, public_id):
        require(request.user, Action.HOTLINE_LOG)
        call = selectors.call_get_for_user(user=request.user, public_id=public_id)
        s = EscalateIn(data=request.data)
        s.is_valid(raise_exception=True)
        tip = services.call_escalate(
            actor=request.user,
            call=call,
            situation=s.validated_data["situation"],
            expected_version=s.validated_data.get("version"),
        )
        return Response(TipOut(tip).data, status=201)


# --- imports --------------------------------------------------------------------------------------------------


class ImportJobOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    agency = serializers.UUIDField(source="owning_agency.public_id")
    status = serializers.CharField()
    file_format = serializers.CharField()
    rows_total = serializers.IntegerField()
    rows_validated = serializers.IntegerField()
    rows_imported = serializers.IntegerField()
    possible_duplicates = serializers.IntegerField(help_text="Imported persons queued for duplicate review")
    percent = serializers.IntegerField()
    errors = serializers.ListField(child=serializers.DictField())
    case_references = serializers.ListField(child=serializers.CharField())
    failure = serializers.CharField()
    created_at = core_api.DateTimeField()
    finished_at = core_api.DateTimeField(allow_null=True)


class ImportIn(serializers.Serializer):
    file = serializers.FileField(
        help_text="The HTCDS v2.0 Excel template (.xlsx) or a CSV file with HTCDS column names; at most 8 MB"
    )


class ImportListView(APIView):
    @extend_schema(responses={200: paged(ImportJobOut)})
    def get(self, request):
        require(request.user, Action.CASE_IMPORT)
        return core_api.page_response(request, selectors.import_list_for_user(user=request.user), ImportJobOut)

    @extend_schema(request={"multipart/form-data": ImportIn}, responses={201: ImportJobOut})
    def post(self, request):
        """Upload a file to import for the user's agency, as the page does: a file that cannot be read (unknown
        columns, formula cells...) is refused with 400 and no job; otherwise the job (done, invalid with its
        row-level errors, or pending when it runs in the background)."""
        require(request.user, Action.CASE_IMPORT)
        s = ImportIn(data=request.data)
        s.is_valid(raise_exception=True)
        upload = s.validated_data["file"]
        if upload.size > importer.MAX_BYTES:
            raise ValidationFailed(
                _("The file is larger than 8 MB: split it."), fields={"file": [_("File too large.")]}
            )
        job = services.import_start(actor=request.user, file_name=upload.name or "", content=upload.read())
        return Response(ImportJobOut(job).data, status=201)


class ImportDetailView(APIView):
    @extend_schema(responses={200: ImportJobOut})
    def get(self, request, public_id):
        require(request.user, Action.CASE_IMPORT)
        return Response(ImportJobOut(selectors.import_get_for_user(user=request.user, public_id=public_id)).data)
