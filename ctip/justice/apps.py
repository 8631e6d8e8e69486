from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JusticeConfig(AppConfig):
    name = "ctip.justice"
    label = "justice"
    verbose_name = _("Criminal justice")

    def ready(self):
        from ctip.audit import catalogue
        from ctip.notifications import messages

        from . import events

        catalogue.register(events.JusticeEvent, subjects=events.SUBJECTS)  # audit event names
        from ctip.audit import lookups

        from . import selectors

        lookups.register_record_resolver(selectors.audit_ids_for_reference)  # file numbers in the audit filter
        # Notification texts: a file number, never anything about a person.
        for kind, message in (
            ("investigation.submitted", _("Investigation file %(reference)s was submitted for your review.")),
            ("investigation.advised", _("The prosecutor advised on investigation file %(reference)s.")),
        ):
            messages.register(kind, message)
