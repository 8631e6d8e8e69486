"""Page response times at scale (issue 2: landing page and one list page p95 <= 150 ms at `large`).

    .venv/bin/python bench/pages.py [--size large] [--repeat 40]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctip_bench .venv/bin/python bench/pages.py --size large

Fills the bench database with the project's own demo generator when it is empty (large: 1,000,000 persons;
that first run takes several minutes and prints its time and the database size).
"""

from __future__ import annotations

import argparse

from _setup import database_label, database_size_bytes, ensure_demo, report, setup, timed_get, verified_client


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="large", choices=["small", "medium", "large"])
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    setup(args.size)
    loaded = ensure_demo(args.size)
    from ctip.people.models import Person

    print(f"database: {database_label()}")
    if loaded is not None:
        print(f"demo --size {args.size}: {loaded:.1f} s")
    print(f"persons: {Person.objects.count():,}; database size {database_size_bytes() / 1e6:,.0f} MB")
    pages = [
        ("demo.caseworker", "/", "landing page, case worker (agency scope)"),
        ("demo.coordinator", "/", "landing page, national coordinator"),
        ("demo.caseworker", "/people/", "person list, case worker"),
        ("demo.coordinator", "/people/", "person list, coordinator (national)"),
        ("demo.coordinator", "/people/?page=200", "person list page 200, coordinator"),
        ("demo.caseworker", "/cases/", "case list, case worker"),
        ("demo.coordinator", "/cases/", "case list, coordinator (national)"),
        ("demo.coordinator", "/cases/?status=Active&exploitation=ForcedLabour", "case list filtered, coordinator"),
        ("demo.auditor", "/audit/", "audit trail, auditor"),
    ]
    for username, url, label in pages:
        report(label, timed_get(verified_client(username), url, args.repeat))


if __name__ == "__main__":
    main()
