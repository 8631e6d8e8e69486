"""Load deterministic synthetic demo data: `manage.py demo --size small|medium|large` or `--persons N`."""

from __future__ import annotations

import resource
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ctip.demo.generator import SIZES, DemoCounts, database_is_empty, demo_enabled, generate


class Command(BaseCommand):
    help = "Load synthetic demo data (real agency names, fictitious people). Only when CTIP_DEMO_MODE is on."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="small", help="small 2k, medium 50k, large 1M")
        parser.add_argument("--persons", type=int, help="explicit number of persons (overrides --size)")
        parser.add_argument("--seed", type=int, default=2026, help="same seed, same data")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when the database already has data")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **opts):
        if not demo_enabled():
            raise CommandError("Demo data is refused: CTIP_DEMO_MODE is off (never load it into a live system).")
        if opts["if_empty"] and not database_is_empty():
            self.stdout.write("The database already holds data: demo data not loaded.")
            return
        counts = DemoCounts.for_size(opts["size"])
        if opts["persons"] is not None:
            if opts["persons"] < 0:
                raise CommandError("--persons must be zero or more.")
            counts.persons = opts["persons"]
        started = time.monotonic()
        bar = tqdm(total=counts.persons, unit="person", disable=opts["no_progress"] or opts["verbosity"] == 0)
        with bar:
            result = generate(counts, seed=opts["seed"], progress=bar.update)
        elapsed = time.monotonic() - started
        cpu = resource.getrusage(resource.RUSAGE_SELF)
        workers = resource.getrusage(resource.RUSAGE_CHILDREN)
        extra = "".join(f", {v} {k}" for k, v in result.extra.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded in {elapsed:.1f} s: {result.agencies} agencies, {result.users} users, "
                f"{result.persons} persons, {result.identifiers} identifiers{extra}."
            )
        )
        self.stdout.write(
            f"CPU time: {cpu.ru_utime + cpu.ru_stime:.1f} s in this process, "
            f"{workers.ru_utime + workers.ru_stime:.1f} s in worker processes (the wall time above is longer when "
            "other work shares the machine)."
        )
