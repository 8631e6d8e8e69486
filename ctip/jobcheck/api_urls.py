from django.urls import path

from . import api

urlpatterns = [
    path("check/", api.CheckView.as_view(), name="api-jobcheck-check"),
]
