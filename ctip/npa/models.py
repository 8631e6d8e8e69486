"""The National Plan of Action (issue 14): plans -> objectives (by the 4P pillars) -> activities (with the
agencies responsible) -> indicators (baseline, target, actual: computed from CTIP data or entered with a source
note); progress reports per period with each activity's status; and the training sessions and awareness
campaigns agencies record, which feed the computed indicators.

Nothing here names a person: titles, narratives and notes describe the programme (the review workshops' reports
are public documents), and the forms say not to name victims. The figures that count victims or offenders are
computed by aggregate queries and published through ctip.core.disclosure (indicators.py)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ctip.accounts.enums import AgencyType
from ctip.core.models import BaseModel

from .enums import (
    ActivityStatus,
    CampaignChannel,
    IndicatorSource,
    Metric,
    Pillar,
    PlanStatus,
    ReportStatus,
    TrainingTopic,
)

PLAN = "npa.plan"
OBJECTIVE = "npa.objective"
ACTIVITY = "npa.activity"
INDICATOR = "npa.indicator"
REPORT = "npa.progressreport"
PROGRESS = "npa.activityprogress"
TRAINING = "npa.trainingsession"
CAMPAIGN = "npa.campaign"


class Plan(BaseModel):
    title = models.CharField(_("title"), max_length=200)
    start_date = models.DateField(_("starts on"))
    end_date = models.DateField(_("ends on"))
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    summary = models.TextField(_("summary"), blank=True, max_length=4000)

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = _("plan of action")
        verbose_name_plural = _("plans of action")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=PlanStatus.values), name="npa_plan_status"),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="npa_plan_period"),
        ]

    def __str__(self) -> str:
        return self.title


class Objective(BaseModel):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="objectives")
    pillar = models.CharField(_("pillar"), max_length=12, choices=Pillar.choices)
    number = models.CharField(_("number"), max_length=10)
    title = models.CharField(_("objective"), max_length=300)

    class Meta:
        ordering = ["number", "id"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        constraints = [
            models.CheckConstraint(condition=Q(pillar__in=Pillar.values), name="npa_objective_pillar"),
            models.UniqueConstraint(fields=["plan", "number"], name="npa_objective_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Activity(BaseModel):
    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="activities")
    number = models.CharField(_("number"), max_length=10)
    title = models.CharField(_("activity"), max_length=300)
    responsible_agencies = models.ManyToManyField(
        "accounts.Agency", related_name="+", verbose_name=_("responsible agencies"), blank=True
    )
    start_date = models.DateField(_("starts on"), null=True, blank=True)
    end_date = models.DateField(_("due by"), null=True, blank=True)
    # The status the latest progress report gave it (or the coordinator's).
    status = models.CharField(
        _("status"), max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.NOT_STARTED
    )

    class Meta:
        ordering = ["number", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ActivityStatus.values), name="npa_activity_status"),
            models.UniqueConstraint(fields=["objective", "number"], name="npa_activity_number_once"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="npa_activity_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Indicator(BaseModel):
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=300)
    source = models.CharField(_("source"), max_length=10, choices=IndicatorSource.choices)
    metric = models.CharField(_("computed from"), max_length=24, choices=Metric.choices, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    actual = models.DecimalField(_("actual (entered)"), max_digits=14, decimal_places=2, null=True, blank=True)
    source_note = models.CharField(_("source of the figure"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(condition=Q(source__in=IndicatorSource.values), name="npa_indicator_source"),
            models.CheckConstraint(
                condition=(Q(source=IndicatorSource.COMPUTED) & Q(metric__in=Metric.values))
                | (Q(source=IndicatorSource.ENTERED) & Q(metric="")),
                name="npa_indicator_metric",
            ),
            models.CheckConstraint(condition=Q(target__gte=0), name="npa_indicator_target_gte0"),
            models.CheckConstraint(
                condition=Q(baseline__isnull=True) | Q(baseline__gte=0), name="npa_indicator_baseline_gte0"
            ),
            models.CheckConstraint(
                condition=Q(actual__isnull=True) | Q(actual__gte=0), name="npa_indicator_actual_gte0"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProgressReport(BaseModel):
    """What a review workshop produced for one period: achievements, gaps, challenges, and each activity's
    status (ActivityProgress). Agencies add their activities' progress while it is open; adopted, it is final."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reports")
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    status = models.CharField(_("status"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    achievements = models.TextField(_("achievements"), blank=True, max_length=8000)
    gaps = models.TextField(_("gaps"), blank=True, max_length=8000)
    challenges = models.TextField(_("challenges"), blank=True, max_length=8000)

    class Meta:
        ordering = ["-period_end", "id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ReportStatus.values), name="npa_report_status"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="npa_report_period"),
        ]

    def __str__(self) -> str:
        return self.title


class ActivityProgress(BaseModel):
    report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="progress")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="progress")
    status = models.CharField(_("status"), max_length=12, choices=ActivityStatus.choices)
    note = models.CharField(_("what was done"), max_length=1000, blank=True)
    reporting_agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("progress on an activity")
        verbose_name_plural = _("progress on activities")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ActivityStatus.values), name="npa_progress_status"),
            models.UniqueConstraint(fields=["report", "activity"], name="npa_progress_once"),
        ]


class TrainingSession(BaseModel):
    owning_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("organising agency")
    )
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("curriculum"), max_length=20, choices=TrainingTopic.choices)
    held_on = models.DateField(_("date"))
    county = models.ForeignKey(
        "reference.County", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [models.CheckConstraint(condition=Q(topic__in=TrainingTopic.values), name="npa_training_topic")]
        indexes = [models.Index(fields=["owning_agency", "-held_on"], name="npa_training_agency")]

    def __str__(self) -> str:
        return self.title


class TrainingParticipants(models.Model):
    """How many women and men of one type of agency took part in a session."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="participants")
    agency_type = models.CharField(_("type of agency"), max_length=20, choices=AgencyType.choices)
    female = models.PositiveIntegerField(_("women"), default=0)
    male = models.PositiveIntegerField(_("men"), default=0)

    class Meta:
        ordering = ["agency_type"]
        constraints = [
            models.CheckConstraint(condition=Q(agency_type__in=AgencyType.values), name="npa_participants_type"),
            models.UniqueConstraint(fields=["session", "agency_type"], name="npa_participants_once"),
        ]


class Campaign(BaseModel):
    owning_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("organising agency")
    )
    title = models.CharField(_("title"), max_length=200)
    channel = models.CharField(_("channel"), max_length=20, choices=CampaignChannel.choices)
    county = models.ForeignKey(
        "reference.County", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    reach = models.PositiveIntegerField(_("people reached"))

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("awareness campaign")
        verbose_name_plural = _("awareness campaigns")
        constraints = [
            models.CheckConstraint(condition=Q(channel__in=CampaignChannel.values), name="npa_campaign_channel"),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="npa_campaign_period"),
        ]
        indexes = [models.Index(fields=["owning_agency", "-start_date"], name="npa_campaign_agency")]

    def __str__(self) -> str:
        return self.title
