from django.core.management.base import BaseCommand

from ctip.recruitment.evidence_stash import expire_abandoned


class Command(BaseCommand):
    help = "Remove complaint evidence kept for a form that was never sent again (older than an hour; run hourly)."

    def handle(self, *args, **options):
        self.stdout.write(f"{expire_abandoned()} kept evidence file(s) removed.")
