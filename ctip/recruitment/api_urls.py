from django.urls import path

from . import api, complaints_api

urlpatterns = [
    path("verify/", api.VerifyView.as_view(), name="api-recruitment-verify"),
    path("complaints/", complaints_api.QueueView.as_view(), name="api-complaints"),
    path("complaints/file/", complaints_api.PublicFileView.as_view(), name="api-complaint-file"),
    path("complaints/status/", complaints_api.PublicStatusView.as_view(), name="api-complaint-status"),
    path("complaints/<uuid:public_id>/", complaints_api.DetailView.as_view(), name="api-complaint"),
    path("complaints/<uuid:public_id>/review/", complaints_api.ReviewView.as_view(), name="api-complaint-review"),
    path("complaints/<uuid:public_id>/triage/", complaints_api.TriageView.as_view(), name="api-complaint-triage"),
]
