"""Audit event names written by the attachments app (ctip/audit/catalogue.py)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

SUBJECTS = {"attachment": _("Attachments")}


class AttachmentEvent(TextChoices):
    ADD = "attachment.add", _("Attachment added")
    DOWNLOAD = "attachment.download", _("Attachment downloaded")
    REMOVE = "attachment.remove", _("Attachment removed")
    DESCRIPTIONS_READ = "attachment.read_descriptions", _("Attachment descriptions shown")
