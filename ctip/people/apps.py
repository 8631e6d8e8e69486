from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "ctip.people"
    label = "people"
    verbose_name = "Persons and identity vault"

    def ready(self):
        from ctip.audit import catalogue

        from . import events

        catalogue.register(events.PeopleEvent, subjects=events.SUBJECTS)  # audit event names

        from ctip.notifications import messages

        # Notification texts: a person's opaque reference, never a name.
        for kind, message in (
            (
                "person.confirm_request",
                _("Please confirm whether person %(reference)s is a duplicate of another record."),
            ),
            ("person.confirm_answer", _("The owning agency answered about person %(reference)s.")),
        ):
            messages.register(kind, message)
