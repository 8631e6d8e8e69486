"""Audit event names written by the statistics module (ctip/audit/catalogue.py). No identity is involved: the
events record who looked at which figures with which filters, and who generated and downloaded which report."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

SUBJECTS = {"stats": _("Statistics")}


class StatsEvent(TextChoices):
    VIEW = "stats.view", _("Statistics viewed")
    EXPORT = "stats.export", _("Statistics downloaded")
    REPORT_START = "stats.report_start", _("Annual report requested")
    REPORT_DONE = "stats.report_done", _("Annual report generated")
    REPORT_DOWNLOAD = "stats.report_download", _("Annual report downloaded")
    POPULATION_SET = "stats.population_set", _("Population reference figure set")
