"""The complaints API (issue 12), under /api/v1/recruitment/complaints/.

Public (no log-in, rate-limited per client as the pages are, refusals logged without the address):
- POST complaints/file/: file a complaint (JSON, or multipart with `evidence` files); the answer is the reference
  and the PIN, shown once, and nothing internal (no id);
- POST complaints/status/: the status of a complaint by reference and PIN (in the body, never in a URL).

Officers (log-in; every check through accounts.access via the complaints selectors and services):
- GET complaints/: the triage queue (complaint.view), one page of 50;
- GET complaints/<id>/: one complaint with its sealed text (the read audited, as on the page);
- POST complaints/<id>/review/ and complaints/<id>/triage/ (complaint.triage, the version read: a stale one gets
  409 conflict).

Errors are {"code", "message", "fields"} (ctip.core.api.exception_handler).
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from ctip.accounts.roles import Action
from ctip.core import api as core_api
from ctip.core import ratelimit
from ctip.core.api import error_body
from ctip.core.errors import ErrorCode, ValidationFailed
from ctip.core.schema import error, paged
from ctip.reference.selectors import country_list

from . import complaints_selectors as cselectors
from . import complaints_services as cservices
from . import evidence as evidence_files
from .complaints_views import STATUS_LIMIT, STATUS_REF_LIMIT, SUBMIT_LIMIT, too_many
from .enums import TRIAGE_OUTCOMES, AgainstKind, ComplaintActionKind, ComplaintStatus, Whereabouts

LANGUAGES = [("en", "en"), ("sw", "sw")]


def _limited(limit: ratelimit.Limit, key: str, scope: str) -> Response | None:
    if ratelimit.allow(limit, key):
        return None
    too_many(scope)
    return Response(error_body(ErrorCode.RATE_LIMITED, ErrorCode.RATE_LIMITED.label), status=429)


# --- public -----------------------------------------------------------------------------------------------------


class ComplaintIn(serializers.Serializer):
    against_kind = serializers.ChoiceField(choices=AgainstKind.choices)
    agency_licence = serializers.CharField(
        max_length=40, required=False, default="", allow_blank=True, help_text="The agency's NEA licence number"
    )
    against_name = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    amount_paid = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )
    paid_to_numbers = serializers.ListField(
        child=serializers.CharField(max_length=30), max_length=10, required=False, default=list
    )
    transaction_codes = serializers.ListField(
        child=serializers.CharField(max_length=20), max_length=20, required=False, default=list
    )
    job_promised = serializers.CharField(max_length=120, required=False, default="", allow_blank=True)
    destination_country = serializers.CharField(
        max_length=2, required=False, default="", allow_blank=True, help_text="ISO 3166 alpha-2"
    )
    whereabouts = serializers.ChoiceField(choices=Whereabouts.choices)
    current_country = serializers.CharField(
        max_length=2, required=False, default="", allow_blank=True, help_text="ISO 3166 alpha-2"
    )
    description = serializers.CharField(max_length=5000)
    contact = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True, help_text="Optional: anonymous if empty"
    )
    language = serializers.ChoiceField(choices=LANGUAGES, required=False, default="en")
    evidence = serializers.ListField(
        child=serializers.FileField(),
        max_length=evidence_files.MAX_FILES,
        required=False,
        default=list,
        help_text="Multipart only: JPEG, PNG or PDF, at most 5 files of 5 MB",
    )

    def to_input(self) -> cservices.ComplaintInput:
        d = self.validated_data
        codes = {c.upper() for c in (d["destination_country"], d["current_country"]) if c}
        ids = dict(country_list().filter(alpha2__in=codes).values_list("alpha2", "pk"))
        errors = {}
        for name in ("destination_country", "current_country"):
            if d[name] and d[name].upper() not in ids:
                errors[name] = [_("Choose a country from the list.")]
        if errors:
            raise ValidationFailed(fields=errors)
        amount = d["amount_paid"]
        return cservices.ComplaintInput(
            whereabouts=d["whereabouts"],
            description=d["description"],
            against_kind=d["against_kind"],
            agency_licence=d["agency_licence"],
            against_name=d["against_name"],
            amount_paid_cents=None if amount is None else int((amount * 100).to_integral_value()),
            paid_to_numbers=d["paid_to_numbers"],
            transaction_codes=d["transaction_codes"],
            job_promised=d["job_promised"],
            destination_country_id=ids.get(d["destination_country"].upper()),
            current_country_id=ids.get(d["current_country"].upper()),
            contact=d["contact"],
            language=d["language"],
        )

    def uploads(self) -> list[evidence_files.Upload]:
        out = []
        for f in self.validated_data["evidence"]:
            if f.size > evidence_files.MAX_BYTES:
                raise ValidationFailed(fields={"evidence": [_("Each file may be at most 5 MB.")]})
            out.append(evidence_files.Upload(content=f.read(), name=f.name or ""))
        return out


class FiledOut(serializers.Serializer):
    reference = serializers.CharField()
    pin = serializers.CharField(help_text="Shown once: only a hash is kept")


class ComplaintStatusIn(serializers.Serializer):
    reference = serializers.CharField(max_length=30)
    pin = serializers.CharField(max_length=10)
    language = serializers.ChoiceField(choices=LANGUAGES, required=False, default="en")


class ComplaintStatusOut(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=ComplaintStatus.choices)
    status_label = serializers.CharField()
    explanation = serializers.CharField()
    submitted_on = core_api.DateTimeField()
    updated_on = core_api.DateTimeField()


class PublicFileView(APIView):
    """File a complaint about a recruitment agency or agent, without logging in (anonymous allowed)."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        operation_id="v1_recruitment_complaints_file",
        request=ComplaintIn,
        responses={201: FiledOut, 400: error(400), 429: error(429)},
        auth=[],
        summary="File a complaint (public): the reference and PIN to follow it",
    )
    def post(self, request):
        limited = _limited(SUBMIT_LIMIT, ratelimit.client_key(request), "complaint api submit")
        if limited is not None:
            return limited
        s = ComplaintIn(data=request.data)
        s.is_valid(raise_exception=True)
        with translation.override(s.validated_data["language"]):
            complaint, pin = cservices.complaint_submit(actor=None, data=s.to_input(), uploads=s.uploads())
        return Response(FiledOut({"reference": complaint.reference, "pin": pin}).data, status=201)


class PublicStatusView(APIView):
    """The status of a complaint, by its reference and PIN (no log-in)."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="v1_recruitment_complaints_status",
        request=ComplaintStatusIn,
        responses={200: ComplaintStatusOut, 400: error(400), 404: error(404, "No complaint matches"), 429: error(429)},
        auth=[],
        summary="Follow a complaint (public) by reference and PIN",
    )
    def post(self, request):
        s = ComplaintStatusIn(data=request.data)
        s.is_valid(raise_exception=True)
        ref_key = ratelimit.value_key(cselectors.normalize_reference(s.validated_data["reference"]))
        for limit, key in ((STATUS_LIMIT, ratelimit.client_key(request)), (STATUS_REF_LIMIT, ref_key)):
            limited = _limited(limit, key, "complaint api status")
            if limited is not None:
                return limited
        with translation.override(s.validated_data["language"]):
            result = cselectors.complaint_public_status(
                reference=s.validated_data["reference"], pin=s.validated_data["pin"]
            )
            return Response(ComplaintStatusOut(result).data)


# --- officers ---------------------------------------------------------------------------------------------------


class AgencyRefOut(serializers.Serializer):
    name = serializers.CharField(source="legal_name")
    licence_number = serializers.CharField()
    status = serializers.CharField()


class ComplaintRowOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=ComplaintStatus.choices)
    source = serializers.CharField()
    against_kind = serializers.ChoiceField(choices=AgainstKind.choices)
    agency = AgencyRefOut(allow_null=True)
    whereabouts = serializers.ChoiceField(choices=Whereabouts.choices)
    in_distress = serializers.BooleanField()
    current_country = serializers.CharField(source="current_country.alpha2", allow_null=True)
    amount_paid_ksh = serializers.CharField(source="amount_ksh")
    evidence_count = serializers.IntegerField()
    lead_reference = serializers.CharField()
    created_at = core_api.DateTimeField()
    status_changed_at = core_api.DateTimeField()
    version = serializers.IntegerField()


class ActionOut(serializers.Serializer):
    step = serializers.ChoiceField(choices=ComplaintActionKind.choices, help_text="What was done")
    at = core_api.DateTimeField()
    note = serializers.CharField()


class ComplaintOut(ComplaintRowOut):
    against_name = serializers.CharField()
    paid_to_numbers = serializers.CharField()
    transaction_codes = serializers.CharField()
    job_promised = serializers.CharField()
    destination_country = serializers.CharField(source="destination_country.alpha2", allow_null=True)
    description = serializers.CharField()
    contact = serializers.CharField()
    decided_at = core_api.DateTimeField(allow_null=True)
    actions = ActionOut(many=True)


def _detail(user, complaint) -> dict:
    detail = cselectors.complaint_detail_for_user(user=user, complaint=complaint)
    data = ComplaintRowOut(complaint).data
    data.update(
        against_name=detail.text.against_name,
        paid_to_numbers=detail.text.paid_to_numbers,
        transaction_codes=detail.text.transaction_codes,
        job_promised=complaint.job_promised,
        destination_country=complaint.destination_country.alpha2 if complaint.destination_country else None,
        description=detail.text.description,
        contact=detail.text.contact,
        decided_at=core_api.DateTimeField().to_representation(complaint.decided_at),
        actions=[
            {"step": a.kind, "at": core_api.DateTimeField().to_representation(a.at), "note": detail.text.notes[a.pk]}
            for a in detail.actions
        ],
    )
    return data


class QueueView(APIView):
    @extend_schema(
        operation_id="v1_recruitment_complaints_list",
        parameters=[
            OpenApiParameter("status", str, enum=["open", "all", *ComplaintStatus.values]),
            OpenApiParameter("distress", bool),
        ],
        responses=paged(ComplaintRowOut),
        summary="The complaints queue (newest first)",
    )
    def get(self, request):
        status = request.query_params.get("status", "open")
        if status not in ("open", "all", *ComplaintStatus.values):
            raise ValidationFailed(fields={"status": [_("Use open, all or a complaint status.")]})
        filters = cselectors.ComplaintFilters(
            status="" if status == "all" else status,
            distress=request.query_params.get("distress", "") in ("1", "true", "yes"),
        )
        qs = cselectors.complaint_queue_for_user(user=request.user, filters=filters)
        return core_api.page_response(request, qs, ComplaintRowOut)


class DetailView(APIView):
    @extend_schema(
        operation_id="v1_recruitment_complaints_retrieve",
        responses=ComplaintOut,
        summary="One complaint, with its text (the read is audited)",
    )
    def get(self, request, public_id):
        complaint = cselectors.complaint_get_for_user(user=request.user, public_id=public_id)
        return Response(_detail(request.user, complaint))


class VersionIn(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)


class TriageIn(VersionIn):
    outcome = serializers.ChoiceField(choices=[(k, k) for k in TRIAGE_OUTCOMES])
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    effective_on = core_api.DateField(required=False, allow_null=True, default=None)


CONFLICT = error(409, "The complaint changed since it was read (code conflict) or was already decided.")


class ReviewView(APIView):
    @extend_schema(
        operation_id="v1_recruitment_complaints_review",
        request=VersionIn,
        responses={200: ComplaintOut, 409: CONFLICT},
        summary="Start the review of a new complaint",
    )
    def post(self, request, public_id):
        complaint = cselectors.complaint_get_for_user(
            user=request.user, public_id=public_id, action=Action.COMPLAINT_TRIAGE
        )
        s = VersionIn(data=request.data)
        s.is_valid(raise_exception=True)
        cservices.complaint_start_review(
            actor=request.user, complaint=complaint, expected_version=s.validated_data["version"]
        )
        complaint = cselectors.complaint_get_for_user(user=request.user, public_id=public_id)
        return Response(_detail(request.user, complaint))


class TriageView(APIView):
    @extend_schema(
        operation_id="v1_recruitment_complaints_triage",
        request=TriageIn,
        responses={200: ComplaintOut, 409: CONFLICT},
        summary="Decide a complaint: warning, suspension, deregistration, referral to the DCI (a lead), no action",
    )
    def post(self, request, public_id):
        complaint = cselectors.complaint_get_for_user(
            user=request.user, public_id=public_id, action=Action.COMPLAINT_TRIAGE
        )
        s = TriageIn(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        cservices.complaint_triage(
            actor=request.user,
            complaint=complaint,
            decision=cservices.TriageDecision(outcome=d["outcome"], note=d["note"], effective_on=d["effective_on"]),
            expected_version=d["version"],
        )
        complaint = cselectors.complaint_get_for_user(user=request.user, public_id=public_id)
        return Response(_detail(request.user, complaint))
