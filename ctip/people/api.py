from __future__ import annotations

from datetime import date

from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ctip.accounts.roles import Action
from ctip.core import api as core_api
from ctip.core.errors import PermissionDenied
from ctip.core.schema import ErrorOut, error, paged

from . import selectors, services
from .enums import Gender, IdentifierKind, Sex
from .identity import IdentifierValue, Identity


class IdentifierSer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=IdentifierKind.choices)
    value = serializers.CharField(max_length=100)
    issuing_country = serializers.CharField(max_length=2, required=False, allow_blank=True, default="")


class IdentitySer(serializers.Serializer):
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    middle_names = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    aliases = serializers.ListField(child=serializers.CharField(max_length=100), required=False, default=list)
    date_of_birth = core_api.DateField(required=False, allow_null=True, default=None)
    birth_year = serializers.IntegerField(required=False, allow_null=True, default=None)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, allow_blank=True, default="")
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True, default="")
    citizenships = serializers.ListField(child=serializers.CharField(max_length=2), required=False, default=list)
    addresses = serializers.ListField(child=serializers.DictField(), required=False, default=list)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    identifiers = IdentifierSer(many=True, required=False, default=list)

    def to_identity(self) -> Identity:
        return self.identity_of(self.validated_data)

    @staticmethod
    def identity_of(d: dict) -> Identity:
        """The identity in validated data of this serializer (also when nested in another one)."""
        return Identity(
            first_name=d["first_name"],
            middle_names=d["middle_names"],
            last_name=d["last_name"],
            aliases=d["aliases"],
            date_of_birth=d["date_of_birth"],
            birth_year=d.get("birth_year"),
            sex=d["sex"],
            gender=d["gender"],
            citizenships=d["citizenships"],
            addresses=d["addresses"],
            notes=d["notes"],
            identifiers=[IdentifierValue(i["kind"], i["value"], i["issuing_country"]) for i in d["identifiers"]],
        )


class PersonCreateIn(IdentitySer):
    confirm_new_person = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Register even though CTIP proposed existing persons (after a 409 possible_duplicate).",
    )


class CandidateOut(serializers.Serializer):
    """An existing person who may be the one being registered: the name only when the user may see it."""

    person = serializers.UUIDField(source="person.public_id")
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())
    name = serializers.CharField()
    agency = serializers.CharField()


class PossibleDuplicateOut(ErrorOut):
    """409 possible_duplicate: the error shape plus the persons CTIP proposes."""

    code = serializers.ChoiceField(choices=[("possible_duplicate", "possible_duplicate")])
    candidates = CandidateOut(many=True)


def possible_duplicate_response(candidates, message: str, **extra) -> Response:
    """409 with the error shape and the candidates (shared by the person and case registration endpoints)."""
    return Response(
        {
            "code": "possible_duplicate",
            "message": message,
            "fields": {},
            "candidates": CandidateOut(candidates, many=True).data,
            **extra,
        },
        status=409,
    )


class IdentityUpdateSer(IdentitySer):
    version = serializers.IntegerField()


class PersonOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    owning_agency = serializers.UUIDField(source="owning_agency.public_id")
    created_at = core_api.DateTimeField()
    version = serializers.IntegerField()
    is_active = serializers.BooleanField()


class IdentityOut(serializers.Serializer):
    def to_representation(self, instance: Identity) -> dict:
        data = instance.as_dict()
        if isinstance(instance.date_of_birth, date):
            data["date_of_birth"] = instance.date_of_birth.isoformat()
        return data


class PersonListView(APIView):
    @extend_schema(responses=paged(PersonOut), summary="Persons the user may see (no identity)")
    def get(self, request):
        if not request.user.can(Action.PERSON_VIEW):
            raise PermissionDenied()  # as the HTML list does: a role without the registry is refused, not shown []
        return core_api.page_response(request, selectors.person_list_for_user(user=request.user), PersonOut)

    @extend_schema(
        request=PersonCreateIn,
        responses={
            201: PersonOut,
            409: OpenApiResponse(
                PossibleDuplicateOut,
                description="possible_duplicate: existing persons who may be the same; use one of them, or send "
                "confirm_new_person=true.",
            ),
        },
        summary="Register a person (409 possible_duplicate with candidates unless confirm_new_person)",
    )
    def post(self, request):
        if not request.user.can(Action.PERSON_CREATE):
            raise PermissionDenied()
        ser = PersonCreateIn(data=request.data)
        ser.is_valid(raise_exception=True)
        confirmed = ser.validated_data["confirm_new_person"]
        outcome = services.person_register_or_link(
            actor=request.user, choice=services.PersonChoice(identity=ser.to_identity(), confirm_new=confirmed)
        )
        if outcome.person is None:
            return possible_duplicate_response(
                outcome.candidates,
                gettext("Existing persons may be the same person: use one of them, or send confirm_new_person=true."),
            )
        return Response(PersonOut(outcome.person).data, status=201)


class PersonDetailView(APIView):
    @extend_schema(responses=PersonOut, summary="One person (no identity)")
    def get(self, request, public_id):
        person, _ = selectors.person_get_for_user(user=request.user, public_id=public_id)
        return Response(PersonOut(person).data)


class PersonIdentityView(APIView):
    @extend_schema(responses=IdentitySer, summary="A person's identity (the read is logged)")
    def get(self, request, public_id):
        person, _ = selectors.person_get_for_user(user=request.user, public_id=public_id)
        identity = selectors.person_identity_for_user(user=request.user, person=person, purpose="api")
        return Response(IdentityOut(identity).data)

    @extend_schema(
        request=IdentityUpdateSer,
        responses={200: PersonOut, 409: error(409)},
        summary="Replace a person's identity; send the version you read (409 if it changed)",
    )
    def put(self, request, public_id):
        person, _ = selectors.person_get_for_user(user=request.user, public_id=public_id, action=Action.PERSON_EDIT)
        ser = IdentityUpdateSer(data=request.data)
        ser.is_valid(raise_exception=True)
        person = services.person_update_identity(
            actor=request.user,
            person=person,
            identity=ser.to_identity(),
            expected_version=ser.validated_data["version"],
        )
        return Response(PersonOut(person).data)


class LookupIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=IdentifierKind.choices)
    value = serializers.CharField(max_length=120)


class PersonLookupView(APIView):
    @extend_schema(
        request=LookupIn,
        responses=PersonOut(many=True),
        summary="Exact look-up by identifier (blind index); logged",
    )
    def post(self, request):
        # POST, not GET: identifiers must not appear in URLs or access logs.
        ser = LookupIn(data=request.data)
        ser.is_valid(raise_exception=True)
        kind, value = ser.validated_data["kind"], ser.validated_data["value"]
        found = selectors.person_find_by_identifier(user=request.user, kind=kind, value=value)
        return Response(PersonOut(found, many=True).data)
