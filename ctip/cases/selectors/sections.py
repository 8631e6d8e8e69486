"""Reads of the NRM sections of one case. Callers first get the case through `case_get_for_user` (which checks
the user's access) and check the section is visible; these functions then read that case's records only, so a
sub-record id of another case is "not found". Sealed free text is never opened here: use
`selectors.case_sensitive_text_for_user`, which logs the read."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet

from ctip.accounts.access import record_access
from ctip.accounts.roles import Action
from ctip.core.errors import NotFound

from ..models import (
    TARGET,
    CarePlan,
    CarePlanAction,
    Case,
    Consent,
    FollowUp,
    NeedsAssessment,
    Repatriation,
    Screening,
    ServiceDelivery,
    StatusDecision,
)


def user_may(user, case: Case, action: Action, section: str) -> bool:
    """Whether the user may do `action` on this section of the case (a share may limit the sections)."""
    access = record_access(user, action, TARGET, public_id=case.public_id, owning_agency_id=case.owning_agency_id)
    return access.allowed and (access.sections is None or section in access.sections)


def _get(qs: QuerySet, public_id):
    try:
        return qs.get(public_id=public_id)
    except (qs.model.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound() from exc


# --- screening and status -------------------------------------------------------------------------------------


def screenings_for_case(*, case: Case) -> list[Screening]:
    return list(
        Screening.objects.filter(case=case)
        .select_related("screened_by")
        .prefetch_related("indicators")
        .order_by("-screened_on", "-id")
    )


def screening_get(*, case: Case, public_id) -> Screening:
    return _get(Screening.objects.filter(case=case), public_id)


def decisions_for_case(*, case: Case) -> list[StatusDecision]:
    return list(
        StatusDecision.objects.filter(case=case)
        .select_related("deciding_agency", "decided_by", "screening")
        .order_by("-decided_on", "-id")
    )


# --- consent --------------------------------------------------------------------------------------------------


def consents_for_case(*, case: Case) -> list[Consent]:
    return list(
        Consent.objects.filter(case=case).select_related("recorded_by", "withdrawn_by").order_by("-given_on", "-id")
    )


def consent_get(*, case: Case, public_id) -> Consent:
    return _get(Consent.objects.filter(case=case).select_related("case"), public_id)


# --- care -----------------------------------------------------------------------------------------------------


def needs_for_case(*, case: Case) -> list[NeedsAssessment]:
    return list(NeedsAssessment.objects.filter(case=case).select_related("assessed_by").order_by("-assessed_on", "-id"))


def care_plans_for_case(*, case: Case) -> list[CarePlan]:
    actions = CarePlanAction.objects.select_related("responsible_agency").order_by("planned_on", "id")
    return list(
        CarePlan.objects.filter(case=case)
        .prefetch_related(Prefetch("actions", queryset=actions))
        .order_by("-created_at", "-id")
    )


def care_plan_get(*, case: Case, public_id) -> CarePlan:
    return _get(CarePlan.objects.filter(case=case).select_related("case"), public_id)


def care_action_get(*, case: Case, public_id) -> CarePlanAction:
    return _get(CarePlanAction.objects.filter(plan__case=case).select_related("plan__case"), public_id)


def services_for_case(*, case: Case) -> list[ServiceDelivery]:
    return list(
        ServiceDelivery.objects.filter(case=case).select_related("provider", "created_by").order_by("-delivered_on")
    )


# --- return and follow-ups --------------------------------------------------------------------------------------


def repatriation_for_case(*, case: Case) -> list[Repatriation]:
    return list(Repatriation.objects.filter(case=case).order_by("planned_on", "id"))


def follow_ups_for_case(*, case: Case) -> list[FollowUp]:
    return list(FollowUp.objects.filter(case=case).select_related("assigned_to", "done_by").order_by("due_on", "id"))


def follow_up_get(*, case: Case, public_id) -> FollowUp:
    return _get(FollowUp.objects.filter(case=case).select_related("case"), public_id)


def follow_up_officers(*, case: Case):
    """Officers a follow-up of this case can be assigned to from the case page: the owning agency's."""
    from ctip.accounts.selectors import agency_users_who_can

    return agency_users_who_can(agency=case.owning_agency, action=Action.CASE_VIEW)


def user_by_public_id(*, public_id):
    """An active user by public id, or None (the follow-up service then says the officer cannot be assigned, the
    same answer as for a user who cannot see the case, so ids cannot be probed)."""
    from ctip.accounts.models import User

    try:
        return User.objects.filter(public_id=public_id, is_active=True).first()
    except (ValueError, ValidationError):
        return None
