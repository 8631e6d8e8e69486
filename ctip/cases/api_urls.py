from django.urls import path

from . import api
from .api_sections_urls import urlpatterns as section_patterns

urlpatterns = [
    path("cases/", api.CaseListView.as_view(), name="api-cases"),
    path("cases/<uuid:public_id>/", api.CaseDetailView.as_view(), name="api-case"),
    path("cases/<uuid:public_id>/status/", api.CaseStatusView.as_view(), name="api-case-status"),
]

urlpatterns += section_patterns
