"""Rule sets of the job-offer risk check (versioned data, not code) and the counts of checks by risk level.

A rule set is drafted, sent for review, and published by another officer; only the published one answers
checks. A rule set that left the draft state is never changed again (a new version is drafted from it), so the
version an answer names always means the same rules. The checks themselves are not stored: only how many
answers of each level each rule-set version gave, per day and channel.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ctip.core.models import BaseModel

from .enums import Channel, Level, RuleSetStatus

TARGET = "jobcheck.ruleset"


class RuleSet(BaseModel):
    number = models.PositiveIntegerField(_("version"), unique=True)
    status = models.CharField(_("status"), max_length=20, choices=RuleSetStatus.choices, default=RuleSetStatus.DRAFT)
    source_text = models.TextField(_("rules (YAML)"))  # as the officer wrote it
    document = models.JSONField(_("rules"))  # the validated document (rules.validate)
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("based on")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("sent for review"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    review_note = models.CharField(_("reviewer's note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RuleSetStatus.values), name="jobcheck_ruleset_status"),
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="published"), name="jobcheck_one_published_ruleset"
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.number}"

    @property
    def editable(self) -> bool:
        return self.status == RuleSetStatus.DRAFT


class CheckTally(models.Model):
    """How many checks gave each risk level, per day, rule-set version and channel. Nothing about the offer or
    the person who checked it."""

    day = models.DateField(_("day"))
    rule_set_number = models.PositiveIntegerField(_("rule-set version"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    level = models.CharField(_("risk level"), max_length=10, choices=Level.choices)
    count = models.PositiveIntegerField(_("checks"), default=0)

    class Meta:
        verbose_name = _("count of checks")
        verbose_name_plural = _("counts of checks")
        constraints = [
            models.UniqueConstraint(fields=["day", "rule_set_number", "channel", "level"], name="jobcheck_tally_key")
        ]
