"""SQL queries and in-process time per signed-in page (issue 10: 12 queries or fewer per page, independent of page
size; in-process time 10 ms or less).

    .venv/bin/python bench/page_queries.py [--size small] [--repeat 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctip_bench .venv/bin/python bench/page_queries.py --size medium
    DEBUG=0 .venv/bin/python bench/page_queries.py     # as in production: no query log, no template debugging

Fills the bench database with the project's own demo generator when it is empty (see bench/_setup.py), then GETs
each page in-process with Django's test client (no server, no network): the queries of one request and the
median and p95 time of `--repeat` requests after a warm-up, and their median CPU time (this process only: what a
request costs, whatever else the machine runs). The pages are read by the demo user of the role that
works them, signed in and verified like a real session.
"""

from __future__ import annotations

import argparse
import statistics
import time

from _setup import database_label, ensure_demo, setup, verified_client


def _pages():
    from ctip.accounts.models import User
    from ctip.cases.selectors.core import case_list_for_user
    from ctip.referrals.models import ServiceProvider

    worker = User.objects.get(username="demo.caseworker")
    case = case_list_for_user(user=worker).select_related("person").first()
    person = case.person if case is not None else None
    provider = ServiceProvider.objects.order_by("pk").first()
    pages = [
        ("demo.caseworker", "/", "landing, case worker"),
        ("demo.coordinator", "/", "landing, coordinator"),
        ("demo.caseworker", "/tasks/", "my tasks, case worker"),
        ("demo.caseworker", "/cases/", "case list, case worker"),
        ("demo.coordinator", "/cases/", "case list, coordinator"),
        ("demo.coordinator", "/cases/?status=Active", "case list filtered, coordinator"),
        ("demo.coordinator", "/cases/?page=5", "case list page 5, coordinator"),
        ("demo.caseworker", "/people/", "person list, case worker"),
        ("demo.coordinator", "/people/duplicates/", "duplicates, coordinator"),
        ("demo.caseworker", "/referrals/outbox/", "referrals sent, case worker"),
        ("demo.provider", "/referrals/inbox/", "referrals received, provider"),
        ("demo.caseworker", "/referrals/providers/", "providers, case worker"),
        ("demo.auditor", "/audit/", "audit trail, auditor"),
        ("demo.caseworker", "/api/v1/cases/", "API case list, case worker"),
    ]
    if case is not None:
        pages.insert(7, ("demo.caseworker", f"/cases/{case.public_id}/", "case detail, case worker"))
    if person is not None:
        pages.insert(9, ("demo.caseworker", f"/people/{person.public_id}/", "person detail, case worker"))
    if provider is not None:
        pages.append(("demo.caseworker", f"/referrals/providers/{provider.public_id}/", "provider detail"))
    return pages


def statements(client, url: str) -> list[str]:
    """The SQL statements one GET of `url` runs (counted by a wrapper, whatever DEBUG and connection closing do)."""
    from django.db import connection

    seen: list[str] = []

    def record(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return seen


def measure(client, url: str, repeat: int) -> tuple[int, float, float, float]:
    """Queries of one request; wall-clock p50 and p95 and the median CPU time of this process per request (the
    in-process time that does not depend on what else the machine runs)."""
    statements(client, url)  # warm-up (template loading, caches)
    queries = len(statements(client, url))
    times, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return queries, statistics.median(times), times[max(0, round(0.95 * len(times)) - 1)], statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="small", choices=["small", "medium", "large"])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--show-sql", action="store_true", help="print the statements of each page")
    args = parser.parse_args()
    setup(args.size)
    loaded = ensure_demo(args.size)
    print(f"database: {database_label()}")
    if loaded is not None:
        print(f"demo --size {args.size}: {loaded:.1f} s")
    clients = {}
    print(f"{'page':<40} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'CPU ms':>8}")
    for username, url, label in _pages():
        client = clients.get(username) or clients.setdefault(username, verified_client(username))
        if args.show_sql:
            for sql in statements(client, url):
                print("    " + sql[:220])
        queries, p50, p95, cpu = measure(client, url, args.repeat)
        print(f"{label:<40} {queries:>7} {p50:>8.1f} {p95:>8.1f} {cpu:>8.1f}")


if __name__ == "__main__":
    main()
