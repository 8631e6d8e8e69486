"""Helpers to attach files through the real services in tests."""

from __future__ import annotations

from ctip.attachments import samples, services


def attach_to_case(actor, case, *, section="circumstances", category="statement", content=None, name="s.pdf", **kw):
    return services.attachment_add_to_case(
        actor=actor,
        case=case,
        section=section,
        category=category,
        upload=services.Upload(content=content if content is not None else samples.pdf(), name=name),
        description=kw.pop("description", ""),
    )


def attach_to_person(actor, person, *, category="passport_copy", content=None, name="p.png", **kw):
    return services.attachment_add_to_person(
        actor=actor,
        person=person,
        category=category,
        upload=services.Upload(content=content if content is not None else samples.image(), name=name),
        description=kw.pop("description", ""),
    )
