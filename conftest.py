"""Root fixtures: one user per role in a home agency, plus users of a second agency, so every test can check
isolation (ARCHITECTURE.md "Tests"). Clients come already past log-in and the second factor."""

from __future__ import annotations

import os

import pytest

from ctip.core.tests.world import (
    PASSWORD,
    register_person,
    shared_fixture,
    verified_client,
    world_fixture,
    world_sync,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def _world(request, django_db_blocker):
    """The module's shared world (ctip/core/tests/world.py)."""
    yield from world_fixture(request, django_db_blocker)


@pytest.fixture
def _world_sync(request, _world):
    """Brings the shared world to the parts this test asks for, before its own savepoint is opened."""
    world_sync(request, _world)


@pytest.fixture(autouse=True)
def _django_db_marker(request, _world_sync):
    """pytest-django's own fixture (it applies the django_db marker), run after `_world_sync`: pytest-django's
    autouse fixtures run before any conftest one, and this is the one that opens a marked test's savepoint."""
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("_django_db_helper")


@pytest.fixture
def _world_memo():
    """One deepcopy memo per test, so the copies of shared instances refer to each other."""
    return {}


@shared_fixture()
def system_actor():
    """A system administrator used to set fixtures up through the real services."""
    from ctip.accounts.enums import Role
    from ctip.accounts.models import User

    return User.objects.create_user(username="fixture-admin", password=PASSWORD, role=Role.SYSADMIN)


def _agency(actor, name, short, agency_type, county_codes=("047",)):
    from ctip.accounts.services import agency_create
    from ctip.reference.models import County

    return agency_create(
        actor=actor,
        name=name,
        short_name=short,
        agency_type=agency_type,
        counties=list(County.objects.filter(code__in=county_codes)),
    )


@shared_fixture("system_actor")
def agency(system_actor):
    return _agency(system_actor, "Home Agency Anti-Trafficking Unit", "HOME", "police", ("047", "001"))


@shared_fixture("system_actor")
def other_agency(system_actor):
    return _agency(system_actor, "Other Agency Children's Office", "OTHER", "children", ("042",))


def _user(actor, role, agency, username, **extra):
    from ctip.accounts.services import user_create

    return user_create(actor=actor, username=username, password=PASSWORD, role=role, agency=agency, **extra)


@pytest.fixture
def make_user(system_actor):
    counter = {"n": 0}

    def make(role, agency=None, username=None, **extra):
        counter["n"] += 1
        return _user(system_actor, role, agency, username or f"{role}-{counter['n']}", **extra)

    return make


@shared_fixture("system_actor", "agency")
def users(system_actor, agency):
    """One user of every role; all but the system administrator in `agency`."""
    from ctip.accounts.enums import Role

    result = {}
    for role in Role.values:
        result[role] = _user(system_actor, role, None if role == Role.SYSADMIN else agency, f"home-{role}")
    return result


@shared_fixture("system_actor", "other_agency")
def other_users(system_actor, other_agency):
    """One user of every agency-bound role in `other_agency`."""
    from ctip.accounts.enums import Role

    return {
        role: _user(system_actor, role, other_agency, f"x2-{role}") for role in Role.values if role != Role.SYSADMIN
    }


@pytest.fixture
def client_for(db):
    return verified_client


@pytest.fixture
def api_client_for(db):
    """An API client authenticated with the user's token (tokens are issued only after 2FA)."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def make(user):
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def make_person(db):
    """Register a person through the real service, as `actor`."""
    return register_person


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (rate-limit counters, the cached national person count)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts, and leaves the next one, in the default language. LocaleMiddleware activates the
    request's language (Accept-Language, the language cookie set by /i18n/setlang/) for the whole thread and
    nothing switches it back once the test client's response is returned, so without this a test that fetched a
    Kiswahili page left every later test in the same process translating its messages and labels to Kiswahili."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def route_objects():
    """The records a permission table (ctip/<app>/tests/test_route_permissions.py) needs: a module overrides it."""
    return {}


@pytest.fixture
def route_world(users, other_users, route_objects):
    """What a permission-table row is checked against (ctip/core/tests/routes.py)."""
    from types import SimpleNamespace

    return SimpleNamespace(users=users, other_users=other_users, **route_objects)
