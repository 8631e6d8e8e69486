from django.urls import path

from .urls_sections import urlpatterns as sections_urlpatterns
from .views import core

app_name = "cases"

urlpatterns = [
    path("", core.case_list, name="list"),
    path("new/", core.case_create, name="create"),
    path("<uuid:public_id>/", core.case_detail, name="detail"),
    path("<uuid:public_id>/edit/", core.case_edit, name="edit"),
    path("<uuid:public_id>/timeline/", core.case_timeline, name="timeline"),
    path("<uuid:public_id>/status/", core.case_status, name="status"),
    path("<uuid:public_id>/assign/", core.case_assign, name="assign"),
    path("<uuid:public_id>/unassign/<uuid:user_id>/", core.case_unassign, name="unassign"),
]

urlpatterns += sections_urlpatterns
