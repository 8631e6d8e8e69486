"""Demo data for the recruitment-agency register: licensed agencies, expired, suspended, denied, deregistered and
blacklisted ones, planted look-alike re-registrations of deregistered or blacklisted agencies (one letter changed,
added, dropped or swapped in the distinctive name, or the same name under a new licence; some keep the old
phone number), and job orders. Bulk-inserted, deterministic for a seed.

`plan(seed, count)` is pure: it returns the agencies the demo inserts, each planted look-alike saying which agency
it copies, so bench/recruitment.py can measure the look-alike warning's recall and false warnings against the
same plan. Registered in ctip.demo.generator.EXTENSIONS: `add_demo_agencies(seed=, result=, actor=, progress=)`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from ctip.reference.models import Country, County

from . import selectors
from .enums import AgencyStatus, ContactKind
from .models import AgencyContact, AgencyStatusChange, JobOrder, RecruitmentAgency
from .names import GENERIC_WORDS, licence_key, name_key

BATCH = 1000
PER_PERSONS = 20  # one agency per 20 demo persons...
AT_LEAST, AT_MOST = 300, 5000  # ...between these
WARNED_SHARE = 0.10  # deregistered or blacklisted
LOOKALIKE_SHARE = 0.5  # of the warned agencies, how many came back under a look-alike name
SAME_PHONE_SHARE = 0.3  # of the look-alikes, how many kept a phone number of the original


def _words(text: str) -> list[str]:
    return text.split()


SYLLABLES = _words(
    "ka ki ko ku ma mi mo mu na ni no nu ra ri ro ru sa si so su ta ti to tu wa we ya yo ba be bo da de do ga "
    "ge go ha he ja je jo la le lo pa pe po za ze zo ny mb nd ng"
)
WORDS = _words(
    "Jakarta Talent Upendo Baraka Kilele Amani Safari Tumaini Neema Zawadi Imani Jabali Nuru Pwani Rafiki Mwanga "
    "Bahari Fanaka Heshima Tegemeo Umoja Subira Kesho Jambo Tausi Simba Chui Duma Tembo Twiga Kifaru Nyota Mvua "
    "Jua Mlima Ziwa Mto Kisima Pendo Furaha Bidii Ujasiri Tulivu Radiant Summit Gateway Horizon Crest Harbor "
    "Meridian Pinnacle Keystone Beacon Anchor Vista Zenith Apex Sterling Royal Golden Silver Crystal Emerald"
)
SUFFIXES = (
    "Ltd",
    "Limited",
    "Agency Ltd",
    "Ventures",
    "Recruitment Services",
    "International Ltd",
    "Employment Agency",
    "Manpower Services",
    "Consultants Ltd",
    "Placement Agency",
    "Human Resource Ltd",
    "Global Ltd",
)
ROLES = ("Housemaid", "Driver", "Security guard", "Cleaner", "Waiter", "Construction worker", "Caregiver", "Cook")
DESTINATIONS = ("SA", "AE", "QA", "OM", "KW", "BH", "JO", "LB", "PL", "DE", "GB", "CA")
STREETS = ("Moi Avenue", "Tom Mboya Street", "Kenyatta Avenue", "Digo Road", "Oginga Odinga Street")
EMPLOYERS = ("Facilities Co.", "Hospitality Group", "Construction LLC", "Home Services", "Logistics", "Care Homes")


@dataclass
class AgencyPlan:
    licence_number: str
    legal_name: str
    status: str
    status_since: date
    county_index: int
    phones: list[str] = field(default_factory=list)
    lookalike_of: int | None = None  # position in the plan of the warned agency this one copies


def _is_core(word: str) -> bool:
    return word.lower() not in GENERIC_WORDS


def _pseudo_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4))).title()


def _mutate(rng: random.Random, word: str) -> str:
    """One letter changed, added, dropped or two swapped (never the first letter: people keep that)."""
    i = rng.randint(1, len(word) - 1)
    c = rng.choice("aeiouykrnst")
    op = rng.choice(["sub", "ins", "del", "swap"])
    if op == "sub" and word[i] != c:
        return word[:i] + c + word[i + 1 :]
    if op == "del" and len(word) > 5:
        return word[:i] + word[i + 1 :]
    if op == "swap" and i < len(word) - 1 and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + c + word[i:]


def demo_count(persons: int) -> int:
    return max(AT_LEAST, min(AT_MOST, persons // PER_PERSONS))


def plan(seed: int, count: int, counties: int = 47) -> list[AgencyPlan]:
    """The demo register: `count` agencies (look-alikes included), deterministic for `seed`."""
    rng = random.Random(f"{seed}:recruitment")
    today = date(2025, 6, 30)
    plans: list[AgencyPlan] = []
    used_keys: set[str] = set()
    phone_numbers = rng.sample(range(10_000_000, 99_999_999), count * 2)
    phone_iter = iter(phone_numbers)

    def new_phone() -> str:
        return f"+2547{next(phone_iter):08d}"[:13]

    def add(name: str, status: str, since: date, lookalike_of: int | None = None, phones=None) -> None:
        year = since.year
        plans.append(
            AgencyPlan(
                licence_number=f"RA/{year}/{len(plans) + 1:05d}",
                legal_name=name,
                status=status,
                status_since=since,
                county_index=rng.randrange(counties),
                phones=phones if phones is not None else [new_phone() for _ in range(rng.randint(1, 2))],
                lookalike_of=lookalike_of,
            )
        )

    originals = count
    warned_positions: list[int] = []
    while len(plans) < originals and len(plans) < count:
        first = rng.choice(WORDS) if rng.random() < 0.3 else _pseudo_word(rng)
        core = f"{first} {_pseudo_word(rng)}" if rng.random() < 0.5 else first
        name = f"{core} {rng.choice(SUFFIXES)}"
        if name_key(name) in used_keys or len(name_key(name)) < 6:
            continue
        used_keys.add(name_key(name))
        roll = rng.random()
        if roll < WARNED_SHARE:
            status = AgencyStatus.DEREGISTERED if rng.random() < 0.7 else AgencyStatus.BLACKLISTED
        elif roll < WARNED_SHARE + 0.05:
            status = AgencyStatus.EXPIRED
        elif roll < WARNED_SHARE + 0.08:
            status = AgencyStatus.SUSPENDED
        elif roll < WARNED_SHARE + 0.10:
            status = AgencyStatus.DENIED
        else:
            status = AgencyStatus.VALID
        since = today - timedelta(days=rng.randint(30, 6 * 365))
        if status in (AgencyStatus.DEREGISTERED, AgencyStatus.BLACKLISTED):
            warned_positions.append(len(plans))
        add(name, status, since)
        # Leave room for the look-alikes of the warned agencies.
        originals = count - int(len(warned_positions) * LOOKALIKE_SHARE) - 1
    for position in warned_positions:
        if len(plans) >= count or rng.random() >= LOOKALIKE_SHARE:
            continue
        original = plans[position]
        words = original.legal_name.split()
        core_words = [w for w in words if _is_core(w)] or words[:1]
        target = rng.choice(core_words)
        if rng.random() < 0.15:
            name = original.legal_name  # the same name under a new licence
        else:
            name = original.legal_name.replace(target, _mutate(rng, target), 1)
            if rng.random() < 0.4:
                name = " ".join(w for w in name.split() if _is_core(w)) + " " + rng.choice(SUFFIXES)
        phones = [new_phone()]
        if rng.random() < SAME_PHONE_SHARE:
            phones.append(original.phones[0])
        since = original.status_since + timedelta(days=rng.randint(30, 365))
        add(name, AgencyStatus.VALID, min(since, today), lookalike_of=position, phones=phones)
    return plans


def add_demo_agencies(*, seed: int, result, actor, progress=None) -> None:
    if RecruitmentAgency.objects.exists():
        return  # the register is loaded once (licence numbers are unique)
    plans = plan(seed, demo_count(result.persons), County.objects.count() or 47)
    counties = list(County.objects.order_by("code").values_list("pk", flat=True))
    countries = dict(Country.objects.filter(alpha2__in=DESTINATIONS).values_list("alpha2", "pk"))
    rng = random.Random(f"{seed}:recruitment:orders")
    now = timezone.now()
    agencies = [
        RecruitmentAgency(
            licence_number=p.licence_number,
            licence_key=licence_key(p.licence_number),
            legal_name=p.legal_name,
            name_key=name_key(p.legal_name),
            status=p.status,
            status_since=p.status_since,
            status_source=f"NEA notice of {p.status_since:%d %B %Y}",
            county_id=counties[p.county_index % len(counties)] if counties else None,
            office_address=f"{rng.randint(1, 300)} {rng.choice(STREETS)}",
            guarantee_issuer=rng.choice(["KCB Bank", "Equity Bank", "Co-operative Bank", "NCBA"]),
            guarantee_amount_cents=rng.choice([1_500_000, 2_000_000, 3_000_000]) * 100,
            guarantee_expires_on=p.status_since + timedelta(days=365 * 2),
            created_by=actor,
            created_at=now,
        )
        for p in plans
    ]
    RecruitmentAgency.objects.bulk_create(agencies, batch_size=BATCH)
    history, contacts, orders = [], [], []
    for p, a in zip(plans, agencies, strict=True):
        if p.status != AgencyStatus.VALID:
            first = p.status_since - timedelta(days=rng.randint(200, 900))
            history.append(
                AgencyStatusChange(
                    agency=a, status=AgencyStatus.VALID, effective_on=first, source=f"NEA list of {first:%B %Y}"
                )
            )
        history.append(
            AgencyStatusChange(
                agency=a,
                status=p.status,
                previous_status="" if p.status == AgencyStatus.VALID else AgencyStatus.VALID,
                effective_on=p.status_since,
                source=a.status_source,
            )
        )
        for phone in dict.fromkeys(p.phones):
            contacts.append(AgencyContact(agency=a, kind=ContactKind.PHONE, value=phone, normalized=phone))
        slug = "".join(c for c in name_key(p.legal_name) if c.isalnum())[:20] or "agency"
        contacts.append(
            AgencyContact(agency=a, kind=ContactKind.EMAIL, value=f"info@{slug}.co.ke", normalized=f"info@{slug}.co.ke")
        )
        if p.status == AgencyStatus.VALID and countries:
            for _ in range(rng.randint(0, 3)):
                start = date(2025, 1, 1) + timedelta(days=rng.randint(0, 300))
                orders.append(
                    JobOrder(
                        agency=a,
                        employer=f"{rng.choice(WORDS)} {rng.choice(EMPLOYERS)}",
                        country_id=countries[rng.choice(list(countries))],
                        role=rng.choice(ROLES),
                        workers=rng.randint(1, 200),
                        salary_cents=rng.randint(250, 1200) * 100,
                        salary_currency="USD",
                        valid_from=start,
                        valid_until=start + timedelta(days=rng.choice([180, 365])),
                        created_by=actor,
                    )
                )
    AgencyStatusChange.objects.bulk_create(history, batch_size=BATCH)
    AgencyContact.objects.bulk_create(contacts, batch_size=BATCH)
    JobOrder.objects.bulk_create(orders, batch_size=BATCH)
    result.extra["recruitment_agencies"] = len(agencies)
    result.extra["recruitment_lookalikes_planted"] = sum(1 for p in plans if p.lookalike_of is not None)
    result.extra["recruitment_job_orders"] = len(orders)
    selectors.register_changed()
