"""Batch duplicate detection over the whole registry, for review (nothing is merged automatically).

Walks the match-key index block by block, decrypts each person once (in a bounded cache), scores every pair that
shares a key, and writes the likely duplicates as DuplicateCandidate rows (opaque ids and scores; no names)
for the review queue. Prints time, pairs scored and peak memory.
"""

from __future__ import annotations

import resource
import time
from collections import OrderedDict

from django.core.management.base import BaseCommand

from ctip.audit.services import audit_record
from ctip.people import matching, matching_store, services

CACHE_SIZE = 200_000


class Command(BaseCommand):
    help = "Find likely duplicate persons across the registry and queue them for review."

    def add_arguments(self, parser):
        parser.add_argument("--max-block", type=int, default=200, help="skip keys shared by more persons than this")
        parser.add_argument("--threshold", default="possible", choices=["possible", "match"])

    def handle(self, *args, **opts):
        started = time.monotonic()
        cache: OrderedDict[int, matching.Record] = OrderedDict()
        seen: set[tuple[int, int]] = set()
        found: list[tuple[int, int, float, list[str]]] = []
        scored = blocks = 0
        wanted = {"match"} if opts["threshold"] == "match" else {"match", "possible"}
        for block in matching_store.blocks(opts["max_block"]):
            blocks += 1
            missing = [pid for pid in block if pid not in cache]
            if missing:
                cache.update(matching_store.open_records(missing))
                while len(cache) > CACHE_SIZE:
                    cache.popitem(last=False)
            ids = sorted(pid for pid in block if pid in cache)
            for i, a in enumerate(ids):
                for b in ids[i + 1 :]:
                    if (a, b) in seen:
                        continue
                    seen.add((a, b))
                    result = matching.score(cache[a], cache[b], matching_store.CTIP_CONFIG)
                    scored += 1
                    if result.decision in wanted:
                        found.append((a, b, result.score, [r.code for r in result.reasons]))
        queued = services.duplicates_queue(pairs=found)
        audit_record(
            actor="find_duplicates",
            action="people.duplicates_scan",
            changes={"blocks": blocks, "pairs_scored": scored, "found": len(found), "queued": queued},
        )
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            self.style.SUCCESS(
                f"{blocks} blocks, {scored} pairs scored, {len(found)} likely duplicates ({queued} new in the review "
                f"queue) in {time.monotonic() - started:.1f} s; peak memory {peak_mb:.0f} MB."
            )
        )
