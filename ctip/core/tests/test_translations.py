"""The Kiswahili catalogue is complete, well formed and up to date with the source, and it is actually used.

GNU gettext is not installed on every machine that runs the tests, so "up to date" is checked without
`makemessages`: the marked literals are collected from the Python source (with `ast`) and the templates (with
Django's own template lexer) and each must be a msgid of the catalogue. Non-literal arguments (f-strings,
variables) cannot be extracted by gettext either and are skipped.
"""

from __future__ import annotations

import ast
import io
import re
import shutil
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.template.base import Lexer, TokenType
from django.utils import translation
from django.utils.text import smart_split

ROOT = Path(__file__).resolve().parents[3]
CATALOGUE = ROOT / "ctip" / "locale" / "sw" / "LC_MESSAGES" / "django.po"
# makemessages writes the strings of an app that has its own locale/ directory into that app's catalogue.
APP_CATALOGUES = sorted((ROOT / "ctip").glob("*/locale/sw/LC_MESSAGES/django.po"))
ALL_CATALOGUES = [CATALOGUE, *APP_CATALOGUES]
CATALOGUE_IDS = [str(path.relative_to(ROOT)) for path in ALL_CATALOGUES]
SOURCE_DIRS = [ROOT / "ctip", ROOT / "config"]
SKIPPED_DIRS = {"migrations", "tests", "locale", "static", "staticfiles", "__pycache__"}
TEMPLATE_SUFFIXES = {".html", ".txt"}

# Names of django.utils.translation functions and the position of (context, message, plural) in their arguments.
GETTEXT_FUNCTIONS = {
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ugettext": (None, 0, None),
    "ugettext_lazy": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}

PERCENT_NAMED = re.compile(r"%\((\w+)\)[sdifr]")
PERCENT_POSITIONAL = re.compile(r"%[sdifr]")
BRACES = re.compile(r"(?<!\{)\{(\w*)\}(?!\})")
TEMPLATE_UNDERSCORE = re.compile(r"""\b_\(\s*(?:"([^"]*)"|'([^']*)')\s*\)""")  # {{ x|yesno:_("yes,no") }}


def _catalogue(path: Path = CATALOGUE) -> polib.POFile:
    return polib.pofile(str(path))


def _entries(path: Path = CATALOGUE) -> list[polib.POEntry]:
    return [e for e in _catalogue(path) if not e.obsolete]


def _catalogue_for(source: Path) -> Path:
    """The catalogue makemessages puts a source file's strings in: its nearest app-level locale/, else LOCALE_PATHS."""
    for parent in source.parents:
        if parent == ROOT / "ctip" or parent == ROOT:
            break
        candidate = parent / "locale" / "sw" / "LC_MESSAGES" / "django.po"
        if (parent / "locale").is_dir():
            return candidate
    return CATALOGUE


def _placeholders(text: str, python_format: bool) -> Counter:
    text = text.replace("%%", "")
    found = Counter(f"%({name})" for name in PERCENT_NAMED.findall(text))
    if python_format:
        found.update("%" + m[-1] for m in PERCENT_POSITIONAL.findall(PERCENT_NAMED.sub("", text)))
    found.update(f"{{{name}}}" for name in BRACES.findall(text))
    return found


def _source_files(suffixes: set[str]):
    for base in SOURCE_DIRS:
        for path in sorted(base.rglob("*")):
            if path.suffix in suffixes and path.is_file() and not SKIPPED_DIRS & set(path.relative_to(ROOT).parts):
                yield path


def _string(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _python_messages(path: Path):
    """(line, context, msgid, msgid_plural) for every literal passed to a gettext function in one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    aliases = {"_": "gettext"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.name in GETTEXT_FUNCTIONS:
                    aliases[alias.asname or alias.name] = alias.name
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name) and node.func.id in aliases:
            function = aliases[node.func.id]
        elif isinstance(node.func, ast.Attribute) and node.func.attr in GETTEXT_FUNCTIONS:
            function = node.func.attr
        else:
            continue
        ctx_pos, msg_pos, plural_pos = GETTEXT_FUNCTIONS[function]
        args = node.args
        if len(args) <= msg_pos:
            continue
        msgid = _string(args[msg_pos])
        if msgid is None:
            continue  # f-string, variable or expression: gettext cannot extract it either
        context = _string(args[ctx_pos]) if ctx_pos is not None else None
        if ctx_pos is not None and context is None:
            continue
        plural = _string(args[plural_pos]) if plural_pos is not None and len(args) > plural_pos else None
        yield node.lineno, context, msgid, plural


def _unquote(bit: str) -> str | None:
    if len(bit) >= 2 and bit[0] == bit[-1] and bit[0] in "\"'":
        return bit[1:-1]
    return None


def _template_messages(path: Path):
    """(line, context, msgid, msgid_plural) for {% trans %}/{% translate %} literals and {% blocktrans %} blocks."""
    tokens = Lexer(path.read_text(encoding="utf-8")).tokenize()
    block = None  # (line, context, trimmed, singular parts, plural parts or None)
    for token in tokens:
        contents = token.contents
        if block is not None:
            line, context, trimmed, singular, plural = block
            if token.token_type == TokenType.BLOCK and contents.split()[0] in {"endblocktrans", "endblocktranslate"}:
                parts = ["".join(singular)] + (["".join(plural)] if plural is not None else [])
                if trimmed:
                    parts = [translation.trim_whitespace(p) for p in parts]
                yield line, context, parts[0], parts[1] if len(parts) > 1 else None
                block = None
            elif token.token_type == TokenType.BLOCK and contents.split()[0] == "plural":
                block = (line, context, trimmed, singular, [])
            elif token.token_type in (TokenType.TEXT, TokenType.VAR):
                text = contents.replace("%", "%%") if token.token_type == TokenType.TEXT else f"%({contents})s"
                (plural if plural is not None else singular).append(text)
            continue
        if token.token_type in (TokenType.VAR, TokenType.BLOCK):
            for double, single in TEMPLATE_UNDERSCORE.findall(contents):
                yield token.lineno, None, double or single, None
        if token.token_type != TokenType.BLOCK:
            continue
        bits = list(smart_split(contents))
        if bits[0] in {"trans", "translate"} and len(bits) > 1:
            msgid = _unquote(bits[1])
            if msgid is None:
                continue  # {% trans variable %}
            context = _unquote(bits[bits.index("context") + 1]) if "context" in bits[2:] else None
            yield token.lineno, context, msgid, None
        elif bits[0] in {"blocktrans", "blocktranslate"}:
            context = _unquote(bits[bits.index("context") + 1]) if "context" in bits[1:] else None
            block = (token.lineno, context, "trimmed" in bits, [], None)


def _marked_messages():
    for path in _source_files({".py"}):
        for message in _python_messages(path):
            yield path, *message
    for path in _source_files(TEMPLATE_SUFFIXES):
        for message in _template_messages(path):
            yield path, *message


def test_main_catalogue_is_substantial():
    assert len(_entries()) > 100


@pytest.mark.parametrize("path", ALL_CATALOGUES, ids=CATALOGUE_IDS)
def test_catalogue_declares_kiswahili(path):
    catalogue = _catalogue(path)
    assert catalogue.metadata["Language"] == "sw"
    assert "charset=UTF-8" in catalogue.metadata["Content-Type"]
    assert catalogue.metadata["Plural-Forms"].replace(" ", "") == "nplurals=2;plural=(n!=1);"
    assert not catalogue.metadata_is_fuzzy


@pytest.mark.parametrize("path", ALL_CATALOGUES, ids=CATALOGUE_IDS)
def test_every_entry_is_translated_and_not_fuzzy(path):
    def translated(e: polib.POEntry) -> bool:
        if e.msgid_plural:
            return bool(e.msgstr_plural) and all(e.msgstr_plural.values())
        return bool(e.msgstr)

    untranslated = [e.msgid for e in _entries(path) if not translated(e)]
    fuzzy = [e.msgid for e in _entries(path) if "fuzzy" in e.flags]
    assert not untranslated, f"{len(untranslated)} untranslated entries: {untranslated}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries: {fuzzy}"


@pytest.mark.parametrize("path", ALL_CATALOGUES, ids=CATALOGUE_IDS)
def test_no_entry_keeps_a_previous_msgid(path):
    """msgmerge writes `#| msgid "..."` (the text it guessed from) on a fuzzy match. An entry that still carries it
    but is no longer fuzzy had its flag removed without the translation being reviewed: the msgstr translates the
    previous msgid, not its own (the justice catalogue once had 96 such entries, e.g. "Charge" -> "Ameachiliwa").
    Review the translation, then delete the `#|` lines."""
    stale = [f"{e.msgid!r} (was {e.previous_msgid!r})" for e in _entries(path) if e.previous_msgid]
    assert not stale, f"{len(stale)} entries translated from a previous msgid: {stale}"


@pytest.mark.parametrize("path", ALL_CATALOGUES, ids=CATALOGUE_IDS)
def test_placeholders_are_kept(path):
    wrong = []
    for entry in _entries(path):
        python_format = "python-format" in entry.flags
        if entry.msgid_plural:
            expected = _placeholders(entry.msgid_plural, python_format)
            allowed = expected | _placeholders(entry.msgid, python_format)
            forms = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
            if not all(forms):
                continue  # untranslated: reported by test_every_entry_is_translated_and_not_fuzzy
            for form in forms:
                if _placeholders(form, python_format) - allowed:
                    wrong.append((entry.msgid, form))
            if forms and _placeholders(forms[-1], python_format) != expected:
                wrong.append((entry.msgid, forms[-1]))
        elif entry.msgstr and _placeholders(entry.msgstr, python_format) != _placeholders(entry.msgid, python_format):
            wrong.append((entry.msgid, entry.msgstr))
    assert not wrong, "placeholders differ:\n" + "\n".join(f"  {a!r} -> {b!r}" for a, b in wrong)


def test_placeholder_check_catches_a_dropped_or_renamed_placeholder():
    assert _placeholders("Case %(reference)s by %(agency)s", True) != _placeholders("Kesi %(reference)s", True)
    assert _placeholders("%(n)s found", True) != _placeholders("%(idadi)s", True)
    assert _placeholders("%s of %s", True) != _placeholders("%s", True)
    assert _placeholders("{name} joined", False) != _placeholders("{jina}", False)
    assert _placeholders("100%% sure", True) == _placeholders("hakika kwa 100%%", True)


def test_every_marked_source_string_is_in_the_catalogue():
    catalogues = {path: {(e.msgctxt, e.msgid): e for e in _entries(path)} for path in ALL_CATALOGUES}
    missing = []
    for path, line, context, msgid, plural in _marked_messages():
        target = _catalogue_for(path)
        entry = catalogues.get(target, {}).get((context, msgid))
        where = f"{path.relative_to(ROOT)}:{line}"
        label = f" [{target.relative_to(ROOT)}]" if target != CATALOGUE else ""
        if entry is None:
            missing.append(f"{where}: {msgid!r}" + (f" (context {context!r})" if context else "") + label)
        elif plural is not None and entry.msgid_plural != plural:
            missing.append(f"{where}: plural {plural!r} of {msgid!r}{label}")
    assert not missing, (
        f"{len(missing)} marked strings are missing from the Kiswahili catalogue; run makemessages -l sw "
        "and translate them:\n" + "\n".join(missing)
    )


def test_source_walk_finds_the_usual_forms(tmp_path):
    module = tmp_path / "sample.py"
    module.write_text(
        "from django.utils.translation import gettext_lazy as _, ngettext, pgettext_lazy as p\n"
        "a = _('Save')\n"
        "b = ngettext('%(n)s case', '%(n)s cases', 2)\n"
        "c = p('month', 'May')\n"
        "d = _(f'{a}')\n"
        "e = _('Multi' 'part')\n",
        encoding="utf-8",
    )
    assert [m[1:] for m in _python_messages(module)] == [
        (None, "Save", None),
        (None, "%(n)s case", "%(n)s cases"),
        ("month", "May", None),
        (None, "Multipart", None),
    ]
    template = tmp_path / "sample.html"
    template.write_text(
        '{% load i18n %}{% trans "Log in" %}{% translate \'Log out\' context "menu" %}{% trans var %}\n'
        "{% blocktrans with n=x %}Page {{ n }} of 100%{% endblocktrans %}\n"
        "{% blocktranslate trimmed count c=k %}\n  one\n  item{% plural %}{{ c }} items{% endblocktranslate %}\n"
        '{{ flag|yesno:_("yes,no") }}{% include "x.html" with label=_(\'Close\') %}',
        encoding="utf-8",
    )
    assert [m[1:] for m in _template_messages(template)] == [
        (None, "Log in", None),
        ("menu", "Log out", None),
        (None, "Page %(n)s of 100%%", None),
        (None, "one item", "%(c)s items"),
        (None, "yes,no", None),
        (None, "Close", None),
    ]


@pytest.fixture
def compiled_catalogue(tmp_path, settings):
    """Compile the catalogue with the project's own command into a temporary locale directory, so the test
    neither depends on a previous build nor writes build output into the source tree."""
    target = tmp_path / "locale" / "sw" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(CATALOGUE, target / "django.po")
    settings.LOCALE_PATHS = [tmp_path / "locale"]  # also resets Django's cached translations
    call_command("compile_translations", stdout=io.StringIO())
    assert (target / "django.mo").exists()
    return target


@pytest.mark.django_db
def test_login_page_is_in_kiswahili(client, settings, compiled_catalogue):
    with translation.override("sw"):
        assert translation.gettext("Log in") == "Ingia"
        assert translation.gettext("Log in to CTIP") == "Ingia kwenye CTIP"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sw"
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="sw")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="sw"' in html
    assert "Ingia kwenye CTIP" in html
    assert "Nenosiri" in html  # the form's Password label
    assert "Log in to CTIP" not in html


@pytest.mark.django_db
def test_a_request_in_kiswahili_switches_the_thread_to_kiswahili(client):
    """LocaleMiddleware activates the request's language for the whole thread and nothing switches it back when the
    test client returns (no settings override here: its teardown would reset the translations and hide that)."""
    assert client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="sw").status_code == 200
    assert translation.get_language() == "sw"


def test_the_language_a_request_chose_does_not_outlive_its_test():
    """Runs right after the test above: the root conftest's `_default_language` puts the default back, so code run
    outside a request in a later test (a service's error message, a selector's labels) is in English again."""
    from django.conf import settings

    assert translation.get_language() == settings.LANGUAGE_CODE
    assert translation.gettext("Log in") == "Log in"


@pytest.mark.django_db
def test_login_page_stays_english_by_default(client, compiled_catalogue):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Log in to CTIP" in response.content.decode()
