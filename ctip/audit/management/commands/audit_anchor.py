"""Export the signed head of the audit chain as a small JSON file, to keep off the database (daily, from cron).

    manage.py audit_anchor                                   # print the anchor
    manage.py audit_anchor --output /path/audit-2026-01-31.json

`audit_verify --anchor FILE` later fails when the chain no longer reaches that anchor (ctip/audit/anchor.py).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ctip.audit.anchor import AnchorError, anchor_dumps, anchor_make
from ctip.audit.services import chain_pending


class Command(BaseCommand):
    help = "Print or write the signed head of the audit chain (sequence, hash, time, HMAC) for safe keeping."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Write the anchor to this new file (refuses to overwrite one).")

    def handle(self, *args, **options):
        # anchor the trail as committed, including events a killed worker left unchained, once it is on disk
        chain_pending(durable=True)
        try:
            anchor = anchor_make()
        except AnchorError as exc:
            raise CommandError(str(exc)) from exc
        text = anchor_dumps(anchor)
        if not options["output"]:
            self.stdout.write(text, ending="")
            return
        path = Path(options["output"])
        try:
            with path.open("x", encoding="utf-8") as fh:
                fh.write(text)
        except FileExistsError as exc:
            raise CommandError(f"{path} already exists: an anchor is never overwritten.") from exc
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror}.") from exc
        self.stdout.write(f"Anchored event {anchor['seq']} (hash {anchor['hash']}) in {path}.")
