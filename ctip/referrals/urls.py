from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("", views.referral_index, name="index"),
    path("inbox/", views.referral_inbox, name="inbox"),
    path("outbox/", views.referral_outbox, name="outbox"),
    path("overdue/", views.referral_overdue, name="overdue"),
    path("providers/", views.provider_list, name="providers"),
    path("providers/new/", views.provider_create, name="provider_create"),
    path("providers/<uuid:public_id>/", views.provider_detail, name="provider"),
    path("providers/<uuid:public_id>/edit/", views.provider_edit, name="provider_edit"),
    path("new/<uuid:case_id>/", views.referral_send, name="send"),
    path("<uuid:public_id>/", views.referral_detail, name="detail"),
    path("<uuid:public_id>/accept/", views.referral_accept, name="accept"),
    path("<uuid:public_id>/decline/", views.referral_decline, name="decline"),
    path("<uuid:public_id>/start/", views.referral_start, name="start"),
    path("<uuid:public_id>/complete/", views.referral_complete, name="complete"),
    path("<uuid:public_id>/revoke/", views.referral_revoke, name="revoke"),
]
