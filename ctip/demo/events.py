"""Audit event names written by the demo generator (ctip/audit/catalogue.py)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

SUBJECTS = {"demo": _("Demo data")}


class DemoEvent(TextChoices):
    LOAD = "demo.load", _("Demo data loaded")
