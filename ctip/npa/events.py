"""Audit event names written by the National Plan of Action app (ctip/audit/catalogue.py)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

SUBJECTS = {"npa": _("National Plan of Action")}


class NpaEvent(TextChoices):
    PLAN_CREATE = "npa.plan_create", _("Plan of action created")
    PLAN_UPDATE = "npa.plan_update", _("Plan of action changed")
    OBJECTIVE_SAVE = "npa.objective_save", _("Plan objective saved")
    ACTIVITY_SAVE = "npa.activity_save", _("Plan activity saved")
    INDICATOR_SAVE = "npa.indicator_save", _("Plan indicator saved")
    REPORT_CREATE = "npa.report_create", _("Progress report opened")
    REPORT_UPDATE = "npa.report_update", _("Progress report changed")
    PROGRESS_RECORD = "npa.progress_record", _("Progress on an activity reported")
    TRAINING_RECORD = "npa.training_record", _("Training session recorded")
    TRAINING_UPDATE = "npa.training_update", _("Training session changed")
    CAMPAIGN_RECORD = "npa.campaign_record", _("Awareness campaign recorded")
    CAMPAIGN_UPDATE = "npa.campaign_update", _("Awareness campaign changed")
    OVERVIEW_EXPORT = "npa.overview_export", _("Plan overview exported")
