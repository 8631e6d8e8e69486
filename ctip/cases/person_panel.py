"""The cases section of a person's page (registered with ctip.people.panels in CasesConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ctip.accounts.roles import Action
from ctip.people.panels import Panel

from . import selectors
from .enums import CaseSection

ACCESS_LABELS = {
    "national": _("National access"),
    "agency": _("Your agency's case"),
    "share": _("Shared with your agency"),
    "break_glass": _("Opened by breaking the glass"),
}


def person_cases_panel(user, person) -> Panel | None:
    """The cases about the person the user may see: case number, status, agency and the user's access. None (no
    section at all) for a role without case access."""
    if not user.can(Action.CASE_VIEW):
        return None
    section_labels = dict(CaseSection.choices)
    rows = []
    for case, access in selectors.cases_of_person_for_user(user=user, person=person):
        sections = [section_labels.get(s, s) for s in access.sections] if access.sections is not None else []
        rows.append({"case": case, "access": ACCESS_LABELS.get(access.via, access.via), "sections": sections})
    return Panel("cases/_person_cases.html", {"person_cases": rows})
