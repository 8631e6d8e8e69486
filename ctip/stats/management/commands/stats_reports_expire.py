from django.core.management.base import BaseCommand

from ctip.stats.services import expire_old


class Command(BaseCommand):
    help = "Blank the files of annual reports older than CTIP_REPORT_KEEP_DAYS (default 30; run daily)."

    def handle(self, *args, **options):
        self.stdout.write(f"{expire_old()} report file(s) expired.")
