from django.urls import path

from . import views

app_name = "leads"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.lead_new, name="new"),
    path("from-tip/<uuid:tip_id>/", views.from_tip, name="from_tip"),
    path("from-case/<uuid:case_id>/", views.from_case, name="from_case"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/accept/", views.accept, name="accept"),
    path("<uuid:public_id>/join/", views.join, name="join"),
    path("<uuid:public_id>/decline/", views.decline, name="decline"),
]
