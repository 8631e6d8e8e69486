"""Counting the queries of one page (issue 10: queries per page bounded and independent of page size)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

LIMIT = 12


def count_queries(client, url: str) -> int:
    """The SQL statements one GET of `url` runs (200 expected)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)
