from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class AttachmentCategory(TextChoices):
    PASSPORT_COPY = "passport_copy", _("Passport or ID copy")
    MEDICAL_REPORT = "medical_report", _("Medical report")
    STATEMENT = "statement", _("Statement")
    PHOTO = "photo", _("Photo")
    CONTRACT = "contract", _("Contract or job offer")
    OTHER = "other", _("Other document")


class FileKind(TextChoices):
    """What a file is, read from its content (never from its name or the browser's word): the MIME type."""

    PDF = "application/pdf", _("PDF document")
    JPEG = "image/jpeg", _("JPEG photo")
    PNG = "image/png", _("PNG image")
    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", _("Word document (DOCX)")


EXTENSIONS = {
    FileKind.PDF: (".pdf",),
    FileKind.JPEG: (".jpg", ".jpeg"),
    FileKind.PNG: (".png",),
    FileKind.DOCX: (".docx",),
}
