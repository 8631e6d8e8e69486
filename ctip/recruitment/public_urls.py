"""Public pages: no log-in. Mounted at /verify/."""

from django.urls import path

from . import public

app_name = "verify"

urlpatterns = [
    path("", public.verify_page, name="page"),
    path("sms/", public.sms_callback, name="sms"),
]
