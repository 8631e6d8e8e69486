from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "ctip.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from ctip.accounts import request_user, security_events

        from . import messages, selectors
        from .services import notify_security_event

        # Changes to a user's own second factor: the user is told in CTIP (and by e-mail when configured), so a
        # change they did not make does not go unnoticed.
        for kind, message in (
            (
                "account.mfa_enrolled",
                _(
                    "Two-factor authentication was set up on your account. If this was not you, tell your "
                    "administrator at once."
                ),
            ),
            (
                "account.mfa_replaced",
                _(
                    "The authenticator device of your account was replaced. If this was not you, tell your "
                    "administrator at once."
                ),
            ),
        ):
            messages.register(kind, message)
        security_events.register(notify_security_event)
        # The unread count of the page header, read with the request's user (one query for both).
        request_user.register_annotation(selectors.UNREAD_ANNOTATION, selectors.unread_count_expression)
