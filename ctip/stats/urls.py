from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("", views.index, name="index"),
    path("reports/", views.reports, name="reports"),
    path("reports/<uuid:public_id>/", views.report_detail, name="report"),
    path("reports/<uuid:public_id>/status/", views.report_status, name="report_status"),
    path("reports/<uuid:public_id>/report.<str:fmt>", views.report_download, name="report_download"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/export.<str:fmt>", views.export, name="export"),
]
