"""One export of a list (cases, referrals) with the filters the user had on screen."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.core.models import BaseModel
from ctip.people.sealed import SealedTextField

from .enums import ExportFormat, ExportKind, ExportStatus

TARGET = "exports.export"


class ExportJob(BaseModel):
    """Who asked for which list, filtered how, and the file: sealed at rest, for the requester only, blanked when it
    expires (EXPORT_KEEP_HOURS after it is written)."""

    kind = models.CharField(_("list"), max_length=20, choices=ExportKind.choices)
    file_format = models.CharField(_("format"), max_length=8, choices=ExportFormat.choices)
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    # the list's filter parameters as the page had them ([[name, value], ...]): statuses, dates, counties, numbers
    filters = models.JSONField(default=list, blank=True)
    include_names = models.BooleanField(_("names included"), default=False)
    language = models.CharField(max_length=10, default="en")
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    content = SealedTextField(blank=True)  # the file (base64 for XLSX), sealed; blanked on expiry
    failure = models.CharField(max_length=300, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ExportStatus.values), name="export_status_valid"),
            models.CheckConstraint(condition=Q(file_format__in=ExportFormat.values), name="export_format_valid"),
            models.CheckConstraint(condition=Q(kind__in=ExportKind.values), name="export_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"Export {str(self.public_id)[:8]}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED, ExportStatus.EXPIRED)

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return min(99, int(100 * self.rows_done / self.rows_total)) if self.rows_total else 0

    @property
    def file_name(self) -> str:
        day = timezone.localtime(self.created_at).strftime("%Y%m%d-%H%M")  # Nairobi time, as on the page
        return f"ctip-{self.kind.replace('_', '-')}-{day}.{self.file_format}"
