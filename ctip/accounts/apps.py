from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ctip.accounts"
    label = "accounts"
    verbose_name = "Accounts and access"

    def ready(self):
        from ctip.audit import catalogue

        from . import events

        catalogue.register(events.AccountsEvent, subjects=events.SUBJECTS)  # audit event names

        from django.contrib.auth.signals import user_logged_in

        from .middleware import stamp_session_at_log_in

        user_logged_in.connect(stamp_session_at_log_in, dispatch_uid="accounts-session-activity")
