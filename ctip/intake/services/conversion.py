"""Conversion of a tip or a hotline call into a case: the victim is registered through
cases.services.case_register (the duplicate look-up, a proposed person linked or a new one registered, the case
opened) in the same transaction as the tip or call is marked converted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.accounts.access import require
from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action
from ctip.audit.services import audit_record
from ctip.cases import services as case_services
from ctip.cases.enums import IdentificationChannel
from ctip.core.errors import InvalidTransition, ValidationFailed
from ctip.people.identity import Identity

from ..enums import CALL_TRANSITIONS, TIP_TRANSITIONS, CallStatus, TipSource, TipStatus
from ..models import CALL_TARGET, TIP_TARGET, HotlineCall, Tip
from .calls import _lock_call, _mark_call_converted
from .common import TEXT_LIMITS
from .tips import _lock_tip, _move_tip

__all__ = ["CaseDraft", "call_convert", "tip_convert"]


@dataclass
class CaseDraft:
    """What the officer fills in when a tip or call becomes a case."""

    identity: Identity
    identified_on: date
    narrative: str = ""
    htcds: dict | None = None
    is_child: bool | None = None
    identified_county_id: int | None = None
    identified_country_id: int | None = None
    # an existing person CTIP proposed and the officer chose, instead of registering `identity` as a new one; the
    # link token of the look-up that proposed it proves it (case_register refuses any other)
    link_person_id: str | None = None
    link_token: str = ""
    candidates_dismissed: bool = False  # CTIP proposed existing persons and the officer confirmed a new one


def _register(*, actor: Actor, draft: CaseDraft, channel: str) -> case_services.CaseRegistration:
    return case_services.case_register(
        actor=actor,
        person=case_services.PersonChoice(
            identity=draft.identity,
            link_person_id=draft.link_person_id,
            link_token=draft.link_token,
            confirm_new=draft.candidates_dismissed,
        ),
        case=case_services.CaseInput(
            identified_on=draft.identified_on,
            channel=channel,
            narrative=draft.narrative,
            htcds=draft.htcds,
            is_child=draft.is_child,
            fields={
                "identified_county_id": draft.identified_county_id,
                "identified_country_id": draft.identified_country_id,
            },
        ),
    )


@transaction.atomic
def tip_convert(
    *, actor: Actor, tip: Tip, draft: CaseDraft, message: str = "", expected_version: int | None = None
) -> case_services.CaseRegistration:
    """Register the victim and open the case (channel public_tip, or hotline for an escalated call) in one
    transaction, and link the tip (and its call) to the case. Any failure leaves nothing behind. When the
    duplicate look-up proposes existing persons, the tip is left as it is and the result carries the candidates
    (case None): the officer chooses, and converts again with the choice."""
    require(actor, Action.TIP_TRIAGE, tip, owner_side=True)
    locked = _lock_tip(tip, expected_version)
    if TipStatus.CONVERTED not in TIP_TRANSITIONS.get(locked.status, set()):
        raise InvalidTransition()
    channel = IdentificationChannel.HOTLINE if locked.source == TipSource.HOTLINE else IdentificationChannel.PUBLIC_TIP
    registration = _register(actor=actor, draft=draft, channel=channel)
    case = registration.case
    if case is None:
        return registration
    old = _move_tip(locked, TipStatus.CONVERTED)
    locked.case = case
    locked.converted_at = timezone.now()
    locked.reviewer = locked.reviewer or actor
    if message.strip():
        if len(message) > TEXT_LIMITS["message_to_reporter"]:
            raise ValidationFailed(fields={"message": [_("At most 1000 characters.")]})
        locked.message_to_reporter = message
        locked.message_at = timezone.now()
    locked.save()
    if locked.call_id:
        call = HotlineCall.objects.select_for_update().get(pk=locked.call_id)
        if CallStatus.CONVERTED in CALL_TRANSITIONS.get(call.status, set()):
            _mark_call_converted(call, case)
    audit_record(
        actor=actor,
        action="tip.convert",
        target_type=TIP_TARGET,
        target_id=locked.public_id,
        changes={"status": [old, locked.status], "case": case.reference, "channel": channel},
    )
    case_services.timeline_add(case=case, kind="case.from_intake", actor=actor, params={"reference": locked.reference})
    return registration


@transaction.atomic
def call_convert(
    *, actor: Actor, call: HotlineCall, draft: CaseDraft, expected_version: int | None = None
) -> case_services.CaseRegistration:
    """Register the victim and open the case (channel hotline) from a call, in one transaction. Needs the right
    to log calls on this call and to register cases (coordinators; operators escalate instead). Candidates of the
    duplicate look-up are returned as tip_convert does, leaving the call as it is."""
    require(actor, Action.HOTLINE_LOG, call, owner_side=True)
    locked = _lock_call(call, expected_version)
    if CallStatus.CONVERTED not in CALL_TRANSITIONS.get(locked.status, set()):
        raise InvalidTransition()
    registration = _register(actor=actor, draft=draft, channel=IdentificationChannel.HOTLINE)
    case = registration.case
    if case is None:
        return registration
    _mark_call_converted(locked, case)
    tip = Tip.objects.select_for_update().filter(call=locked).first()
    if tip is not None and TipStatus.CONVERTED in TIP_TRANSITIONS.get(tip.status, set()):
        _move_tip(tip, TipStatus.CONVERTED)
        tip.case = case
        tip.converted_at = timezone.now()
        tip.save()
    audit_record(
        actor=actor,
        action="call.convert",
        target_type=CALL_TARGET,
        target_id=locked.public_id,
        changes={"case": case.reference},
    )
    case_services.timeline_add(case=case, kind="case.from_intake", actor=actor, params={"reference": locked.reference})
    return registration
