from django.urls import path

from . import api

urlpatterns = [
    path("persons/", api.PersonListView.as_view(), name="api-persons"),
    path("persons/lookup/", api.PersonLookupView.as_view(), name="api-person-lookup"),
    path("persons/<uuid:public_id>/", api.PersonDetailView.as_view(), name="api-person"),
    path("persons/<uuid:public_id>/identity/", api.PersonIdentityView.as_view(), name="api-person-identity"),
]
