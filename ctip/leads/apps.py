from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    name = "ctip.leads"
    label = "leads"
    verbose_name = _("Investigation leads")

    def ready(self):
        from ctip.audit import catalogue
        from ctip.notifications import messages

        from . import events

        catalogue.register(events.LeadEvent, subjects=events.SUBJECTS)  # audit event names
        # Notification texts: a lead number, never anything about a person.
        messages.register("lead.received", _("A new investigation lead %(reference)s was sent to your unit."))
