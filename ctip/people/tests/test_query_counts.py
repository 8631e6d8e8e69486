"""Queries of the person pages are bounded and do not grow with the rows shown (issue 10): the same count at 10
and at 50 persons; 12 or fewer (LIMIT)."""

import pytest

from ctip.accounts.enums import Role
from ctip.core.tests.querycount import LIMIT, count_queries
from ctip.core.tests.world import register_person

pytestmark = pytest.mark.django_db


def _persons(actor, start, stop):
    return [register_person(actor, f"Person{i:02d}", "Otieno") for i in range(start, stop)]


@pytest.mark.parametrize("url", ["/people/", "/api/v1/persons/"])
def test_person_lists_same_queries_at_10_and_50_rows(users, client_for, api_client_for, url):
    worker = users[Role.CASE_WORKER]
    client = api_client_for(worker) if url.startswith("/api/") else client_for(worker)
    _persons(worker, 0, 10)
    at_10 = count_queries(client, url)
    _persons(worker, 10, 50)
    at_50 = count_queries(client, url)
    print(f"QUERYCOUNT {url} 10={at_10} 50={at_50}")
    assert at_10 == at_50 <= LIMIT


@pytest.mark.parametrize("url", ["/people/{}/", "/api/v1/persons/{}/"])
def test_person_detail_bounded(users, client_for, api_client_for, url):
    worker = users[Role.CASE_WORKER]
    client = api_client_for(worker) if url.startswith("/api/") else client_for(worker)
    person = _persons(worker, 0, 1)[0]
    n = count_queries(client, url.format(person.public_id))
    print(f"QUERYCOUNT {url} {n}")
    assert n <= LIMIT


def _pairs(actor, start, stop):
    from ctip.people.models import DuplicateCandidate

    for i in range(start, stop):
        a, b = _persons(actor, 2 * i, 2 * i + 2)
        DuplicateCandidate.objects.create(person_a=a, person_b=b, score=0.9 - i / 1000, reasons=["similar names"])


def test_duplicates_queue_same_queries_at_10_and_50_pairs(users, client_for):
    worker = users[Role.CASE_WORKER]
    client = client_for(worker)
    _pairs(worker, 0, 10)
    at_10 = count_queries(client, "/people/duplicates/")
    _pairs(worker, 10, 50)
    at_50 = count_queries(client, "/people/duplicates/")
    print(f"QUERYCOUNT /people/duplicates/ 10={at_10} 50={at_50}")
    assert at_10 == at_50 <= LIMIT
