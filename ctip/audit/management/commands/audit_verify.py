from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ctip.audit.anchor import AnchorError, anchor_check, anchor_loads
from ctip.audit.models import AuditChainHead
from ctip.audit.services import verify_chain


class Command(BaseCommand):
    help = (
        "Chain the events still waiting (as audit_chain does), then verify the audit trail's hash chain and every "
        "event's seal. Exits 0 when intact, 1 naming the first broken event. With --anchor, "
        "also fails when the chain no longer reaches an anchor exported by audit_anchor (tail truncated)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="FILE",
            help="An anchor file written by audit_anchor; may be given several times.",
        )

    def handle(self, *args, **options):
        anchors = []
        for name in options["anchor"]:
            try:
                text = Path(name).read_text(encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"Cannot read the anchor {name}: {exc.strerror}.") from exc
            try:
                anchors.append((name, anchor_loads(text)))
            except AnchorError as exc:
                raise CommandError(f"Anchor {name} REJECTED: {exc}") from exc
        ok, broken_seq, problem, checked = verify_chain()
        if not ok and broken_seq is None:
            raise CommandError(f"Audit trail BROKEN: {problem} ({checked} chained events verified).")
        if not ok:
            raise CommandError(
                f"Audit chain BROKEN at event {broken_seq}: {problem} ({checked} events verified before it)."
            )
        for name, anchor in anchors:
            try:
                anchor_check(anchor)
            except AnchorError as exc:
                raise CommandError(f"Audit chain TRUNCATED or rewritten: {exc} (anchor {name})") from exc
        head = AuditChainHead.objects.filter(id=1).first()
        head_hash = head.hash if head else "-"
        self.stdout.write(f"Audit chain intact: {checked} events. Head hash {head_hash} (record it off-site).")
        for name, anchor in anchors:
            self.stdout.write(f"Reaches the anchor {name}: event {anchor['seq']} of {anchor['time']}.")
