"""Victim cases for the statistics tests, opened through the real services (the person registered with its sex and
date of birth, the case with its county, exploitation and destination)."""

from __future__ import annotations

from datetime import date

import pytest

from ctip.accounts.enums import Role


def open_victim(
    actor,
    *,
    n: int = 0,
    sex: str = "female",
    born: date | None = date(1998, 4, 1),
    identified_on: date = date(2025, 3, 1),
    county: str | None = "047",
    exploitation: str = "ForcedLabour",
    abroad: str | None = None,
    foreign: bool = False,
):
    from ctip.cases import services
    from ctip.core.tests.world import register_person
    from ctip.reference.models import Country, County

    person = register_person(actor, f"Victim{n}", f"Test{n}", sex=sex, date_of_birth=born)
    fields: dict = {}
    if county:
        fields["identified_county_id"] = County.objects.get(code=county).pk
    if abroad:
        fields["abroad_country_id"] = Country.objects.get(alpha2=abroad).pk
        fields["is_abroad"] = True
    if foreign:
        fields["is_foreign"] = True
    return services.case_open(
        actor=actor,
        person=person,
        identified_on=identified_on,
        htcds={"vic_TypeOfExploitation": [exploitation]},
        **fields,
    )


@pytest.fixture
def analyst(users):
    return users[Role.DATA_ANALYST]


@pytest.fixture
def worker(users):
    return users[Role.CASE_WORKER]


@pytest.fixture
def provider(users, system_actor):
    from ctip.accounts.services import agency_create
    from ctip.reference.models import County
    from ctip.referrals import services

    shelter = agency_create(
        actor=system_actor,
        name="Stats Safe House",
        short_name="STATSSH",
        agency_type="shelter",
        counties=list(County.objects.filter(code="047")),
    )
    return services.provider_create(
        actor=users[Role.COORDINATOR],
        agency=shelter,
        services=["shelter", "psychosocial"],
        counties=list(County.objects.filter(code="047")),
        shelter_capacity=5,
    )
