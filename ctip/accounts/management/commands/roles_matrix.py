"""Render the role x action x scope matrix of ctip/accounts/roles.py as a Markdown table.

    manage.py roles_matrix            # print the table
    manage.py roles_matrix --write    # replace the generated block in docs/security.md
    manage.py roles_matrix --check    # exit 1 when docs/security.md is out of date

The table is built from `roles.MATRIX`, `roles.ACTION_LABELS`, `role_requires_mfa` and `role_sees_identity`, so
the documentation cannot say something the code does not do (ctip/accounts/tests/test_roles_doc.py).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from ctip.accounts.enums import Role
from ctip.accounts.roles import ACTION_LABELS, MATRIX, Action, role_requires_mfa, role_sees_identity, scope_of

START = "<!-- roles-matrix:start -->"
END = "<!-- roles-matrix:end -->"


def doc_path() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "security.md"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_matrix() -> str:
    """The matrix as Markdown: one row per action, one column per role; a cell holds the scope or is blank."""
    roles = [Role(value) for value in Role.values if Role(value) in MATRIX]
    with translation.override("en"):
        header = ["Action", "Code", *[_cell(role.label) for role in roles]]
        lines = [
            "| " + " | ".join(header) + " |",
            "|" + "|".join(["---", "---", *[":-:" for _ in roles]]) + "|",
        ]
        for action in Action:
            cells = [_cell(ACTION_LABELS.get(action, action.value)), f"`{action.value}`"]
            for role in roles:
                scope = scope_of(role, action)
                cells.append(scope.value if scope is not None else "")
            lines.append("| " + " | ".join(cells) + " |")
        for title, test in (
            ("Requires TOTP (second factor)", role_requires_mfa),
            ("Sees identity data", role_sees_identity),
        ):
            lines.append(f"| **{title}** | | " + " | ".join("yes" if test(role) else "" for role in roles) + " |")
    return "\n".join(lines) + "\n"


def generated_block(text: str) -> str:
    """The text between the markers of a document (without the markers)."""
    if text.count(START) != 1 or text.count(END) != 1 or text.index(START) > text.index(END):
        raise CommandError(f"The document needs exactly one {START} followed by one {END}.")
    return text.split(START, 1)[1].split(END, 1)[0]


def replace_block(text: str, table: str) -> str:
    generated_block(text)  # raises when the markers are missing
    head, rest = text.split(START, 1)
    _body, tail = rest.split(END, 1)
    return f"{head}{START}\n{table}{END}{tail}"


class Command(BaseCommand):
    help = "Print the role x action x scope matrix as Markdown, or write it into docs/security.md (--write)."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--write", action="store_true", help="Replace the generated block in docs/security.md.")
        group.add_argument("--check", action="store_true", help="Fail when docs/security.md is out of date.")

    def handle(self, *args, **options):
        table = render_matrix()
        if not options["write"] and not options["check"]:
            self.stdout.write(table, ending="")
            return
        path = doc_path()
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        text = path.read_text(encoding="utf-8")
        if options["check"]:
            if generated_block(text).strip() != table.strip():
                raise CommandError(f"{path} is out of date: run `manage.py roles_matrix --write`.")
            self.stdout.write(f"{path} is up to date.")
            return
        new_text = replace_block(text, table)
        if new_text != text:
            path.write_text(new_text, encoding="utf-8")
            self.stdout.write(f"Wrote the role matrix to {path}.")
        else:
            self.stdout.write(f"{path} already up to date.")
