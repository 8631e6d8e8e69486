"""The type of an uploaded file, read from its content: PDF, JPEG, PNG or DOCX, nothing else.

The name and the browser's Content-Type are not trusted: a program renamed `report.pdf` is refused. Checks:
- PDF: the `%PDF-` signature and an `%%EOF` trailer;
- JPEG and PNG: the signature, then Pillow (already a dependency) must parse the image and verify it; images of
  more pixels than Pillow's decompression-bomb limit are refused;
- DOCX: a ZIP whose directory names `[Content_Types].xml` and `word/document.xml`, without macros
  (`vbaProject.bin`) and not a macro-enabled type; nothing is decompressed, so a ZIP bomb costs nothing.
No new dependency (`filetype` and `python-magic` only read signatures, which the checks above go beyond).
"""

from __future__ import annotations

import io
import os
import warnings
import zipfile

from django.utils.translation import gettext as _

from ctip.core.errors import ValidationFailed

from .enums import EXTENSIONS, FileKind

_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def _image(content: bytes, expected: str) -> bool:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as img:
                if img.format != expected:
                    return False
                img.verify()
    except Exception:  # noqa: BLE001 - any parse failure means "not a valid image"
        return False
    return True


def _docx(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            names = set(zf.namelist())
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                return False
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return False
            info = zf.getinfo("[Content_Types].xml")
            if info.file_size > 1024 * 1024:
                return False
            types = zf.read(info).decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return False
    return _DOCX_MAIN in types and "macroEnabled" not in types


def detect(content: bytes) -> FileKind | None:
    """The kind of `content` read from its bytes, or None when it is none of the accepted kinds."""
    if content.startswith(b"%PDF-") and b"%%EOF" in content[-1024:]:
        return FileKind.PDF
    if content.startswith(b"\xff\xd8\xff") and _image(content, "JPEG"):
        return FileKind.JPEG
    if content.startswith(b"\x89PNG\r\n\x1a\n") and _image(content, "PNG"):
        return FileKind.PNG
    if content.startswith(b"PK\x03\x04") and _docx(content):
        return FileKind.DOCX
    return None


def check(content: bytes, name: str, *, max_bytes: int, field: str = "file") -> FileKind:
    """The kind of a valid upload, or ValidationFailed on `field`: empty, too big, not an accepted kind by its
    content, or a name whose extension says another kind."""
    size = len(content)
    if size == 0:
        raise ValidationFailed(fields={field: [_("The file is empty.")]})
    if size > max_bytes:
        limit = f"{max_bytes / (1024 * 1024):.0f}" if max_bytes >= 1024 * 1024 else f"{max_bytes / (1024 * 1024):.2f}"
        raise ValidationFailed(fields={field: [_("The file is too big: at most %(size)s MB.") % {"size": limit}]})
    kind = detect(content)
    if kind is None:
        raise ValidationFailed(
            fields={field: [_("Only PDF documents, Word documents (DOCX) and photos (JPEG, PNG) are accepted.")]}
        )
    extension = os.path.splitext(name or "")[1].lower()
    if extension and extension not in EXTENSIONS[kind]:
        raise ValidationFailed(
            fields={field: [_("The file's name does not match its content: rename it or choose another file.")]}
        )
    return kind
