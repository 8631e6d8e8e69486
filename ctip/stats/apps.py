from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "ctip.stats"
    label = "stats"
    verbose_name = _("Statistics")

    def ready(self):
        from ctip.audit import catalogue

        from . import events

        catalogue.register(events.StatsEvent, subjects=events.SUBJECTS)  # audit event names
