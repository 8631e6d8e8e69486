"""Value sets of the National Plan of Action. The database has a check constraint on each."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Pillar(models.TextChoices):
    """The 4P pillars the plan's objectives are grouped by."""

    PREVENTION = "prevention", _("Prevention")
    PROTECTION = "protection", _("Protection")
    PROSECUTION = "prosecution", _("Prosecution")
    PARTNERSHIP = "partnership", _("Partnership")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("In force")
    CLOSED = "closed", _("Closed")


class ActivityStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind schedule")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class IndicatorSource(models.TextChoices):
    COMPUTED = "computed", _("Computed from CTIP data")
    ENTERED = "entered", _("Entered, with its source")


class Metric(models.TextChoices):
    """What a computed indicator counts, over the plan's period (up to today)."""

    VICTIMS_IDENTIFIED = "victims_identified", _("Victims identified")
    REFERRALS_COMPLETED = "referrals_completed", _("Referrals completed")
    PROSECUTIONS = "prosecutions", _("Prosecutions (charge sheets filed)")
    CONVICTIONS = "convictions", _("Persons convicted")
    TRAININGS_HELD = "trainings_held", _("Training sessions held")
    PERSONS_TRAINED = "persons_trained", _("Persons trained")
    WOMEN_TRAINED = "women_trained", _("Women trained")
    MEN_TRAINED = "men_trained", _("Men trained")
    CAMPAIGNS_HELD = "campaigns_held", _("Awareness campaigns held")
    CAMPAIGN_REACH = "campaign_reach", _("People reached by awareness campaigns")


# Metrics that count victims or offenders: published through ctip.core.disclosure (small counts suppressed, the
# rest rounded), since the overview is read by roles without identity access.
PROTECTED_METRICS = {
    Metric.VICTIMS_IDENTIFIED,
    Metric.REFERRALS_COMPLETED,
    Metric.PROSECUTIONS,
    Metric.CONVICTIONS,
}


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Open for contributions")
    FINAL = "final", _("Adopted (final)")


class TrainingTopic(models.TextChoices):
    IDENTIFICATION = "identification", _("Identifying victims")
    NRM = "nrm", _("National Referral Mechanism")
    INVESTIGATION = "investigation", _("Investigating trafficking")
    PROSECUTION = "prosecution", _("Prosecuting trafficking")
    VICTIM_CARE = "victim_care", _("Victim care and protection")
    LABOUR_MIGRATION = "labour_migration", _("Safe labour migration and recruitment")
    CHILD_PROTECTION = "child_protection", _("Child protection")
    BORDER = "border", _("Border management")
    DATA = "data", _("Data collection and CTIP")
    OTHER = "other", _("Other curriculum")


class CampaignChannel(models.TextChoices):
    RADIO = "radio", _("Radio")
    TV = "tv", _("Television")
    SOCIAL_MEDIA = "social_media", _("Social media")
    COMMUNITY_FORUM = "community_forum", _("Community forum (baraza)")
    SCHOOLS = "schools", _("Schools")
    PRINT = "print", _("Print (posters, leaflets, newspapers)")
    SMS = "sms", _("SMS")
    RELIGIOUS = "religious", _("Places of worship")
    OTHER = "other", _("Other channel")
