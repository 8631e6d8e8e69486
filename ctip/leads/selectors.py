"""Reads of investigation leads, scoped by the user (ARCHITECTURE.md rule 3).

Who sees a lead: the investigating agency it was sent to (lead.view at agency scope). Missing and not-yours raise
the same NotFound. Sealed text (the summary, names, identifiers, the reason for declining) is opened only here,
and every page that shows it logs the read."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet

from ctip.accounts.access import Access, require, visible_q
from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action
from ctip.audit.services import audit_record
from ctip.core.errors import NotFound
from ctip.justice.enums import InvestigationStatus
from ctip.justice.models import Investigation
from ctip.justice.selectors import investigation_list_for_user
from ctip.reference.selectors import htcds_label

from .enums import LeadStatus
from .models import TARGET, Lead

ROLE_FIELD = "per_RoleInProcess"


def lead_queue_for_user(*, user: Actor, status: str = LeadStatus.NEW) -> QuerySet[Lead]:
    """Leads sent to the user's investigating agency; new ones oldest first, decided ones newest first."""
    require(user, Action.LEAD_VIEW)
    q = visible_q(user, Action.LEAD_VIEW, TARGET)
    if q is None:
        return Lead.objects.none()
    qs = Lead.objects.filter(q)
    if status:
        qs = qs.filter(status=status)
    qs = qs.select_related("owning_agency", "sender_agency", "investigation").annotate(
        suspect_count=Count("suspects", distinct=True), identifier_count=Count("identifiers", distinct=True)
    )
    return qs.order_by("created_at", "id") if status == LeadStatus.NEW else qs.order_by("-created_at", "-id")


def status_counts(*, user: Actor) -> dict[str, int]:
    q = visible_q(user, Action.LEAD_VIEW, TARGET)
    if q is None:
        return {}
    rows = Lead.objects.filter(q).order_by().values_list("status").annotate(n=Count("id"))
    return dict(rows)


def lead_get_for_user(*, user: Actor, public_id, action: Action = Action.LEAD_VIEW) -> tuple[Lead, Access]:
    require(user, action)
    try:
        lead = Lead.objects.select_related(
            "owning_agency", "sender_agency", "investigation", "source_case", "created_by", "decided_by"
        ).get(public_id=public_id)
    except (Lead.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound() from exc
    return lead, require(user, action, lead)


def lead_contents_for_user(*, user: Actor, lead: Lead, purpose: str = "lead page") -> dict:
    """The lead's sealed parts, opened; the read is logged (fields only, never the values)."""
    suspects = list(lead.suspects.all())
    identifiers = list(lead.identifiers.all())
    fields = ["summary"]
    if suspects:
        fields.append("suspects")
    if identifiers:
        fields.append("identifiers")
    if lead.decline_reason:
        fields.append("decline_reason")
    audit_record(
        actor=user,
        action="lead.read_sensitive",
        target_type=TARGET,
        target_id=lead.public_id,
        changes={"reference": lead.reference, "fields": fields, "purpose": purpose},
    )
    return {
        "summary": lead.summary,
        "suspects": [
            {
                "kind": s.get_kind_display(),
                "name": s.name,
                "roles": [htcds_label(ROLE_FIELD, r) for r in s.roles],
                "note": s.note,
            }
            for s in suspects
        ],
        "identifiers": [{"kind": i.get_kind_display(), "value": i.value} for i in identifiers],
        "decline_reason": lead.decline_reason,
    }


def joinable_files(*, user: Actor) -> QuerySet[Investigation]:
    """Files of the user's unit a lead can be joined to (still editable), newest first."""
    return investigation_list_for_user(user=user).filter(
        owning_agency_id=user.agency_id,
        status__in=[InvestigationStatus.OPEN, InvestigationStatus.CHARGE_ADVISED],
    )
