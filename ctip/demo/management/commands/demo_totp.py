"""Print the current TOTP code of a demo user (demo mode only), for trying CTIP without a phone."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ctip.accounts.models import User
from ctip.demo.generator import demo_enabled, demo_user_specs
from ctip.demo.totp import current_code, ensure_device


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo user (only when CTIP_DEMO_MODE is on)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **opts):
        if not demo_enabled():
            raise CommandError("Demo mode is off.")
        if opts["username"] not in {d[0] for d in demo_user_specs()}:
            raise CommandError("Not a demo user.")
        user = User.objects.filter(username=opts["username"]).first()
        if user is None:
            raise CommandError("This demo user does not exist yet: run `manage.py demo` first.")
        self.stdout.write(current_code(ensure_device(user)))
