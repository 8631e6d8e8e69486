"""Batch duplicate detection over the whole registry, for review (nothing is merged automatically).

Walks the match-key index block by block, decrypts each person once (in a bounded cache), scores the pairs that
share a key (with a prior that grows with the registry: matching_store.batch_config), and writes the likely
duplicates as DuplicateCandidate rows (opaque ids and scores; no names) for the review queue
(people.services.duplicates_scan). Prints time, pairs scored, the prior and peak memory.
"""

from __future__ import annotations

import argparse
import resource

from django.core.management.base import BaseCommand

from ctip.people import matching_store, services


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError("give a share between 0 and 1, e.g. 0.02")
    return value


class Command(BaseCommand):
    help = "Find likely duplicate persons across the registry and queue them for review."

    def add_arguments(self, parser):
        parser.add_argument("--max-block", type=int, default=200, help="skip keys shared by more persons than this")
        parser.add_argument("--threshold", default="possible", choices=["possible", "match"])
        parser.add_argument(
            "--expected-rate",
            type=_rate,
            default=matching_store.EXPECTED_DUPLICATE_RATE,
            help="share of persons expected to be registered twice; sets how much evidence a pair needs "
            "(default %(default)s)",
        )

    def handle(self, *args, **opts):
        result = services.duplicates_scan(
            actor="find_duplicates",
            max_block=opts["max_block"],
            threshold=opts["threshold"],
            expected_rate=opts["expected_rate"],
        )
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.blocks} blocks, {result.pairs_scored} pairs scored, {result.found} likely pairs found "
                f"(a pair met under several keys may count more than once), {result.queued} new in the review "
                f"queue in {result.seconds:.1f} s; prior {result.prior} bits; "
                f"peak memory {peak_mb:.0f} MB."
            )
        )
