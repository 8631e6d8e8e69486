"""Public pages: no log-in. Mounted at /verify/."""

from django.urls import path

from . import complaints_views, public

app_name = "verify"

urlpatterns = [
    path("", public.verify_page, name="page"),
    path("sms/", public.sms_callback, name="sms"),
    path("complaint/", complaints_views.complaint_public, name="complaint"),
    path("complaint/status/", complaints_views.complaint_public_status, name="complaint_status"),
]
