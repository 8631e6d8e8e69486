"""Fill the sex at identification of cases opened before statistics read it (run once after upgrading)."""

from django.core.management.base import BaseCommand

from ctip.cases import services


class Command(BaseCommand):
    help = "Copy each older case's person's sex onto the case for statistics (the identity stays in the vault)."

    def handle(self, *args, **options):
        filled = services.cases_backfill_sex(actor="backfill_case_sex")
        self.stdout.write(self.style.SUCCESS(f"{filled} case(s) filled in."))
