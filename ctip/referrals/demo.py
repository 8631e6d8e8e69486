"""Demo data for the NRM: directory entries for the demo's shelters, NGOs, hospital, legal aid and IOM, and
referrals for about one case in five, in every status.

Registered by the demo generator as an extension: `add_demo_referrals(seed=, result=, actor=, progress=)`.
The first referrals go through the real services (audit, notifications, shares, timeline) so the demo shows the
real path; the rest are bulk-inserted in batches with the same sealing, shares and timeline rows, so 200,000
cases take seconds, not hours. Shelters never exceed their beds. Deterministic for a seed.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, time, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from ctip.accounts.models import Agency, RecordShare, User
from ctip.accounts.roles import Action
from ctip.cases.enums import CaseSection, CaseStatus, ServiceType
from ctip.cases.models import TARGET as CASE_TARGET
from ctip.cases.models import Case, Consent, TimelineEntry
from ctip.core.bulk import RowWriter, insert_objects, reserve_ids
from ctip.core.errors import ServiceError

from . import services
from .enums import COMPLETED_ACCESS_DAYS, OCCUPYING_STATUSES, SUGGESTED_SECTIONS, ReferralStatus, response_time
from .models import Referral, ReferralCounter, ServiceProvider

BATCH = 1000
REFER_SHARE = 0.2  # about one case in five is referred
THROUGH_SERVICES = 24  # the first referrals use the real services

# Directory entries for the demo agencies (ctip.demo.generator.AGENCIES), looked up by name; missing ones are skipped.
PROVIDERS = {
    "Rescue Dada Centre": {
        "services": ["shelter", "psychosocial", "education", "reintegration"],
        "shelter_capacity": 40,
        "accepts_adults": False,
        "accepts_sex": "female",
        "languages": ["English", "Kiswahili"],
        "notes": "Girls' rescue centre. Admissions through the children's officer or the police.",
    },
    "HAART Kenya": {
        "services": ["shelter", "psychosocial", "legal_aid", "reintegration"],
        "shelter_capacity": 25,
        "accepts_sex": "female",
        "languages": ["English", "Kiswahili"],
        "notes": "Shelter for women and girls survivors of trafficking; awareness and reintegration programmes.",
    },
    "Trace Kenya": {
        "services": ["psychosocial", "legal_aid", "family_tracing", "reintegration"],
        "languages": ["English", "Kiswahili", "Mijikenda"],
        "notes": "Coast region. Court accompaniment and family tracing.",
    },
    "Childline Kenya": {
        "services": ["psychosocial", "family_tracing"],
        "national": True,
        "accepts_adults": False,
        "languages": ["English", "Kiswahili"],
        "notes": "Children only. Toll-free helpline 116.",
    },
    "Kituo cha Sheria": {
        "services": ["legal_aid", "interpretation"],
        "languages": ["English", "Kiswahili", "Somali"],
        "notes": "Free legal aid for migrants and victims; representation in court.",
    },
    "Kenyatta National Hospital GBV Recovery Centre": {
        "services": ["medical", "psychosocial"],
        "languages": ["English", "Kiswahili"],
        "notes": "Open day and night. Forensic examination and post-exposure treatment.",
    },
    "International Organization for Migration - Kenya": {
        "services": ["repatriation", "reintegration", "family_tracing", "interpretation", "shelter"],
        "national": True,
        "shelter_capacity": 30,
        "languages": ["English", "Kiswahili", "Amharic", "Somali", "Arabic", "French"],
        "notes": "Assisted voluntary return and reintegration; transit accommodation.",
    },
}

NOTES = [
    "",
    "",
    "Needs a safe place tonight; speaks Kiswahili only.",
    "Arrived at JKIA this morning; no relatives in Nairobi.",
    "Please call the case worker before the first session.",
    "Court date next month; needs accompaniment.",
]
DECLINE_REASONS = ["No space for this age group.", "Outside our area.", "Service suspended this month."]
REVOKE_REASONS = ["The person returned home with family.", "Referred to another provider nearer home."]


def _coordinator() -> User | None:
    for user in User.objects.filter(role="coordinator", is_active=True).order_by("username"):
        if user.can(Action.PROVIDERS_MANAGE):
            return user
    return None


def _ensure_providers() -> list[ServiceProvider]:
    """Directory entries for the demo agencies that provide services, serving the agencies' own counties."""
    coordinator = _coordinator()
    if coordinator is not None:
        existing = set(ServiceProvider.objects.values_list("agency_id", flat=True))
        for agency in Agency.objects.filter(name__in=list(PROVIDERS)).prefetch_related("counties"):
            if agency.pk in existing:
                continue
            spec = dict(PROVIDERS[agency.name])
            counties = list(agency.counties.all())
            national = spec.pop("national", False) or agency.national or not counties
            services.provider_create(
                actor=coordinator,
                agency=agency,
                national=national,
                counties=[] if national else counties,
                phone=agency.phone,
                email=agency.email,
                **spec,
            )
    return list(ServiceProvider.objects.filter(is_active=True).select_related("agency").prefetch_related("offered"))


def _officers() -> dict[int, User]:
    """One officer per agency who may send referrals (and grant the share), from the demo users."""
    out: dict[int, User] = {}
    for user in User.objects.filter(username__startswith="demo.", agency__isnull=False, is_active=True).order_by(
        "username"
    ):
        if user.can(Action.REFERRAL_SEND) and user.can(Action.SHARE_GRANT):
            out.setdefault(user.agency_id, user)
    return out


def _responders() -> dict[int, User]:
    out: dict[int, User] = {}
    for user in User.objects.filter(username__startswith="demo.", agency__isnull=False, is_active=True).order_by(
        "username"
    ):
        if user.can(Action.REFERRAL_RESPOND):
            out.setdefault(user.agency_id, user)
    return out


def _at(day, rng: random.Random) -> datetime:
    return datetime.combine(day, time(8 + rng.randrange(10), rng.randrange(60)), tzinfo=UTC)


class _Plan:
    """Chooses, for one case, the service, provider, sections and final status of its referral."""

    def __init__(self, providers: list[ServiceProvider]):
        self.by_service: dict[str, list[ServiceProvider]] = {}
        for p in providers:
            for s in p.offered.all():
                self.by_service.setdefault(s.service_type, []).append(p)
        self.occupied: dict[int, int] = {p.pk: services.shelter_occupancy(p) for p in providers}
        self.capacity = {p.pk: p.shelter_capacity for p in providers}

    def choose(self, rng: random.Random, *, owning_agency_id: int, is_child: bool, is_abroad: bool, is_foreign: bool):
        weights = {
            ServiceType.SHELTER: 25,
            ServiceType.PSYCHOSOCIAL: 25,
            ServiceType.MEDICAL: 12,
            ServiceType.LEGAL_AID: 12,
            ServiceType.FAMILY_TRACING: 6 if is_child else 2,
            ServiceType.REPATRIATION: 12 if is_foreign else 0,
            ServiceType.REINTEGRATION: 12 if is_abroad else 4,
            ServiceType.EDUCATION: 6 if is_child else 0,
            ServiceType.INTERPRETATION: 6 if is_foreign else 0,
        }
        service = rng.choices(list(weights), list(weights.values()))[0]
        candidates = [
            p
            for p in self.by_service.get(service, [])
            if p.agency_id != owning_agency_id and (p.accepts_children if is_child else p.accepts_adults)
        ]
        if not candidates:
            return None
        return service, rng.choice(candidates)

    def bed_free(self, provider: ServiceProvider) -> bool:
        return self.occupied[provider.pk] < self.capacity[provider.pk]

    def take_bed(self, provider: ServiceProvider) -> None:
        self.occupied[provider.pk] += 1


CLOSED_CASE_STATUSES = (ReferralStatus.COMPLETED, ReferralStatus.DECLINED, ReferralStatus.REVOKED)


def _status(rng: random.Random, case_closed: bool, unseen: list[str]) -> str:
    """A weighted random status; until every status has appeared once, the next unseen one the case allows."""
    allowed = [s for s in unseen if not case_closed or s in CLOSED_CASE_STATUSES]
    if allowed:
        unseen.remove(allowed[0])
        return allowed[0]
    if case_closed:
        return rng.choices([ReferralStatus.COMPLETED, ReferralStatus.DECLINED, ReferralStatus.REVOKED], [75, 15, 10])[0]
    return rng.choices(
        [
            ReferralStatus.SENT,
            ReferralStatus.ACCEPTED,
            ReferralStatus.IN_PROGRESS,
            ReferralStatus.COMPLETED,
            ReferralStatus.DECLINED,
            ReferralStatus.REVOKED,
        ],
        [12, 12, 26, 35, 10, 5],
    )[0]


def add_demo_referrals(*, seed: int, result, actor, progress=None) -> None:
    """Demo extension: directory entries, then referrals for about one in five cases not referred yet."""
    before = ServiceProvider.objects.count()
    providers = _ensure_providers()
    made = {"providers": ServiceProvider.objects.count() - before, "referrals": 0}
    if not providers or not Case.objects.exists():
        result.extra.update(made)
        return
    plan = _Plan(providers)
    officers = _officers()
    responders = _responders()
    now = timezone.now()
    counters: dict[int, int] = {}
    consented = Consent.objects.filter(case_id=OuterRef("pk"), sharing=True, withdrawn_at__isnull=True)
    qs = (
        Case.objects.exclude(Exists(Referral.objects.filter(case_id=OuterRef("pk"))))
        .annotate(consented=Exists(consented))
        .order_by("pk")
    )
    through_services = THROUGH_SERVICES
    unseen = list(ReferralStatus.values)  # even a small demo shows every status
    last_pk = 0
    while True:
        rows = list(
            qs.filter(pk__gt=last_pk).values(
                "pk",
                "public_id",
                "reference",
                "owning_agency_id",
                "status",
                "identified_on",
                "is_child",
                "is_abroad",
                "is_foreign",
                "consented",
            )[:BATCH]
        )
        if not rows:
            break
        last_pk = rows[-1]["pk"]
        batch = []
        for row in rows:
            rng = random.Random(f"referral:{seed}:{row['public_id']}")  # not the pk: same demo on any database
            if rng.random() >= REFER_SHARE or row["owning_agency_id"] not in officers:
                continue
            if not row["consented"] and rng.random() > 0.1:  # a few are shared without consent, with a reason
                continue
            choice = plan.choose(
                rng,
                owning_agency_id=row["owning_agency_id"],
                is_child=row["is_child"],
                is_abroad=row["is_abroad"],
                is_foreign=row["is_foreign"],
            )
            if choice is None:
                continue
            service, provider = choice
            closed = row["status"] in (CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED)
            status = _status(rng, closed, unseen)
            if service == ServiceType.SHELTER and status in OCCUPYING_STATUSES:
                if plan.bed_free(provider):
                    plan.take_bed(provider)
                else:
                    status = ReferralStatus.COMPLETED
            if (
                through_services > 0
                and not closed
                and provider.agency_id in responders
                and _through_services(row, provider, service, status, officers, responders, rng)
            ):
                through_services -= 1
                made["referrals"] += 1
                continue
            batch.append((row, provider, service, status, rng))
        made["referrals"] += _insert(batch, officers, responders, counters, now)
        if progress:
            progress(0)
    result.extra.update(made)


def _sections(service: str, rng: random.Random) -> list[str]:
    chosen = [str(s) for s in SUGGESTED_SECTIONS.get(service, ())]
    if service in (ServiceType.REPATRIATION, ServiceType.FAMILY_TRACING) and rng.random() < 0.7:
        chosen.insert(0, CaseSection.IDENTITY)  # returning or tracing someone needs their identity
    return [s for s in CaseSection.values if s in chosen]


def _through_services(row, provider, service, status, officers, responders, rng) -> bool:
    """Send and move one referral with the real services (audit, notifications, timeline)."""
    case = Case.objects.get(pk=row["pk"])
    sender, responder = officers[row["owning_agency_id"]], responders[provider.agency_id]
    try:
        with transaction.atomic():  # all steps or none
            _steps(case, provider, service, status, sender, responder, row, rng)
    except ServiceError:  # a demo case the services refuse (no consent and no override right...): bulk instead
        return False
    return True


def _steps(case, provider, service, status, sender, responder, row, rng) -> None:
    referral = services.referral_send(
        actor=sender,
        case=case,
        provider=provider,
        service_type=service,
        sections=_sections(service, rng),
        notes=rng.choice(NOTES),
        override_reason="" if row["consented"] else "Immediate protection needed; consent to be taken later.",
    )
    steps = {
        ReferralStatus.SENT: [],
        ReferralStatus.ACCEPTED: ["accept"],
        ReferralStatus.IN_PROGRESS: ["accept", "start"],
        ReferralStatus.COMPLETED: ["accept", "start", "complete"],
        ReferralStatus.DECLINED: ["decline"],
        ReferralStatus.REVOKED: ["revoke"],
    }[status]
    for step in steps:
        if step == "accept":
            referral = services.referral_accept(actor=responder, referral=referral)
        elif step == "start":
            referral = services.referral_start(actor=responder, referral=referral)
        elif step == "complete":
            referral = services.referral_complete(actor=responder, referral=referral, note="Service delivered.")
        elif step == "decline":
            referral = services.referral_decline(actor=responder, referral=referral, reason=rng.choice(DECLINE_REASONS))
        else:
            referral = services.referral_revoke(actor=sender, referral=referral, reason=rng.choice(REVOKE_REASONS))


def _insert(batch, officers, responders, counters, now) -> int:  # noqa: C901 - one pass builds every row
    if not batch:
        return 0
    # The services number their referrals from the same counters: continue after whatever they took.
    for year, value in ReferralCounter.objects.values_list("year", "value"):
        counters[year] = max(counters.get(year, 0), value)
    referrals, shares, timeline = [], [], []
    for row, provider, service, status, rng in batch:
        sender = officers[row["owning_agency_id"]]
        responder = responders.get(provider.agency_id)
        if status == ReferralStatus.SENT:
            sent_at = now - timedelta(hours=rng.randrange(1, 120))  # some within the response time, some overdue
        else:
            sent_at = min(
                now - timedelta(days=2), _at(row["identified_on"] + timedelta(days=rng.randrange(0, 10)), rng)
            )
        year = sent_at.year
        counters[year] = counters.get(year, 0) + 1
        public_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        sections = _sections(service, rng)
        r = Referral(
            public_id=public_id,
            reference=f"RF-{year}-{counters[year]:06d}",
            case_id=row["pk"],
            provider=provider,
            sender_agency_id=row["owning_agency_id"],
            service_type=service,
            sections=sections,
            consent_override=not row["consented"],
            status=status,
            sent_at=sent_at,
            sent_by=sender,
            response_due_at=sent_at + response_time(service),
            created_by=sender,
            created_at=sent_at,
        )
        note = rng.choice(NOTES)
        r.notes = note  # sealed by bulk_create (SealedTextField.pre_save), like every sealed field here
        label = str(ServiceType(service).label)
        params = {"service": label, "provider": str(provider.agency)}
        events = [(sent_at, "referral.sent")]
        share_expires, share_revoked, revoked_by = None, None, None
        if status != ReferralStatus.SENT and status != ReferralStatus.REVOKED:
            r.responded_at = sent_at + timedelta(hours=rng.randrange(1, 30))
            r.responded_by = responder
        if status == ReferralStatus.DECLINED:
            r.decline_reason = rng.choice(DECLINE_REASONS)
            events.append((r.responded_at, "referral.declined"))
            share_revoked, revoked_by = r.responded_at, responder or sender
        if status in (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS, ReferralStatus.COMPLETED):
            events.append((r.responded_at, "referral.accepted"))
        if status in (ReferralStatus.IN_PROGRESS, ReferralStatus.COMPLETED):
            r.started_at = r.responded_at + timedelta(hours=rng.randrange(1, 48))
            events.append((r.started_at, "referral.in_progress"))
        if status == ReferralStatus.COMPLETED:
            r.completed_at = min(now, r.started_at + timedelta(days=rng.randrange(3, 90)))
            events.append((r.completed_at, "referral.completed"))
            share_expires = r.completed_at + timedelta(days=COMPLETED_ACCESS_DAYS)
        if status == ReferralStatus.REVOKED:
            r.revoked_at = sent_at + timedelta(hours=rng.randrange(2, 72))
            r.revoked_by = sender
            r.revoke_reason = rng.choice(REVOKE_REASONS)
            events.append((r.revoked_at, "referral.revoked"))
            share_revoked, revoked_by = r.revoked_at, sender
        shares.append(
            RecordShare(
                target_type=CASE_TARGET,
                target_id=row["public_id"],
                agency_id=provider.agency_id,
                sections=sections,
                reason=f"Referral {r.reference}: {label}",
                granted_by=sender,
                granted_at=sent_at,
                expires_at=share_expires,
                revoked_at=share_revoked,
                revoked_by=revoked_by,
            )
        )
        referrals.append(r)
        if r.consent_override:
            timeline.append((row["pk"], sent_at, "case.consent_override", {"user": sender.username}, "consent", sender))
        for at, kind in events:
            actor = sender if kind in ("referral.sent", "referral.revoked") else responder
            timeline.append((row["pk"], at, kind, params, CaseSection.CARE, actor))
    with transaction.atomic():
        for share, pk in zip(shares, reserve_ids(RecordShare, len(shares)), strict=True):
            share.pk = pk
        insert_objects(shares)
        for referral, share in zip(referrals, shares, strict=True):
            referral.share_id = share.pk
        insert_objects(referrals)
        with RowWriter(TimelineEntry, ["case", "at", "kind", "params", "actor", "agency", "section"]) as out:
            out.extend(
                (c, at, kind, params, actor.pk if actor else None, actor.agency_id if actor else None, section)
                for c, at, kind, params, section, actor in timeline
            )
        for year, value in counters.items():
            ReferralCounter.objects.update_or_create(year=year, defaults={"value": value})
    return len(referrals)
