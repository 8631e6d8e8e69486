from django.urls import path

from .views import core, sections, summary

app_name = "cases"

urlpatterns = [
    path("", core.case_list, name="list"),
    path("new/", core.case_create, name="create"),
    path("caseload/", core.caseload, name="caseload"),
    path("<uuid:public_id>/", core.case_detail, name="detail"),
    path("<uuid:public_id>/edit/", core.case_edit, name="edit"),
    path("<uuid:public_id>/timeline/", core.case_timeline, name="timeline"),
    path("<uuid:public_id>/summary.pdf", summary.case_summary_pdf, name="summary_pdf"),
    path("<uuid:public_id>/status/", core.case_status, name="status"),
    path("<uuid:public_id>/assign/", core.case_assign, name="assign"),
    path("<uuid:public_id>/unassign/<uuid:user_id>/", core.case_unassign, name="unassign"),
    # NRM sections (views/sections.py)
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
