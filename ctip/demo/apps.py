from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ctip.demo"
    label = "demo"
    verbose_name = "Demo data"

    def ready(self):
        from ctip.audit import catalogue

        from . import events

        catalogue.register(events.DemoEvent, subjects=events.SUBJECTS)  # audit event names
