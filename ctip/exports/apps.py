from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "ctip.exports"
    label = "exports"
    verbose_name = _("List exports")

    def ready(self):
        from ctip.audit import catalogue

        from . import events, services, tasks

        catalogue.register(events.ExportEvent, subjects=events.SUBJECTS)  # audit event names
        # Large exports run in the background task; the services do not import the tasks (tasks import services).
        services.set_background_runner(tasks.run_export.enqueue)
