"""The public job-offer check: no log-in. Mounted at /job-check/."""

from django.urls import path

from . import public

app_name = "job_check"

urlpatterns = [
    path("", public.check_page, name="page"),
]
