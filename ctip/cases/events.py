"""Audit event names written by cases (ctip/audit/catalogue.py)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

SUBJECTS = {"case": _("Cases")}


class CaseEvent(TextChoices):
    CREATE = "case.create", _("Case registered")
    UPDATE = "case.update", _("Case updated")
    PRINT = "case.print", _("Case summary printed")
    STATISTICS_BACKFILL = "case.statistics_backfill", _("Sex at identification filled in on older cases")
    STATUS = "case.status", _("Case status changed")
    ASSIGN = "case.assign", _("Officer assigned to a case")
    UNASSIGN = "case.unassign", _("Officer removed from a case")
    EVENT_ADD = "case.event_add", _("Trafficking event recorded")
    SCREEN = "case.screen", _("Screening recorded")
    DECIDE = "case.decide", _("Trafficking status decided")
    NON_PUNISHMENT = "case.non_punishment", _("Non-punishment recorded")
    CONSENT = "case.consent", _("Consent recorded")
    CONSENT_WITHDRAW = "case.consent_withdraw", _("Consent withdrawn")
    NEEDS = "case.needs", _("Needs assessed")
    CARE_PLAN = "case.care_plan", _("Care plan added")
    CARE_PLAN_END = "case.care_plan_end", _("Care plan ended")
    CARE_ACTION_ADD = "case.care_action_add", _("Care plan action added")
    CARE_ACTION_UPDATE = "case.care_action_update", _("Care plan action updated")
    SERVICE = "case.service", _("Service delivery recorded")
    REPATRIATION = "case.repatriation", _("Return step recorded")
    FOLLOW_UP_SCHEDULE = "case.follow_up_schedule", _("Follow-up scheduled")
    FOLLOW_UP_DONE = "case.follow_up_done", _("Follow-up done")
    READ_SENSITIVE = "case.read_sensitive", _("Sealed case text shown")
