"""The statistics module's own records: Kenya's population (the reference the SDG 16.2.2 rates divide by) and the
annual reports generated in the background.

A report holds published figures only (suppressed and rounded, ctip.stats.tables): no name, no record id, no
exact small count. Its files are kept in the database, served only through the audited download of a user with
statistics access, and blanked when they expire (CTIP_REPORT_KEEP_DAYS)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.core.models import BaseModel

TARGET = "stats.report"


class PopulationSex(models.TextChoices):
    TOTAL = "total", _("Total")
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    INTERSEX = "intersex", _("Intersex")


class Population(models.Model):
    """Kenya's population from a census or projection: one row per sex and age group ("all" = every age).
    The SDG 16.2.2 rates of a report use the latest reference year not after the report's end."""

    reference_year = models.PositiveSmallIntegerField(_("reference year"))
    sex = models.CharField(_("sex"), max_length=10, choices=PopulationSex.choices)
    age_group = models.CharField(_("age group"), max_length=10, default="all")  # "all", "0-17", "18+"
    count = models.PositiveBigIntegerField(_("population"))
    source = models.CharField(_("source"), max_length=200)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["-reference_year", "sex", "age_group"]
        constraints = [
            models.UniqueConstraint(fields=["reference_year", "sex", "age_group"], name="population_once"),
            models.CheckConstraint(condition=Q(sex__in=PopulationSex.values), name="population_sex_valid"),
        ]
        verbose_name = _("population figure")

    def __str__(self) -> str:
        return f"{self.reference_year} {self.sex} {self.age_group}: {self.count}"


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class AnnualReport(BaseModel):
    """One generation of the annual report for a date range: its parameters (recorded so it can be reproduced),
    progress, the published figures it holds (JSON) and its PDF and XLSX files."""

    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("until"))
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.PENDING)
    small_cell = models.PositiveSmallIntegerField(_("suppression threshold"))
    rounding = models.PositiveSmallIntegerField(_("rounding base"), default=10)
    # everything the numbers depend on: dates, threshold, rounding, population reference, code version
    parameters = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=10, default="en")
    steps_total = models.PositiveSmallIntegerField(default=0)
    steps_done = models.PositiveSmallIntegerField(default=0)
    sections = models.JSONField(default=list, blank=True)  # the published tables, as written in the files
    pdf = models.BinaryField(blank=True, default=b"")
    xlsx = models.BinaryField(blank=True, default=b"")
    failure = models.CharField(max_length=300, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ReportStatus.values), name="report_status_valid"),
            models.CheckConstraint(condition=Q(date_from__lte=models.F("date_to")), name="report_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"Annual report {self.date_from}..{self.date_to}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ReportStatus.DONE, ReportStatus.FAILED, ReportStatus.EXPIRED)

    @property
    def percent(self) -> int:
        if self.status == ReportStatus.DONE:
            return 100
        return min(99, int(100 * self.steps_done / self.steps_total)) if self.steps_total else 0

    def file_name(self, fmt: str) -> str:
        return f"ctip-annual-report-{self.date_from:%Y%m%d}-{self.date_to:%Y%m%d}.{fmt}"
