"""Demo attachments: a few small, harmless generated files (one-page PDFs, small PNG and JPEG images, a DOCX) on
the first cases of the demo case worker's agency and on one person, through the real services (checked by content,
encrypted under the vault keys, audited). The same few files at every demo size. Running the demo again adds no
second set. Every text is fictitious."""

from __future__ import annotations

from django.db import transaction

from ctip.accounts.enums import Role
from ctip.accounts.models import User
from ctip.cases.models import Case

from . import samples, services
from .models import Attachment

# (section, category, description, kind, text or colour)
CASE_FILES = [
    ("care", "medical_report", "Clinic visit summary (demo)", "pdf", "Demo medical report: no real patient"),
    ("circumstances", "contract", "Job offer received by WhatsApp (demo)", "png", (200, 170, 90)),
    ("circumstances", "statement", "Statement taken at the station (demo)", "docx", "Demo statement text"),
    ("identity", "passport_copy", "Passport data page (demo)", "jpeg", (120, 140, 170)),
]


def _content(kind: str, value) -> tuple[bytes, str]:
    if kind == "pdf":
        return samples.pdf(value), "demo.pdf"
    if kind == "docx":
        return samples.docx(value), "demo.docx"
    fmt = "PNG" if kind == "png" else "JPEG"
    return samples.image(fmt, (120, 80), value), f"demo.{kind}"


def add_demo_attachments(*, seed: int, result, actor, progress=None) -> None:
    if Attachment.objects.exists():
        return
    worker = User.objects.filter(username="demo.caseworker", role=Role.CASE_WORKER, is_active=True).first()
    if worker is None:
        return
    cases = list(Case.objects.filter(owning_agency=worker.agency).select_related("person").order_by("pk")[:3])
    made = 0
    with transaction.atomic():
        for n, case in enumerate(cases):
            for section, category, description, kind, value in CASE_FILES[: (4, 2, 1)[n]]:
                content, name = _content(kind, value)
                services.attachment_add_to_case(
                    actor=worker,
                    case=case,
                    section=section,
                    category=category,
                    upload=services.Upload(content=content, name=name),
                    description=description,
                )
                made += 1
        if cases:
            content, name = _content("jpeg", (90, 120, 100))
            services.attachment_add_to_person(
                actor=worker,
                person=cases[0].person,
                category="photo",
                upload=services.Upload(content=content, name=name),
                description="Photo taken at registration (demo)",
            )
            made += 1
    if hasattr(result, "extra"):
        result.extra["attachments"] = made
