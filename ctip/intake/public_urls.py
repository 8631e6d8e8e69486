"""Public pages: no log-in. Mounted at /report/."""

from django.urls import path

from . import views

app_name = "report"

urlpatterns = [
    path("", views.report_tip, name="tip"),
    path("status/", views.report_status, name="status"),
]
