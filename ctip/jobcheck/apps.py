from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobcheckConfig(AppConfig):
    name = "ctip.jobcheck"
    label = "jobcheck"
    verbose_name = _("Job-offer risk check")

    def ready(self):
        from ctip.audit import catalogue

        from . import events

        catalogue.register(events.JobcheckEvent, subjects=events.SUBJECTS)  # audit event names
