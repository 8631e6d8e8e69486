"""The shared test world: parts (agencies, users of every role, persons, cases...) made through the real services
once per test module instead of once per test.

How it works. The first database test of a module opens a transaction (the root conftest's module-scoped `_world`)
that is rolled back after the module's last test. Before each database test, and before pytest-django opens the
test's own savepoint, `_world_sync` brings the world to exactly the parts that test asks for (directly or through
other fixtures): each part is built through the real services inside a savepoint of its own, in a fixed order, and
a part the test does not ask for is rolled back (with the parts built after it) first. So a test sees the rows of
the parts it asked for and nothing else, whatever ran before it on this worker; consecutive tests asking for the
same parts (the usual case in a module) share one build. Each test gets its own deep copies of the built
instances (one memo per test, so the copies still refer to each other, as Django's `setUpTestData` does). Each
test still runs in its own savepoint (pytest-django's `db`): its writes are undone before the next test and its
in-memory changes stay on its own copies. A module with a transactional test (the browser journeys:
`live_server`) keeps the old behaviour: every part is built per test. Plain transactions and savepoints only: the
same on SQLite and PostgreSQL.

Declaring a part (in a conftest or a test module):

    @shared_fixture("system_actor")
    def agency(system_actor):
        return agency_create(actor=system_actor, ...)

defines the test fixture `agency` and the module-scoped `_shared_agency` (its recipe) in the calling module.
`build` receives the built parts it names and must not keep other state; what it returns is deep-copied per test.
"""

from __future__ import annotations

import copy
import inspect
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.test import Client

PASSWORD = "Correct-Horse-Battery-9"
_KIND = inspect.Parameter.POSITIONAL_OR_KEYWORD
# parts most tests share come first, so a test asking for fewer parts rolls back as little as possible
_PRIORITY = ["system_actor", "agency", "users", "other_agency", "other_users"]


def _signature(*names: str) -> inspect.Signature:
    return inspect.Signature([inspect.Parameter(n, _KIND) for n in names])


@dataclass(frozen=True)
class Recipe:
    name: str
    build: Callable[..., Any]
    deps: tuple[str, ...]


def shared_fixture(*deps: str, name: str | None = None):
    def decorate(build):
        part = name or build.__name__
        namespace = sys._getframe(1).f_globals
        recipe = Recipe(part, build, tuple(deps))

        def module_part(**_recipes):
            return recipe

        def test_part(request, db, _world, _world_memo, **_recipe):
            if _world.active:
                return copy.deepcopy(_world.built[part], _world_memo)
            # a transactional module: build for this test, from this test's own parts
            return build(*(request.getfixturevalue(dep) for dep in deps))

        # the recipes of the parts this one is built from are in the test's fixture closure, so `_world_sync` sees
        # every part a test needs
        module_part.__signature__ = _signature(*(f"_shared_{dep}" for dep in deps))
        module_part.__name__ = f"_shared_{part}"
        test_part.__signature__ = _signature("request", "db", "_world", "_world_memo", f"_shared_{part}")
        test_part.__name__ = part
        test_part.__doc__ = build.__doc__
        namespace[f"_shared_{part}"] = pytest.fixture(scope="module", name=f"_shared_{part}")(module_part)
        return pytest.fixture(name=part)(test_part)

    return decorate


_TRANSACTIONAL = {"transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}


def _uses_db(item) -> bool:
    return bool(item.get_closest_marker("django_db")) or bool({"db", "_django_db_helper"} & set(item.fixturenames))


def module_is_transactional(request) -> bool:
    """Whether any test of the requesting module runs outside a rolled-back transaction."""
    for item in request.session.items:
        if getattr(item, "module", None) is not request.module:
            continue
        if _TRANSACTIONAL & set(getattr(item, "fixturenames", ())):
            return True
        marker = item.get_closest_marker("django_db")
        if marker and any(marker.kwargs.get(k) for k in ("transaction", "reset_sequences", "serialized_rollback")):
            return True
    return False


class World:
    """One module's shared parts: the open transaction and a stack of (part, savepoint) in build order."""

    def __init__(self, transactional: bool, blocker):
        self.transactional = transactional
        self.blocker = blocker
        self.atomic = None
        self.built: dict[str, Any] = {}
        self.stack: list[tuple[str, str]] = []

    @property
    def active(self) -> bool:
        return self.atomic is not None

    def sync(self, recipes: dict[str, Recipe]) -> None:
        """Make the built parts exactly `recipes` (plus nothing), reusing the longest common prefix."""
        from django.db import transaction

        order = _order(recipes)
        with self.blocker.unblock():
            if self.atomic is None:
                self.atomic = transaction.atomic()
                self.atomic.__enter__()
            keep = 0
            while keep < len(self.stack) and keep < len(order) and self.stack[keep][0] == order[keep]:
                keep += 1
            if keep < len(self.stack):
                transaction.savepoint_rollback(self.stack[keep][1])
                for part, _sid in self.stack[keep:]:
                    del self.built[part]
                del self.stack[keep:]
            for part in order[keep:]:
                recipe = recipes[part]
                sid = transaction.savepoint()
                self.built[part] = recipe.build(*(self.built[dep] for dep in recipe.deps))
                self.stack.append((part, sid))

    def close(self) -> None:
        from django.db import transaction

        if self.atomic is not None:
            with self.blocker.unblock():
                transaction.set_rollback(True)
                self.atomic.__exit__(None, None, None)
            self.atomic = None


def _order(recipes: dict[str, Recipe]) -> list[str]:
    """Dependencies first; otherwise the common parts first, then by name (a fixed order for every test)."""
    rank = {name: (_PRIORITY.index(name) if name in _PRIORITY else len(_PRIORITY), name) for name in recipes}
    order: list[str] = []
    pending = set(recipes)
    while pending:
        ready = [n for n in pending if all(dep in order for dep in recipes[n].deps)]
        assert ready, f"shared parts depend on each other in a circle: {sorted(pending)}"
        chosen = min(ready, key=rank.__getitem__)
        order.append(chosen)
        pending.remove(chosen)
    return order


def world_fixture(request, django_db_blocker):
    """The body of the root conftest's module-scoped `_world` (a generator)."""
    world = World(module_is_transactional(request), django_db_blocker)
    try:
        yield world
    finally:
        world.close()


def world_sync(request, world: World) -> None:
    """The body of the root conftest's `_world_sync`: run before the test's own savepoint is opened."""
    if world.transactional or not _uses_db(request.node):
        return
    request.getfixturevalue("django_db_setup")
    names = [name for name in request.node.fixturenames if name.startswith("_shared_")]
    world.sync({name.removeprefix("_shared_"): request.getfixturevalue(name) for name in names})


def verified_client(user) -> Client:
    """A test client logged in as `user`, past the TOTP step when the role needs it."""
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    if user.mfa_required:
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="default", defaults={"confirmed": True})
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


def register_person(actor, first_name="Achieng", last_name="Otieno", identifiers=(), **fields):
    """Register a person through the real service, as `actor` (the root `make_person` fixture)."""
    from ctip.people.identity import IdentifierValue, Identity
    from ctip.people.services import person_register

    identity = Identity(
        first_name=first_name,
        last_name=last_name,
        identifiers=[IdentifierValue(kind=k, value=v) for k, v in identifiers],
        **fields,
    )
    return person_register(actor=actor, identity=identity)
