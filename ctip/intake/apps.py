from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "ctip.intake"
    label = "intake"
    verbose_name = _("Intake: tips, hotline calls and imports")

    def ready(self):
        from ctip.cases import timeline
        from ctip.people import sealed

        from . import models as m
        from . import services, tasks

        # Everything a reporter or caller said may name people: sealed with the vault; vault_rotate re-encrypts it.
        sealed.register(m.Tip, m.Tip.SEALED)
        sealed.register(m.HotlineCall, m.HotlineCall.SEALED)
        sealed.register(m.ImportJob, m.ImportJob.SEALED)
        timeline.register("case.from_intake", _("Registered from intake report %(reference)s."))
        # Large imports run in the background task; the services do not import the tasks (tasks import services).
        services.set_background_runner(tasks.run_import.enqueue)
