"""The catalogue of audit event names: every name written is declared, unknown names are refused, and the
auditor's filter, its labels (English and Kiswahili) and docs/security.md are built from it."""

from __future__ import annotations

import ast
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import TextChoices
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ctip.audit import catalogue
from ctip.audit.catalogue import UnknownAuditEvent
from ctip.audit.management.commands.audit_events import (
    END,
    START,
    doc_path,
    generated_block,
    render_events,
    replace_block,
)
from ctip.audit.models import AuditChainHead, AuditEvent
from ctip.audit.services import audit_record, chain_pending

CTIP = Path(__file__).resolve().parents[2]
LIST = reverse("audit:list")


# --- every name written in the code is in the catalogue (static: a new module cannot forget one) ----------


def _modules() -> dict[Path, ast.Module]:
    return {
        path: ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(CTIP.rglob("*.py"))
        if "migrations" not in path.parts and path != Path(__file__).resolve()  # this file writes wrong names
    }


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _calls_with_functions(tree: ast.Module):
    """Every call in the module with the function definition it appears in (None at module level)."""
    found = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            if isinstance(child, ast.Call):
                found.append((child, function))
            visit(child, inner)

    visit(tree, None)
    return found


class _Resolver:
    """Resolves the `action` of each `audit_record` call to string literals, following parameters and local
    assignments (`auth_event(action="auth.logout")`, `_audit(actor, r, "referral.accept", old)`,
    `action = "a" if x else "b"`). Anything else is reported as unresolvable: write a literal or an enum member."""

    def __init__(self, modules: dict[Path, ast.Module]):
        self.calls = [(path, call, fn) for path, tree in modules.items() for call, fn in _calls_with_functions(tree)]
        self.enums = {event.source.__name__: event.source for event in catalogue.events()}
        self.unresolved: list[str] = []

    def names(self, expr, function, where: str, depth: int = 0) -> set[str]:
        if depth > 4 or expr is None:
            self.unresolved.append(where)
            return set()
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return {expr.value}
        if isinstance(expr, ast.IfExp):
            return self.names(expr.body, function, where, depth) | self.names(expr.orelse, function, where, depth)
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id in self.enums:
            return {str(getattr(self.enums[expr.value.id], expr.attr).value)}
        if isinstance(expr, ast.Name) and function is not None:
            return self._name(expr.id, function, where, depth)
        self.unresolved.append(where)
        return set()

    def _name(self, name: str, function, where: str, depth: int) -> set[str]:
        positional = [a.arg for a in function.args.posonlyargs + function.args.args]
        keyword_only = [a.arg for a in function.args.kwonlyargs]
        if name in positional or name in keyword_only:
            found: set[str] = set()
            callers = [(p, c, f) for p, c, f in self.calls if _called_name(c) == function.name]
            for path, call, caller in callers:
                here = f"{path.relative_to(CTIP.parent)}:{call.lineno}"
                arg = next((k.value for k in call.keywords if k.arg == name), None)
                if arg is None and name in positional and positional.index(name) < len(call.args):
                    arg = call.args[positional.index(name)]
                found |= self.names(arg, caller, here, depth + 1)
            if not callers:
                self.unresolved.append(where)
            return found
        values: set[str] = set()
        assigned = False
        for node in ast.walk(function):
            if not isinstance(node, ast.Assign):
                continue
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == name:
                    assigned = True
                    values |= self.names(node.value, function, where, depth + 1)
                elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    for element, value in zip(target.elts, node.value.elts, strict=False):
                        if isinstance(element, ast.Name) and element.id == name:
                            assigned = True
                            values |= self.names(value, function, where, depth + 1)
        if not assigned:
            self.unresolved.append(where)
        return values


def _written_names() -> tuple[dict[str, list[str]], list[str]]:
    modules = _modules()
    resolver = _Resolver(modules)
    written: dict[str, list[str]] = {}
    for path, call, function in resolver.calls:
        if _called_name(call) != "audit_record":
            continue
        where = f"{path.relative_to(CTIP.parent)}:{call.lineno}"
        action = next((k.value for k in call.keywords if k.arg == "action"), None)
        for name in resolver.names(action, function, where):
            written.setdefault(name, []).append(where)
    return written, resolver.unresolved


def test_every_name_written_in_the_code_is_in_the_catalogue():
    written, unresolved = _written_names()
    # then the scan found the known writers (a scan that finds nothing cannot fail)
    assert {"person.create", "auth.logout", "referral.accept", "user.deactivate", "share.expire_set"} <= set(written)
    assert len(written) > 60
    # and every name is declared
    unknown = {name: where for name, where in written.items() if not catalogue.is_known(name)}
    assert unknown == {}, "declare these in ctip/<app>/events.py"
    assert unresolved == [], "pass audit_record a literal name or an enum member"


def test_every_catalogued_name_is_written_somewhere():
    written, _unresolved = _written_names()
    assert sorted(catalogue.codes() - set(written)) == []


def test_the_scan_finds_names_passed_through_helpers(tmp_path):
    tree = ast.parse(
        "def helper(actor, action):\n"
        "    audit_record(actor=actor, action=action)\n"
        "def other(actor, flag):\n"
        "    name, extra = ('a.one' if flag else 'a.two'), 1\n"
        "    audit_record(actor=actor, action=name)\n"
        "    helper(actor, 'a.three')\n"
        "    helper(actor, action='a.four')\n"
        "    audit_record(actor=actor, action=compute())\n"
    )
    resolver = _Resolver({CTIP / "x.py": tree})
    names = set()
    for _path, call, function in resolver.calls:
        if _called_name(call) == "audit_record":
            action = next(k.value for k in call.keywords if k.arg == "action")
            names |= resolver.names(action, function, f"x.py:{call.lineno}")
    assert names == {"a.one", "a.two", "a.three", "a.four"}
    assert resolver.unresolved == ["x.py:8"]


# --- audit_record refuses unknown names ---------------------------------------------------------------------


@pytest.mark.django_db
def test_unknown_name_is_refused_and_the_callers_transaction_writes_nothing(users):
    from ctip.accounts.models import Agency

    chain_pending()
    before = AuditEvent.objects.count()
    head = AuditChainHead.objects.get(id=1)
    agencies = Agency.objects.count()
    # when a service changes something and then audits it with a name no app declared
    with pytest.raises(UnknownAuditEvent, match="'person.creat'.*events.py"), transaction.atomic():
        Agency.objects.filter(pk=users["case_worker"].agency_id).update(name="Renamed")
        Agency.objects.create(name="Ghost agency", short_name="GHOST", agency_type="police")
        audit_record(actor=users["case_worker"], action="person.creat")
    # then neither the change nor any event was written, and the chain head did not move
    assert AuditEvent.objects.count() == before
    assert AuditChainHead.objects.get(id=1).hash == head.hash
    assert Agency.objects.count() == agencies
    assert not Agency.objects.filter(name="Renamed").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["", "person", "PERSON.CREATE", " person.create", None, 7])
def test_malformed_names_are_refused(name, users):
    with pytest.raises(UnknownAuditEvent):
        audit_record(actor=users["case_worker"], action=name)


@pytest.mark.django_db
def test_an_enum_member_is_accepted_and_stored_as_its_code(users):
    from ctip.people.events import PeopleEvent

    event = audit_record(actor=users["case_worker"], action=PeopleEvent.PERSON_UPDATE)
    assert AuditEvent.objects.get(pk=event.pk).action == "person.update"
    assert type(event.action) is str


# --- the registry --------------------------------------------------------------------------------------------


class _Extra(TextChoices):
    ONE = "zz_extra.one", _("Extra one")


class _Clash(TextChoices):
    SAME = "person.create", _("Another person registered")


class _Malformed(TextChoices):
    BAD = "nodot", _("No subject")


def test_each_app_registers_its_catalogue():
    apps = {event.app for event in catalogue.events()}
    assert apps == {
        "accounts",
        "attachments",
        "audit",
        "cases",
        "demo",
        "exports",
        "intake",
        "jobcheck",
        "justice",
        "leads",
        "people",
        "recruitment",
        "reference",
        "referrals",
        "trustfund",
        "stats",
        "npa",
    }
    assert catalogue.events()[0].source.__module__.endswith(".events")


def test_a_name_is_declared_once():
    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        catalogue.register(_Clash, subjects={})
    assert catalogue.label("person.create") == "Person registered"


def test_names_must_be_subject_dot_verb():
    with pytest.raises(ImproperlyConfigured, match="subject.verb"):
        catalogue.register(_Malformed, subjects={"nodot": "x"})
    assert not catalogue.is_known("nodot")


def test_registering_is_idempotent_and_a_subject_without_label_fails_the_system_check():
    assert catalogue.system_check() == []
    try:
        catalogue.register(_Extra)
        catalogue.register(_Extra)
        assert catalogue.is_known("zz_extra.one")
        # then the system check names the subject nobody labelled
        assert [e.id for e in catalogue.system_check()] == ["audit.E001"]
        assert "zz_extra" in catalogue.system_check()[0].msg
    finally:
        catalogue.unregister(_Extra)
    assert not catalogue.is_known("zz_extra.one")
    assert catalogue.system_check() == []


def test_every_name_and_subject_has_a_kiswahili_label():
    missing = []
    for event in catalogue.events():
        with translation.override("en"):
            english = (str(event.label), catalogue.subject_label(event.subject))
        with translation.override("sw"):
            swahili = (str(event.label), catalogue.subject_label(event.subject))
        if swahili[0] == english[0] or swahili[1] == english[1]:
            missing.append(event.code)
    assert missing == []


def test_unknown_retired_names_are_shown_as_written():
    assert catalogue.label("retired.event") == "retired.event"


# --- the auditor's screen -----------------------------------------------------------------------------------


def test_filter_offers_every_name_grouped_by_subject():
    choices = catalogue.filter_choices()
    assert choices[0] == ("", "All events")
    offered = {value for _group, options in choices[1:] for value, _label in options}
    assert catalogue.codes() <= offered
    assert {f"{event.subject}." for event in catalogue.events()} <= offered
    labels = {label for _group, options in choices[1:] for _value, label in options}
    assert "Person registered" in labels and "All: Persons" in labels


@pytest.mark.django_db
def test_screen_shows_labels_never_codes(users, client_for, make_person):
    make_person(users["case_worker"])
    audit_record(actor=users["investigator"], action="case.care_plan_end")
    client = client_for(users["auditor"])
    # when
    response = client.get(LIST)
    # then the event column shows labels: a code appears only as an option value of the filter
    body = response.content.decode()
    assert "<td>Person registered</td>" in body
    assert "<td>Care plan ended</td>" in body
    assert ">person.create<" not in body and "<code>person.create</code>" not in body
    # and in Kiswahili
    with translation.override("sw"):
        response = client.get(LIST, HTTP_ACCEPT_LANGUAGE="sw")
    sw_label = translation.trans_real.translation("sw").gettext("Person registered")
    assert sw_label != "Person registered"
    assert f"<td>{sw_label}</td>" in response.content.decode()


@pytest.mark.django_db
def test_filter_by_one_event_is_exact_and_by_subject_is_a_prefix(users, client_for):
    audit_record(actor=users["investigator"], action="case.care_plan")
    audit_record(actor=users["investigator"], action="case.care_plan_end")
    client = client_for(users["auditor"])
    exact = client.get(LIST, {"action": "case.care_plan"}).context["page"]
    assert [e.action for e in exact] == ["case.care_plan"]
    subject = client.get(LIST, {"action": "case."}).context["page"]
    assert [e.action for e in subject] == ["case.care_plan_end", "case.care_plan"]
    # a name not in the catalogue is not a filter: the form says so and shows nothing
    response = client.get(LIST, {"action": "case.care"})
    assert response.status_code == 200
    assert response.context["form"].errors["action"]
    assert list(response.context["page"]) == []


# --- docs/security.md --------------------------------------------------------------------------------------


def test_security_doc_lists_exactly_the_catalogue():
    text = doc_path().read_text(encoding="utf-8")
    assert generated_block(text).strip() == render_events().strip(), "run `manage.py audit_events --write`"
    rows = generated_block(text).strip().splitlines()[2:]
    assert sorted(row.split("|")[2].strip().strip("`") for row in rows) == sorted(catalogue.codes())


def test_check_and_write_keep_the_text_around_the_block(tmp_path, monkeypatch):
    doc = tmp_path / "security.md"
    doc.write_text(f"# Before\n\n{START}\nstale\n{END}\n\nAfter.\n", encoding="utf-8")
    monkeypatch.setattr("ctip.audit.management.commands.audit_events.doc_path", lambda: doc)
    with pytest.raises(CommandError, match="out of date"):
        call_command("audit_events", "--check", stdout=StringIO())
    call_command("audit_events", "--write", stdout=StringIO())
    out = StringIO()
    call_command("audit_events", "--check", stdout=out)
    assert "up to date" in out.getvalue()
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Before\n\n") and text.endswith("\n\nAfter.\n")
    with pytest.raises(CommandError):
        replace_block("no markers", render_events())
