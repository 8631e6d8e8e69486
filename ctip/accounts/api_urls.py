from django.urls import path

from . import api

urlpatterns = [
    path("me/", api.MeView.as_view(), name="api-me"),
    path("agencies/", api.AgencyListView.as_view(), name="api-agencies"),
    path("users/", api.UserListView.as_view(), name="api-users"),
    path("auth/token/", api.TokenObtainView.as_view(), name="api-token"),
]
