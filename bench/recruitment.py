"""Public verification of recruitment agencies at scale (issue 12): look-up time with 5,000 agencies, and the
look-alike warning's recall and false warnings on the demo register's planted re-registrations.

    .venv/bin/python bench/recruitment.py [--agencies 5000] [--queries 2000]

Database: var/bench-recruitment.sqlite3 (or DATABASE_URL), migrated and filled with the demo register
(ctip/recruitment/demo.py) when it holds no agency. Queries are drawn from the register the way people type them:
a name with one letter changed, added, dropped or swapped, a licence number, a phone number, an unknown name.
Times are in-process (the selector, then the page, the JSON API and the SMS callback through Django's test client:
middleware, templates and serializers included; no HTTP server, so no network or worker overhead).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from _setup import ROOT, setup  # noqa: E402


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agencies", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=2000)
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-recruitment.sqlite3'}")
    setup("recruitment")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    from ctip.accounts.enums import Role
    from ctip.accounts.models import User
    from ctip.demo.generator import DemoResult
    from ctip.recruitment import demo, selectors
    from ctip.recruitment.enums import WARN_STATUSES
    from ctip.recruitment.models import AgencyContact, RecruitmentAgency

    seed = 12
    if not RecruitmentAgency.objects.exists():
        actor, _ = User.objects.get_or_create(username="bench-admin", defaults={"role": Role.SYSADMIN})
        started = time.perf_counter()
        demo.AT_MOST = max(demo.AT_MOST, args.agencies)
        demo.add_demo_agencies(seed=seed, result=DemoResult(persons=args.agencies * demo.PER_PERSONS), actor=actor)
        print(f"demo register loaded in {time.perf_counter() - started:.1f} s")
    plans = demo.plan(seed, RecruitmentAgency.objects.count())
    print(
        f"agencies: {RecruitmentAgency.objects.count()}, phones: {AgencyContact.objects.filter(kind='phone').count()}"
    )

    selectors.register_changed()
    started = time.perf_counter()
    index = selectors.public_index()
    print(f"index build: {(time.perf_counter() - started) * 1000:.0f} ms")

    # Look-alike warning: recall on the planted re-registrations, false warnings on the other licensed agencies.
    by_licence = {a.licence_number: i for i, a in enumerate(index.agencies)}
    planted = found = false = others = 0
    for p in plans:
        i = by_licence[p.licence_number]
        if index.agencies[i].status in WARN_STATUSES:
            continue
        warned = {index.agencies[h.index].licence_number for h in index.lookalikes_of(i)}
        if p.lookalike_of is not None:
            planted += 1
            found += plans[p.lookalike_of].licence_number in warned
        else:
            others += 1
            false += bool(warned)
    print(
        f"look-alike warning: recall {found}/{planted} ({found / planted:.1%}), "
        f"false warnings {false}/{others} ({false / others:.2%})"
    )

    rng = random.Random(seed)
    queries = []
    for _ in range(args.queries):
        p = rng.choice(plans)
        kind = rng.random()
        if kind < 0.6:
            words = p.legal_name.split()
            queries.append(" ".join([demo._mutate(rng, words[0]) if len(words[0]) > 2 else words[0], *words[1:]]))
        elif kind < 0.75:
            queries.append(p.licence_number.lower())
        elif kind < 0.9:
            queries.append("0" + p.phones[0][4:])
        else:
            queries.append(f"{demo._pseudo_word(rng)} Agency")
    times = []
    for q in queries:
        started = time.perf_counter()
        selectors.verify(q)
        times.append((time.perf_counter() - started) * 1000)
    print(f"selector verify(): p50 {pct(times, 0.5):.2f} ms, p95 {pct(times, 0.95):.2f} ms, max {max(times):.2f} ms")

    client = Client()
    secret = "bench-secret"
    with override_settings(CTIP_SMS_CALLBACK_SECRET=secret, ALLOWED_HOSTS=["testserver"]):
        from ctip.recruitment import public

        public.PAGE_LIMIT = public.API_LIMIT = public.SMS_LIMIT = public.ratelimit.Limit("bench", 10**9, 60)
        import ctip.recruitment.api as api

        api.API_LIMIT = public.API_LIMIT
        for label, call in (
            ("page", lambda q: client.post("/verify/", {"q": q})),
            ("api", lambda q: client.post("/api/v1/recruitment/verify/", {"q": q}, content_type="application/json")),
            (
                "sms",
                lambda q: client.post(
                    f"/verify/sms/?secret={secret}",
                    {"from": "+254700000001", "to": "22384", "text": f"VERIFY {q}", "id": "x", "date": "d"},
                ),
            ),
        ):
            times = []
            lengths = []
            for q in queries[:500]:
                started = time.perf_counter()
                response = call(q)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code
                if label == "sms":
                    lengths.append(len(response.content.decode()))
            extra = f", longest reply {max(lengths)} characters" if lengths else ""
            print(f"{label:4}: p50 {pct(times, 0.5):.2f} ms, p95 {pct(times, 0.95):.2f} ms{extra}")
    print(f"settings: {settings.SETTINGS_MODULE}, cache {settings.CACHES['default']['BACKEND']}")


if __name__ == "__main__":
    main()
