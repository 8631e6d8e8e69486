"""Documents and photos attached to a victim case (filed under one of its sections) or to a person.

The file itself is not in the database: it is encrypted with the vault keys (AES-256-GCM, bound to the
attachment's public id) and written under settings.CTIP_PRIVATE_FILES/attachments with a random name (storage.py).
The row keeps what lists need (category, type read from the content, size) and a sealed description; nothing
identifying is in a path, a URL or a file name. Removal is soft: `removed_at`, by whom and a sealed reason."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ctip.cases.enums import CaseSection
from ctip.core.models import BaseModel
from ctip.people.sealed import SealedTextField

from .enums import AttachmentCategory, FileKind


class Attachment(BaseModel):
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="attachments")
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    # The case section the file belongs to (who may see it follows the section); empty for a person's file.
    section = models.CharField(_("section"), max_length=20, choices=CaseSection.choices, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=AttachmentCategory.choices)
    content_type = models.CharField(_("file type"), max_length=80, choices=FileKind.choices)
    size = models.PositiveIntegerField(_("size (bytes)"))
    storage_name = models.CharField(max_length=64, unique=True, editable=False)  # random, under the private root
    key_id = models.CharField(max_length=16, editable=False)  # the vault key the file is encrypted with
    description = SealedTextField(_("description"), blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removal_reason = SealedTextField(_("reason for removal"), blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="attachment_one_owner",
                condition=(Q(case__isnull=False, person__isnull=True) & ~Q(section=""))
                | (Q(case__isnull=True, person__isnull=False) & Q(section="")),
            ),
            models.CheckConstraint(
                name="attachment_category_valid", condition=Q(category__in=AttachmentCategory.values)
            ),
            models.CheckConstraint(name="attachment_type_valid", condition=Q(content_type__in=FileKind.values)),
            models.CheckConstraint(name="attachment_section_valid", condition=Q(section__in=[*CaseSection.values, ""])),
        ]
        indexes = [
            models.Index(fields=["case", "-created_at"], name="attachment_case", condition=Q(removed_at=None)),
            models.Index(fields=["person", "-created_at"], name="attachment_person", condition=Q(removed_at=None)),
        ]

    def __str__(self) -> str:
        return f"attachment {self.public_id}"

    @property
    def removed(self) -> bool:
        return self.removed_at is not None

    @property
    def extension(self) -> str:
        from .enums import EXTENSIONS

        return EXTENSIONS[FileKind(self.content_type)][0]

    @property
    def download_name(self) -> str:
        """A safe generated file name: the category and a short opaque id, never the uploaded name."""
        return f"{self.category}-{str(self.public_id)[:8]}{self.extension}"
