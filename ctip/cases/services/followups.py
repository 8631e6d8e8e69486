"""Follow-ups after return and reintegration (NRM stage 6): scheduled for an officer who can see the case, done
with an outcome (sealed: it may name people)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.accounts.access import require
from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action
from ctip.audit.services import audit_record
from ctip.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed

from ..enums import CaseSection
from ..models import TARGET, Case, FollowUp
from .core import timeline_add
from .screening import require_open

__all__ = ["followup_done", "followup_schedule", "user_sees_follow_ups"]


def user_sees_follow_ups(user: Actor, case: Case) -> bool:
    """Whether `user` may see this case's follow-ups (so a follow-up can be assigned to them)."""
    if not getattr(user, "is_active", False):
        return False
    try:
        access = require(user, Action.CASE_VIEW, case, section=CaseSection.FOLLOW_UPS)
    except (NotFound, PermissionDenied):
        return False
    return access.via != "break_glass"  # a grant of a few hours is no basis for assigning work


@transaction.atomic
def followup_schedule(*, actor: Actor, case: Case, due_on: date, purpose: str, assigned_to) -> FollowUp:
    require(actor, Action.CASE_EDIT, case, section=CaseSection.FOLLOW_UPS)
    require_open(case)
    purpose = (purpose or "").strip()
    errors: dict[str, list[str]] = {}
    if due_on is None:
        errors["due_on"] = [_("Give the due date.")]
    elif due_on < timezone.localdate():
        errors["due_on"] = [_("The due date cannot be in the past.")]
    if not purpose:
        errors["purpose"] = [_("Say what the follow-up is for.")]
    elif len(purpose) > 200:
        errors["purpose"] = [_("At most 200 characters.")]
    if assigned_to is None or not user_sees_follow_ups(assigned_to, case):
        errors["assigned_to"] = [_("Assign an active officer who can see this case.")]
    if errors:
        raise ValidationFailed(fields=errors)
    follow_up = FollowUp.objects.create(
        case=case, due_on=due_on, purpose=purpose, assigned_to=assigned_to, created_by=actor
    )
    audit_record(
        actor=actor,
        action="case.follow_up_schedule",
        target_type=TARGET,
        target_id=case.public_id,
        changes={
            "follow_up": str(follow_up.public_id),
            "due_on": due_on.isoformat(),
            "assigned_to": assigned_to.get_username(),
        },
    )
    timeline_add(
        case=case,
        kind="case.follow_up_scheduled",
        actor=actor,
        params={"due": due_on.isoformat()},
        section=CaseSection.FOLLOW_UPS,
    )
    return follow_up


@transaction.atomic
def followup_done(*, actor: Actor, follow_up: FollowUp, outcome: str) -> FollowUp:
    """Mark a follow-up done. Officers who edit the case may do it, and so may the officer it is assigned to."""
    case = follow_up.case
    is_assignee = follow_up.assigned_to_id == getattr(actor, "pk", None) and user_sees_follow_ups(actor, case)
    if not is_assignee:
        require(actor, Action.CASE_EDIT, case, section=CaseSection.FOLLOW_UPS)
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if locked.done_at is not None:
        raise InvalidTransition(_("This follow-up is already done."))
    if not (outcome or "").strip():
        raise ValidationFailed(fields={"outcome": [_("Write the outcome of the follow-up.")]})
    locked.done_at = timezone.now()
    locked.done_by = actor
    locked.outcome = outcome
    locked.version += 1
    locked.save(update_fields=["done_at", "done_by", "outcome", "version", "updated_at"])
    audit_record(
        actor=actor,
        action="case.follow_up_done",
        target_type=TARGET,
        target_id=case.public_id,
        changes={"follow_up": str(locked.public_id), "late": locked.due_on < timezone.localdate()},
    )
    timeline_add(case=case, kind="case.follow_up_done", actor=actor, section=CaseSection.FOLLOW_UPS)
    return locked
