from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ctip.accounts"
    label = "accounts"
    verbose_name = "Accounts and access"

    def ready(self):
        from ctip.audit import catalogue

        from . import events

        catalogue.register(events.AccountsEvent, subjects=events.SUBJECTS)  # audit event names
