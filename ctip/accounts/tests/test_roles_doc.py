"""docs/security.md shows the role matrix generated from ctip/accounts/roles.py; these tests keep the two in step.

When one fails after a change to roles.py, run `python manage.py roles_matrix --write` and commit the document.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ctip.accounts.enums import Role
from ctip.accounts.management.commands.roles_matrix import (
    END,
    START,
    doc_path,
    generated_block,
    render_matrix,
    replace_block,
)
from ctip.accounts.roles import MATRIX, Action, Scope, scope_of


def _command_output(*args) -> str:
    out = StringIO()
    call_command("roles_matrix", *args, stdout=out)
    return out.getvalue()


def test_security_doc_holds_the_generated_matrix():
    # given the document as committed
    text = doc_path().read_text(encoding="utf-8")

    # when the command renders the matrix from the code
    output = _command_output()

    # then the block between the markers is exactly that output
    assert text.count(START) == 1 and text.count(END) == 1
    assert generated_block(text).strip() == output.strip()


def test_every_action_and_role_appears_in_the_doc():
    block = generated_block(doc_path().read_text(encoding="utf-8"))
    rows = {line.split("|")[2].strip() for line in block.strip().splitlines()[2:]}
    for action in Action:
        assert f"`{action.value}`" in rows, action
    header = block.strip().splitlines()[0]
    for role in Role:
        assert str(role.label) in header, role


def test_each_cell_is_the_scope_of_the_role_for_the_action():
    # given the rendered table
    lines = render_matrix().strip().splitlines()
    roles = [Role(value) for value in Role.values if Role(value) in MATRIX]
    rows = {line.split("|")[2].strip().strip("`"): line for line in lines[2:]}

    # then every cell says the scope the code grants, blank when none
    for action in Action:
        cells = [c.strip() for c in rows[action.value].split("|")[3:-1]]
        assert cells == [(scope_of(role, action) or "") for role in roles]
        assert set(cells) <= {"", *Scope}


def test_mfa_and_identity_rows_follow_the_roles():
    lines = render_matrix().strip().splitlines()
    totp = [c.strip() for c in lines[-2].split("|")[3:-1]]
    identity = [c.strip() for c in lines[-1].split("|")[3:-1]]
    roles = [Role(value) for value in Role.values if Role(value) in MATRIX]
    assert dict(zip(roles, totp, strict=True))[Role.DATA_ANALYST] == ""
    assert dict(zip(roles, identity, strict=True))[Role.SYSADMIN] == ""
    assert dict(zip(roles, identity, strict=True))[Role.INVESTIGATOR] == "yes"


def test_write_replaces_only_the_block(tmp_path, monkeypatch):
    # given a document with stale content between the markers
    doc = tmp_path / "docs" / "security.md"
    doc.parent.mkdir()
    doc.write_text(f"# Before\n\n{START}\nstale\n{END}\n\nAfter.\n", encoding="utf-8")
    monkeypatch.setattr("ctip.accounts.management.commands.roles_matrix.doc_path", lambda: doc)

    # when the command writes, then checks
    _command_output("--write")
    checked = _command_output("--check")

    # then the text around the markers is kept and the block is the matrix
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Before\n\n") and text.endswith("\n\nAfter.\n")
    assert generated_block(text).strip() == render_matrix().strip()
    assert "up to date" in checked


def test_missing_markers_are_an_error():
    with pytest.raises(CommandError):
        replace_block("no markers here", render_matrix())
