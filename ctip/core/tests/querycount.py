"""Counting the queries of one page (issue 10: queries per page bounded and independent of page size).

Every list and detail page runs LIMIT statements or fewer, the same at 10 rows and at 50. Counted after a first
GET of the same page (`warm`): the steady state, with the option lists and the other values the same for everyone
in the cache (ctip.reference.options_cache), as every request after the first finds them."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

LIMIT = 12


def page_queries(client, url: str, *, warm: bool = True) -> list[str]:
    """The SQL statements one GET of `url` runs (200 expected)."""
    if warm:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return [q["sql"] for q in ctx.captured_queries]


def count_queries(client, url: str, *, warm: bool = True) -> int:
    """How many SQL statements one GET of `url` runs (200 expected)."""
    return len(page_queries(client, url, warm=warm))
