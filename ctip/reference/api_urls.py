from django.urls import path

from . import api

urlpatterns = [
    path("counties/", api.CountyListView.as_view(), name="api-counties"),
    path("countries/", api.CountryListView.as_view(), name="api-countries"),
]
