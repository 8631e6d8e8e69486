from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "ctip.people"
    label = "people"
    verbose_name = "Persons and identity vault"

    def ready(self):
        from ctip.audit import catalogue

        from . import events

        catalogue.register(events.PeopleEvent, subjects=events.SUBJECTS)  # audit event names
