from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from ctip.core import api as core_api
from ctip.core.errors import PermissionDenied
from ctip.core.schema import paged

from . import selectors


class AuditEventOut(serializers.Serializer):
    seq = serializers.IntegerField(allow_null=True)  # empty between the commit and the chaining (ADR 0010)
    occurred_at = core_api.DateTimeField()
    actor = serializers.CharField(source="actor_label")
    agency_id = serializers.IntegerField(allow_null=True)
    action = serializers.CharField()
    target_type = serializers.CharField()
    target_id = serializers.CharField()
    ip = serializers.CharField(allow_null=True)
    channel = serializers.CharField()
    changes = serializers.JSONField()
    reason = serializers.CharField()
    hash = serializers.CharField(allow_null=True)


class AuditEventListView(APIView):
    @extend_schema(
        responses=paged(AuditEventOut),
        summary="Audit trail (auditors)",
        parameters=[
            OpenApiParameter("record", str, description="Public id of the record the events are about"),
            OpenApiParameter("action", str, description="Event name, e.g. case.create"),
        ],
    )
    def get(self, request):
        if not request.user.can("audit.view"):
            raise PermissionDenied()
        qs = selectors.audit_events_for_user(
            user=request.user,
            target_id=request.query_params.get("record", ""),
            action=request.query_params.get("action", ""),
        )
        return core_api.page_response(request, qs, AuditEventOut, per_page=100)
