"""The attachments section of a person's page (registered with ctip.people.panels in AttachmentsConfig.ready)."""

from __future__ import annotations

from ctip.accounts.access import may
from ctip.accounts.roles import Action
from ctip.people.panels import Panel

from . import selectors
from .forms import PersonAttachmentForm


def person_attachments_panel(user, person) -> Panel | None:
    """The person's files, for a user who may see the person's identity; None (no section at all) otherwise."""
    if not user.can(Action.PERSON_VIEW_IDENTITY) or not selectors.person_identity_visible(user=user, person=person):
        return None
    attachments = selectors.person_attachments_for_user(user=user, person=person)
    descriptions = selectors.descriptions_for_user(user=user, attachments=attachments, purpose="person_page")
    can_upload = (
        may(user, Action.PERSON_EDIT, person, owner_side=True) and person.is_active and not person.merged_into_id
    )
    supervisor = may(user, Action.ATTACHMENT_REMOVE, person, owner_side=True)
    can_edit = may(user, Action.PERSON_EDIT, person, owner_side=True)
    rows = [
        {
            "attachment": a,
            "description": descriptions.get(a.pk, ""),
            "can_remove": supervisor or (a.created_by_id == user.pk and can_edit),
        }
        for a in attachments
    ]
    return Panel(
        "attachments/_person_attachments.html",
        {"rows": rows, "form": PersonAttachmentForm() if can_upload else None, "person": person},
    )
