"""Choices and state machines of intake: public tips, hotline calls and bulk imports (ARCHITECTURE.md rule 4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class TipStatus(models.TextChoices):
    NEW = "new", _("New")
    UNDER_REVIEW = "under_review", _("Under review")
    CONVERTED = "converted", _("Converted into a case")
    CLOSED = "closed", _("Closed")


TIP_TRANSITIONS: dict[str, set[str]] = {
    TipStatus.NEW: {TipStatus.UNDER_REVIEW, TipStatus.CONVERTED, TipStatus.CLOSED},
    TipStatus.UNDER_REVIEW: {TipStatus.CONVERTED, TipStatus.CLOSED},
    TipStatus.CONVERTED: set(),
    TipStatus.CLOSED: set(),
}
OPEN_TIP_STATUSES = (TipStatus.NEW, TipStatus.UNDER_REVIEW)

# What the reporter sees on the public status page: never whether a case was opened (internal).
PUBLIC_TIP_STATUS: dict[str, tuple[str, StrOrPromise]] = {
    TipStatus.NEW: ("received", _("Received: waiting to be read")),
    TipStatus.UNDER_REVIEW: ("in_progress", _("Being looked into")),
    TipStatus.CONVERTED: ("in_progress", _("Being looked into")),
    TipStatus.CLOSED: ("closed", _("Closed")),
}


class TipSource(models.TextChoices):
    PUBLIC = "public", _("Public report")
    HOTLINE = "hotline", _("Hotline call (escalated)")


class Situation(models.TextChoices):
    JOB_ABROAD = "job_abroad", _("A job offer abroad")
    FORCED_WORK = "forced_work", _("Someone held or forced to work")
    CHILD_AT_RISK = "child_at_risk", _("A child at risk")
    SEXUAL_EXPLOITATION = "sexual_exploitation", _("Sexual exploitation")
    OTHER = "other", _("Something else")


# The HTCDS types of exploitation a situation suggests, pre-selected when a tip becomes a case.
SITUATION_EXPLOITATION = {
    Situation.JOB_ABROAD: [],
    Situation.FORCED_WORK: ["ForcedLabour"],
    Situation.CHILD_AT_RISK: ["ChildLabour"],
    Situation.SEXUAL_EXPLOITATION: ["SexualExploitation"],
    Situation.OTHER: [],
}


class TipCloseReason(models.TextChoices):
    DUPLICATE = "duplicate", _("Duplicate of another report")
    NOT_TRAFFICKING = "not_trafficking", _("Not trafficking")
    INSUFFICIENT = "insufficient", _("Insufficient information")
    REFERRED_POLICE = "referred_police", _("Referred to the police")
    OTHER = "other", _("Other (explained in the note)")


class CallerType(models.TextChoices):
    VICTIM = "victim", _("Victim")
    FAMILY = "family", _("Family member")
    COMMUNITY = "community", _("Community member")
    OFFICIAL = "official", _("Official")
    ANONYMOUS = "anonymous", _("Anonymous")


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")


class CallLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    KISWAHILI = "sw", _("Kiswahili")
    SOMALI = "so", _("Somali")
    AMHARIC = "am", _("Amharic")
    ARABIC = "ar", _("Arabic")
    FRENCH = "fr", _("French")
    OTHER = "other", _("Other")


class CallStatus(models.TextChoices):
    LOGGED = "logged", _("Logged")
    ESCALATED = "escalated", _("Escalated to the triage queue")
    CONVERTED = "converted", _("Converted into a case")


CALL_TRANSITIONS: dict[str, set[str]] = {
    CallStatus.LOGGED: {CallStatus.ESCALATED, CallStatus.CONVERTED},
    CallStatus.ESCALATED: {CallStatus.CONVERTED},
    CallStatus.CONVERTED: set(),
}


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    VALIDATING = "validating", _("Checking every row")
    IMPORTING = "importing", _("Saving the cases")
    INVALID = "invalid", _("Not imported: some rows have errors")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class ImportFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel (HTCDS template)")
