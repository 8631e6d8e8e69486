"""Timeline message codes and their translated texts. Params are never identity data."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .enums import IdentificationChannel

MESSAGES = {
    "case.opened": _("Case %(reference)s opened by %(agency)s (%(channel)s)."),
    "case.retrafficked": _("The person was identified again after an earlier, closed case (%(previous)s)."),
    "case.updated": _("Circumstances updated (%(fields)s)."),
    "case.status": _("Case status changed from %(old)s to %(new)s."),
    "case.closed": _("Case closed: %(reason)s."),
    "case.reopened": _("Case re-opened."),
    "case.assigned": _("%(user)s assigned to the case."),
    "case.unassigned": _("%(user)s no longer assigned to the case."),
    "case.event_added": _("Trafficking event recorded: %(event_type)s."),
    "case.screened": _("Screening (%(list)s): suggested %(suggestion)s."),
    "case.decision": _("Trafficking status decided: %(status)s (by %(org)s)."),
    "case.non_punishment": _("Charges or detention recorded: the victim's non-punishment (CTIP Act s.14) applies."),
    "case.consent": _("Consent recorded (given by %(given_by)s)."),
    "case.consent_withdrawn": _("Consent withdrawn."),
    "case.consent_override": _("Shared without consent by %(user)s (reason recorded in the audit trail)."),
    "case.needs": _("Needs assessed: %(needs)s."),
    "case.care_plan": _("Care plan added (%(plan_type)s)."),
    "case.care_action": _("Care plan action updated."),
    "case.service": _("Service delivered: %(service)s by %(provider)s."),
    "case.repatriation": _("Return step: %(step)s."),
    "case.follow_up_scheduled": _("Follow-up scheduled for %(due)s."),
    "case.follow_up_done": _("Follow-up done."),
    "case.merged_person": _("The person record was linked to an existing person."),
    "referral.sent": _("Referral for %(service)s sent to %(provider)s."),
    "referral.accepted": _("Referral for %(service)s accepted by %(provider)s."),
    "referral.declined": _("Referral for %(service)s declined by %(provider)s."),
    "referral.in_progress": _("Referral for %(service)s in progress at %(provider)s."),
    "referral.completed": _("Referral for %(service)s completed by %(provider)s."),
    "referral.revoked": _("Referral for %(service)s revoked."),
}


def register(kind: str, message) -> None:
    MESSAGES[kind] = message


def render(kind: str, params: dict) -> str:
    template = MESSAGES.get(kind)
    if template is None:
        return kind
    channel = params.get("channel")
    if channel and channel in IdentificationChannel.values:
        params = {**params, "channel": str(IdentificationChannel(channel).label)}
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)
