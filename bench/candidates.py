"""Registration-time candidate look-up at scale (issue 3: p95 <= 50 ms with 1,000,000 persons), and the batch
duplicate finder's time and memory.

    .venv/bin/python bench/candidates.py [--size large] [--repeat 200] [--batch | --batch-only] [--processes 2]
        [--max-candidates 35]
    DATABASE_URL=postgres://... .venv/bin/python bench/candidates.py --size large

--batch runs `manage.py find_duplicates` after the look-ups (--batch-only instead of them) under /usr/bin/time -v
when it is there (wall time, CPU time, peak memory), then reports the planted re-registrations found.
--max-candidates sets how many persons a look-up decrypts and scores (matching_store.MAX_CANDIDATES).

Probes are identities of demo persons re-spelt the way officers re-type them (a name variant, names swapped,
the date of birth kept or dropped), so the look-up has real candidates to find and score.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import time

from _setup import ROOT, database_label, ensure_demo, setup


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="large", choices=["small", "medium", "large"])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--batch", action="store_true", help="also run manage.py find_duplicates and time it")
    parser.add_argument("--batch-only", action="store_true", help="only run manage.py find_duplicates and time it")
    parser.add_argument("--processes", type=int, default=2, help="find_duplicates --processes (default 2)")
    parser.add_argument("--max-candidates", type=int, default=None, help="persons scored per look-up")
    parser.add_argument("--blocks", action="store_true", help="only report the sizes of the match-key groups")
    parser.add_argument(
        "--planted", action="store_true", help="only report how many planted re-registrations the review queue holds"
    )
    args = parser.parse_args()
    setup(args.size)
    ensure_demo(args.size)
    from ctip.accounts.models import User
    from ctip.demo.generator import PersonFactory
    from ctip.people.models import Person
    from ctip.people.selectors import person_candidates_for_identity

    total = Person.objects.count()
    print(f"database: {database_label()}; persons: {total:,}; load average {os.getloadavg()[0]:.1f}")
    if args.batch_only:
        batch(total, args.processes)
        return
    if args.max_candidates:
        from ctip.people import matching_store

        matching_store.MAX_CANDIDATES = args.max_candidates
    if args.planted:
        planted_recall(total)
        return
    if args.blocks:
        block_sizes()
        return
    user = User.objects.get(username="demo.caseworker")
    factory = PersonFactory(2026, [])
    rng = random.Random(7)
    times, found, sizes = [], 0, []
    for _ in range(args.repeat):
        index = rng.randrange(total)
        identity = factory.identity(index)
        identity.identifiers = []  # names and dates only: identifiers are exact look-ups and trivially fast
        if rng.random() < 0.5:
            identity.first_name, identity.last_name = identity.last_name, identity.first_name
        if rng.random() < 0.2:
            identity.date_of_birth = None
        started = time.perf_counter()
        result = person_candidates_for_identity(user=user, identity=identity)
        times.append((time.perf_counter() - started) * 1000)
        sizes.append(len(result))
        found += factory.public_id(index) in {c.person.public_id for c in result}
    times.sort()
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
    print(
        f"candidate look-up: p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms "
        f"over {len(times)} probes; the re-typed person was proposed in {found}/{len(times)}; "
        f"mean candidates shown {statistics.mean(sizes):.1f}"
    )
    if args.batch:
        batch(total, args.processes)


def batch(total: int, processes: int) -> None:
    """Run find_duplicates (timed by /usr/bin/time -v when present) and report the planted pairs it queued."""
    command = [sys.executable, str(ROOT / "manage.py"), "find_duplicates", "--processes", str(processes)]
    timer = shutil.which("time") or ("/usr/bin/time" if os.path.exists("/usr/bin/time") else None)
    if timer:
        command = [timer, "-v", *command]
    started = time.perf_counter()
    run = subprocess.run(command, check=True, cwd=ROOT, capture_output=True, text=True)
    print(run.stdout.strip())
    for line in run.stderr.splitlines():
        if any(k in line for k in ("Elapsed", "User time", "System time", "Maximum resident", "Percent of CPU")):
            print(line.strip())
    print(f"find_duplicates wall time {time.perf_counter() - started:.1f} s; load average {os.getloadavg()[0]:.1f}")
    planted_recall(total)


def planted_recall(total: int) -> None:
    """How many of the demo's planted re-registrations (PersonFactory.duplicate_of) the review queue holds."""
    from ctip.demo.generator import PersonFactory
    from ctip.people.models import DuplicateCandidate, Person

    factory = PersonFactory(2026, [])
    pk_of = dict(Person.objects.values_list("public_id", "pk").iterator(chunk_size=50_000))
    queued = set(DuplicateCandidate.objects.values_list("person_a_id", "person_b_id").iterator(chunk_size=50_000))
    planted = found = 0
    for index in range(total):
        original = factory.duplicate_of(index)
        if original is None:
            continue
        a, b = pk_of.get(factory.public_id(original)), pk_of.get(factory.public_id(index))
        if a is None or b is None:
            continue
        planted += 1
        found += (min(a, b), max(a, b)) in queued
    share = f"{found / planted:.1%}" if planted else "-"
    print(f"planted re-registrations in the review queue: {found:,}/{planted:,} ({share})")
    print(f"pairs in the review queue: {len(queued):,}")


def block_sizes(max_block: int = 200, dense: int = 30) -> None:
    """How many persons share each match key: what the batch scan has to pair."""
    from django.db import connection

    from ctip.people.models import PersonMatchKey

    table = PersonMatchKey._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT n, COUNT(*) FROM (SELECT COUNT(*) AS n FROM {table} GROUP BY key) t GROUP BY n ORDER BY n"
        )
        sizes = cursor.fetchall()
    rows = list(sizes)
    keys = sum(k for _, k in rows)
    shared = [(n, k) for n, k in rows if 2 <= n <= max_block]
    pairs = sum(k * n * (n - 1) // 2 for n, k in shared)
    small = sum(k * n * (n - 1) // 2 for n, k in shared if n <= dense)
    over = sum(k for n, k in rows if n > max_block)
    print(
        f"match keys: {keys:,} distinct; shared by 2..{max_block} persons: {sum(k for _, k in shared):,} "
        f"({pairs:,} pairs: {small:,} in groups of {dense} or fewer, {pairs - small:,} in larger ones); "
        f"largest group {rows[-1][0] if rows else 0}; {over:,} keys shared by more than {max_block} (skipped)"
    )


if __name__ == "__main__":
    main()
