from django.urls import path

from . import views

app_name = "jobcheck"

urlpatterns = [
    path("", views.officer_check, name="check"),
    path("rules/", views.ruleset_list, name="rulesets"),
    path("rules/new/", views.ruleset_draft, name="ruleset_draft"),
    path("rules/<uuid:public_id>/", views.ruleset_detail, name="ruleset"),
    path("rules/<uuid:public_id>/edit/", views.ruleset_edit, name="ruleset_edit"),
    path("rules/<uuid:public_id>/submit/", views.ruleset_submit, name="ruleset_submit"),
    path("rules/<uuid:public_id>/publish/", views.ruleset_publish, name="ruleset_publish"),
    path("rules/<uuid:public_id>/return/", views.ruleset_return, name="ruleset_return"),
]
