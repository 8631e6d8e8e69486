"""Batch duplicate detection over the whole registry, for review (nothing is merged automatically).

Pairs the persons sharing a match key or an identifier (each pair once), decrypts each person once, scores the
pairs with the vectorised matcher over `--processes` processes (with a prior that grows with the registry:
matching_store.batch_config), and writes the likely duplicates as DuplicateCandidate rows (opaque ids and scores;
no names) for the review queue (people.services.duplicates_scan, ctip.people.scan). Prints time, pairs scored,
the prior and peak memory (of this process and of the largest worker process).
"""

from __future__ import annotations

import argparse
import resource

from django.core.management.base import BaseCommand

from ctip.people import matching_store, scan, services


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError("give a share between 0 and 1, e.g. 0.02")
    return value


def _processes(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError("give a number of processes from 1 to 64")
    return int(text)


class Command(BaseCommand):
    help = "Find likely duplicate persons across the registry and queue them for review."

    def add_arguments(self, parser):
        parser.add_argument("--max-block", type=int, default=200, help="skip keys shared by more persons than this")
        parser.add_argument(
            "--processes",
            type=_processes,
            default=scan.default_processes(),
            help="processes that decrypt and score (default: the cores, at most 2: %(default)s)",
        )
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
            processes=opts["processes"],
        )
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.blocks} blocks, {result.pairs_scored} pairs scored (each once), {result.found} likely "
                f"pairs found, {result.queued} new in the review queue in {result.seconds:.1f} s "
                f"({opts['processes']} processes); prior {result.prior} bits; peak memory {peak_mb:.0f} MB "
                f"(largest worker {worker_mb:.0f} MB); seconds per phase: "
                + ", ".join(f"{name} {secs:.1f}" for name, secs in result.phases.items())
                + "; peak MB after each (this process/largest worker): "
                + ", ".join(f"{name} {own}/{worker}" for name, (own, worker) in result.peaks.items())
                + "."
            )
        )
