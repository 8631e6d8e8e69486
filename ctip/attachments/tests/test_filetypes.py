"""The type of an upload is read from its content; size, emptiness and misleading names are refused."""

from __future__ import annotations

import io
import zipfile

import pytest

from ctip.attachments import filetypes, samples
from ctip.attachments.enums import FileKind
from ctip.core.errors import ValidationFailed

MB = 1024 * 1024
# The start of a Windows program ("MZ" header, DOS stub): what a renamed .exe looks like.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"This program cannot be run in DOS mode." * 20


@pytest.mark.parametrize(
    ("content", "name", "kind"),
    [
        (samples.pdf(), "statement.pdf", FileKind.PDF),
        (samples.image("PNG"), "photo.png", FileKind.PNG),
        (samples.image("JPEG"), "photo.JPG", FileKind.JPEG),
        (samples.docx(), "statement.docx", FileKind.DOCX),
        (samples.pdf(), "", FileKind.PDF),  # no name: the content decides
    ],
)
def test_accepted_kinds_are_recognised_by_content(content, name, kind):
    assert filetypes.check(content, name, max_bytes=MB) == kind


def test_a_renamed_program_is_refused():
    with pytest.raises(ValidationFailed) as exc:
        filetypes.check(EXE, "passport.pdf", max_bytes=MB)
    assert "file" in exc.value.fields
    assert filetypes.detect(EXE) is None


@pytest.mark.parametrize(
    "content",
    [
        b"<html><script>alert(1)</script></html>",  # HTML called .pdf
        b"%PDF-1.4 but never ends",  # a PDF signature without the trailer
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,  # a PNG signature on garbage: Pillow cannot parse it
        b"\xff\xd8\xff\xe0" + b"junk" * 20,  # a JPEG signature on garbage
    ],
)
def test_signatures_alone_or_lies_are_refused(content):
    with pytest.raises(ValidationFailed):
        filetypes.check(content, "x.pdf", max_bytes=MB)


def test_a_macro_document_or_a_plain_zip_is_refused():
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("readme.txt", "hello")
    assert filetypes.detect(plain.getvalue()) is None
    macro = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(samples.docx())) as src, zipfile.ZipFile(macro, "w") as zf:
        for item in src.namelist():
            zf.writestr(item, src.read(item))
        zf.writestr("word/vbaProject.bin", b"\x00" * 10)
    assert filetypes.detect(macro.getvalue()) is None


def test_too_big_and_empty_are_refused():
    with pytest.raises(ValidationFailed) as exc:
        filetypes.check(samples.pdf() + b" " * 2048, "a.pdf", max_bytes=1024)
    assert "too big" in str(exc.value.fields["file"][0])
    with pytest.raises(ValidationFailed):
        filetypes.check(b"", "a.pdf", max_bytes=MB)


def test_a_name_that_says_another_type_is_refused():
    with pytest.raises(ValidationFailed) as exc:
        filetypes.check(samples.image("PNG"), "scan.pdf", max_bytes=MB)
    assert "does not match" in str(exc.value.fields["file"][0])
