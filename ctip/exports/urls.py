from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("", views.export_list, name="list"),
    path("start/", views.export_start, name="start"),
    path("<uuid:public_id>/", views.export_detail, name="detail"),
    path("<uuid:public_id>/status/", views.export_status, name="status"),
    path("<uuid:public_id>/download/", views.export_download, name="download"),
]
