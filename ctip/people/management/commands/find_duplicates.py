"""Batch duplicate detection over the whole registry, for review (nothing is merged automatically).

Walks the match-key index block by block, decrypts each person once (in a bounded cache), scores every pair that
shares a key, and writes the likely duplicates as DuplicateCandidate rows (opaque ids and scores; no names)
for the review queue (people.services.duplicates_scan). Prints time, pairs scored and peak memory.
"""

from __future__ import annotations

import resource

from django.core.management.base import BaseCommand

from ctip.people import services


class Command(BaseCommand):
    help = "Find likely duplicate persons across the registry and queue them for review."

    def add_arguments(self, parser):
        parser.add_argument("--max-block", type=int, default=200, help="skip keys shared by more persons than this")
        parser.add_argument("--threshold", default="possible", choices=["possible", "match"])

    def handle(self, *args, **opts):
        result = services.duplicates_scan(
            actor="find_duplicates", max_block=opts["max_block"], threshold=opts["threshold"]
        )
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.blocks} blocks, {result.pairs_scored} pairs scored, {result.found} likely duplicates "
                f"({result.queued} new in the review queue) in {result.seconds:.1f} s; peak memory {peak_mb:.0f} MB."
            )
        )
