"""URLs of the NRM sections of a case; included by ctip/cases/urls.py under app_name "cases"."""

from django.urls import path

from .views import sections

urlpatterns = [
    path("<uuid:public_id>/screening/", sections.screening, name="screening"),
    path("<uuid:public_id>/screening/decision/", sections.decision, name="decision"),
    path("<uuid:public_id>/non-punishment/", sections.non_punishment, name="non_punishment"),
    path("<uuid:public_id>/consent/", sections.consent, name="consent"),
    path("<uuid:public_id>/consent/<uuid:consent_id>/withdraw/", sections.consent_withdraw, name="consent_withdraw"),
    path("<uuid:public_id>/care/", sections.care, name="care"),
    path("<uuid:public_id>/care/needs/", sections.needs, name="needs"),
    path("<uuid:public_id>/care/plans/", sections.care_plan, name="care_plan"),
    path("<uuid:public_id>/care/plans/<uuid:plan_id>/end/", sections.care_plan_end, name="care_plan_end"),
    path("<uuid:public_id>/care/plans/<uuid:plan_id>/actions/", sections.care_action, name="care_action"),
    path("<uuid:public_id>/care/actions/<uuid:action_id>/done/", sections.care_action_done, name="care_action_done"),
    path("<uuid:public_id>/care/services/", sections.service, name="service"),
    path("<uuid:public_id>/return/", sections.return_home, name="return"),
    path("<uuid:public_id>/return/steps/", sections.repatriation, name="repatriation"),
    path("<uuid:public_id>/follow-ups/", sections.follow_ups, name="follow_ups"),
    path("<uuid:public_id>/follow-ups/<uuid:follow_up_id>/done/", sections.follow_up_done, name="follow_up_done"),
]
