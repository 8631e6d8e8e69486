from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttachmentsConfig(AppConfig):
    name = "ctip.attachments"
    label = "attachments"
    verbose_name = _("Attachments")

    def ready(self):
        from ctip.audit import catalogue

        from . import events

        catalogue.register(events.AttachmentEvent, subjects=events.SUBJECTS)  # audit event names

        from ctip.people import panels, vault_stores

        from .person_panel import person_attachments_panel
        from .storage import AttachmentFileStore

        panels.register("attachments", person_attachments_panel)  # the attachments section of a person's page
        vault_stores.register("attachments", AttachmentFileStore())  # vault_rotate re-encrypts the files
