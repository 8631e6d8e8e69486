"""Audit event names written by the criminal-justice module (ctip/audit/catalogue.py)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

SUBJECTS = {"investigation": _("Investigation files"), "prosecution": _("Prosecutions")}


class JusticeEvent(TextChoices):
    OPEN = "investigation.open", _("Investigation file opened")
    UPDATE = "investigation.update", _("Investigation file updated")
    LINK_CASE = "investigation.link_case", _("Victim case linked to a file")
    SUSPECT_ADD = "investigation.suspect_add", _("Suspect added to a file")
    SUSPECT_REMOVE = "investigation.suspect_remove", _("Suspect removed from a file")
    OFFENCE_ADD = "investigation.offence_add", _("Offence added to a file")
    OFFENCE_REMOVE = "investigation.offence_remove", _("Offence removed from a file")
    IDENTIFIER_ADD = "investigation.identifier_add", _("Identifier added to a file")
    ACTION_ADD = "investigation.action_add", _("Action logged on a file")
    EVIDENCE_SET = "investigation.evidence_set", _("Evidence checklist item recorded")
    SUBMIT = "investigation.submit", _("File submitted to the prosecutor")
    ADVISE = "investigation.advise", _("Prosecutor advised on a file")
    CLOSE = "investigation.close", _("Investigation file closed")
    READ_SENSITIVE = "investigation.read_sensitive", _("Sealed text of a file shown")
    CHARGE = "prosecution.charge", _("Charge sheet recorded")
    COURT_EVENT_SCHEDULE = "prosecution.event_schedule", _("Court sitting scheduled")
    COURT_EVENT_RECORD = "prosecution.event_record", _("Court sitting recorded (held or adjourned)")
    PLEA = "prosecution.plea", _("Plea recorded on a count")
    WITNESS_ADD = "prosecution.witness_add", _("Victim called as a witness")
    WITNESS_UPDATE = "prosecution.witness_update", _("Victim-witness record updated")
    OUTCOME = "prosecution.outcome", _("Outcome recorded on a count")
    RESTITUTION = "prosecution.restitution", _("Restitution or compensation order recorded")
    FORFEITURE = "prosecution.forfeiture", _("Forfeiture order recorded")
    APPEAL_FILE = "prosecution.appeal_file", _("Appeal filed")
    APPEAL_DECIDE = "prosecution.appeal_decide", _("Appeal decided")
    READ_WITNESS = "prosecution.read_sensitive", _("Victim-witness identity or impact statement shown")
