"""Chain the audit events still waiting for their place in the hash chain (ADR 0010).

Every audited transaction chains its own events right after its commit. An event is left waiting only when that
step did not run: the process was killed between the commit and the chaining, or the step failed (the database
went away). It is committed and sealed, so nothing is lost; this sweep, run every few minutes from cron
(docs/operations.md), gives it its place. Any later audited request, `audit_verify` and `audit_anchor` do too.

    manage.py audit_chain
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ctip.audit.services import chain_pending


class Command(BaseCommand):
    help = "Give the audit events still waiting (a worker killed after its commit) their place in the hash chain."

    def handle(self, *args, **options):
        chained = chain_pending()
        self.stdout.write(f"Chained {chained} waiting audit event(s).")
