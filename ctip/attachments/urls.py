from django.urls import path

from . import views

app_name = "attachments"

urlpatterns = [
    path("case/<uuid:case_id>/", views.case_attachments, name="case"),
    path("person/<uuid:person_id>/", views.person_upload, name="person_upload"),
    path("<uuid:attachment_id>/download/", views.download, name="download"),
    path("<uuid:attachment_id>/remove/", views.remove, name="remove"),
]
