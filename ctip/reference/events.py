"""Audit event names written by reference data (ctip/audit/catalogue.py)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

SUBJECTS = {"reference": _("Reference data")}


class ReferenceEvent(TextChoices):
    INDICATOR_UPDATE = "reference.indicator_update", _("Trafficking indicator updated")
    CTDC_LOAD = "reference.ctdc_load", _("CTDC reference dataset loaded")
