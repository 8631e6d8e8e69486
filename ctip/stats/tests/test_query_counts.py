"""Queries of the statistics pages and API are bounded and do not grow with the data (issue 10): the same count at
10 and at 50 cases (with their referrals), 12 or fewer per page. The page view's audit event is 5 statements inside
a test's transaction (3 outside), included in the count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from ctip.accounts.enums import Role
from ctip.core.tests.querycount import LIMIT, count_queries

from .conftest import open_victim

pytestmark = pytest.mark.django_db

PAGES = [
    "/stats/",
    "/stats/victims/",
    "/stats/victims/?year=2025&county=047&sex=female&exploitation=ForcedLabour",
    "/stats/referrals/",
    "/stats/justice/?county=001",
    "/stats/recruitment/",
    "/stats/trustfund/?year=2025",
    "/stats/reports/",
]


def _more_cases(template, provider, actor, start: int, stop: int) -> None:
    """Cases cloned from one opened through the services (bulk, for speed), varied across years, counties, sexes,
    forms of exploitation and destinations, each with a referral."""
    from ctip.cases.models import Case, CaseAttribute, TraffickingEvent
    from ctip.reference.models import Country, County
    from ctip.referrals.models import Referral

    counties = list(County.objects.order_by("code").values_list("pk", flat=True)[:8])
    countries = list(Country.objects.filter(alpha2__in=["SA", "AE", "QA"]).values_list("pk", flat=True))
    cases = []
    for i in range(start, stop):
        abroad = i % 5 == 0
        cases.append(
            Case(
                reference=f"CT-Q-{i:06d}",
                person_id=template.person_id,
                owning_agency_id=template.owning_agency_id,
                identified_on=date(2020 + i % 6, 1 + i % 12, 1),
                identified_county_id=None if abroad else counties[i % len(counties)],
                is_abroad=abroad,
                abroad_country_id=countries[i % len(countries)] if abroad else None,
                is_foreign=i % 7 == 0,
                is_child=i % 3 == 0,
                age_at_identification=5 + i % 50,
                sex_at_identification=["female", "male", "intersex", ""][i % 4],
                channel=["officer", "hotline", "mission"][i % 3],
                identifying_agency_type=["police", "children", "ngo"][i % 3],
                created_by=actor,
            )
        )
    Case.objects.bulk_create(cases)
    forms = ["ForcedLabour", "SexualExploitation", "ChildLabour"]
    CaseAttribute.objects.bulk_create(
        [CaseAttribute(case=c, field="vic_TypeOfExploitation", value=forms[k % 3]) for k, c in enumerate(cases)]
    )
    TraffickingEvent.objects.bulk_create(
        [
            TraffickingEvent(case=c, event_type="Exploitation", country_id=countries[k % len(countries)])
            for k, c in enumerate(cases)
        ]
    )
    now = timezone.now()
    Referral.objects.bulk_create(
        [
            Referral(
                reference=f"RF-Q-{k:06d}-{start}",
                case=c,
                provider=provider,
                sender_agency_id=c.owning_agency_id,
                service_type=["shelter", "psychosocial"][k % 2],
                status=["sent", "accepted", "completed", "declined"][k % 4],
                sent_at=now - timedelta(days=30 + k),
                sent_by=actor,
                response_due_at=now,
                responded_at=None if k % 4 == 0 else now - timedelta(days=25 + k),
                started_at=now - timedelta(days=20) if k % 4 == 2 else None,
                completed_at=now - timedelta(days=10) if k % 4 == 2 else None,
                decline_reason="No bed free" if k % 4 == 3 else "",
            )
            for k, c in enumerate(cases)
        ]
    )


def test_pages_same_queries_at_10_and_50_cases(users, provider, analyst, client_for):
    worker = users[Role.CASE_WORKER]
    template = open_victim(worker)
    client = client_for(analyst)
    _more_cases(template, provider, worker, 0, 9)
    at_10 = {page: count_queries(client, page) for page in PAGES}
    _more_cases(template, provider, worker, 9, 49)
    at_50 = {page: count_queries(client, page) for page in PAGES}
    for page in PAGES:
        print(f"QUERYCOUNT {page} 10={at_10[page]} 50={at_50[page]}")
        assert at_10[page] == at_50[page] <= LIMIT, (page, at_10[page], at_50[page])


def test_api_same_queries_at_10_and_50_cases(users, provider, analyst, api_client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    worker = users[Role.CASE_WORKER]
    template = open_victim(worker)
    client = api_client_for(analyst)

    def count(url):
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    _more_cases(template, provider, worker, 0, 9)
    slugs = ("victims", "referrals", "justice", "recruitment", "trustfund")
    at_10 = [count(f"/api/v1/stats/{slug}/") for slug in slugs]
    _more_cases(template, provider, worker, 9, 49)
    at_50 = [count(f"/api/v1/stats/{slug}/") for slug in slugs]
    print(f"QUERYCOUNT api 10={at_10} 50={at_50}")
    assert at_10 == at_50
    assert max(at_50) <= LIMIT
