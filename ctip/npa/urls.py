from django.urls import path

from . import views

app_name = "npa"

urlpatterns = [
    path("", views.index, name="index"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<uuid:public_id>/", views.plan, name="plan"),
    path("plans/<uuid:public_id>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<uuid:public_id>/xlsx/", views.plan_xlsx, name="plan_xlsx"),
    path("plans/<uuid:public_id>/objectives/new/", views.objective_new, name="objective_new"),
    path("plans/<uuid:public_id>/reports/new/", views.report_new, name="report_new"),
    path("objectives/<uuid:public_id>/edit/", views.objective_edit, name="objective_edit"),
    path("objectives/<uuid:public_id>/activities/new/", views.activity_new, name="activity_new"),
    path("activities/<uuid:public_id>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<uuid:public_id>/indicators/new/", views.indicator_new, name="indicator_new"),
    path("indicators/<uuid:public_id>/edit/", views.indicator_edit, name="indicator_edit"),
    path("reports/<uuid:public_id>/", views.report, name="report"),
    path("reports/<uuid:public_id>/edit/", views.report_edit, name="report_edit"),
    path("reports/<uuid:public_id>/activities/<uuid:activity_id>/", views.progress, name="progress"),
    path("trainings/", views.trainings, name="trainings"),
    path("trainings/new/", views.training_new, name="training_new"),
    path("trainings/<uuid:public_id>/", views.training_edit, name="training_edit"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<uuid:public_id>/", views.campaign_edit, name="campaign_edit"),
]
