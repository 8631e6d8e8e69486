from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ctip.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self):
        from django.core import checks

        from . import catalogue, events

        catalogue.register(events.AuditTrailEvent, subjects=events.SUBJECTS)
        checks.register(catalogue.system_check)
