from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "ctip.stats"
    label = "stats"
    verbose_name = _("Statistics")

    def ready(self):
        from ctip.audit import catalogue

        from . import events, services, tasks

        catalogue.register(events.StatsEvent, subjects=events.SUBJECTS)  # audit event names
        # The annual report is written in the background task; the services do not import the tasks.
        services.set_background_runner(tasks.run_report.enqueue)
