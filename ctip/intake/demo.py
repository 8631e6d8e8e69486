"""Demo data for intake: public tips in every status and hotline calls, about one of each per 50 persons of the
run. Bulk-inserted with the same sealing as the services (vault tokens bound to record and field), so a large
demo takes seconds. Deterministic for a seed. Registered by the demo generator as an extension:
`add_demo_intake(seed=, result=, actor=, progress=)`."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from ctip.accounts.enums import Role
from ctip.accounts.models import User
from ctip.cases.models import Case
from ctip.core.bulk import insert_objects, reserve_ids
from ctip.reference.models import Country, County

from .enums import CallerType, CallLanguage, CallStatus, Situation, TipCloseReason, TipSource, TipStatus, Urgency
from .models import HotlineCall, Tip
from .services import ALPHABET

PER_PERSONS = 50
DEMO_PIN = "123456"  # every demo tip answers to this PIN on /report/status/ (demo mode only)

TIP_TEXTS = {
    Situation.JOB_ABROAD: [
        "An agent in {place} is collecting passports and fees from young women for housemaid jobs in {city}.",
        "My cousin was promised a hotel job in {city}; since she left she cannot call and her salary is not paid.",
    ],
    Situation.FORCED_WORK: [
        "Men are locked in a compound near {place} at night and made to work on the farm without pay.",
        "A boy from our village works in a quarry in {place} every day and says he owes the boss money.",
    ],
    Situation.CHILD_AT_RISK: [
        "A girl of about 13 works as a house help in {place} and does not go to school.",
        "Children are brought by bus to {place} and sent to beg in town in the evenings.",
    ],
    Situation.SEXUAL_EXPLOITATION: [
        "Young girls are taken to a bar in {place} at night; an older man collects their money.",
        "A woman says she was brought to {place} for a salon job and is forced to see clients.",
    ],
    Situation.OTHER: ["Something is not right at a recruitment office in {place}; many people go in and never return."],
}
CALL_TEXTS = [
    "Caller's sister is held by an employer in {city} and her phone was taken; she called once crying.",
    "Mother reports her son went for a job in {city} and now asks for money to be released.",
    "Neighbour reports children working late at a market stall in {place}.",
    "Official at the border reports a group of young women travelling with one man who holds their passports.",
]
PLACES = ["Kawangware", "Eastleigh", "Likoni", "Nakuru town", "Kisumu bus park", "Malindi", "Eldoret", "Thika"]
CITIES = [("SA", "Riyadh"), ("AE", "Dubai"), ("QA", "Doha"), ("LB", "Beirut"), ("OM", "Muscat")]


def _code(rng: random.Random, prefix: str) -> str:
    return "-".join([prefix] + ["".join(rng.choice(ALPHABET) for _ in range(4)) for _ in range(2)])


def add_demo_intake(*, seed: int, result, actor, progress=None) -> None:
    count = max(1, result.persons // PER_PERSONS) if result.persons else 0
    if count <= 0:
        return
    # Deterministic for a seed and the records already there, so running the demo again appends new records.
    rng = random.Random(f"{seed}:{Tip.objects.count()}:{HotlineCall.objects.count()}")
    now = timezone.now()
    counties = list(County.objects.values_list("pk", flat=True))
    countries = dict(Country.objects.values_list("alpha2", "pk"))
    case_ids = list(Case.objects.order_by("-pk").values_list("pk", flat=True)[: count * 2])
    coordinator = User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("pk").first()
    operator = User.objects.filter(role=Role.HOTLINE_OPERATOR, is_active=True, agency__isnull=False).first()
    pin_hash = make_password(DEMO_PIN)
    existing = set(Tip.objects.values_list("reference", flat=True)) | set(
        HotlineCall.objects.values_list("reference", flat=True)
    )

    def reference(prefix: str) -> str:
        while True:
            ref = _code(rng, prefix)
            if ref not in existing:
                existing.add(ref)
                return ref

    calls: list[HotlineCall] = []
    if operator is not None:
        for _i in range(count):
            public_id = uuid.UUID(int=rng.getrandbits(128), version=4)
            at = now - timedelta(days=rng.randrange(0, 365), minutes=rng.randrange(0, 1440))
            alpha2, city = rng.choice(CITIES)
            abroad = rng.random() < 0.4
            status = rng.choices([CallStatus.LOGGED, CallStatus.ESCALATED], [70, 30])[0]
            text = rng.choice(CALL_TEXTS).format(city=city, place=rng.choice(PLACES))
            calls.append(
                HotlineCall(
                    public_id=public_id,
                    reference=reference("HL"),
                    owning_agency_id=operator.agency_id,
                    status=status,
                    caller_type=rng.choice(CallerType.values),
                    urgency=rng.choices(Urgency.values, [10, 30, 60])[0],
                    language=rng.choices(CallLanguage.values, [30, 55, 5, 2, 3, 1, 4])[0],
                    county_id=None if abroad else rng.choice(counties),
                    country_id=countries.get(alpha2) if abroad else None,
                    city=city if abroad else "",
                    summary=text,
                    call_at=at,
                    created_at=at,
                    duration_minutes=rng.randrange(2, 40),
                    follow_up_needed=rng.random() < 0.4,
                    escalated_at=at + timedelta(minutes=30) if status == CallStatus.ESCALATED else None,
                    created_by=operator,
                )
            )
        with transaction.atomic():
            for call, pk in zip(calls, reserve_ids(HotlineCall, len(calls)), strict=True):
                call.pk = pk
            insert_objects(calls)
        calls.sort(key=lambda c: (c.call_at, c.pk), reverse=True)  # the model's order (newest call first)
    tips: list[Tip] = []
    escalated = [c for c in calls if c.status == CallStatus.ESCALATED]
    for i in range(count + len(escalated)):
        call = escalated[i - count] if i >= count else None
        public_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        at = call.call_at + timedelta(minutes=30) if call else now - timedelta(days=rng.randrange(0, 365))
        situation = rng.choice(Situation.values)
        status = rng.choices(TipStatus.values, [35, 20, 15, 30])[0]
        if status == TipStatus.CONVERTED and not case_ids:
            status = TipStatus.UNDER_REVIEW
        alpha2, city = rng.choice(CITIES)
        abroad = situation == Situation.JOB_ABROAD and rng.random() < 0.6
        place = city if abroad else rng.choice(PLACES)
        description = call.summary if call else rng.choice(TIP_TEXTS[situation]).format(place=place, city=city)
        with_contact = call is None and rng.random() < 0.3
        reviewed = status != TipStatus.NEW
        tips.append(
            Tip(
                public_id=public_id,
                reference=reference("TIP"),
                pin_hash="!" if call else pin_hash,
                source=TipSource.HOTLINE if call else TipSource.PUBLIC,
                status=status,
                status_changed_at=at + timedelta(days=1) if reviewed else at,
                situation=situation,
                county_id=None if abroad else rng.choice(counties),
                country_id=countries.get(alpha2) if abroad else None,
                language=rng.choice(["en", "sw"]),
                has_contact=with_contact,
                place=place,
                occurred=rng.choice(["last week", "wiki iliyopita", "ongoing"]),
                description=description,
                people_involved="An agent called 'Boss'" if i % 3 else "",
                contact="Reply by SMS only" if with_contact else "",
                message_to_reporter=(
                    "Thank you. The matter was passed to the police." if status == TipStatus.CLOSED else ""
                ),
                close_reason=rng.choice(TipCloseReason.values[:-1]) if status == TipStatus.CLOSED else "",
                reviewer=coordinator if reviewed else None,
                reviewed_at=at + timedelta(days=1) if reviewed else None,
                closed_at=at + timedelta(days=2) if status == TipStatus.CLOSED else None,
                converted_at=at + timedelta(days=2) if status == TipStatus.CONVERTED else None,
                case_id=rng.choice(case_ids) if status == TipStatus.CONVERTED else None,
                call=call,
                created_at=at,
                created_by=call.created_by if call else None,
            )
        )
    insert_objects(tips)
    # An escalated call whose tip was converted is converted too, with the same case.
    for tip in tips:
        if tip.call is not None and tip.status == TipStatus.CONVERTED:
            HotlineCall.objects.filter(pk=tip.call.pk).update(
                status=CallStatus.CONVERTED, case_id=tip.case_id, converted_at=tip.converted_at
            )
    if progress:
        progress(0)
    result.extra.update({"tips": len(tips), "hotline_calls": len(calls)})
