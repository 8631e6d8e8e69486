from django.urls import path

from .api import core, sections

urlpatterns = [
    path("cases/", core.CaseListView.as_view(), name="api-cases"),
    path("cases/<uuid:public_id>/", core.CaseDetailView.as_view(), name="api-case"),
    path("cases/<uuid:public_id>/status/", core.CaseStatusView.as_view(), name="api-case-status"),
    # NRM sections (api/sections.py)
    path("cases/<uuid:public_id>/screening/", sections.ScreeningView.as_view(), name="api-case-screening"),
    path("cases/<uuid:public_id>/decision/", sections.DecisionView.as_view(), name="api-case-decision"),
    path("cases/<uuid:public_id>/consent/", sections.ConsentView.as_view(), name="api-case-consent"),
    path("cases/<uuid:public_id>/follow-ups/", sections.FollowUpListView.as_view(), name="api-case-follow-ups"),
    path(
        "cases/<uuid:public_id>/follow-ups/<uuid:follow_up_id>/done/",
        sections.FollowUpDoneView.as_view(),
        name="api-case-follow-up-done",
    ),
]
