from django.core.management.base import BaseCommand

from ctip.exports.services import expire_old


class Command(BaseCommand):
    help = "Blank the files of list exports older than CTIP_EXPORT_KEEP_HOURS (run daily, e.g. from cron)."

    def handle(self, *args, **options):
        self.stdout.write(f"{expire_old()} export file(s) expired.")
