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


SUBJECTS["complaint"] = _("Complaints about recruitment")
SUBJECTS["recruiter_watch"] = _("Recruitment-agency watchlist")


class ComplaintEvent(TextChoices):
    SUBMIT = "complaint.submit", _("Complaint submitted")
    EVIDENCE_ADD = "complaint.evidence_add", _("Evidence attached to a complaint")
    EVIDENCE_READ = "complaint.evidence_read", _("Complaint evidence downloaded")
    TEXT_READ = "complaint.text_read", _("Complaint text read")
    REVIEW = "complaint.review", _("Complaint review started")
    TRIAGE = "complaint.triage", _("Complaint triaged (action taken)")
    CASE_OPEN = "complaint.case_open", _("Distress case opened from a complaint")
    WATCH_ADD = "recruiter_watch.add", _("Agency added to the watchlist")
    WATCH_REMOVE = "recruiter_watch.remove", _("Agency removed from the watchlist")
    WATCH_READ = "recruiter_watch.read", _("Watchlist reasons read")
