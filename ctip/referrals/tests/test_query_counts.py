"""Queries of the referral pages are bounded and do not grow with the rows shown (issue 10): the same count at 10
and at 50 referrals; 12 or fewer (LIMIT)."""

import pytest

from ctip.accounts.enums import Role
from ctip.cases.tests.factories import open_case
from ctip.core.tests.querycount import LIMIT, count_queries
from ctip.core.tests.world import register_person

from .conftest import give_consent

pytestmark = pytest.mark.django_db


def _referrals(send, sender, start, stop):
    out = []
    for i in range(start, stop):
        case = open_case(sender, register_person, first_name=f"Person{i:02d}")
        give_consent(sender, case)
        out.append(send(on_case=case))
    return out


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("sender", "/referrals/outbox/"),
        ("recipient", "/referrals/inbox/"),
        ("sender", "/api/v1/referrals/"),
        ("recipient", "/api/v1/referrals/"),
    ],
)
def test_referral_lists_same_queries_at_10_and_50_rows(send, sender, recipient, client_for, api_client_for, who, url):
    user = sender if who == "sender" else recipient
    client = api_client_for(user) if url.startswith("/api/") else client_for(user)
    _referrals(send, sender, 0, 10)
    at_10 = count_queries(client, url)
    _referrals(send, sender, 10, 50)
    at_50 = count_queries(client, url)
    print(f"QUERYCOUNT {who} {url} 10={at_10} 50={at_50}")
    assert at_10 == at_50 <= LIMIT


@pytest.mark.parametrize(
    ("who", "url"), [("sender", "/referrals/{}/"), ("recipient", "/referrals/{}/"), ("sender", "/api/v1/referrals/{}/")]
)
def test_referral_detail_bounded(send, sender, recipient, client_for, api_client_for, who, url):
    user = sender if who == "sender" else recipient
    client = api_client_for(user) if url.startswith("/api/") else client_for(user)
    referral = _referrals(send, sender, 0, 1)[0]
    n = count_queries(client, url.format(referral.public_id))
    print(f"QUERYCOUNT {who} {url} {n}")
    assert n <= LIMIT


def _providers(system_actor, actor, start, stop):
    from ctip.accounts.services import agency_create
    from ctip.reference.models import County
    from ctip.referrals import services

    for i in range(start, stop):
        agency = agency_create(
            actor=system_actor,
            name=f"Safe House {i:02d}",
            short_name=f"SH{i:02d}",
            agency_type="ngo",
            counties=list(County.objects.filter(code="047")),
        )
        services.provider_create(
            actor=actor,
            agency=agency,
            services=["shelter", "psychosocial"],
            counties=list(County.objects.filter(code__in=["047", "001"])),
            shelter_capacity=2,
            languages=["English"],
            phone="0711000000",
        )


@pytest.mark.parametrize("url", ["/referrals/providers/", "/api/v1/referrals/providers/"])
def test_provider_directory_same_queries_at_10_and_50_rows(users, system_actor, client_for, api_client_for, url):
    worker = users[Role.CASE_WORKER]
    client = api_client_for(worker) if url.startswith("/api/") else client_for(worker)
    _providers(system_actor, users[Role.COORDINATOR], 0, 10)
    at_10 = count_queries(client, url)
    _providers(system_actor, users[Role.COORDINATOR], 10, 50)
    at_50 = count_queries(client, url)
    print(f"QUERYCOUNT {url} 10={at_10} 50={at_50}")
    assert at_10 == at_50 <= LIMIT
