from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ctip.core.errors import PermissionDenied
from ctip.core.views_helpers import paginate

from . import selectors


class AuditEventOut(serializers.Serializer):
    seq = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor_label")
    agency_id = serializers.IntegerField(allow_null=True)
    action = serializers.CharField()
    target_type = serializers.CharField()
    target_id = serializers.CharField()
    ip = serializers.CharField(allow_null=True)
    channel = serializers.CharField()
    changes = serializers.JSONField()
    reason = serializers.CharField()
    hash = serializers.CharField()


class AuditEventListView(APIView):
    @extend_schema(responses=AuditEventOut(many=True), summary="Audit trail (auditors)")
    def get(self, request):
        if not request.user.can("audit.view"):
            raise PermissionDenied()
        qs = selectors.audit_events_for_user(
            user=request.user,
            target_id=request.query_params.get("record", ""),
            action=request.query_params.get("action", ""),
        )
        page = paginate(request._request, qs, per_page=100)
        return Response(
            {
                "results": AuditEventOut(page.object_list, many=True).data,
                "page": page.number,
                "has_next": page.has_next(),
            }
        )
