from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Writing")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel (XLSX)")


class ExportKind(models.TextChoices):
    CASES = "cases", _("Case list")
    REFERRALS_IN = "referrals_in", _("Referrals received")
    REFERRALS_OUT = "referrals_out", _("Referrals sent")
    HTCDS = "htcds", _("HTCDS v2.0, de-identified (cases with research consent)")
    CTDC_K = "ctdc_k", _("CTDC 2024 schema, k-anonymised (cases with research consent)")
    CTDC_SYNTHETIC = "ctdc_synthetic", _("CTDC 2024 schema, differentially private synthetic data")
