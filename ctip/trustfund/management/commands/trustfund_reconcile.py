"""Check the Trust Fund's stored running balances against the entries: the ledger head's balance and count, and
each entry's balance after it, against the sums of the entries (no gaps in the entry numbers either).

Exit status 0 when everything agrees, 1 otherwise (for a cron job or a monitoring check). Recorded in the audit
trail (`trustfund.reconcile`) with its outcome. Changes nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ctip.audit.services import audit_record
from ctip.trustfund import selectors
from ctip.trustfund.events import TrustFundEvent
from ctip.trustfund.models import TARGET
from ctip.trustfund.money import format_ksh


class Command(BaseCommand):
    help = "Reconcile the Trust Fund ledger: the stored running balances against the sum of the entries."

    def handle(self, *args, **options):
        result = selectors.reconcile()
        audit_record(
            actor="trustfund_reconcile",
            action=TrustFundEvent.RECONCILE,
            target_type=TARGET,
            changes={"ok": result.ok, "entries": result.entries, "sum_cents": result.sum_cents},
        )
        self.stdout.write(f"entries: {result.entries}; sum of the entries: KSh {format_ksh(result.sum_cents)}")
        if result.ok:
            self.stdout.write(self.style.SUCCESS("The Trust Fund ledger reconciles."))
            return
        for problem in result.problems():
            self.stderr.write(problem)
        raise CommandError("The Trust Fund ledger does not reconcile.", returncode=1)
