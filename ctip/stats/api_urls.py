from django.urls import path

from . import api

urlpatterns = [
    path("", api.DashboardListView.as_view(), name="api-stats"),
    path("<slug:slug>/", api.DashboardView.as_view(), name="api-stats-dashboard"),
]
