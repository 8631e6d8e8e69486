"""Render the catalogue of audit event names (ctip/audit/catalogue.py) as a Markdown table.

    manage.py audit_events            # print the table
    manage.py audit_events --write    # replace the generated block in docs/security.md
    manage.py audit_events --check    # exit 1 when docs/security.md is out of date

ctip/audit/tests/test_catalogue.py fails when the document differs from the catalogue.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from ctip.audit import catalogue

START = "<!-- audit-events:start -->"
END = "<!-- audit-events:end -->"


def doc_path() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "security.md"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_events() -> str:
    """One row per event name, by subject then code: subject, code, label (English), declaring app."""
    with translation.override("en"):
        lines = ["| Subject | Code | Event | Declared in |", "|---|---|---|---|"]
        for event in sorted(catalogue.events(), key=lambda e: (e.subject, e.code)):
            lines.append(
                f"| {_cell(catalogue.subject_label(event.subject))} | `{event.code}` | {_cell(event.label)} "
                f"| `ctip/{event.app}/events.py` |"
            )
    return "\n".join(lines) + "\n"


def generated_block(text: str) -> str:
    if text.count(START) != 1 or text.count(END) != 1 or text.index(START) > text.index(END):
        raise CommandError(f"The document needs exactly one {START} followed by one {END}.")
    return text.split(START, 1)[1].split(END, 1)[0]


def replace_block(text: str, table: str) -> str:
    generated_block(text)
    head, rest = text.split(START, 1)
    _body, tail = rest.split(END, 1)
    return f"{head}{START}\n{table}{END}{tail}"


class Command(BaseCommand):
    help = "Print the audit event catalogue as Markdown, or write it into docs/security.md (--write)."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--write", action="store_true", help="Replace the generated block in docs/security.md.")
        group.add_argument("--check", action="store_true", help="Fail when docs/security.md is out of date.")

    def handle(self, *args, **options):
        table = render_events()
        if not options["write"] and not options["check"]:
            self.stdout.write(table, ending="")
            return
        path = doc_path()
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        text = path.read_text(encoding="utf-8")
        if options["check"]:
            if generated_block(text).strip() != table.strip():
                raise CommandError(f"{path} is out of date: run `manage.py audit_events --write`.")
            self.stdout.write(f"{path} is up to date.")
            return
        new_text = replace_block(text, table)
        if new_text != text:
            path.write_text(new_text, encoding="utf-8")
            self.stdout.write(f"Wrote the audit event names to {path}.")
        else:
            self.stdout.write(f"{path} already up to date.")
