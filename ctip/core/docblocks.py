"""Generated blocks in the documentation: a Markdown table the code renders, kept between two HTML-comment
markers of a document, which a management command prints, writes (--write) or checks (--check).

Used by `roles_matrix` (accounts) and `audit_events` (audit), so docs/security.md cannot say something the code
does not do.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def docs_path(name: str) -> Path:
    return Path(settings.BASE_DIR) / "docs" / name


def cell(text: object) -> str:
    """Text safe in a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def generated_block(text: str, start: str, end: str) -> str:
    """The text between the markers of a document (without the markers)."""
    if text.count(start) != 1 or text.count(end) != 1 or text.index(start) > text.index(end):
        raise CommandError(f"The document needs exactly one {start} followed by one {end}.")
    return text.split(start, 1)[1].split(end, 1)[0]


def replace_block(text: str, table: str, start: str, end: str) -> str:
    generated_block(text, start, end)  # raises when the markers are missing
    head, rest = text.split(start, 1)
    _body, tail = rest.split(end, 1)
    return f"{head}{start}\n{table}{end}{tail}"


class GeneratedDocCommand(BaseCommand):
    """Print the rendered table, or write it into / check it against its document's generated block."""

    start = ""
    end = ""
    subject = ""  # what the table is, for messages: "the role matrix"
    command = ""  # the command's name, for the "out of date" hint

    def render(self) -> str:
        raise NotImplementedError

    def document(self) -> Path:
        raise NotImplementedError

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--write", action="store_true", help="Replace the generated block in the document.")
        group.add_argument("--check", action="store_true", help="Fail when the document is out of date.")

    def handle(self, *args, **options):
        table = self.render()
        if not options["write"] and not options["check"]:
            self.stdout.write(table, ending="")
            return
        path = self.document()
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        text = path.read_text(encoding="utf-8")
        if options["check"]:
            if generated_block(text, self.start, self.end).strip() != table.strip():
                raise CommandError(f"{path} is out of date: run `manage.py {self.command} --write`.")
            self.stdout.write(f"{path} is up to date.")
            return
        new_text = replace_block(text, table, self.start, self.end)
        if new_text != text:
            path.write_text(new_text, encoding="utf-8")
            self.stdout.write(f"Wrote {self.subject} to {path}.")
        else:
            self.stdout.write(f"{path} already up to date.")
