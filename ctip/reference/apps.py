from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "ctip.reference"
    label = "reference"
    verbose_name = "Reference data"

    def ready(self):
        from ctip.audit import catalogue

        from . import events

        catalogue.register(events.ReferenceEvent, subjects=events.SUBJECTS)  # audit event names
