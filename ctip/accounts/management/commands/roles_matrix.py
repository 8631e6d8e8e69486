"""Render the role x action x scope matrix of ctip/accounts/roles.py as a Markdown table.

    manage.py roles_matrix            # print the table
    manage.py roles_matrix --write    # replace the generated block in docs/security.md
    manage.py roles_matrix --check    # exit 1 when docs/security.md is out of date

The table is built from `roles.MATRIX`, `roles.ACTION_LABELS`, `role_requires_mfa` and `role_sees_identity`, so
the documentation cannot say something the code does not do (ctip/accounts/tests/test_roles_doc.py).
"""

from __future__ import annotations

from pathlib import Path

from django.utils import translation

from ctip.accounts.enums import Role
from ctip.accounts.roles import ACTION_LABELS, MATRIX, Action, role_requires_mfa, role_sees_identity, scope_of
from ctip.core import docblocks

START = "<!-- roles-matrix:start -->"
END = "<!-- roles-matrix:end -->"


def doc_path() -> Path:
    return docblocks.docs_path("security.md")


_cell = docblocks.cell


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
    """The text between this table's markers (without them)."""
    return docblocks.generated_block(text, START, END)


def replace_block(text: str, table: str) -> str:
    return docblocks.replace_block(text, table, START, END)


class Command(docblocks.GeneratedDocCommand):
    help = "Print the role x action x scope matrix as Markdown, or write it into docs/security.md (--write)."
    start, end = START, END
    subject = "the role matrix"
    command = "roles_matrix"

    def render(self) -> str:
        return render_matrix()

    def document(self) -> Path:
        return doc_path()
