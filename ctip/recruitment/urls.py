from django.urls import path

from . import views

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
]
