from django.urls import path

from . import api

urlpatterns = [
    path("counties/", api.CountyListView.as_view(), name="api-counties"),
    path("countries/", api.CountryListView.as_view(), name="api-countries"),
    path("htcds-values/", api.HtcdsValueListView.as_view(), name="api-htcds-values"),
    path("offences/", api.OffenceListView.as_view(), name="api-offences"),
    path("indicators/", api.IndicatorListView.as_view(), name="api-indicators"),
]
