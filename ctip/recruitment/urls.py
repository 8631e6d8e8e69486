from django.urls import path

from . import complaints_views, views

app_name = "recruitment"

urlpatterns = [
    path("", views.agency_list, name="list"),
    path("new/", views.agency_create, name="create"),
    path("import/", views.import_index, name="import"),
    path("import/<uuid:public_id>/", views.import_detail, name="import_detail"),
    path("import/<uuid:public_id>/report.csv", views.import_report, name="import_report"),
    path("<uuid:public_id>/", views.agency_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.agency_edit, name="edit"),
    path("<uuid:public_id>/status/", views.agency_status, name="status"),
    path("<uuid:public_id>/directors/new/", views.director_add, name="director_add"),
    path("<uuid:public_id>/job-orders/new/", views.job_order_add, name="job_order_add"),
    # Complaints, the agency risk profile and the watchlist (complaints_views.py).
    path("<uuid:public_id>/profile/", complaints_views.agency_profile, name="profile"),
    path("<uuid:public_id>/watch/", complaints_views.agency_watch, name="watch"),
    path("watchlist/", complaints_views.watchlist, name="watchlist"),
    path("complaints/", complaints_views.complaint_queue, name="complaints"),
    path("complaints/new/", complaints_views.complaint_file, name="complaint_file"),
    path("complaints/<uuid:public_id>/", complaints_views.complaint_detail, name="complaint"),
    path("complaints/<uuid:public_id>/review/", complaints_views.complaint_review, name="complaint_review"),
    path("complaints/<uuid:public_id>/triage/", complaints_views.complaint_triage, name="complaint_triage"),
    path(
        "complaints/<uuid:public_id>/evidence/", complaints_views.complaint_evidence_add, name="complaint_evidence_add"
    ),
    path(
        "complaints/<uuid:public_id>/evidence/<uuid:evidence_id>/",
        complaints_views.complaint_evidence,
        name="complaint_evidence",
    ),
    path("complaints/<uuid:public_id>/case/", complaints_views.complaint_case, name="complaint_case"),
]
