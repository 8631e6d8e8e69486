"""Reads of attachments, scoped by the user.

Who sees an attachment follows what it is attached to:
- a case's file: the case (`case.view`) and the file's section (`require(..., section=...)`: a referral share
  reaches the sections it names); a file under the identity section also needs the case's person identity to be
  visible to the user (as the case overview decides: `cases.selectors.case_identity_visible`);
- a person's file: the person's identity (`person.view_identity`, through the chokepoint).
Missing, removed and not-yours raise the same NotFound. Every download is audited (`attachment.download`), and
the descriptions shown on a list page are audited in one event (`attachment.read_descriptions`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from ctip.accounts.access import Access, require
from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action
from ctip.audit.services import audit_record
from ctip.cases.enums import CaseSection
from ctip.cases.selectors import case_identity_visible, visible_sections
from ctip.core.errors import NotFound, PermissionDenied
from ctip.people.sealed import has_text

from . import storage
from .events import AttachmentEvent
from .models import Attachment

TARGET = "attachments.attachment"
_RELATED = ("case", "case__person", "case__owning_agency", "person", "person__owning_agency", "created_by")


def case_sections_for_user(*, user: Actor, case, access: Access) -> set[str]:
    """The case sections whose files the user may see."""
    sections = set(visible_sections(access))
    if CaseSection.IDENTITY in sections and not case_identity_visible(user=user, case=case, access=access):
        sections.discard(CaseSection.IDENTITY)
    return sections


def case_attachments_for_user(*, user: Actor, case, access: Access) -> list[Attachment]:
    """The case's files in the sections the user may see, newest first (one query)."""
    sections = case_sections_for_user(user=user, case=case, access=access)
    if not sections:
        return []
    return list(
        Attachment.objects.filter(case=case, removed_at=None, section__in=sections)
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )


def person_identity_visible(*, user: Actor, person) -> bool:
    try:
        require(user, Action.PERSON_VIEW_IDENTITY, person)
    except (NotFound, PermissionDenied):
        return False
    return True


def person_attachments_for_user(*, user: Actor, person) -> list[Attachment]:
    """The person's files if the user may see the person's identity, else nothing (one query)."""
    if not person_identity_visible(user=user, person=person):
        return []
    return list(
        Attachment.objects.filter(person=person, removed_at=None).select_related("created_by").order_by("-created_at")
    )


def descriptions_for_user(*, user: Actor, attachments: list[Attachment], purpose: str) -> dict[int, str]:
    """The sealed descriptions of a list the selectors above returned (so the user may see each): opened, and one
    audit event names the attachments whose description was shown."""
    shown = {a.pk: a.description for a in attachments if has_text(a, "description")}
    if shown:
        audit_record(
            actor=user,
            action=AttachmentEvent.DESCRIPTIONS_READ,
            target_type=TARGET,
            changes={"purpose": purpose, "attachments": [str(a.public_id) for a in attachments if a.pk in shown]},
        )
    return shown


def attachment_get_for_user(*, user: Actor, public_id) -> Attachment:
    """One attachment the user may see (not removed). NotFound for missing, removed and not visible alike;
    PermissionDenied (403) for a role that may see neither cases nor identities."""
    if not (user.can(Action.CASE_VIEW) or user.can(Action.PERSON_VIEW_IDENTITY)):
        raise PermissionDenied()
    try:
        attachment = Attachment.objects.select_related(*_RELATED).get(public_id=public_id, removed_at=None)
    except (Attachment.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound() from exc
    case, person = attachment.case, attachment.person
    if case is not None:
        if not user.can(Action.CASE_VIEW):
            raise NotFound()
        access = require(user, Action.CASE_VIEW, case, section=attachment.section)
        if attachment.section == CaseSection.IDENTITY and not case_identity_visible(
            user=user, case=case, access=access
        ):
            raise NotFound()
    elif person is None or not person_identity_visible(user=user, person=person):
        raise NotFound()
    return attachment


def attachment_open_for_user(*, user: Actor, public_id) -> tuple[Attachment, bytes]:
    """The attachment and its decrypted content, for a download; the read is audited."""
    attachment = attachment_get_for_user(user=user, public_id=public_id)
    content = storage.read(attachment.storage_name, attachment.public_id)
    audit_record(
        actor=user,
        action=AttachmentEvent.DOWNLOAD,
        target_type=TARGET,
        target_id=attachment.public_id,
        changes={
            "case": attachment.case.reference if attachment.case is not None else "",
            "person": str(attachment.person.public_id) if attachment.person is not None else "",
            "section": attachment.section,
            "category": attachment.category,
        },
    )
    return attachment, content
