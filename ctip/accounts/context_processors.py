"""Navigation by role: each entry appears only for users whose role allows the action behind it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .roles import Action

NAV = [
    ("portal:home", _("Home"), None),
    ("portal:tasks", _("My tasks"), None),
    ("cases:list", _("Cases"), Action.CASE_VIEW),
    ("cases:caseload", _("Caseload"), Action.CASELOAD_VIEW),
    ("people:list", _("Persons"), Action.PERSON_VIEW),
    ("people:duplicates", _("Duplicates"), Action.PERSON_MERGE),
    ("referrals:index", _("Referrals"), Action.REFERRAL_RESPOND),
    ("justice:index", _("Investigations"), Action.INVESTIGATION_VIEW),
    ("justice:queue", _("Review queue"), Action.INVESTIGATION_REVIEW),
    ("justice:figures", _("Criminal-justice figures"), Action.STATS_VIEW),
    ("leads:queue", _("Investigation leads"), Action.LEAD_VIEW),
    ("intake:tip_list", _("Tips"), Action.TIP_TRIAGE),
    ("intake:call_list", _("Hotline calls"), Action.HOTLINE_LOG),
    ("intake:import_index", _("Import"), Action.CASE_IMPORT),
    ("recruitment:list", _("Recruitment agencies"), Action.RECRUITER_VIEW),
    ("jobcheck:check", _("Job-offer check"), Action.JOBCHECK_USE),
    ("trustfund:index", _("Trust Fund"), Action.TRUSTFUND_VIEW),
    ("recruitment:complaints", _("Recruitment complaints"), Action.COMPLAINT_VIEW),
    ("accounts:breakglass_list", _("Break-the-glass review"), Action.BREAKGLASS_REVIEW),
    ("audit:list", _("Audit trail"), Action.AUDIT_VIEW),
    ("accounts:user_list", _("Users"), Action.USERS_MANAGE),
    ("accounts:agency_list", _("Agencies"), None),
    ("reference:index", _("Reference data"), Action.REFERENCE_VIEW),
    ("stats:index", _("Statistics"), Action.STATS_VIEW),
    ("npa:index", _("Plan of action"), Action.NPA_VIEW),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    # A user authenticated by an API token (a page rendered through DRF, e.g. /api/docs/) has no `is_verified`:
    # no menu for it, as for a session that has not passed the second factor.
    is_verified = getattr(user, "is_verified", None)
    if user.mfa_required and (is_verified is None or not is_verified()):
        return {"nav_items": []}
    items = []
    for url_name, label, action in NAV:
        if action is None or user.can(action):
            url = reverse(url_name)
            items.append(
                {
                    "url": url,
                    "label": label,
                    "active": request.path == url or (url != "/" and request.path.startswith(url)),
                }
            )
    # one entry is the current page: the longest matching address (/cases/caseload/ is not also "Cases")
    active = [i for i in items if i["active"]]
    if len(active) > 1:
        longest = max(active, key=lambda i: len(i["url"]))
        for item in active:
            item["active"] = item is longest
    return {"nav_items": items}
