from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("tips/", views.tip_list, name="tip_list"),
    path("tips/<uuid:public_id>/", views.tip_detail, name="tip_detail"),
    path("tips/<uuid:public_id>/review/", views.tip_review, name="tip_review"),
    path("tips/<uuid:public_id>/close/", views.tip_close, name="tip_close"),
    path("tips/<uuid:public_id>/message/", views.tip_message, name="tip_message"),
    path("tips/<uuid:public_id>/convert/", views.tip_convert, name="tip_convert"),
    path("calls/", views.call_list, name="call_list"),
    path("calls/new/", views.call_create, name="call_create"),
    path("calls/<uuid:public_id>/", views.call_detail, name="call_detail"),
    path("calls/<uuid:public_id>/escalate/", views.call_escalate, name="call_escalate"),
    path("calls/<uuid:public_id>/convert/", views.call_convert, name="call_convert"),
    path("import/", views.import_index, name="import_index"),
    path("import/sample.csv", views.import_sample, name="import_sample"),
    path("import/<uuid:public_id>/", views.import_status, name="import_status"),
    path("import/<uuid:public_id>/errors.csv", views.import_errors_csv, name="import_errors"),
]
