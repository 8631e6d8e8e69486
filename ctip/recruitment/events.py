"""Audit event names written by the recruitment-agency register (ctip/audit/catalogue.py)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

SUBJECTS = {
    "recruiter": _("Recruitment agencies"),
    "joborder": _("Job orders"),
    "recruiter_import": _("Recruitment-agency imports"),
}


class RecruitmentEvent(TextChoices):
    CREATE = "recruiter.create", _("Recruitment agency added to the register")
    UPDATE = "recruiter.update", _("Recruitment agency details changed")
    STATUS = "recruiter.status", _("Recruitment agency licence status changed")
    DIRECTOR_ADD = "recruiter.director_add", _("Director linked to a recruitment agency")
    JOB_ORDER_ADD = "joborder.create", _("Job order recorded")
    IMPORT = "recruiter_import.apply", _("Published agency list imported")
    IMPORT_REFUSED = "recruiter_import.refuse", _("Published agency list refused")
