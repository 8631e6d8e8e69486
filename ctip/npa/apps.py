from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NpaConfig(AppConfig):
    name = "ctip.npa"
    label = "npa"
    verbose_name = _("National Plan of Action")

    def ready(self):
        from ctip.audit import catalogue

        from . import events

        catalogue.register(events.NpaEvent, subjects=events.SUBJECTS)  # audit event names
