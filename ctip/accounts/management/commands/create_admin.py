"""Create a system administrator from the command line (the first account of a new installation).

    python manage.py create_admin --username admin.wanjiru --email wanjiru@example.go.ke
    CTIP_ADMIN_PASSWORD=... python manage.py create_admin --username admin.wanjiru --no-input

The password goes through Django's validators; the account is audited; TOTP is set up at first log-in.
"""

from __future__ import annotations

import getpass
import os

from django.core.management.base import BaseCommand, CommandError

from ctip.accounts.services import admin_bootstrap
from ctip.core.errors import ValidationFailed


class Command(BaseCommand):
    help = "Create a system administrator (for a new installation, or when every administrator is locked out)."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument("--no-input", action="store_true", help="read the password from CTIP_ADMIN_PASSWORD")

    def handle(self, *args, **opts):
        if opts["no_input"]:
            password = os.environ.get("CTIP_ADMIN_PASSWORD", "")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords do not match.")
        try:
            user = admin_bootstrap(username=opts["username"], password=password, email=opts["email"])
        except ValidationFailed as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.fields.items()) or exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"System administrator {user.username} created; set up TOTP at log-in."))
