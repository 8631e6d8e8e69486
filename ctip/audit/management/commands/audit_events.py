"""Render the catalogue of audit event names (ctip/audit/catalogue.py) as a Markdown table.

    manage.py audit_events            # print the table
    manage.py audit_events --write    # replace the generated block in docs/security.md
    manage.py audit_events --check    # exit 1 when docs/security.md is out of date

ctip/audit/tests/test_catalogue.py fails when the document differs from the catalogue.
"""

from __future__ import annotations

from pathlib import Path

from django.utils import translation

from ctip.audit import catalogue
from ctip.core import docblocks

START = "<!-- audit-events:start -->"
END = "<!-- audit-events:end -->"


def doc_path() -> Path:
    return docblocks.docs_path("security.md")


_cell = docblocks.cell


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
    """The text between this table's markers (without them)."""
    return docblocks.generated_block(text, START, END)


def replace_block(text: str, table: str) -> str:
    return docblocks.replace_block(text, table, START, END)


class Command(docblocks.GeneratedDocCommand):
    help = "Print the audit event catalogue as Markdown, or write it into docs/security.md (--write)."
    start, end = START, END
    subject = "the audit event names"
    command = "audit_events"

    def render(self) -> str:
        return render_events()

    def document(self) -> Path:
        return doc_path()
