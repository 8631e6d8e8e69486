"""Public tips: submission by an anonymous reporter, then triage (review, close, message to the reporter)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.accounts.access import require
from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action
from ctip.audit.services import audit_record
from ctip.core.errors import Conflict, InvalidTransition, ValidationFailed

from ..enums import TIP_TRANSITIONS, Situation, TipCloseReason, TipSource, TipStatus
from ..models import TIP_TARGET, Tip
from .common import (
    _check_lengths,
    _check_place,
    _unique_reference,
    new_pin,
    notify_triage_on_commit,
    without_client_ip,
)

__all__ = ["TipInput", "tip_close", "tip_set_message", "tip_start_review", "tip_submit"]


@dataclass
class TipInput:
    situation: str
    description: str
    county_id: int | None = None
    country_id: int | None = None
    place: str = ""
    occurred: str = ""
    people_involved: str = ""
    contact: str = ""
    language: str = ""


@transaction.atomic
def tip_submit(*, actor: Actor | None = None, data: TipInput) -> tuple[Tip, str]:
    """An anonymous report from the public. Returns the tip and its PIN, shown once to the reporter (only a
    hash is kept). Nothing about the reporter is stored unless they write it (sealed) in the contact field."""
    errors = _check_lengths(
        {
            "description": data.description,
            "place": data.place,
            "occurred": data.occurred,
            "people_involved": data.people_involved,
            "contact": data.contact,
        }
    )
    if data.situation not in Situation.values:
        errors["situation"] = [_("Choose the type of situation.")]
    if len((data.description or "").strip()) < 10:
        errors.setdefault("description", []).append(_("Tell us what happened (at least a sentence)."))
    _check_place(errors, data.county_id, data.country_id)
    if errors:
        raise ValidationFailed(fields=errors)
    pin = new_pin()
    tip = Tip(
        reference=_unique_reference(Tip, "TIP"),
        pin_hash=make_password(pin),
        source=TipSource.PUBLIC,
        status=TipStatus.NEW,
        status_changed_at=timezone.now(),
        situation=data.situation,
        county_id=data.county_id or None,
        country_id=data.country_id or None,
        language=(data.language or "")[:8],
        has_contact=bool((data.contact or "").strip()),
    )
    for name in ("place", "occurred", "description", "people_involved", "contact"):
        setattr(tip, name, getattr(data, name) or "")
    tip.save()
    with without_client_ip():
        audit_record(
            actor="public",
            action="tip.submit",
            target_type=TIP_TARGET,
            target_id=tip.public_id,
            changes={"reference": tip.reference, "situation": tip.situation, "has_contact": tip.has_contact},
        )
    notify_triage_on_commit(tip, "tip.new")
    return tip, pin


def _lock_tip(tip: Tip, expected_version: int | None) -> Tip:
    locked = Tip.objects.select_for_update().get(pk=tip.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict()
    return locked


def _move_tip(locked: Tip, status: str) -> str:
    old = locked.status
    if status not in TIP_TRANSITIONS.get(old, set()):
        raise InvalidTransition()
    locked.status = status
    locked.status_changed_at = timezone.now()
    locked.version += 1
    return old


@transaction.atomic
def tip_start_review(*, actor: Actor, tip: Tip, expected_version: int | None = None) -> Tip:
    require(actor, Action.TIP_TRIAGE, tip, owner_side=True)
    locked = _lock_tip(tip, expected_version)
    old = _move_tip(locked, TipStatus.UNDER_REVIEW)
    locked.reviewer = actor
    locked.reviewed_at = timezone.now()
    locked.save()
    audit_record(
        actor=actor,
        action="tip.review",
        target_type=TIP_TARGET,
        target_id=locked.public_id,
        changes={"status": [old, locked.status]},
    )
    return locked


@transaction.atomic
def tip_close(
    *, actor: Actor, tip: Tip, reason: str, note: str = "", message: str = "", expected_version: int | None = None
) -> Tip:
    """Close with a reason; an optional message is shown to the reporter on the status page."""
    require(actor, Action.TIP_TRIAGE, tip, owner_side=True)
    locked = _lock_tip(tip, expected_version)
    errors = _check_lengths({"close_note": note, "message_to_reporter": message})
    if reason not in TipCloseReason.values:
        errors["reason"] = [_("Choose why the report is closed.")]
    elif reason == TipCloseReason.OTHER and not note.strip():
        errors["note"] = [_("Explain the reason for closing.")]
    if locked.status not in TIP_TRANSITIONS or TipStatus.CLOSED not in TIP_TRANSITIONS[locked.status]:
        raise InvalidTransition()
    if errors:
        raise ValidationFailed(fields=errors)
    old = _move_tip(locked, TipStatus.CLOSED)
    locked.close_reason = reason
    locked.close_note = note
    locked.closed_at = timezone.now()
    locked.reviewer = locked.reviewer or actor
    if message.strip():
        locked.message_to_reporter = message
        locked.message_at = timezone.now()
    locked.save()
    audit_record(
        actor=actor,
        action="tip.close",
        target_type=TIP_TARGET,
        target_id=locked.public_id,
        changes={"status": [old, locked.status], "reason": reason, "message": bool(message.strip())},
    )
    return locked


@transaction.atomic
def tip_set_message(*, actor: Actor, tip: Tip, message: str, expected_version: int | None = None) -> Tip:
    """Leave (or replace) the message the reporter sees with their reference and PIN."""
    require(actor, Action.TIP_TRIAGE, tip, owner_side=True)
    locked = _lock_tip(tip, expected_version)
    errors = _check_lengths({"message_to_reporter": message})
    if errors:
        raise ValidationFailed(fields={"message": errors["message_to_reporter"]})
    locked.message_to_reporter = message
    locked.message_at = timezone.now() if message.strip() else None
    locked.version += 1
    locked.save()
    audit_record(
        actor=actor,
        action="tip.message",
        target_type=TIP_TARGET,
        target_id=locked.public_id,
        changes={"message": bool(message.strip())},
    )
    return locked
