"""Root fixtures: one user per role in a home agency, plus users of a second agency, so every test can check
isolation (ARCHITECTURE.md "Tests"). Clients come already past log-in and the second factor."""

from __future__ import annotations

import os

import pytest
from django.test import Client

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "Correct-Horse-Battery-9"


@pytest.fixture
def system_actor(db):
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


@pytest.fixture
def agency(system_actor):
    return _agency(system_actor, "Home Agency Anti-Trafficking Unit", "HOME", "police", ("047", "001"))


@pytest.fixture
def other_agency(system_actor):
    return _agency(system_actor, "Other Agency Children's Office", "OTHER", "children", ("042",))


@pytest.fixture
def make_user(system_actor):
    from ctip.accounts.services import user_create

    counter = {"n": 0}

    def make(role, agency=None, username=None, **extra):
        counter["n"] += 1
        return user_create(
            actor=system_actor,
            username=username or f"{role}-{counter['n']}",
            password=PASSWORD,
            role=role,
            agency=agency,
            **extra,
        )

    return make


@pytest.fixture
def users(make_user, agency):
    """One user of every role; all but the system administrator in `agency`."""
    from ctip.accounts.enums import Role

    result = {}
    for role in Role.values:
        result[role] = make_user(role, None if role == Role.SYSADMIN else agency, username=f"home-{role}")
    return result


@pytest.fixture
def other_users(make_user, other_agency):
    """One user of every agency-bound role in `other_agency`."""
    from ctip.accounts.enums import Role

    return {role: make_user(role, other_agency, username=f"x2-{role}") for role in Role.values if role != Role.SYSADMIN}


def verified_client(user) -> Client:
    """A test client logged in as `user`, past the TOTP step when the role needs it."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    if user.mfa_required:
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="default", defaults={"confirmed": True})
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


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
    from ctip.people.identity import IdentifierValue, Identity
    from ctip.people.services import person_register

    def make(actor, first_name="Achieng", last_name="Otieno", identifiers=(), **fields):
        identity = Identity(
            first_name=first_name,
            last_name=last_name,
            identifiers=[IdentifierValue(kind=k, value=v) for k, v in identifiers],
            **fields,
        )
        return person_register(actor=actor, identity=identity)

    return make


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (rate-limit counters, the cached national person count)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
