from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "ctip.intake"
    label = "intake"
    verbose_name = _("Intake: tips, hotline calls and imports")

    def ready(self):
        from ctip.cases import timeline

        from . import services, tasks

        timeline.register("case.from_intake", _("Registered from intake report %(reference)s."))

        from ctip.notifications import messages

        messages.register("tip.new", _("A new public tip is waiting for triage."))
        messages.register("tip.escalated_call", _("A hotline call was escalated to the triage queue."))
        # Large imports run in the background task; the services do not import the tasks (tasks import services).
        services.set_background_runner(tasks.run_import.enqueue)

        from ctip.audit import catalogue

        from . import events

        catalogue.register(events.IntakeEvent, subjects=events.SUBJECTS)  # audit event names

        from ctip.audit import lookups

        from . import selectors

        lookups.register_record_resolver(selectors.audit_ids_for_reference)  # tip and call references
