"""Writes of the job-offer risk check: the rule-set workflow (draft, edit, send for review, return or publish)
and the counts of checks.

Each workflow step checks the actor's right (accounts.access.require), locks the rule set, checks its version
(optimistic concurrency) and state, writes and audits in one transaction. A rule set leaves the draft state only
once: after that it is never edited (a new draft is made from it), so an answer's rule-set version keeps its
meaning. Publishing needs an officer other than the one who sent it for review (four eyes) and retires the
version in use. The public check reloads the rules when the publication commits.
"""

from __future__ import annotations

from datetime import date

import yaml
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.accounts.access import require
from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action
from ctip.audit.services import audit_record
from ctip.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed

from . import rules, selectors
from .enums import RuleSetStatus
from .events import JobcheckEvent
from .models import TARGET, CheckTally, RuleSet

MAX_SOURCE = 200_000


def parse_source(text: str) -> dict:
    """The rule set written in YAML (or JSON, which YAML reads), validated; ValidationFailed on the field
    `source_text` listing every mistake with where it is."""
    if not (text or "").strip():
        raise ValidationFailed(fields={"source_text": [_("Write the rules.")]})
    if len(text) > MAX_SOURCE:
        raise ValidationFailed(fields={"source_text": [_("At most 200,000 characters.")]})
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = (
            _("line %(line)s, column %(column)s") % {"line": mark.line + 1, "column": mark.column + 1} if mark else ""
        )
        problem = getattr(exc, "problem", None) or _("not valid YAML")
        raise ValidationFailed(fields={"source_text": [f"{where}: {problem}" if where else str(problem)]}) from exc
    try:
        return rules.validate(doc)
    except rules.RuleSetInvalid as exc:
        raise ValidationFailed(
            _("The rules have %(n)s mistake(s); nothing was saved.") % {"n": len(exc.errors)},
            fields={"source_text": [f"{where or _('top')}: {message}" for where, message in exc.errors]},
        ) from exc


def _lock(ruleset: RuleSet, expected_version: int | None) -> RuleSet:
    locked = RuleSet.objects.select_for_update().get(pk=ruleset.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(
            _("Someone else changed this rule set since you opened it. Nothing was saved: reload it and try again.")
        )
    return locked


def _state(ruleset: RuleSet, *allowed: str) -> None:
    if ruleset.status not in allowed:
        raise InvalidTransition(
            _("Rule set v%(n)s is %(status)s: this step is not possible now.")
            % {"n": ruleset.number, "status": ruleset.get_status_display().lower()}
        )


@transaction.atomic
def ruleset_draft(*, actor: Actor, based_on: RuleSet | None = None, note: str = "") -> RuleSet:
    """A new draft, a copy of `based_on` (by default the published version)."""
    require(actor, Action.JOBCHECK_RULES_EDIT)
    if based_on is None:
        based_on = RuleSet.objects.filter(status=RuleSetStatus.PUBLISHED).first()
    if based_on is None:
        raise ValidationFailed(_("There is no rule set to start from."))
    number = (RuleSet.objects.select_for_update().aggregate(n=Max("number"))["n"] or 0) + 1
    draft = RuleSet.objects.create(
        number=number,
        status=RuleSetStatus.DRAFT,
        source_text=based_on.source_text,
        document=based_on.document,
        note=(note or "").strip()[:500],
        based_on=based_on,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=JobcheckEvent.DRAFT,
        target_type=TARGET,
        target_id=draft.public_id,
        changes={"number": number, "based_on": based_on.number},
    )
    return draft


@transaction.atomic
def ruleset_edit(
    *, actor: Actor, ruleset: RuleSet, source_text: str, note: str, expected_version: int | None
) -> RuleSet:
    """Replace a draft's rules (validated first: nothing saved when they are wrong)."""
    require(actor, Action.JOBCHECK_RULES_EDIT)
    locked = _lock(ruleset, expected_version)
    _state(locked, RuleSetStatus.DRAFT)
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationFailed(fields={"note": [_("At most 500 characters.")]})
    doc = parse_source(source_text)
    changed = doc != locked.document
    locked.source_text, locked.document, locked.note = source_text, doc, note
    locked.version += 1
    locked.save()
    audit_record(
        actor=actor,
        action=JobcheckEvent.EDIT,
        target_type=TARGET,
        target_id=locked.public_id,
        changes={"number": locked.number, "rules_changed": changed, "rules": len(doc["rules"])},
    )
    return locked


@transaction.atomic
def ruleset_submit(*, actor: Actor, ruleset: RuleSet, expected_version: int | None) -> RuleSet:
    require(actor, Action.JOBCHECK_RULES_EDIT)
    locked = _lock(ruleset, expected_version)
    _state(locked, RuleSetStatus.DRAFT)
    if not locked.note:
        raise ValidationFailed(fields={"note": [_("Say what changed before sending the rules for review.")]})
    try:
        rules.validate(locked.document)
    except rules.RuleSetInvalid as exc:
        raise ValidationFailed(fields={"source_text": [str(exc)]}) from exc
    locked.status = RuleSetStatus.IN_REVIEW
    locked.submitted_by, locked.submitted_at = actor, timezone.now()
    locked.version += 1
    locked.save()
    audit_record(
        actor=actor,
        action=JobcheckEvent.SUBMIT,
        target_type=TARGET,
        target_id=locked.public_id,
        changes={"number": locked.number},
    )
    return locked


def _reviewer(actor: Actor, ruleset: RuleSet) -> None:
    require(actor, Action.JOBCHECK_RULES_PUBLISH)
    if ruleset.submitted_by_id == getattr(actor, "pk", None):
        raise PermissionDenied(_("Another officer must review the rules you sent for review."))


@transaction.atomic
def ruleset_return(*, actor: Actor, ruleset: RuleSet, reason: str, expected_version: int | None) -> RuleSet:
    """The reviewer sends the rules back to draft with a reason."""
    require(actor, Action.JOBCHECK_RULES_PUBLISH)
    locked = _lock(ruleset, expected_version)
    _state(locked, RuleSetStatus.IN_REVIEW)
    _reviewer(actor, locked)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(fields={"reason": [_("Say what must change.")]})
    if len(reason) > 500:
        raise ValidationFailed(fields={"reason": [_("At most 500 characters.")]})
    locked.status, locked.review_note = RuleSetStatus.DRAFT, reason
    locked.version += 1
    locked.save()
    audit_record(
        actor=actor,
        action=JobcheckEvent.RETURN,
        target_type=TARGET,
        target_id=locked.public_id,
        changes={"number": locked.number},
        reason=reason,
    )
    return locked


@transaction.atomic
def ruleset_publish(*, actor: Actor, ruleset: RuleSet, expected_version: int | None) -> RuleSet:
    """Put a reviewed rule set in use; the one in use until now is retired (kept, never changed)."""
    require(actor, Action.JOBCHECK_RULES_PUBLISH)
    locked = _lock(ruleset, expected_version)
    _state(locked, RuleSetStatus.IN_REVIEW)
    _reviewer(actor, locked)
    now = timezone.now()
    previous = list(RuleSet.objects.select_for_update().filter(status=RuleSetStatus.PUBLISHED))
    for old in previous:
        old.status, old.retired_at = RuleSetStatus.RETIRED, now
        old.version += 1
        old.save(update_fields=["status", "retired_at", "version", "updated_at"])
    locked.status, locked.published_by, locked.published_at, locked.review_note = (
        RuleSetStatus.PUBLISHED,
        actor,
        now,
        "",
    )
    locked.version += 1
    locked.save()
    audit_record(
        actor=actor,
        action=JobcheckEvent.PUBLISH,
        target_type=TARGET,
        target_id=locked.public_id,
        changes={"number": locked.number, "retired": [o.number for o in previous]},
    )
    transaction.on_commit(selectors.rules_changed)
    return locked


def record_check(*, level: str, channel: str, rule_set_number: int, day: date | None = None) -> None:
    """Count one check (no actor: the public checks anonymously; nothing about the offer is kept)."""
    day = day or timezone.localdate()
    key = {"day": day, "rule_set_number": rule_set_number, "channel": channel, "level": level}
    if CheckTally.objects.filter(**key).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            CheckTally.objects.create(**key, count=1)
    except IntegrityError:  # another request created it in between
        CheckTally.objects.filter(**key).update(count=F("count") + 1)
