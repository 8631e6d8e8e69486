"""Case API: list (filters as on the list page), detail, registration (with the existing-person check) and
status changes. Section endpoints (screening, consent, follow-ups) are in api/sections.py."""

from __future__ import annotations

from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ctip.accounts.roles import Action
from ctip.core import api as core_api
from ctip.core.errors import PermissionDenied, ValidationFailed
from ctip.core.schema import error, paged
from ctip.people.api import IdentitySer, PossibleDuplicateOut, possible_duplicate_response
from ctip.reference.selectors import country_list, county_list

from .. import selectors, services
from ..enums import HTCDS_CASE_FIELDS, CaseStatus, ClosureReason, EventType, IdentificationChannel


class CaseOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    reference = serializers.CharField()
    person = serializers.UUIDField(source="person.public_id")
    owning_agency = serializers.UUIDField(source="owning_agency.public_id")
    status = serializers.CharField()
    trafficking_status = serializers.CharField()
    identified_on = serializers.DateField()
    channel = serializers.CharField()
    identified_county = serializers.CharField(source="identified_county.code", allow_null=True, default=None)
    is_child = serializers.BooleanField()
    non_punishment = serializers.BooleanField(source="non_punishment_flag")
    is_abroad = serializers.BooleanField()
    is_foreign = serializers.BooleanField()
    retrafficked = serializers.BooleanField()
    version = serializers.IntegerField()


class EventSer(serializers.Serializer):
    event_type = serializers.ChoiceField(choices=EventType.choices)
    started_on = core_api.DateField(required=False, allow_null=True, default=None)
    ended_on = core_api.DateField(required=False, allow_null=True, default=None)
    county = serializers.CharField(max_length=3, required=False, allow_blank=True, default="")
    country = serializers.CharField(max_length=2, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class CaseIn(serializers.Serializer):
    person_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    person = IdentitySer(required=False, allow_null=True, default=None)
    confirm_new_person = serializers.BooleanField(default=False)
    link_token = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    identified_on = core_api.DateField()
    channel = serializers.ChoiceField(choices=IdentificationChannel.choices, default=IdentificationChannel.OFFICER)
    identified_county = serializers.CharField(max_length=3, required=False, allow_blank=True, default="")
    is_child = serializers.BooleanField(required=False, allow_null=True, default=None)
    narrative = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")
    htcds = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(max_length=80)), required=False, default=dict
    )
    events = EventSer(many=True, required=False, default=list)

    def validate(self, data):
        if bool(data.get("person_id")) == bool(data.get("person")):
            raise serializers.ValidationError({"person": "Give either person_id (a proposed person) or person."})
        return data


class CasePossibleDuplicateOut(PossibleDuplicateOut):
    link_token = serializers.CharField(
        help_text="Send it back with person_id to link the new case to one of the candidates (valid one hour)."
    )


class StatusIn(serializers.Serializer):
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    version = serializers.IntegerField()
    closure_reason = serializers.ChoiceField(
        choices=ClosureReason.choices, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


def _place_ids(county: str, country: str) -> tuple[int | None, int | None]:
    errors = {}
    county_id = country_id = None
    if county:
        county_id = county_list().filter(code=county).values_list("pk", flat=True).first()
        if county_id is None:
            errors["county"] = ["Unknown county code."]
    if country:
        country_id = country_list().filter(alpha2=country.upper()).values_list("pk", flat=True).first()
        if country_id is None:
            errors["country"] = ["Unknown country code."]
    if errors:
        raise ValidationFailed(fields=errors)
    return county_id, country_id


class CaseListView(APIView):
    @extend_schema(
        responses=paged(CaseOut),
        summary="Cases the user may see",
        parameters=[
            OpenApiParameter("status", str),
            OpenApiParameter("trafficking_status", str),
            OpenApiParameter("exploitation", str, description="HTCDS vic_TypeOfExploitation value"),
            OpenApiParameter("county", str, description="county code, e.g. 001"),
            OpenApiParameter("q", str, description="case number"),
        ],
    )
    def get(self, request):
        if not request.user.can(Action.CASE_VIEW):
            raise PermissionDenied()
        p = request.query_params
        county_id = _place_ids(p.get("county", ""), "")[0] if p.get("county") else None
        filters = selectors.CaseFilters(
            status=p.get("status", ""),
            trafficking_status=p.get("trafficking_status", ""),
            exploitation=p.get("exploitation", ""),
            county_id=county_id,
            text=p.get("q", ""),
        )
        return core_api.page_response(
            request,
            # the person's public id in the same query (not one query per row)
            selectors.case_list_for_user(user=request.user, filters=filters).select_related("person"),
            CaseOut,
        )

    @extend_schema(
        request=CaseIn,
        responses={
            201: CaseOut,
            409: OpenApiResponse(
                CasePossibleDuplicateOut,
                description="possible_duplicate: existing persons who may be the same; link one with person_id and "
                "link_token, or send confirm_new_person=true.",
            ),
        },
        summary="Register a potential victim. With `person`, existing persons who may be the same are returned "
        "with 409 unless confirm_new_person is true; then send person_id of the one to link, or confirm.",
    )
    def post(self, request):
        if not request.user.can(Action.CASE_CREATE):
            raise PermissionDenied()
        ser = CaseIn(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        fields = set(d["htcds"]) - set(HTCDS_CASE_FIELDS)
        if fields:
            raise ValidationFailed(fields={f"htcds.{f}": ["Unknown HTCDS field."] for f in sorted(fields)})
        county_id = _place_ids(d["identified_county"], "")[0]
        events = []
        for i, e in enumerate(d["events"]):
            try:
                ev_county, ev_country = _place_ids(e["county"], e["country"])
            except ValidationFailed as exc:
                raise ValidationFailed(fields={f"events.{i}.{k}": v for k, v in exc.fields.items()}) from exc
            events.append(
                services.EventInput(
                    event_type=e["event_type"],
                    started_on=e["started_on"],
                    ended_on=e["ended_on"],
                    county_id=ev_county,
                    country_id=ev_country,
                    city=e["city"],
                    description=e["description"],
                )
            )
        if d["person"] is not None:
            person = services.PersonChoice(
                identity=IdentitySer.identity_of(d["person"]), confirm_new=d["confirm_new_person"]
            )
        else:
            person = services.PersonChoice(link_person_id=str(d["person_id"]), link_token=d["link_token"])
        registration = services.case_register(
            actor=request.user,
            person=person,
            case=services.CaseInput(
                identified_on=d["identified_on"],
                channel=d["channel"],
                narrative=d["narrative"],
                htcds=d["htcds"],
                events=events,
                is_child=d["is_child"],
                fields={"identified_county_id": county_id},
            ),
        )
        if registration.case is None:
            return possible_duplicate_response(
                registration.candidates,
                gettext(
                    "Existing persons may be the same person: link one with person_id and "
                    "link_token, or send confirm_new_person=true."
                ),
                link_token=registration.link_token,
            )
        return Response(CaseOut(registration.case).data, status=201)


class CaseDetailView(APIView):
    @extend_schema(responses=CaseOut, summary="One case (no identity)")
    def get(self, request, public_id):
        case, _access = selectors.case_get_for_user(user=request.user, public_id=public_id)
        return Response(CaseOut(case).data)


class CaseStatusView(APIView):
    @extend_schema(
        request=StatusIn,
        responses={200: CaseOut, 409: error(409)},
        summary="Change the case status (409 on a stale version)",
    )
    def post(self, request, public_id):
        case, _access = selectors.case_get_for_user(user=request.user, public_id=public_id, action=Action.CASE_EDIT)
        ser = StatusIn(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        case = services.case_set_status(
            actor=request.user,
            case=case,
            status=d["status"],
            expected_version=d["version"],
            closure_reason=d["closure_reason"],
            note=d["note"],
        )
        return Response(CaseOut(case).data)
