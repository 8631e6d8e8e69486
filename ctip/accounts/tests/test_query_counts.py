"""Queries of the user and agency admin lists are bounded and do not grow with the rows shown (issue 10): the same
count at 10 and at 50 rows; 12 or fewer (LIMIT). test_queries.py checks the same lists (and break-the-glass) at a
few rows more."""

import pytest

from ctip.accounts import services
from ctip.accounts.enums import Role
from ctip.core.tests.querycount import LIMIT, count_queries
from ctip.reference.models import County

pytestmark = pytest.mark.django_db


def _rows(kind, system_actor, make_user, agency, start, stop):
    counties = list(County.objects.filter(code__in=["001", "047"]))
    for i in range(start, stop):
        if kind == "users":
            make_user(Role.INVESTIGATOR, agency, username=f"more-{i:02d}")
        else:
            services.agency_create(
                actor=system_actor, name=f"Extra Agency {i:02d}", agency_type="ngo", counties=counties
            )


@pytest.mark.parametrize(
    ("kind", "url"),
    [
        ("users", "/accounts/users/"),
        ("users", "/api/v1/users/"),
        ("agencies", "/accounts/agencies/"),
        ("agencies", "/api/v1/agencies/"),
    ],
)
def test_admin_lists_same_queries_at_10_and_50_rows(
    users, system_actor, make_user, other_agency, client_for, api_client_for, kind, url
):
    admin = users[Role.SYSADMIN]
    client = api_client_for(admin) if url.startswith("/api/") else client_for(admin)
    _rows(kind, system_actor, make_user, other_agency, 0, 10)
    at_10 = count_queries(client, url)
    _rows(kind, system_actor, make_user, other_agency, 10, 50)
    at_50 = count_queries(client, url)
    print(f"QUERYCOUNT {url} 10={at_10} 50={at_50}")
    assert at_10 == at_50 <= LIMIT
