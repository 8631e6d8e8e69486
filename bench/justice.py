"""Criminal-justice bench (issue 11): the prosecutor's and the investigator's pages with 50,000 investigation files
and about 10,000 prosecutions, under gunicorn with production settings, driven by wrk, as a share of the ceiling
(the bare Django JSON view of bench/load.py, measured in the same run); then the figures selectors in-process.

    .venv/bin/python bench/justice.py                                   # SQLite var/bench-justice.sqlite3, 10 s a page
    .venv/bin/python bench/justice.py --duration 5 --pages queue,hearings
    .venv/bin/python bench/justice.py --database-url postgres://postgres@127.0.0.1:5432/ctip_jbench
    .venv/bin/python bench/justice.py --investigations 5000             # a smaller database (its own file)

Steps: load the medium demo into the bench database when it is empty (bench/_setup.py), top the investigation
files up to --investigations with the justice demo's bulk generator (ctip.justice.demo.add_bulk_investigations:
about one file in five charged, with its court diary and outcomes), count the SQL statements of each page once
in-process (the target is 12 or fewer), serve with gunicorn as bench/load.py does (2 workers,
config.settings.production), log demo.prosecutor and demo.investigator in through the real log-in and 2FA pages,
run wrk against the ceiling, each page, and the ceiling again, print the table with each page's share of the
ceiling, time the figures page's selectors (median of 5) over all the files, and run `manage.py audit_verify`.
Targets: each page at 5% of the ceiling or more, p95 150 ms or less at 16 connections, figures 500 ms or less.
Requires wrk (Debian: apt-get install wrk).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass

from _setup import ROOT, database_label, ensure_demo, setup, verified_client
from load import (
    CEILING,
    HOST,
    WORKERS,
    WRK_SCRIPT,
    BenchError,
    audit_counts,
    ensure_postgres_database,
    manage,
    print_table,
    probe,
    serve_and_run,
    web_login,
    wrk,
)

PROSECUTOR = "demo.prosecutor"
INVESTIGATOR = "demo.investigator"
ANALYST = "demo.analyst"
DEMO_SIZE = "medium"
SEED = 42
TARGET_SHARE = 5.0  # % of the ceiling
TARGET_P95_MS = 150
TARGET_QUERIES = 12
TARGET_FIGURES_MS = 500


@dataclass(frozen=True)
class Page:
    name: str
    label: str
    user: str
    path: str  # {file}: a charged file of the investigator's unit, handed to the prosecutor's office


PAGES = [
    Page("queue", "review queue, prosecutor", PROSECUTOR, "/justice/queue/"),
    Page("queue-page20", "review queue page 20, prosecutor", PROSECUTOR, "/justice/queue/?page=20"),
    Page("hearings", "upcoming hearings, prosecutor", PROSECUTOR, "/justice/hearings/"),
    Page("prosecutions", "prosecutions (court list), prosecutor", PROSECUTOR, "/justice/prosecutions/"),
    Page("pros-pending", "prosecutions flagged pending", PROSECUTOR, "/justice/prosecutions/?flag=pending"),
    Page("court", "a file's court diary, prosecutor", PROSECUTOR, "/justice/{file}/court/"),
    Page("file-prosecutor", "investigation file, prosecutor", PROSECUTOR, "/justice/{file}/"),
    Page("file", "investigation file, investigator", INVESTIGATOR, "/justice/{file}/"),
    Page("files", "unit's file list, investigator", INVESTIGATOR, "/justice/"),
    # a reference: the project's landing page for the same user, whatever the justice pages do (a signed-in page's
    # share on this machine with these settings)
    Page("landing", "landing page, prosecutor (reference)", PROSECUTOR, "/"),
]


# --- the data ---------------------------------------------------------------------------------------------------


def fill(investigations: int) -> None:
    """The justice demo's bulk generator tops the files up to `investigations` (nothing when already there)."""
    from ctip.justice.demo import add_bulk_investigations
    from ctip.justice.models import ChargeSheet, CountOutcome, CourtEvent, Investigation

    started = time.perf_counter()
    made = add_bulk_investigations(seed=SEED, investigations=investigations)
    if made.get("investigations"):
        print(f"bulk generator: {made} in {time.perf_counter() - started:.1f} s")
        analyse()
    print(
        f"investigation files {Investigation.objects.count():,}, prosecutions (charge sheets) "
        f"{ChargeSheet.objects.count():,}, court sittings {CourtEvent.objects.count():,}, "
        f"count outcomes {CountOutcome.objects.count():,}"
    )


def analyse() -> None:
    """Fresh planner statistics after a bulk load (as a production database has them)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def pick_targets() -> dict[str, str]:
    """A charged file of the investigator's unit that the prosecutor's office charged: of those with the fullest
    court diary, the most recently charged (a page showing many sittings, outcomes and orders)."""
    from django.db.models import Count

    from ctip.accounts.models import User
    from ctip.justice.models import ChargeSheet

    investigator = User.objects.get(username=INVESTIGATOR)
    prosecutor = User.objects.get(username=PROSECUTOR)
    sheet = (
        ChargeSheet.objects.filter(
            investigation__owning_agency_id=investigator.agency_id,
            prosecution_agency_id=prosecutor.agency_id,
            investigation__prosecution_agency_id=prosecutor.agency_id,
        )
        .annotate(sittings=Count("events"))
        .select_related("investigation")
        .order_by("-sittings", "-charged_on", "-id")
        .first()
    )
    if sheet is None:
        raise BenchError("The bench database holds no charged file of the investigator's unit.")
    print(f"file: {sheet.investigation.reference} (charged {sheet.charged_on}, {sheet.sittings} sittings)")
    return {"file": str(sheet.investigation.public_id)}


# --- measures in-process ----------------------------------------------------------------------------------------


def count_statements(pages: list[Page], targets: dict[str, str]) -> dict[str, int]:
    """The SQL statements of one GET of each page (after a warm GET), in-process with the test client."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clients = {}
    out = {}
    for page in pages:
        client = clients.setdefault(page.user, verified_client(page.user))
        path = page.path.format(**targets)
        client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        if response.status_code != 200:
            raise BenchError(f"{page.name} {path} answered {response.status_code} in-process")
        out[page.name] = len(ctx.captured_queries)
    return out


def time_figures(repeat: int = 5) -> list[tuple[str, float, float]]:
    """Median wall and CPU time (this process) of the figures page's selectors over every file (all years, and
    the current year). On a shared machine the wall time includes waiting for a CPU: the CPU time is the cost."""
    from django.utils import timezone

    from ctip.accounts.models import User
    from ctip.justice import selectors

    analyst = User.objects.get(username=ANALYST)
    year = timezone.localdate().year
    calls = [
        ("figures (files, advice, lead times), all years", lambda: selectors.figures(user=analyst)),
        ("court_figures (prosecuted, convicted, sentences)", lambda: selectors.court_figures(user=analyst)),
        (f"figures, {year}", lambda: selectors.figures(user=analyst, year=year)),
        (f"court_figures, {year}", lambda: selectors.court_figures(user=analyst, year=year)),
    ]
    out = []
    for label, call in calls:
        call()  # warm
        wall, cpu = [], []
        for _ in range(repeat):
            started, cpu_started = time.perf_counter(), time.process_time()
            call()
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        out.append((label, statistics.median(wall), statistics.median(cpu)))
    return out


# --- the run ----------------------------------------------------------------------------------------------------


def run(args, server) -> int:
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        ensure_postgres_database(os.environ["DATABASE_URL"])
    elif not os.environ.get("DATABASE_URL"):
        name = "bench-justice" if args.investigations == 50_000 else f"bench-justice-{args.investigations}"
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / f'{name}.sqlite3'}"
    setup(DEMO_SIZE)
    print(f"database: {database_label()}")
    loaded = ensure_demo(DEMO_SIZE)
    if loaded is not None:
        print(f"demo --size {DEMO_SIZE} loaded in {loaded:.1f} s")
    fill(args.investigations)
    manage("createcachetable")
    from ctip.demo.generator import DEMO_PASSWORD

    targets = pick_targets()
    wanted = set(args.pages.split(",")) if args.pages else None
    pages = [p for p in PAGES if wanted is None or p.name in wanted]
    statements = count_statements(pages, targets)
    if args.fill_only:
        for name, n in statements.items():
            print(f"  {name:<16} {n:3d} SQL statements")
        for label, wall, cpu in time_figures():
            print(f"  {label:<52} wall {wall:8.1f} ms  CPU {cpu:8.1f} ms")
        return 0

    server.start()
    print(f"gunicorn: {WORKERS} workers, production settings, http://{HOST}:{server.port} (log {server.log_path})")
    sessions = {user: web_login(server.port, user, DEMO_PASSWORD) for user in dict.fromkeys(p.user for p in pages)}
    print(f"signed in: {', '.join(sessions)}")
    events_before, reads_before = audit_counts()
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(WRK_SCRIPT)
        script = handle.name
    try:
        load = {"duration": args.duration, "connections": args.connections, "script": script}
        print(f"wrk: {args.connections} connections, {WORKERS} threads, {args.duration} s per page")
        before = wrk(server.port, CEILING, {}, **load)
        rows = [("ceiling", "bare Django JSON view (before)", before)]
        for page in pages:
            path = page.path.format(**targets)
            headers = {"Cookie": sessions[page.user]}
            status = probe(server.port, path, headers)
            if status != 200:
                print(f"warning: {page.name} {path} answered {status} before the load")
            rows.append((page.name, page.label, wrk(server.port, path, headers, **load)))
            print(f"  {page.name}: {rows[-1][2]['rps']:.1f} req/s", flush=True)
        after = wrk(server.port, CEILING, {}, **load)
        rows.append(("ceiling", "bare Django JSON view (after)", after))
    finally:
        os.unlink(script)
    ceiling_rps = (before["rps"] + after["rps"]) / 2
    print_table(rows, ceiling_rps)
    print(f"ceiling: mean of before and after, {ceiling_rps:.0f} req/s")
    if abs(before["rps"] - after["rps"]) > 0.25 * ceiling_rps:
        print("warning: the ceiling moved by more than 25% during the run (a busy machine?): compare with care")
    events_after, reads_after = audit_counts()
    print(
        f"audit events written during the load: {events_after - events_before:,} "
        f"(identity reads: {reads_after - reads_before:,})"
    )
    server.stop()

    print()
    print(
        f"{'page':<16} {'SQL':>4} {'share':>7} {'p95 ms':>7}  target: {TARGET_QUERIES} SQL or fewer, "
        f"{TARGET_SHARE:.0f}% of the ceiling or more, p95 {TARGET_P95_MS} ms or less"
    )
    missed = 0
    for name, _label, r in rows[1:-1]:
        share = 100 * r["rps"] / ceiling_rps
        ok = (
            statements[name] <= TARGET_QUERIES
            and share >= TARGET_SHARE
            and r["p95"] / 1000 <= TARGET_P95_MS
            and not r["non2xx"] + r["socket_errors"]
        )
        missed += not ok
        print(f"{name:<16} {statements[name]:4d} {share:6.1f}% {r['p95'] / 1000:7.1f}  {'ok' if ok else 'MISSED'}")

    print()
    print(f"figures selectors over all the files, median of 5 (target {TARGET_FIGURES_MS} ms or less, CPU time):")
    for label, wall, cpu in time_figures():
        missed += cpu > TARGET_FIGURES_MS
        verdict = "ok" if cpu <= TARGET_FIGURES_MS else "MISSED"
        print(f"  {label:<52} wall {wall:8.1f} ms  CPU {cpu:8.1f} ms  {verdict}")

    verify = manage("audit_verify", check=False)
    print(f"audit_verify: {(verify.stdout + verify.stderr).strip()}")
    if missed:
        print(f"{missed} target(s) missed")
    return 0 if verify.returncode == 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--investigations", type=int, default=50_000, help="files in all (default 50,000)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page (default 10)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    parser.add_argument("--pages", help="comma-separated subset of: " + ",".join(p.name for p in PAGES))
    parser.add_argument("--database-url", help="the bench database (default: var/bench-justice.sqlite3)")
    parser.add_argument(
        "--fill-only", action="store_true", help="fill, count the statements, time the figures; no server"
    )
    args = parser.parse_args()
    unknown = set(args.pages.split(",")) - {p.name for p in PAGES} if args.pages else set()
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
    if shutil.which("wrk") is None and not args.fill_only:
        parser.error("wrk is not installed (Debian: apt-get install wrk)")
    return serve_and_run(run, args, "bench-justice-gunicorn.log")


if __name__ == "__main__":
    sys.exit(main())
