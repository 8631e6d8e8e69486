from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("ctdc/", views.ctdc, name="ctdc"),
    path("ctdc/load/", views.ctdc_upload, name="ctdc_upload"),
]
