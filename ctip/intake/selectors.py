"""Reads of intake, scoped by the user (ARCHITECTURE.md rule 3). Decrypting what a reporter or caller wrote is
an audited read (rule 7). Missing and not-yours raise the same NotFound."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, QuerySet, Value, When

from ctip.accounts.access import visible_q
from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action
from ctip.audit.services import audit_record
from ctip.core.errors import NotFound
from ctip.people.sealed import sealed_field_names

from .enums import OPEN_TIP_STATUSES, PUBLIC_TIP_STATUS, TipSource, TipStatus
from .models import CALL_TARGET, IMPORT_TARGET, TIP_TARGET, HotlineCall, ImportJob, Tip
from .references import normalize_reference

# --- tips --------------------------------------------------------------------------------------------------


@dataclass
class TipFilters:
    status: str = ""
    situation: str = ""
    county_id: int | None = None
    source: str = ""


def _tip_q(user: Actor):
    return visible_q(user, Action.TIP_TRIAGE, TIP_TARGET, owner_field="call__owning_agency")


def tip_list_for_user(*, user: Actor, filters: TipFilters | None = None) -> QuerySet[Tip]:
    """The triage queue: new first (then under review, then the rest), newest first within a status."""
    q = _tip_q(user)
    if q is None:
        return Tip.objects.none()
    f = filters or TipFilters()
    qs = Tip.objects.filter(q).select_related("county", "country", "case")
    if f.status:
        qs = qs.filter(status=f.status)
    if f.situation:
        qs = qs.filter(situation=f.situation)
    if f.county_id:
        qs = qs.filter(county_id=f.county_id)
    if f.source:
        qs = qs.filter(source=f.source)
    order = Case(
        When(status=TipStatus.NEW, then=Value(0)),
        When(status=TipStatus.UNDER_REVIEW, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return qs.annotate(queue_order=order).order_by("queue_order", "-created_at", "-id")


def tips_awaiting_triage(user: Actor) -> QuerySet[Tip]:
    """For "My tasks": tips (and escalated calls) waiting for triage, oldest first; empty for other roles."""
    q = _tip_q(user)
    if q is None:
        return Tip.objects.none()
    return Tip.objects.filter(q, status__in=OPEN_TIP_STATUSES).select_related("county").order_by("created_at", "id")


def tip_get_for_user(*, user: Actor, public_id) -> Tip:
    q = _tip_q(user)
    if q is None:
        raise NotFound()
    try:
        return Tip.objects.select_related("county", "country", "case", "call", "reviewer").get(q, public_id=public_id)
    except (Tip.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound() from exc


def tip_text_for_user(*, user: Actor, tip: Tip) -> dict[str, str]:
    """The reporter's words, decrypted; the read is written to the audit trail."""
    tip_get_for_user(user=user, public_id=tip.public_id)
    audit_record(actor=user, action="tip.read", target_type=TIP_TARGET, target_id=tip.public_id)
    return {name: getattr(tip, name) for name in sealed_field_names(Tip)}  # opened here, after the audit


@dataclass(frozen=True)
class PublicStatus:
    reference: str
    status: str
    status_label: str
    submitted_on: datetime
    updated_on: datetime | None
    message: str


_DUMMY_HASH: str | None = None


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = make_password("000000-not-a-pin")
    return _DUMMY_HASH


def tip_public_status(*, reference: str, pin: str) -> PublicStatus:
    """What the reporter may see: status and the coordinator's message, nothing internal. A wrong reference and
    a wrong PIN raise the same NotFound after the same work (a PIN hash is always checked)."""
    ref = normalize_reference(reference)
    tip = Tip.objects.filter(reference=ref, source=TipSource.PUBLIC).first() if ref else None
    encoded = tip.pin_hash if tip is not None else _dummy_hash()
    ok = check_password((pin or "").strip(), encoded)
    if tip is None or not ok:
        raise NotFound()
    code, label = PUBLIC_TIP_STATUS[tip.status]
    return PublicStatus(
        reference=tip.reference,
        status=code,
        status_label=str(label),
        submitted_on=tip.created_at,
        updated_on=tip.message_at or tip.status_changed_at,
        message=tip.message_to_reporter,
    )


# --- hotline calls ----------------------------------------------------------------------------------------


@dataclass
class CallFilters:
    status: str = ""
    urgency: str = ""
    follow_up: bool = False


def call_list_for_user(*, user: Actor, filters: CallFilters | None = None) -> QuerySet[HotlineCall]:
    q = visible_q(user, Action.HOTLINE_LOG, CALL_TARGET)
    if q is None:
        return HotlineCall.objects.none()
    f = filters or CallFilters()
    qs = HotlineCall.objects.filter(q).select_related("county", "country", "owning_agency", "case")
    if f.status:
        qs = qs.filter(status=f.status)
    if f.urgency:
        qs = qs.filter(urgency=f.urgency)
    if f.follow_up:
        qs = qs.filter(follow_up_needed=True)
    return qs.order_by("-call_at", "-id")


def call_get_for_user(*, user: Actor, public_id) -> HotlineCall:
    q = visible_q(user, Action.HOTLINE_LOG, CALL_TARGET)
    if q is None:
        raise NotFound()
    try:
        return HotlineCall.objects.select_related("county", "country", "owning_agency", "case", "created_by").get(
            q, public_id=public_id
        )
    except (HotlineCall.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound() from exc


def call_text_for_user(*, user: Actor, call: HotlineCall) -> dict[str, str]:
    call_get_for_user(user=user, public_id=call.public_id)
    audit_record(actor=user, action="call.read", target_type=CALL_TARGET, target_id=call.public_id)
    return {name: getattr(call, name) for name in sealed_field_names(HotlineCall)}  # opened after the audit


def call_tip(call: HotlineCall) -> Tip | None:
    return Tip.objects.filter(call=call).first()


# --- imports ------------------------------------------------------------------------------------------------


def import_list_for_user(*, user: Actor) -> QuerySet[ImportJob]:
    q = visible_q(user, Action.CASE_IMPORT, IMPORT_TARGET)
    if q is None:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(q).select_related("owning_agency", "created_by").order_by("-created_at", "-id")


def import_get_for_user(*, user: Actor, public_id) -> ImportJob:
    try:
        return import_list_for_user(user=user).get(public_id=public_id)
    except (ImportJob.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound() from exc


def audit_ids_for_reference(text: str) -> list[str]:
    """For the audit trail's record filter (ctip.audit.lookups): a tip or call reference -> its public id."""
    reference = text.strip().upper()
    ids = list(Tip.objects.filter(reference=reference).values_list("public_id", flat=True))
    ids += HotlineCall.objects.filter(reference=reference).values_list("public_id", flat=True)
    return [str(v) for v in ids]
