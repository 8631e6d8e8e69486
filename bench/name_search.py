"""Find a person by name at scale (issue 13: name-search p95 <= 200 ms at 1,000,000 persons).

    .venv/bin/python bench/name_search.py [--size small|medium|large] [--repeat 200]
    DATABASE_URL=postgres://... .venv/bin/python bench/name_search.py --size large

Probes are names of persons the demo case worker may identify (their agency's), typed as an officer would: names
in another order, half the time with the year of birth. Times people.selectors.person_find_by_name, the function
the /people/ page calls (key hashing, the key look-up, decrypting and scoring up to 50 persons, the audit row).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time

from _setup import database_label, ensure_demo, setup


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="large", choices=["small", "medium", "large"])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    setup(args.size)
    ensure_demo(args.size)
    from ctip.accounts.models import User
    from ctip.people.identity import open_identity
    from ctip.people.models import Person
    from ctip.people.selectors import person_find_by_name

    total = Person.objects.count()
    user = User.objects.get(username="demo.caseworker")
    own = list(
        Person.objects.filter(owning_agency=user.agency, is_active=True, merged_into=None)
        .order_by("-id")
        .values_list("pk", flat=True)[:20_000]
    )
    print(
        f"database: {database_label()}; persons: {total:,}; the user's agency: {len(own):,}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    rng = random.Random(13)
    times, found, sizes = [], 0, []
    for _ in range(args.repeat):
        person = Person.objects.get(pk=rng.choice(own))
        identity = open_identity(person)
        names = [n for n in (identity.first_name, identity.middle_names, identity.last_name) if n]
        rng.shuffle(names)
        year = identity.date_of_birth.year if identity.date_of_birth and rng.random() < 0.5 else None
        started = time.perf_counter()
        hits = person_find_by_name(user=user, name=" ".join(names), birth_year=year)
        times.append((time.perf_counter() - started) * 1000)
        sizes.append(len(hits))
        found += person.pk in {h.person.pk for h in hits}
    times.sort()
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
    print(
        f"name search: p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms over "
        f"{len(times)} searches; the person searched for was found in {found}/{len(times)}; "
        f"mean results {statistics.mean(sizes):.1f}"
    )


if __name__ == "__main__":
    main()
