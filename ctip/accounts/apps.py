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

        from django.db.models.signals import post_delete, post_save

        from ctip.reference import options_cache

        from .models import Agency

        # Agency pickers of filters are cached option lists too (ctip.reference.options_cache): a new, renamed or
        # deactivated agency renders them again.
        post_save.connect(options_cache.invalidate, sender=Agency, dispatch_uid="options-save-Agency")
        post_delete.connect(options_cache.invalidate, sender=Agency, dispatch_uid="options-del-Agency")

        from ctip.audit import lookups

        from . import selectors

        # The audit trail's agency filter lists agencies by name (the audit app imports no domain app).
        lookups.register_agency_choices(lambda: selectors.agency_list().values_list("pk", "name"))
