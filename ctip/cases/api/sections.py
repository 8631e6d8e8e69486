"""Case section API: screening, the trafficking-status decision, consent and follow-ups.

Each endpoint: input serializer -> service -> output serializer. Errors come out as {"code", "message", "fields"}
(ctip.core.api.exception_handler): 403 when the role lacks the action or the user sees the case but may not change
it, 404 when the user cannot see the case or (for a share) the section, 409 on a stale version. Sealed free text
(notes, reasons, names of guardians, outcomes) is write-only here.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ctip.accounts.roles import Action
from ctip.core import api as core_api
from ctip.core.errors import NotFound, ValidationFailed
from ctip.core.schema import error
from ctip.people.sealed import has_text
from ctip.reference.enums import IndicatorList

from .. import rationale, selectors, services
from ..enums import CaseSection, ConsentGiver, DecisionMakingOrg, TraffickingStatus
from ..selectors import sections as sq


def _case(request, public_id, section: str, action: Action = Action.CASE_VIEW):
    """Through `accounts.access.require`: 403 if the role lacks `action`; 404 if the case or the section is not
    visible; 403 if visible but the user may not do `action` on it."""
    return selectors.case_get_for_user(user=request.user, public_id=public_id, action=action, section=section)


# --- screening and decision -------------------------------------------------------------------------------------


class ScreeningIn(serializers.Serializer):
    indicator_list = serializers.ChoiceField(choices=IndicatorList.choices)
    indicators = serializers.ListField(child=serializers.CharField(max_length=20), allow_empty=True, max_length=200)
    screened_on = core_api.DateField()
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class RationaleOut(serializers.Serializer):
    code = serializers.CharField()
    params = serializers.DictField()
    text = serializers.CharField()


class ScreeningOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    indicator_list = serializers.CharField()
    indicators = serializers.SerializerMethodField()
    suggestion = serializers.CharField()
    rationale = serializers.SerializerMethodField()
    screened_on = serializers.DateField()
    screened_by = serializers.CharField(source="screened_by.username")

    def get_indicators(self, obj) -> list[str]:
        return sorted(i.code for i in obj.indicators.all())

    @extend_schema_field(RationaleOut(many=True))
    def get_rationale(self, obj) -> list[dict]:
        return [
            {"code": item.get("code", ""), "params": item.get("params") or {}, "text": rationale.render_item(item)}
            for item in obj.rationale or []
        ]


class ScreeningView(APIView):
    @extend_schema(
        request=ScreeningIn,
        responses={201: ScreeningOut},
        summary="Record a Delphi indicator screening; returns the suggested status and its rationale",
    )
    def post(self, request, public_id):
        case, _access = _case(request, public_id, CaseSection.STATUS, Action.CASE_SCREEN)
        ser = ScreeningIn(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        screening = services.screening_record(
            actor=request.user,
            case=case,
            indicator_list=d["indicator_list"],
            indicator_codes=d["indicators"],
            screened_on=d["screened_on"],
            notes=d["notes"],
        )
        return Response(ScreeningOut(screening).data, status=201)


class DecisionIn(serializers.Serializer):
    version = serializers.IntegerField(help_text="The case version you read (409 if it changed).")
    status = serializers.ChoiceField(choices=TraffickingStatus.choices)
    decision_org = serializers.ChoiceField(choices=DecisionMakingOrg.choices)
    decided_on = core_api.DateField()
    screening = serializers.UUIDField(required=False, allow_null=True, default=None)
    rationale = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class DecisionOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    status = serializers.CharField()
    decision_org = serializers.CharField()
    deciding_agency = serializers.UUIDField(source="deciding_agency.public_id")
    decided_on = serializers.DateField()
    screening = serializers.UUIDField(source="screening.public_id", allow_null=True, default=None)
    case_trafficking_status = serializers.CharField(source="case.trafficking_status")
    case_version = serializers.IntegerField(source="case.version")


class DecisionView(APIView):
    @extend_schema(
        request=DecisionIn,
        responses={201: DecisionOut, 409: error(409)},
        summary="Decide the trafficking status (history is kept; the latest decision is the case's status)",
    )
    def post(self, request, public_id):
        case, _access = _case(request, public_id, CaseSection.STATUS, Action.CASE_SCREEN)
        ser = DecisionIn(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        screening = None
        if d["screening"]:
            try:
                screening = sq.screening_get(case=case, public_id=d["screening"])
            except NotFound:
                raise ValidationFailed(fields={"screening": ["No such screening of this case."]}) from None
        decision = services.status_decide(
            actor=request.user,
            case=case,
            expected_version=d["version"],
            status=d["status"],
            decision_org=d["decision_org"],
            decided_on=d["decided_on"],
            screening=screening,
            rationale=d["rationale"],
        )
        decision.case.refresh_from_db(fields=["trafficking_status", "version"])
        return Response(DecisionOut(decision).data, status=201)


# --- consent -----------------------------------------------------------------------------------------------------


class ConsentIn(serializers.Serializer):
    given_by = serializers.ChoiceField(choices=ConsentGiver.choices)
    giver_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    given_on = core_api.DateField()
    purpose_explained = serializers.BooleanField(default=False)
    data_use = serializers.BooleanField(default=False)
    sharing = serializers.BooleanField(default=False)
    research_use = serializers.BooleanField(default=False)
    right_of_access = serializers.BooleanField(default=False)
    retention = serializers.BooleanField(default=False)
    withdrawal = serializers.BooleanField(default=False)


class ConsentOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    given_by = serializers.CharField()
    given_on = serializers.DateField()
    purpose_explained = serializers.BooleanField()
    data_use = serializers.BooleanField()
    sharing = serializers.BooleanField()
    research_use = serializers.BooleanField()
    right_of_access = serializers.BooleanField()
    retention = serializers.BooleanField()
    withdrawal = serializers.BooleanField()
    withdrawn_at = core_api.DateTimeField(allow_null=True)


class ConsentListOut(serializers.Serializer):
    in_force = serializers.UUIDField(allow_null=True)
    sharing_allowed = serializers.BooleanField()
    results = ConsentOut(many=True)


class ConsentView(APIView):
    @extend_schema(responses=ConsentListOut, summary="Consents of a case (the latest, unless withdrawn, is in force)")
    def get(self, request, public_id):
        case, _access = _case(request, public_id, CaseSection.CONSENT)
        active = services.active_consent(case)
        return Response(
            {
                "in_force": str(active.public_id) if active else None,
                "sharing_allowed": bool(active and active.sharing),
                "results": ConsentOut(sq.consents_for_case(case=case), many=True).data,
            }
        )

    @extend_schema(
        request=ConsentIn,
        responses={201: ConsentOut},
        summary="Record consent (HTCDS con_ checklist); for a child a guardian or children's officer gives it",
    )
    def post(self, request, public_id):
        case, _access = _case(request, public_id, CaseSection.CONSENT, Action.CASE_EDIT)
        ser = ConsentIn(data=request.data)
        ser.is_valid(raise_exception=True)
        consent = services.consent_record(actor=request.user, case=case, **ser.validated_data)
        return Response(ConsentOut(consent).data, status=201)


# --- follow-ups ----------------------------------------------------------------------------------------------------


class FollowUpIn(serializers.Serializer):
    due_on = core_api.DateField()
    purpose = serializers.CharField(max_length=200)
    assigned_to = serializers.UUIDField(help_text="Public id of an officer who can see the case.")


class FollowUpOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    due_on = serializers.DateField()
    purpose = serializers.CharField()
    assigned_to = serializers.UUIDField(source="assigned_to.public_id")
    assigned_to_username = serializers.CharField(source="assigned_to.username")
    done_at = core_api.DateTimeField(allow_null=True)
    has_outcome = serializers.SerializerMethodField()

    def get_has_outcome(self, obj) -> bool:
        return has_text(obj, "outcome")  # without opening it


class FollowUpDoneIn(serializers.Serializer):
    outcome = serializers.CharField(max_length=5000)


class FollowUpListView(APIView):
    @extend_schema(responses=FollowUpOut(many=True), summary="Follow-ups of a case (outcomes are not returned)")
    def get(self, request, public_id):
        case, _access = _case(request, public_id, CaseSection.FOLLOW_UPS)
        return Response(FollowUpOut(sq.follow_ups_for_case(case=case), many=True).data)

    @extend_schema(request=FollowUpIn, responses={201: FollowUpOut}, summary="Schedule a follow-up")
    def post(self, request, public_id):
        case, _access = _case(request, public_id, CaseSection.FOLLOW_UPS, Action.CASE_EDIT)
        ser = FollowUpIn(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        follow_up = services.followup_schedule(
            actor=request.user,
            case=case,
            due_on=d["due_on"],
            purpose=d["purpose"],
            assigned_to=sq.user_by_public_id(public_id=d["assigned_to"]),
        )
        return Response(FollowUpOut(follow_up).data, status=201)


class FollowUpDoneView(APIView):
    @extend_schema(
        request=FollowUpDoneIn,
        responses={200: FollowUpOut, 409: error(409, "This follow-up is already done (code invalid_transition).")},
        summary="Mark a follow-up done (case editors, or the officer it is assigned to)",
    )
    def post(self, request, public_id, follow_up_id):
        case, _access = _case(request, public_id, CaseSection.FOLLOW_UPS)
        follow_up = sq.follow_up_get(case=case, public_id=follow_up_id)
        ser = FollowUpDoneIn(data=request.data)
        ser.is_valid(raise_exception=True)
        follow_up = services.followup_done(
            actor=request.user, follow_up=follow_up, outcome=ser.validated_data["outcome"]
        )
        return Response(FollowUpOut(follow_up).data)
