"""Print the demo accounts, their shared password and their demo authenticator secrets (demo mode only)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ctip.accounts.models import User
from ctip.demo.generator import DEMO_PASSWORD, demo_enabled, demo_user_specs
from ctip.demo.totp import current_code, ensure_device, secret_base32


class Command(BaseCommand):
    help = "Print the demo log-ins (only when CTIP_DEMO_MODE is on)."

    def handle(self, *args, **opts):
        if not demo_enabled():
            self.stdout.write("Demo mode is off: there are no demo log-ins.")
            return
        specs = demo_user_specs()
        users = {u.username: u for u in User.objects.filter(username__in=[d[0] for d in specs], is_active=True)}
        if not users:
            self.stdout.write("No demo users yet: run `manage.py demo` first.")
            return
        self.stdout.write("")
        self.stdout.write(f"Demo log-ins (password for all: {DEMO_PASSWORD})")
        self.stdout.write(f"{'username':<24}{'role':<24}{'agency':<22}{'TOTP secret (base32)':<34}code now")
        for username, *_ in specs:
            user = users.get(username)
            if user is None:
                continue
            secret = code = "-"
            if user.mfa_required:
                device = ensure_device(user)
                secret, code = secret_base32(device), current_code(device)
            agency = user.agency.short_name if user.agency else "-"
            self.stdout.write(f"{username:<24}{user.role_label!s:<24}{agency:<22}{secret:<34}{code}")
        self.stdout.write(
            "Second factor: add the secret to any authenticator app, or run "
            "`.venv/bin/python manage.py demo_totp <username>` for the current code."
        )
        self.stdout.write("")
