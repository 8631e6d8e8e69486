from django.urls import path

from . import api

urlpatterns = [
    path("", api.ReferralListView.as_view(), name="api-referrals"),
    path("providers/", api.ProviderListView.as_view(), name="api-referral-providers"),
    path("providers/<uuid:public_id>/", api.ProviderDetailView.as_view(), name="api-referral-provider"),
    path("<uuid:public_id>/", api.ReferralDetailView.as_view(), name="api-referral"),
    path(
        "<uuid:public_id>/<str:transition>/",
        api.ReferralTransitionView.as_view(),
        name="api-referral-transition",
    ),
]
