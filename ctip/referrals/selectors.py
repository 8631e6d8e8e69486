"""Reads of the directory and of referrals, scoped by the user (ARCHITECTURE.md rule 3).

Who sees a referral: officers of the sending agency who may send referrals (the outbox), officers of the
provider's agency who may respond to them (the inbox), and roles that see every case nationally (coordinators,
read-only). Missing and not-yours raise the same NotFound.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Case as CaseWhen
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action, Scope
from ctip.accounts.selectors import agency_list
from ctip.audit.services import audit_record
from ctip.cases.enums import ServiceType
from ctip.core.errors import NotFound

from .enums import OCCUPYING_STATUSES, OPEN_STATUSES, ReferralStatus
from .models import TARGET, ProviderService, Referral, ServiceProvider

DIRECTORY_ACTIONS = (Action.REFERRAL_SEND, Action.REFERRAL_RESPOND, Action.PROVIDERS_MANAGE, Action.HOTLINE_LOG)
INBOX, OUTBOX, ALL = "inbox", "outbox", "all"


# --- the directory ------------------------------------------------------------------------------------------


def can_see_directory(user: Actor) -> bool:
    """Officers who refer, receive referrals, keep the directory or answer the hotline (to point callers)."""
    return bool(user.is_authenticated) and any(user.can(a) for a in DIRECTORY_ACTIONS)


@dataclass
class ProviderFilters:
    county_id: int | None = None
    service: str = ""
    text: str = ""
    beds_free: bool = False
    children: bool = False
    adults: bool = False
    include_inactive: bool = False


def _with_occupancy(qs: QuerySet[ServiceProvider]) -> QuerySet[ServiceProvider]:
    return qs.annotate(
        occupied=Count(
            "referrals",
            filter=Q(referrals__service_type=ServiceType.SHELTER, referrals__status__in=list(OCCUPYING_STATUSES)),
        )
    )


def provider_list_for_user(*, user: Actor, filters: ProviderFilters | None = None) -> QuerySet[ServiceProvider]:
    if not can_see_directory(user):
        return ServiceProvider.objects.none()
    f = filters or ProviderFilters()
    qs = ServiceProvider.objects.all()
    if not f.include_inactive:
        qs = qs.filter(is_active=True, agency__is_active=True)
    if f.service:
        qs = qs.filter(Exists(ProviderService.objects.filter(provider_id=OuterRef("pk"), service_type=f.service)))
    if f.county_id:
        through = ServiceProvider.counties.through
        qs = qs.filter(
            Q(national=True) | Exists(through.objects.filter(serviceprovider_id=OuterRef("pk"), county_id=f.county_id))
        )
    if f.children:
        qs = qs.filter(accepts_children=True)
    if f.adults:
        qs = qs.filter(accepts_adults=True)
    if f.text.strip():
        text = f.text.strip()
        qs = qs.filter(Q(agency__name__icontains=text) | Q(agency__short_name__icontains=text))
    qs = _with_occupancy(qs)
    if f.beds_free:
        qs = qs.filter(
            Exists(ProviderService.objects.filter(provider_id=OuterRef("pk"), service_type=ServiceType.SHELTER)),
            shelter_capacity__gt=F("occupied"),
        )
    return qs.select_related("agency").prefetch_related("offered", "counties").order_by("agency__name")


def provider_get_for_user(*, user: Actor, public_id) -> ServiceProvider:
    if not can_see_directory(user):
        raise NotFound()
    try:
        return (
            _with_occupancy(ServiceProvider.objects.all())
            .select_related("agency")
            .prefetch_related("offered", "counties")
            .get(public_id=public_id)
        )
    except (ServiceProvider.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound() from exc


def provider_for_agency(*, agency) -> ServiceProvider | None:
    if agency is None:
        return None
    return ServiceProvider.objects.filter(agency=agency).first()


def agencies_for_new_provider(*, user: Actor):
    """Active agencies not yet in the directory that the user may add: any (national) or their own."""
    scope = user.scope(Action.PROVIDERS_MANAGE)
    if scope is None:
        return agency_list(active_only=True).none()
    agencies = agency_list(active_only=True).exclude(pk__in=ServiceProvider.objects.values("agency_id"))
    if scope != Scope.NATIONAL:
        if user.agency_id is None:
            return agencies.none()
        agencies = agencies.filter(pk=user.agency_id)
    return agencies


def provider_services(provider: ServiceProvider) -> list[str]:
    return [s.service_type for s in provider.offered.all()]


def available_beds(provider: ServiceProvider) -> int | None:
    """Free shelter beds, or None when the provider offers no shelter. Uses the `occupied` annotation if present."""
    if ServiceType.SHELTER not in provider_services(provider):
        return None
    occupied = getattr(provider, "occupied", None)
    if occupied is None:
        occupied = Referral.objects.filter(
            provider=provider, service_type=ServiceType.SHELTER, status__in=list(OCCUPYING_STATUSES)
        ).count()
    return max(0, provider.shelter_capacity - occupied)


def providers_for_referral(
    *,
    user: Actor,
    service: str = "",
    county_id: int | None = None,
    exclude_agency_id=None,
    is_child: bool | None = None,
):
    """Active providers a case can be referred to (for the send form): serving the county, the person's age group."""
    filters = ProviderFilters(service=service, county_id=county_id, children=is_child is True, adults=is_child is False)
    qs = provider_list_for_user(user=user, filters=filters)
    if exclude_agency_id:
        qs = qs.exclude(agency_id=exclude_agency_id)
    return qs


# --- referrals ------------------------------------------------------------------------------------------------


def referral_visible_q(user: Actor) -> Q | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.scope(Action.CASE_VIEW) == Scope.NATIONAL:
        return Q()
    q = None
    if user.agency_id and user.can(Action.REFERRAL_SEND):
        q = Q(sender_agency_id=user.agency_id)
    if user.agency_id and user.can(Action.REFERRAL_RESPOND):
        inbox = Q(provider__agency_id=user.agency_id)
        q = inbox if q is None else q | inbox
    return q


def _overdue_first(qs: QuerySet[Referral]) -> QuerySet[Referral]:
    now = timezone.now()
    return qs.annotate(
        overdue_rank=CaseWhen(
            When(status=ReferralStatus.SENT, response_due_at__lt=now, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )


def referral_list_for_user(
    *, user: Actor, box: str = ALL, status: str = "", overdue_only: bool = False, case=None
) -> QuerySet[Referral]:
    """Referrals the user may see. inbox: sent to the user's agency; outbox: sent by it. Overdue ones first."""
    q = referral_visible_q(user)
    if q is None:
        return Referral.objects.none()
    qs = Referral.objects.filter(q)
    if box == INBOX:
        if not (user.agency_id and user.can(Action.REFERRAL_RESPOND)):
            return Referral.objects.none()
        qs = qs.filter(provider__agency_id=user.agency_id)
    elif box == OUTBOX:
        if not user.agency_id:
            return Referral.objects.none()
        qs = qs.filter(sender_agency_id=user.agency_id)
    if status:
        qs = qs.filter(status=status)
    if overdue_only:
        qs = qs.filter(status=ReferralStatus.SENT, response_due_at__lt=timezone.now())
    if case is not None:
        qs = qs.filter(case=case)
    return (
        _overdue_first(qs)
        .select_related("case", "provider__agency", "sender_agency")
        # overdue_rank is annotated by _overdue_first, which the Django plugin cannot see through its return type.
        .order_by("overdue_rank", "response_due_at" if overdue_only else "-sent_at", "-id")  # type: ignore[misc]
    )


def referrals_overdue(*, user: Actor) -> QuerySet[Referral]:
    """Sent and still unanswered past their response time, among the referrals the user may see."""
    return referral_list_for_user(user=user, overdue_only=True)


def referrals_to_answer(*, user: Actor) -> QuerySet[Referral]:
    """Sent to the user's agency and not answered yet, still within their response time (the overdue ones are
    `referrals_overdue`): the new referrals a provider's officer must accept or decline."""
    return referral_list_for_user(user=user, box=INBOX, status=ReferralStatus.SENT).filter(
        response_due_at__gte=timezone.now()
    )


def referral_get_for_user(*, user: Actor, public_id) -> Referral:
    q = referral_visible_q(user)
    if q is None:
        raise NotFound()
    try:
        return (
            Referral.objects.filter(q)
            .select_related("case", "provider__agency", "sender_agency", "sent_by", "responded_by", "revoked_by")
            .get(public_id=public_id)
        )
    except (Referral.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound() from exc


def referral_side(*, user: Actor, referral: Referral) -> str:
    """ "recipient", "sender" or "" (a national reader): which buttons the user gets."""
    if user.agency_id and user.agency_id == referral.provider.agency_id and user.can(Action.REFERRAL_RESPOND):
        return "recipient"
    if user.agency_id and user.agency_id == referral.sender_agency_id and user.can(Action.REFERRAL_SEND):
        return "sender"
    return ""


READABLE_TEXT = ("notes", "decline_reason", "completion_note", "revoke_reason")


def referral_text_for_user(*, user: Actor, referral: Referral, purpose: str = "view") -> dict[str, str]:
    """Open the sealed free text of a referral the user may see; one logged read."""
    referral_get_for_user(user=user, public_id=referral.public_id)  # re-check visibility
    texts = {field: getattr(referral, field) for field in READABLE_TEXT}  # sealed: opened on this read
    if any(texts.values()):
        audit_record(
            actor=user,
            action="referral.read_sensitive",
            target_type=TARGET,
            target_id=referral.public_id,
            changes={"fields": [f for f, v in texts.items() if v], "purpose": purpose},
        )
    return texts


def audit_ids_for_reference(text: str) -> list[str]:
    """For the audit trail's record filter (ctip.audit.lookups): a referral number -> the referral's public id."""
    return [str(v) for v in Referral.objects.filter(reference=text.strip().upper()).values_list("public_id", flat=True)]


# --- the case overview and the caseload (registered with ctip.cases.contributions in apps.py) -------------------


def case_overview_referral_flags(ref) -> dict:
    """For the case overview's one query of flags over the case id `ref`: a referral was sent (and not revoked),
    a provider took the person into its care, how many referrals are open."""
    from django.db.models.functions import Coalesce

    of_case = Referral.objects.filter(case_id=ref)
    return {
        "referral_sent": Exists(of_case.exclude(status=ReferralStatus.REVOKED)),
        "referral_assisted": Exists(of_case.filter(status__in=[ReferralStatus.IN_PROGRESS, ReferralStatus.COMPLETED])),
        "referrals_open": Coalesce(
            Subquery(
                of_case.filter(status__in=list(OPEN_STATUSES))
                .order_by()
                .values("case_id")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            0,
        ),
    }


def case_overview_referrals(*, user: Actor, case, limit: int) -> list[dict]:
    """The open referrals of `case` the user may see (all of them for the owning agency's officers), overdue first,
    at most `limit`, as the case overview shows them: one query."""
    from django.urls import reverse

    q = referral_visible_q(user)
    if (
        user.is_authenticated
        and user.agency_id
        and user.agency_id == case.owning_agency_id
        and user.can(Action.CASE_VIEW)
    ):
        q = Q(case__owning_agency_id=user.agency_id) if q is None else q | Q(case__owning_agency_id=user.agency_id)
    if q is None:
        return []
    now = timezone.now()
    national = user.scope(Action.CASE_VIEW) == Scope.NATIONAL

    def visible(r) -> bool:
        return national or (
            bool(user.agency_id)
            and (
                (r.sender_agency_id == user.agency_id and user.can(Action.REFERRAL_SEND))
                or (r.provider.agency_id == user.agency_id and user.can(Action.REFERRAL_RESPOND))
            )
        )

    rows = list(
        _overdue_first(Referral.objects.filter(q, case=case, status__in=list(OPEN_STATUSES)))
        .select_related("provider__agency")
        .order_by("overdue_rank", "response_due_at", "id")[:limit]  # type: ignore[misc]
    )
    return [
        {
            "reference": r.reference,
            "service": r.get_service_type_display(),
            "provider": str(r.provider.agency),
            "status": r.get_status_display(),
            "overdue": r.status == ReferralStatus.SENT and r.response_due_at < now,
            # the referral's own page only where referral_get_for_user would open it
            "url": reverse("referrals:detail", args=[r.public_id]) if visible(r) else "",
        }
        for r in rows
    ]


def awaiting_referral_exists(ref) -> Exists:
    """The case (its id as `ref`) has a referral sent and not yet answered by the provider."""
    return Exists(Referral.objects.filter(case_id=ref, status=ReferralStatus.SENT))
