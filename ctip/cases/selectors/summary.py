"""The printable case summary (issue 13): what one user may see of one case, gathered in a bounded number of
queries, and the print itself recorded in the audit trail (`case.print`, with the sections printed and whether
the identity was included; the identity read is logged as every identity read is).

Sealed free text (the account of what happened, notes, reasons, objectives) is left out: a summary travels on
paper, and those texts are read on screen where each read is recorded. Identity appears only when the user's
access reaches the identity section and their role shows identities.
"""

from __future__ import annotations

from django.utils import timezone

from ctip.accounts.access import Access
from ctip.accounts.actor import Actor
from ctip.audit.services import audit_record
from ctip.reference.selectors import htcds_label

from ..enums import CaseSection
from ..events import CaseEvent
from ..models import TARGET, Case, CaseAssignment
from .core import case_attributes, case_person_identity_for_user, visible_sections

__all__ = ["case_summary_for_user"]


def case_summary_for_user(*, user: Actor, case: Case, access: Access, field_labels: dict) -> dict:
    """Everything the summary shows, keyed by section; `field_labels` names the HTCDS fields (the forms' labels)."""
    sections = visible_sections(access)
    identity = None
    if CaseSection.IDENTITY in sections:
        identity = case_person_identity_for_user(user=user, case=case, access=access, purpose="print")
    summary: dict = {
        "case": case,
        "sections": sections,
        "identity": identity,
        "printed_at": timezone.now(),
        "printed_by": user,
        "assignments": list(
            CaseAssignment.objects.filter(case=case, ended_at__isnull=True).select_related("user").order_by("id")
        ),
    }
    if CaseSection.CIRCUMSTANCES in sections:
        summary["attributes"] = [
            (field_labels[f], [htcds_label(f, v) for v in values])
            for f, values in case_attributes(case=case).items()
            if f in field_labels
        ]
        summary["events"] = list(case.events.select_related("county", "country").order_by("started_on", "id"))
    if CaseSection.STATUS in sections:
        summary["decisions"] = list(case.decisions.select_related("deciding_agency").order_by("decided_on", "id"))
    if CaseSection.CONSENT in sections:
        summary["consent"] = case.consents.filter(withdrawn_at__isnull=True).order_by("-given_on", "-id").first()
    if CaseSection.CARE in sections:
        summary["needs"] = case.needs_assessments.order_by("-assessed_on", "-id").first()
        plans = list(case.care_plans.filter(actual_end__isnull=True).prefetch_related("actions").order_by("id"))
        summary["care_plans"] = [
            {
                "type": htcds_label("spl_Type", p.plan_type),
                "planned_end": p.planned_end,
                "actions": sorted(p.actions.all(), key=lambda a: (a.planned_on is None, a.planned_on, a.pk)),
            }
            for p in plans
        ]
        summary["services"] = list(case.services.select_related("provider").order_by("delivered_on", "id"))
    if CaseSection.RETURN in sections:
        summary["repatriation"] = list(case.repatriation_steps.order_by("id"))
    if CaseSection.FOLLOW_UPS in sections:
        summary["follow_ups"] = list(
            case.follow_ups.filter(done_at__isnull=True).select_related("assigned_to").order_by("due_on", "id")
        )
    audit_record(
        actor=user,
        action=CaseEvent.PRINT,
        target_type=TARGET,
        target_id=case.public_id,
        changes={"sections": sorted(sections), "identity": identity is not None, "reference": case.reference},
    )
    return summary
