from django.urls import path

from . import views, views_duplicates

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("duplicates/", views_duplicates.duplicate_list, name="duplicates"),
    path("duplicates/<uuid:public_id>/", views_duplicates.duplicate_review, name="duplicate_review"),
    path("duplicates/<uuid:public_id>/ask/", views_duplicates.duplicate_ask_owner, name="duplicate_ask_owner"),
    path("confirmations/<uuid:public_id>/", views_duplicates.confirmation_answer, name="confirmation"),
    path("<uuid:public_id>/unmerge/", views_duplicates.person_unmerge, name="unmerge"),
    path("<uuid:public_id>/", views.person_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.person_edit, name="edit"),
    path("<uuid:public_id>/break-glass/", views.person_break_glass, name="break_glass"),
    path("<uuid:public_id>/photos/", views.person_photo_upload, name="photo_upload"),
    path("<uuid:public_id>/photos/<uuid:photo_id>/", views.person_photo, name="photo"),
]
