"""Complaint evidence files: the type read from the content (not the name), the size limit, private storage.

Only JPEG, PNG and PDF are kept, each recognised by its signature (and, for images, an end marker; for PDF the
`%%EOF` trailer), so a script renamed `photo.jpg` or an HTML page called `receipt.pdf` is refused. Files are
written under settings.CTIP_PRIVATE_FILES (outside STATIC_ROOT and any served folder) under a random name; the
original file name is not kept (it may name someone).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from ctip.core.errors import ValidationFailed

from .enums import EvidenceType

MAX_BYTES = 5 * 1024 * 1024  # 5 MB per file
MAX_FILES = 5
SUBDIR = "complaint-evidence"


@dataclass(frozen=True)
class Upload:
    content: bytes
    name: str = ""


def sniff(content: bytes) -> str | None:
    """The evidence type of `content` read from its bytes, or None when it is none of JPEG, PNG, PDF."""
    if content.startswith(b"\xff\xd8\xff") and content.rstrip(b"\x00").endswith(b"\xff\xd9"):
        return EvidenceType.JPEG
    if content.startswith(b"\x89PNG\r\n\x1a\n") and b"IEND" in content[-32:]:
        return EvidenceType.PNG
    if content.startswith(b"%PDF-") and b"%%EOF" in content[-1024:]:
        return EvidenceType.PDF
    return None


EXTENSIONS = {
    EvidenceType.JPEG: {".jpg", ".jpeg"},
    EvidenceType.PNG: {".png"},
    EvidenceType.PDF: {".pdf"},
}


def check(upload: Upload, field: str = "evidence") -> str:
    """The content type of a valid upload, or ValidationFailed on `field`: too big, empty, not a JPEG, PNG or
    PDF by content, or a name whose extension says another type."""
    size = len(upload.content)
    if size == 0:
        raise ValidationFailed(fields={field: [_("The file is empty.")]})
    if size > MAX_BYTES:
        raise ValidationFailed(fields={field: [_("Each file may be at most 5 MB.")]})
    kind = sniff(upload.content)
    if kind is None:
        raise ValidationFailed(fields={field: [_("Only photos (JPEG, PNG) and PDF documents are accepted.")]})
    extension = os.path.splitext(upload.name or "")[1].lower()
    if extension and extension not in EXTENSIONS[EvidenceType(kind)]:
        raise ValidationFailed(
            fields={field: [_("The file's name does not match its content: only JPEG, PNG and PDF are accepted.")]}
        )
    return str(kind)


def root() -> Path:
    return Path(settings.CTIP_PRIVATE_FILES) / SUBDIR


def store(content: bytes) -> tuple[str, str]:
    """Write the file under a random name; (storage name, sha256)."""
    name = secrets.token_hex(24)
    folder = root()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / name
    with open(path, "xb") as fh:
        fh.write(content)
    os.chmod(path, 0o600)
    return name, hashlib.sha256(content).hexdigest()


def path_of(storage_name: str) -> Path:
    if not storage_name or "/" in storage_name or "\\" in storage_name or storage_name.startswith("."):
        raise ValueError("bad storage name")
    return root() / storage_name


def discard(storage_name: str) -> None:
    with contextlib.suppress(FileNotFoundError, ValueError):
        path_of(storage_name).unlink()
