"""Referral fixtures: a shelter provider agency with its own officers, a case of the home agency with consent,
and helpers that drive a referral to any status through the real services."""

from __future__ import annotations

from datetime import date

import pytest

from ctip.accounts.enums import Role
from ctip.core.tests.world import PASSWORD, register_person, shared_fixture

PERSON_NOTE = "Ask for Achieng Otieno at Kilimani police station"


@shared_fixture("system_actor")
def shelter_agency(system_actor):
    from ctip.accounts.services import agency_create
    from ctip.reference.models import County

    return agency_create(
        actor=system_actor,
        name="Test Safe House",
        short_name="SAFEHOUSE",
        agency_type="shelter",
        counties=list(County.objects.filter(code="047")),
    )


@shared_fixture("system_actor", "shelter_agency")
def shelter_users(system_actor, shelter_agency):
    """The provider's officers: a service-provider user and a case worker (both may respond to referrals)."""
    from ctip.accounts.services import user_create

    def make(role, username):
        return user_create(actor=system_actor, username=username, password=PASSWORD, role=role, agency=shelter_agency)

    return {
        Role.SERVICE_PROVIDER: make(Role.SERVICE_PROVIDER, "shelter-provider"),
        Role.CASE_WORKER: make(Role.CASE_WORKER, "shelter-worker"),
    }


@pytest.fixture
def recipient(shelter_users):
    return shelter_users[Role.SERVICE_PROVIDER]


@pytest.fixture
def sender(users):
    return users[Role.CASE_WORKER]


@shared_fixture("users", "shelter_agency")
def shelter(users, shelter_agency):
    from ctip.reference.models import County
    from ctip.referrals import services

    return services.provider_create(
        actor=users[Role.COORDINATOR],
        agency=shelter_agency,
        services=["shelter", "psychosocial"],
        counties=list(County.objects.filter(code="047")),
        shelter_capacity=2,
        languages=["English", "Kiswahili"],
        phone="0711000000",
    )


@shared_fixture("users")
def case(users):
    from ctip.cases.tests.factories import open_case

    return open_case(users[Role.CASE_WORKER], register_person)


def give_consent(actor, case, sharing=True):
    from ctip.cases.services.consent import consent_record

    return consent_record(
        actor=actor,
        case=case,
        given_by="self",
        given_on=date(2026, 3, 2),
        purpose_explained=True,
        data_use=True,
        sharing=sharing,
    )


@shared_fixture("users", "case")
def consent(users, case):
    return give_consent(users[Role.CASE_WORKER], case)


@pytest.fixture
def send(sender, case, shelter, consent):
    from ctip.referrals import services

    def _send(service="shelter", sections=("care",), on_case=None, actor=None, provider=None, **kw):
        return services.referral_send(
            actor=actor or sender,
            case=on_case or case,
            provider=provider or shelter,
            service_type=service,
            sections=list(sections),
            notes=kw.pop("notes", PERSON_NOTE),
            **kw,
        )

    return _send


@pytest.fixture
def drive(sender, recipient):
    """Move a referral to `status` through the services (the only way statuses change)."""
    from ctip.referrals import services

    steps = {
        "sent": [],
        "accepted": ["accept"],
        "declined": ["decline"],
        "in_progress": ["accept", "start"],
        "completed": ["accept", "start", "complete"],
        "revoked": ["revoke"],
    }

    def _drive(referral, status):
        for step in steps[status]:
            referral = do(step, referral)
        return referral

    def do(step, referral):
        if step == "accept":
            return services.referral_accept(actor=recipient, referral=referral)
        if step == "decline":
            return services.referral_decline(actor=recipient, referral=referral, reason="No female staff available")
        if step == "start":
            return services.referral_start(actor=recipient, referral=referral)
        if step == "complete":
            return services.referral_complete(actor=recipient, referral=referral, note="Stayed three weeks")
        if step == "revoke":
            return services.referral_revoke(actor=sender, referral=referral, reason="The family took her home")
        raise AssertionError(step)

    _drive.do = do
    return _drive


@pytest.fixture
def api_for(db):
    """An API client authenticated the way real API clients are: with a token (issued after 2FA)."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def make(user):
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make
