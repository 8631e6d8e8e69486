"""Lead fixtures: a second police unit with its investigator (the "other agency" of the checks), a victim case of
the home agency, and a helper that sends a lead through the real service."""

from __future__ import annotations

import pytest

from ctip.accounts.enums import Role
from ctip.core.tests.world import PASSWORD, register_person, shared_fixture


@shared_fixture("system_actor")
def tocu_agency(system_actor):
    from ctip.accounts.services import agency_create

    return agency_create(actor=system_actor, name="Test TOCU", short_name="TOCU-T", agency_type="police", counties=[])


@shared_fixture("system_actor", "tocu_agency")
def tocu_investigator(system_actor, tocu_agency):
    from ctip.accounts.services import user_create

    return user_create(
        actor=system_actor, username="tocu-investigator", password=PASSWORD, role=Role.INVESTIGATOR, agency=tocu_agency
    )


@pytest.fixture
def investigator(users):
    return users[Role.INVESTIGATOR]


@pytest.fixture
def coordinator(users):
    return users[Role.COORDINATOR]


@shared_fixture("users")
def case(users):
    from ctip.cases.tests.factories import open_case

    return open_case(users[Role.CASE_WORKER], register_person)


SUSPECTS = [
    {"name": "Mama Njeri Wambui", "kind": "person", "roles": ["RecruiterOrIntermediary"]},
    {"name": "Gulf Star Agencies Ltd", "kind": "organisation"},
]
IDENTIFIERS = [
    {"kind": "phone", "value": "0712345678"},
    ("mpesa_code", "QWE1RT2Y3U"),
    {"kind": "website", "value": "gulfstar-jobs.example"},
]


def send(actor, agency, **kw):
    from ctip.leads import services

    kw.setdefault("source", "officer")
    kw.setdefault("summary", "Three girls from Kilifi recruited for housework in Riyadh; fees paid by M-Pesa.")
    kw.setdefault("suspects", SUSPECTS)
    kw.setdefault("identifiers", IDENTIFIERS)
    return services.lead_open(actor=actor, agency=agency, **kw)


@pytest.fixture
def lead(users, agency):
    return send(users[Role.LABOUR_OFFICER], agency, source="complaint", source_ref="RC-2026-000001")
