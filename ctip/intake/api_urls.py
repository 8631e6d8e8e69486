from django.urls import path

from . import api

urlpatterns = [
    path("public/tips/", api.PublicTipView.as_view(), name="api-intake-public-tip"),
    path("public/tips/status/", api.PublicStatusView.as_view(), name="api-intake-public-status"),
    path("tips/", api.TipListView.as_view(), name="api-intake-tips"),
    path("tips/<uuid:public_id>/", api.TipDetailView.as_view(), name="api-intake-tip"),
    path("tips/<uuid:public_id>/<str:action>/", api.TipActionView.as_view(), name="api-intake-tip-action"),
    path("calls/", api.CallListView.as_view(), name="api-intake-calls"),
    path("calls/<uuid:public_id>/", api.CallDetailView.as_view(), name="api-intake-call"),
    path("calls/<uuid:public_id>/escalate/", api.CallEscalateView.as_view(), name="api-intake-call-escalate"),
    path("imports/", api.ImportListView.as_view(), name="api-intake-imports"),
    path("imports/<uuid:public_id>/", api.ImportDetailView.as_view(), name="api-intake-import"),
]
