"""The job-offer risk check in process (issue 12: "a job-offer check 50 ms or less"), with the recruitment
register of the bench (5,000 demo agencies) behind the agency look-up.

    .venv/bin/python bench/jobcheck.py [--agencies 5000] [--checks 2000]

Database: var/bench-recruitment.sqlite3 (or DATABASE_URL), migrated and filled with the demo register when it
holds no agency (the same database as bench/recruitment.py). Offers are drawn at random: every answer of the
form, an agency named by a misspelt name, a licence number, a phone number, an unknown name or none, and a pasted
text of 20 to 120 words mixing the rules' phrases (English, Kiswahili, Sheng) with filler. Times: the check itself
(selectors.check: rules, register look-up, phrase matching), then the public page and the JSON API through
Django's test client (middleware, form, template or serializer, and the count written), no HTTP server.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from decimal import Decimal

sys.path.insert(0, os.path.dirname(__file__))
from _setup import ROOT, setup  # noqa: E402

FILLER = [
    "habari",
    "job",
    "opportunity",
    "abroad",
    "salary",
    "accommodation",
    "food",
    "transport",
    "provided",
    "contact",
    "us",
    "now",
    "inbox",
    "for",
    "details",
    "tunaajiri",
    "wafanyakazi",
    "wengi",
    "wanahitajika",
    "mwezi",
    "huu",
    "mshahara",
    "mzuri",
    "sana",
    "kazi",
    "nzuri",
    "apply",
    "leo",
]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agencies", type=int, default=5000)
    parser.add_argument("--checks", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=300, help="page and API requests through the test client")
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
    from ctip.jobcheck import enums, public, rules, selectors
    from ctip.recruitment import demo
    from ctip.recruitment.models import AgencyContact, RecruitmentAgency

    seed = 12
    if not RecruitmentAgency.objects.exists():
        actor, _ = User.objects.get_or_create(username="bench-admin", defaults={"role": Role.SYSADMIN})
        demo.AT_MOST = max(demo.AT_MOST, args.agencies)
        demo.add_demo_agencies(seed=seed, result=DemoResult(persons=args.agencies * demo.PER_PERSONS), actor=actor)
    agencies = list(RecruitmentAgency.objects.values_list("legal_name", "licence_number"))
    phones = list(AgencyContact.objects.filter(kind="phone").values_list("value", flat=True)[:2000])
    print(f"agencies: {len(agencies)}, phones: {len(phones)}")

    selectors.rules_changed()
    compiled = selectors.published_rules()
    phrases = [p.strip() for r in compiled.rules for p in r.phrases]
    print(f"rule set v{compiled.number}: {len(compiled.rules)} rules, {len(phrases)} phrases")

    rng = random.Random(seed)
    countries = ["TH", "MM", "SA", "AE", "QA", "DE", "GB", "CA", "RU", "PL", "JP", "LB", "US", "KH"]

    def agency_name() -> str:
        k = rng.random()
        if k < 0.4:
            words = rng.choice(agencies)[0].split()
            return " ".join([demo._mutate(rng, words[0]) if len(words[0]) > 2 else words[0], *words[1:]])
        if k < 0.55:
            return rng.choice(agencies)[1]
        if k < 0.65 and phones:
            return rng.choice(phones)
        if k < 0.8:
            return f"{demo._pseudo_word(rng)} Overseas"
        return ""

    def text() -> str:
        words = [rng.choice(FILLER) for _ in range(rng.randint(20, 120))]
        for _ in range(rng.randint(0, 4)):
            words.insert(rng.randrange(len(words) + 1), rng.choice(phrases))
        return " ".join(words)

    offers = []
    for _ in range(args.checks):
        fee_to = rng.choice(rules.FEE_TO)
        offers.append(
            selectors.CheckInput(
                destination=rng.choice(countries),
                job=rng.choice(rules.JOBS),
                salary_amount=Decimal(rng.choice([300, 800, 1500, 45000, 120000])),
                salary_currency=rng.choice(["KES", "USD", "SAR", "EUR"]),
                salary_period=rng.choice(list(enums.Period.values)),
                fee_to=fee_to,
                fee_amount=None if fee_to == "none" else Decimal(rng.choice([5000, 80000, 300])),
                fee_currency="KES",
                visa=rng.choice(rules.VISAS),
                contact=rng.choice(rules.CONTACTS),
                agency_name=agency_name(),
                documents=rng.sample(list(rules.DOCUMENTS), rng.randint(0, 2)),
                departure=rng.choice(rules.DEPARTURES),
                text=text(),
            )
        )

    selectors.check(offers[0])  # build the register index and compile the rules once
    times, levels = [], {"low": 0, "medium": 0, "high": 0}
    for offer in offers:
        started = time.perf_counter()
        result = selectors.check(offer)
        times.append((time.perf_counter() - started) * 1000)
        levels[result.level] += 1
    print(
        f"check(): p50 {pct(times, 0.5):.2f} ms, p95 {pct(times, 0.95):.2f} ms, max {max(times):.2f} ms "
        f"over {len(times)} offers; levels {levels}"
    )

    looks, evals = [], []
    for offer in offers:
        started = time.perf_counter()
        found = selectors.lookup_agency(offer.agency_name)
        middle = time.perf_counter()
        compiled.evaluate(selectors.facts_for(compiled, offer, found))
        looks.append((middle - started) * 1000)
        evals.append((time.perf_counter() - middle) * 1000)
    print(
        f"  of which the register look-up: p50 {pct(looks, 0.5):.2f} ms, p95 {pct(looks, 0.95):.2f} ms; "
        f"the rules: p50 {pct(evals, 0.5):.3f} ms, p95 {pct(evals, 0.95):.3f} ms, max {max(evals):.3f} ms"
    )

    def form_data(o) -> dict:
        return {
            "destination": o.destination,
            "job": o.job,
            "salary_amount": str(o.salary_amount),
            "salary_currency": o.salary_currency,
            "salary_period": o.salary_period,
            "fee_to": o.fee_to,
            "fee_amount": "" if o.fee_amount is None else str(o.fee_amount),
            "fee_currency": o.fee_currency,
            "visa": o.visa,
            "contact": o.contact,
            "agency_name": o.agency_name,
            "documents": o.documents,
            "departure": o.departure,
            "text": o.text,
        }

    client = Client()
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        import ctip.jobcheck.api as api

        public.PAGE_LIMIT = api.API_LIMIT = public.ratelimit.Limit("bench", 10**9, 60)
        for label, call in (
            ("page", lambda d: client.post("/job-check/", d)),
            (
                "api",
                lambda d: client.post(
                    "/api/v1/jobcheck/check/",
                    {k: v for k, v in d.items() if v != ""},
                    content_type="application/json",
                ),
            ),
        ):
            times = []
            for offer in offers[: args.requests]:
                data = form_data(offer)
                started = time.perf_counter()
                response = call(data)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (response.status_code, response.content[:300])
            print(f"{label:4}: p50 {pct(times, 0.5):.2f} ms, p95 {pct(times, 0.95):.2f} ms, max {max(times):.2f} ms")
    print(f"settings: {settings.SETTINGS_MODULE}, cache {settings.CACHES['default']['BACKEND']}")


if __name__ == "__main__":
    main()
