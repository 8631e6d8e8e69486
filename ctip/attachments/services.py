"""Writes of attachments: add to a case section or to a person, remove (soft) with a reason. Each service checks
the actor through the chokepoint, writes the row and the encrypted file, and audits in the same transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.accounts.access import may, require
from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action
from ctip.audit.services import audit_record
from ctip.cases.enums import CaseSection
from ctip.cases.selectors import case_identity_visible
from ctip.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

from . import filetypes, storage
from .enums import AttachmentCategory
from .events import AttachmentEvent
from .models import Attachment

TARGET = "attachments.attachment"
MAX_DESCRIPTION = 500
MIN_REASON = 10


@dataclass(frozen=True)
class Upload:
    content: bytes
    name: str = ""


def _clean_common(*, category: str, description: str, upload: Upload) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    if category not in AttachmentCategory.values:
        errors["category"] = [_("Choose a category.")]
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        errors["description"] = [_("At most %(n)s characters.") % {"n": MAX_DESCRIPTION}]
    kind = ""
    try:
        kind = filetypes.check(upload.content, upload.name, max_bytes=settings.CTIP_ATTACHMENT_MAX_BYTES)
    except ValidationFailed as exc:
        errors.update(exc.fields)
    if errors:
        raise ValidationFailed(fields=errors)
    return str(kind), description


def _store(*, actor: Actor, upload: Upload, kind: str, changes: dict, **fields) -> Attachment:
    """Write the file, then the row and its audit event in one transaction; the file goes if the row does not."""
    public_id = uuid.uuid4()
    name = storage.new_storage_name()
    try:
        with transaction.atomic():
            key_id = storage.write(name, public_id, upload.content)
            attachment = Attachment(
                public_id=public_id,
                storage_name=name,
                key_id=key_id,
                content_type=kind,
                size=len(upload.content),
                created_by=actor,
                **fields,
            )
            attachment.full_clean(exclude=["description", "removal_reason"])
            attachment.save()
            audit_record(
                actor=actor,
                action=AttachmentEvent.ADD,
                target_type=TARGET,
                target_id=public_id,
                changes={**changes, "category": fields["category"], "type": kind, "size": len(upload.content)},
            )
    except BaseException:
        storage.discard(name)
        raise
    return attachment


def attachment_add_to_case(
    *, actor: Actor, case, section: str, category: str, upload: Upload, description: str = ""
) -> Attachment:
    """File a document or photo under one section of a case. Needs the case's edit right on the owner side for that
    section; a file under the identity section also needs the person's identity to be visible to the actor."""
    if section not in CaseSection.values:
        raise ValidationFailed(fields={"section": [_("Choose a section.")]})
    access = require(actor, Action.CASE_EDIT, case, section=section, owner_side=True)
    if section == CaseSection.IDENTITY and not case_identity_visible(user=actor, case=case, access=access):
        raise PermissionDenied()
    if category == AttachmentCategory.PASSPORT_COPY and section != CaseSection.IDENTITY:
        raise ValidationFailed(
            fields={"section": [_("A passport or ID copy identifies the person: file it under Identity.")]}
        )
    kind, description = _clean_common(category=category, description=description, upload=upload)
    return _store(
        actor=actor,
        upload=upload,
        kind=kind,
        changes={"case": case.reference, "section": section},
        case=case,
        section=section,
        category=category,
        description=description,
    )


def attachment_add_to_person(
    *, actor: Actor, person, category: str, upload: Upload, description: str = ""
) -> Attachment:
    """Attach a document or photo to a person: the owning side's identity edit right (as a photo)."""
    require(actor, Action.PERSON_EDIT, person, owner_side=True)
    if not person.is_active or person.merged_into_id:
        raise ValidationFailed(message=_("This person record is closed: attach files to the record kept."))
    kind, description = _clean_common(category=category, description=description, upload=upload)
    return _store(
        actor=actor,
        upload=upload,
        kind=kind,
        changes={"person": str(person.public_id)},
        person=person,
        category=category,
        description=description,
    )


def may_remove(actor: Actor, attachment: Attachment) -> bool:
    """The uploader, while they may still edit the record; or a supervisor (`attachment.remove`) of the record's
    owning agency."""
    record = attachment.case if attachment.case_id else attachment.person
    edit = Action.CASE_EDIT if attachment.case_id else Action.PERSON_EDIT
    section = attachment.section or None
    if attachment.created_by_id == getattr(actor, "pk", None) and may(
        actor, edit, record, section=section, owner_side=True
    ):
        return True
    return may(actor, Action.ATTACHMENT_REMOVE, record, owner_side=True)


def attachment_remove(*, actor: Actor, attachment: Attachment, reason: str, expected_version: int) -> Attachment:
    """Soft removal with a reason: the row and the encrypted file stay (audit, lawful requests); lists and
    downloads no longer show it."""
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise ValidationFailed(
            fields={"reason": [_("Give a reason of at least %(n)s characters.") % {"n": MIN_REASON}]}
        )
    with transaction.atomic():
        try:
            locked = (
                Attachment.objects.select_for_update(of=("self",))
                .select_related("case", "case__owning_agency", "person", "person__owning_agency")
                .get(pk=attachment.pk)
            )
        except Attachment.DoesNotExist as exc:
            raise NotFound() from exc
        if locked.removed_at is not None:
            raise NotFound()
        if not may_remove(actor, locked):
            raise PermissionDenied()
        if locked.version != expected_version:
            raise Conflict()
        locked.removed_at = timezone.now()
        locked.removed_by = actor
        locked.removal_reason = reason
        locked.version += 1
        locked.save(update_fields=["removed_at", "removed_by", "removal_reason", "version", "updated_at"])
        audit_record(
            actor=actor,
            action=AttachmentEvent.REMOVE,
            target_type=TARGET,
            target_id=locked.public_id,
            changes={"case": locked.case.reference if locked.case is not None else "", "category": locked.category},
            reason=reason,
        )
    return locked
