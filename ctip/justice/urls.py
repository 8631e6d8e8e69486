from django.urls import path

from . import views

app_name = "justice"

urlpatterns = [
    path("", views.index, name="index"),
    path("queue/", views.queue, name="queue"),
    path("figures/", views.figures, name="figures"),
    path("new/", views.open_file, name="open"),
    path("new/<uuid:case_id>/", views.open_from_case, name="open_from_case"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/edit/", views.edit, name="edit"),
    path("<uuid:public_id>/cases/", views.link_case, name="link_case"),
    path("<uuid:public_id>/suspects/person/", views.suspect_person, name="suspect_person"),
    path("<uuid:public_id>/suspects/organisation/", views.suspect_organisation, name="suspect_organisation"),
    path("<uuid:public_id>/offences/", views.offence_add, name="offence_add"),
    path("<uuid:public_id>/close/", views.close, name="close"),
    path("<uuid:public_id>/evidence/", views.evidence, name="evidence"),
    path("<uuid:public_id>/evidence/set/", views.evidence_set, name="evidence_set"),
    path("<uuid:public_id>/log/", views.log, name="log"),
    path("<uuid:public_id>/log/identifier/", views.identifier_add, name="identifier_add"),
    path("<uuid:public_id>/log/action/", views.action_add, name="action_add"),
    path("<uuid:public_id>/exchange/", views.exchange, name="exchange"),
    path("<uuid:public_id>/exchange/submit/", views.submit, name="submit"),
    path("<uuid:public_id>/exchange/advise/", views.advise, name="advise"),
    path("<uuid:public_id>/charge/", views.charge, name="charge"),
    path("<uuid:public_id>/charge/record/", views.charge_record, name="charge_record"),
    path("hearings/", views.hearings, name="hearings"),
    path("prosecutions/", views.prosecutions, name="prosecutions"),
    path("<uuid:public_id>/court/", views.court, name="court"),
    path("<uuid:public_id>/court/schedule/", views.court_schedule, name="court_schedule"),
    path("<uuid:public_id>/court/sittings/<uuid:event_id>/", views.court_sitting, name="court_sitting"),
    path("<uuid:public_id>/court/counts/<int:number>/plea/", views.court_plea, name="court_plea"),
    path("<uuid:public_id>/court/counts/<int:number>/outcome/", views.court_outcome, name="court_outcome"),
    path("<uuid:public_id>/court/restitution/", views.court_restitution, name="court_restitution"),
    path("<uuid:public_id>/court/forfeiture/", views.court_forfeiture, name="court_forfeiture"),
    path("<uuid:public_id>/court/appeals/", views.court_appeal, name="court_appeal"),
    path("<uuid:public_id>/court/appeals/<uuid:appeal_id>/", views.court_appeal_decide, name="court_appeal_decide"),
    path("<uuid:public_id>/witnesses/", views.witnesses, name="witnesses"),
    path("<uuid:public_id>/witnesses/add/", views.witness_add, name="witness_add"),
    path("<uuid:public_id>/witnesses/<int:number>/", views.witness_update, name="witness_update"),
]
