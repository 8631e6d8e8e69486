from django.core.management.base import BaseCommand, CommandError

from ctip.audit.services import verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain. Exits 0 when intact, 1 naming the first broken event."

    def handle(self, *args, **options):
        ok, broken_seq, problem, checked = verify_chain()
        if not ok:
            raise CommandError(
                f"Audit chain BROKEN at event {broken_seq}: {problem} ({checked} events verified before it)."
            )
        from ctip.audit.models import AuditChainHead

        head = AuditChainHead.objects.filter(id=1).first()
        head_hash = head.hash if head else "-"
        self.stdout.write(f"Audit chain intact: {checked} events. Head hash {head_hash} (record it off-site).")
