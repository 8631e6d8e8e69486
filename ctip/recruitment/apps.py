from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitmentConfig(AppConfig):
    name = "ctip.recruitment"
    label = "recruitment"
    verbose_name = _("Recruitment agencies")

    def ready(self):
        from ctip.audit import catalogue

        from . import events

        catalogue.register(events.RecruitmentEvent, subjects=events.SUBJECTS)  # audit event names
