"""API URLs of the case sections; mount next to ctip.cases.api_urls under /api/v1/ (paths start with cases/)."""

from django.urls import path

from . import api_sections as api

urlpatterns = [
    path("cases/<uuid:public_id>/screening/", api.ScreeningView.as_view(), name="api-case-screening"),
    path("cases/<uuid:public_id>/decision/", api.DecisionView.as_view(), name="api-case-decision"),
    path("cases/<uuid:public_id>/consent/", api.ConsentView.as_view(), name="api-case-consent"),
    path("cases/<uuid:public_id>/follow-ups/", api.FollowUpListView.as_view(), name="api-case-follow-ups"),
    path(
        "cases/<uuid:public_id>/follow-ups/<uuid:follow_up_id>/done/",
        api.FollowUpDoneView.as_view(),
        name="api-case-follow-up-done",
    ),
]
