"""Hotline calls: logging a call and escalating it to the triage queue as a tip."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.accounts.access import require
from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action
from ctip.audit.services import audit_record
from ctip.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed

from ..enums import CALL_TRANSITIONS, CallerType, CallLanguage, CallStatus, Situation, TipSource, TipStatus, Urgency
from ..models import CALL_TARGET, HotlineCall, Tip
from .common import _check_lengths, _check_place, _unique_reference, notify_triage_on_commit

__all__ = ["CallInput", "call_escalate", "call_log"]


@dataclass
class CallInput:
    caller_type: str
    summary: str
    call_at: datetime
    urgency: str = Urgency.NORMAL
    language: str = CallLanguage.KISWAHILI
    county_id: int | None = None
    country_id: int | None = None
    city: str = ""
    duration_minutes: int = 0
    follow_up_needed: bool = False


@transaction.atomic
def call_log(*, actor: Actor, data: CallInput) -> HotlineCall:
    require(actor, Action.HOTLINE_LOG)
    if actor.agency_id is None:  # a call belongs to the operator's agency
        raise PermissionDenied()
    errors = _check_lengths({"summary": data.summary, "city": data.city})
    if data.caller_type not in CallerType.values:
        errors["caller_type"] = [_("Choose who called.")]
    if data.urgency not in Urgency.values:
        errors["urgency"] = [_("Choose the urgency.")]
    if data.language not in CallLanguage.values:
        errors["language"] = [_("Choose the language of the call.")]
    if not (data.summary or "").strip():
        errors.setdefault("summary", []).append(_("Summarise the call."))
    if data.call_at is None or data.call_at > timezone.now() + timedelta(minutes=5):
        errors["call_at"] = [_("The call time cannot be in the future.")]
    if data.duration_minutes < 0 or data.duration_minutes > 24 * 60:
        errors["duration_minutes"] = [_("Give the duration in minutes (0-1440).")]
    _check_place(errors, data.county_id, data.country_id)
    if errors:
        raise ValidationFailed(fields=errors)
    call = HotlineCall(
        reference=_unique_reference(HotlineCall, "HL"),
        owning_agency_id=actor.agency_id,
        caller_type=data.caller_type,
        urgency=data.urgency,
        language=data.language,
        county_id=data.county_id or None,
        country_id=data.country_id or None,
        call_at=data.call_at,
        duration_minutes=data.duration_minutes,
        follow_up_needed=data.follow_up_needed,
        created_by=actor,
    )
    call.summary = data.summary or ""
    call.city = data.city or ""
    call.save()
    audit_record(
        actor=actor,
        action="call.log",
        target_type=CALL_TARGET,
        target_id=call.public_id,
        changes={"reference": call.reference, "urgency": call.urgency, "caller_type": call.caller_type},
    )
    return call


def _lock_call(call: HotlineCall, expected_version: int | None) -> HotlineCall:
    locked = HotlineCall.objects.select_for_update().get(pk=call.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict()
    return locked


def _mark_call_converted(call: HotlineCall, case) -> None:
    call.status = CallStatus.CONVERTED
    call.case = case
    call.converted_at = timezone.now()
    call.version += 1
    call.save(update_fields=["status", "case", "converted_at", "version", "updated_at"])


@transaction.atomic
def call_escalate(
    *, actor: Actor, call: HotlineCall, situation: str = Situation.OTHER, expected_version: int | None = None
) -> Tip:
    """Put the call in the triage queue (coordinators), for operators who cannot register cases themselves.
    The call's summary and place are copied, sealed afresh, into a tip of source 'hotline'."""
    require(actor, Action.HOTLINE_LOG, call, owner_side=True)
    locked = _lock_call(call, expected_version)
    if CallStatus.ESCALATED not in CALL_TRANSITIONS.get(locked.status, set()):
        raise InvalidTransition()
    if situation not in Situation.values:
        raise ValidationFailed(fields={"situation": [_("Choose the type of situation.")]})
    tip = Tip(
        reference=_unique_reference(Tip, "TIP"),
        pin_hash="!",  # unusable: an escalated call has no public status page
        source=TipSource.HOTLINE,
        status=TipStatus.NEW,
        status_changed_at=timezone.now(),
        situation=situation,
        county_id=locked.county_id,
        country_id=locked.country_id,
        language=locked.language,
        call=locked,
        created_by=actor,
    )
    tip.description = locked.summary
    tip.place = locked.city
    tip.save()
    locked.status = CallStatus.ESCALATED
    locked.escalated_at = timezone.now()
    locked.version += 1
    locked.save(update_fields=["status", "escalated_at", "version", "updated_at"])
    audit_record(
        actor=actor,
        action="call.escalate",
        target_type=CALL_TARGET,
        target_id=locked.public_id,
        changes={"tip": tip.reference, "situation": situation},
    )
    notify_triage_on_commit(tip, "tip.escalated_call")
    return tip
