"""Audit event names written by the statistics module (ctip/audit/catalogue.py). No identity is involved: the
events record who looked at which figures with which filters."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

SUBJECTS = {"stats": _("Statistics")}


class StatsEvent(TextChoices):
    VIEW = "stats.view", _("Statistics viewed")
    EXPORT = "stats.export", _("Statistics downloaded")
