from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "ctip.cases"
    label = "cases"
    verbose_name = _("Victim cases")

    def ready(self):
        from ctip.audit import catalogue

        from . import events

        catalogue.register(events.CaseEvent, subjects=events.SUBJECTS)  # audit event names

        from ctip.audit import lookups

        from . import selectors

        lookups.register_record_resolver(selectors.audit_ids_for_reference)  # case numbers in the audit filter
