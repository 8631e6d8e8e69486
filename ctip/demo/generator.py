"""Deterministic synthetic demo data: real Kenyan public institutions, fictitious people.

Agencies and demo users go through the real services (so they are validated and audited like any other). Persons
are made in bulk for speed: the same sealing, blind indexes and match keys as `person_register`
(`people.identity.seal_identities`, in two worker processes from PARALLEL_FROM persons on), written through
`ctip.core.bulk` (reserved ids, executemany on SQLite, COPY on PostgreSQL: the column values `bulk_create` would
write, without a model instance per row), and recorded in the audit trail as one `demo.load` event with the counts,
instead of one event per synthetic person. Later issues add their records through `EXTENSIONS`. The time per
person is the same at every size: the one step that grows faster than the registry, the duplicate scan, runs only
up to DUPLICATE_SCAN_UP_TO persons.
"""

from __future__ import annotations

import multiprocessing
import random
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import islice

from django.conf import settings
from django.db import connection, connections, transaction

from ctip.accounts.enums import AgencyType, Role
from ctip.accounts.models import Agency, User
from ctip.accounts.services import agency_create, users_create
from ctip.attachments.demo import add_demo_attachments
from ctip.audit.services import audit_record
from ctip.core.bulk import RowWriter, reserve_ids
from ctip.intake.demo import add_demo_intake
from ctip.jobcheck.demo import add_demo_checks
from ctip.justice.demo import add_demo_investigations
from ctip.leads.demo import add_demo_leads
from ctip.npa.demo import add_demo_npa
from ctip.people import matching_store
from ctip.people import services as people_services
from ctip.people.demo import add_demo_confirmation
from ctip.people.enums import Gender, IdentifierKind, Sex
from ctip.people.identity import IDENTITY_FIELDS, IdentifierValue, Identity, seal_identities
from ctip.people.models import Person, PersonIdentifier, PersonMatchKey
from ctip.recruitment.complaints_demo import add_demo_complaints
from ctip.recruitment.demo import add_demo_agencies
from ctip.reference.models import County
from ctip.referrals.demo import add_demo_referrals
from ctip.trustfund.demo import add_demo_trustfund

from .cases import add_demo_cases
from .names import (
    COMMUNITIES,
    COMMUNITY_WEIGHTS,
    ENGLISH_FEMALE,
    ENGLISH_MALE,
    FOREIGN_NAMES,
    HOME_COUNTIES,
)
from .totp import ensure_device

DEMO_PASSWORD = "Ctip-Demo-Password-2026"
DEMO_ADMIN = "demo.admin"
CHUNK = 2000  # persons sealed and written together (one transaction)
PARALLEL_FROM = 20_000  # persons; from this many on, WORKERS processes seal them
WORKERS = 2
WINDOW = 2 * WORKERS  # chunks sealed ahead of the writer, at most
SQLITE_CACHE_KIB = 256 * 1024
PERSON_FIELDS = ["id", "public_id", "owning_agency", "created_by", "created_at", *IDENTITY_FIELDS]
DUPLICATE_RATE = 0.02  # persons registered a second time (planted for the duplicate review)
DUPLICATE_WINDOW = 200  # ... within this many registrations of the first
SIZES = {"small": 2_000, "medium": 50_000, "large": 1_000_000}

# (name, short name, type, national?, county codes). Real institutions; every person in the demo is fictitious.
AGENCIES = [
    ("Counter Trafficking in Persons Secretariat", "CTiP Secretariat", AgencyType.SECRETARIAT, True, ()),
    (
        "DCI Anti-Human Trafficking and Child Protection Unit",
        "DCI AHTCPU",
        AgencyType.POLICE,
        True,
        (),
    ),
    ("DCI Transnational Organised Crime Unit", "DCI TOCU", AgencyType.POLICE, True, ()),
    ("DCI Mombasa County Criminal Investigations", "DCI Mombasa", AgencyType.POLICE, False, ("001", "002", "003")),
    ("Office of the Director of Public Prosecutions", "ODPP", AgencyType.PROSECUTION, True, ()),
    ("Judiciary of Kenya - Milimani Law Courts", "Milimani Courts", AgencyType.JUDICIARY, False, ("047",)),
    ("State Department for Children's Services", "Children's Services", AgencyType.CHILDREN, True, ()),
    ("National Employment Authority", "NEA", AgencyType.LABOUR, True, ()),
    ("Department of Immigration Services", "Immigration", AgencyType.IMMIGRATION, True, ()),
    ("State Department for Diaspora Affairs", "Diaspora Affairs", AgencyType.DIASPORA, True, ()),
    ("HAART Kenya", "HAART", AgencyType.NGO, False, ("047", "022", "016")),
    ("Trace Kenya", "Trace Kenya", AgencyType.NGO, False, ("001", "002", "003", "005")),
    ("Childline Kenya", "Childline", AgencyType.NGO, True, ()),
    ("Rescue Dada Centre", "Rescue Dada", AgencyType.SHELTER, False, ("047",)),
    ("Kituo cha Sheria", "Kituo cha Sheria", AgencyType.LEGAL_AID, False, ("047", "001")),
    ("Kenyatta National Hospital GBV Recovery Centre", "KNH GBVRC", AgencyType.HEALTH, False, ("047",)),
    ("International Organization for Migration - Kenya", "IOM Kenya", AgencyType.INTERNATIONAL, True, ()),
]

# Demo user per role: (username, role, agency short name, first name, last name). Fictitious officers.
DEMO_USERS = [
    (DEMO_ADMIN, Role.SYSADMIN, None, "Demo", "Administrator"),
    ("demo.coordinator", Role.COORDINATOR, "CTiP Secretariat", "Wanjiru", "Demo"),
    ("demo.investigator", Role.INVESTIGATOR, "DCI AHTCPU", "Kiprono", "Demo"),
    ("demo.investigator.msa", Role.INVESTIGATOR, "DCI Mombasa", "Hamisi", "Demo"),
    ("demo.prosecutor", Role.PROSECUTOR, "ODPP", "Atieno", "Demo"),
    ("demo.caseworker", Role.CASE_WORKER, "Children's Services", "Nekesa", "Demo"),
    ("demo.caseworker.ngo", Role.CASE_WORKER, "HAART", "Mwende", "Demo"),
    ("demo.provider", Role.SERVICE_PROVIDER, "Rescue Dada", "Moraa", "Demo"),
    ("demo.labour", Role.LABOUR_OFFICER, "NEA", "Kazungu", "Demo"),
    ("demo.immigration", Role.IMMIGRATION_OFFICER, "Immigration", "Abdi", "Demo"),
    ("demo.consular", Role.CONSULAR_OFFICER, "Diaspora Affairs", "Kendi", "Demo"),
    ("demo.hotline", Role.HOTLINE_OPERATOR, "Childline", "Baraka", "Demo"),
    ("demo.analyst", Role.DATA_ANALYST, "CTiP Secretariat", "Chebet", "Demo"),
    ("demo.auditor", Role.AUDITOR, "CTiP Secretariat", "Mutua", "Demo"),
    ("demo.trustfund", Role.TRUST_FUND_OFFICER, "CTiP Secretariat", "Njeri", "Demo"),
]

CASE_HOLDING_ROLES = {
    Role.COORDINATOR,
    Role.INVESTIGATOR,
    Role.PROSECUTOR,
    Role.CASE_WORKER,
    Role.LABOUR_OFFICER,
    Role.IMMIGRATION_OFFICER,
    Role.CONSULAR_OFFICER,
}

# Agencies that register persons in the demo, with weights.
REGISTERING = {
    "DCI AHTCPU": 14,
    "DCI TOCU": 4,
    "DCI Mombasa": 10,
    "Children's Services": 14,
    "HAART": 12,
    "Trace Kenya": 10,
    "Childline": 6,
    "Rescue Dada": 6,
    "Diaspora Affairs": 8,
    "NEA": 4,
    "Immigration": 6,
    "IOM Kenya": 6,
}

PHONE_PREFIXES = (
    [f"7{n:02d}" for n in range(10, 30)]
    + [f"7{n:02d}" for n in range(40, 49)]
    + ["757", "758", "759", "768", "769"]
    + [f"7{n:02d}" for n in range(90, 100)]
    + [f"1{n:02d}" for n in range(10, 16)]
)
ID_SPACE = 30_000_000  # national ID numbers 10,000,000-39,999,999
ID_STEP = 7_368_787  # coprime with ID_SPACE: i -> (i * step) mod space is a permutation, so IDs are unique
PHONE_STEP = 104_729  # prime, coprime with len(PHONE_PREFIXES) * 10**6
PASSPORT_STEP = 1_299_709


@dataclass
class DemoCounts:
    persons: int = 0

    @classmethod
    def for_size(cls, size: str) -> DemoCounts:
        return cls(persons=SIZES[size])


@dataclass
class DemoResult:
    agencies: int = 0
    users: int = 0
    persons: int = 0
    identifiers: int = 0
    extra: dict = field(default_factory=dict)


Progress = Callable[[int], None]

# Above this many persons the demo leaves the duplicate scan to `manage.py find_duplicates`: at 50,000 persons the
# scan alone took longer than the whole rest of the demo, whose size is meant to load in seconds.
DUPLICATE_SCAN_UP_TO = 10_000


def add_demo_duplicate_scan(*, seed: int, result, actor, progress=None) -> None:
    """Run the batch duplicate finder so the review queue holds the planted re-registrations (up to
    DUPLICATE_SCAN_UP_TO persons, the small demo; above it the scan is an operator's job: `manage.py
    find_duplicates`)."""
    if not result.persons or Person.objects.count() > DUPLICATE_SCAN_UP_TO:
        return
    scan = people_services.duplicates_scan(actor=actor)
    result.extra["duplicate_pairs_queued"] = scan.queued


# Functions (seed, result, actor, progress) that add later issues' records after the persons exist, in order.
EXTENSIONS: list[Callable] = [
    add_demo_cases,
    add_demo_investigations,
    add_demo_referrals,
    add_demo_intake,
    add_demo_agencies,
    add_demo_duplicate_scan,
    add_demo_confirmation,
    add_demo_checks,
    add_demo_leads,
    add_demo_trustfund,
    add_demo_complaints,
    add_demo_attachments,
    add_demo_npa,
]


def demo_enabled() -> bool:
    return bool(getattr(settings, "CTIP_DEMO_MODE", False))


def database_is_empty() -> bool:
    return not Agency.objects.exists() and not Person.objects.exists()


def _spellings() -> dict[str, list[str]]:
    """Each name (canonical or variant) -> the other recorded spellings of that name."""
    out: dict[str, list[str]] = {}
    for female, male, surnames in COMMUNITIES.values():
        for canonical, variants in (*female, *male, *surnames):
            group = [canonical, *variants]
            for name in group:
                out.setdefault(name, []).extend(n for n in group if n != name and n not in out[name])
    return out


SPELLINGS = _spellings()


def _respell(name: str, rng: random.Random) -> str:
    others = SPELLINGS.get(name)
    if others and rng.random() < 0.6:
        return rng.choice(others)
    return name


def _pick(rng: random.Random, entries: list) -> str:
    """A name entry is (canonical, variants): usually the canonical spelling, sometimes a recorded variant."""
    canonical, variants = rng.choice(entries)
    if variants and rng.random() < 0.12:
        return rng.choice(variants)
    return canonical


class PersonFactory:
    """Makes synthetic identities. Pure and seeded: the same seed and index give the same person."""

    def __init__(self, seed: int, counties: list[str]):
        self.seed = seed
        self.counties = counties
        self._communities = list(COMMUNITY_WEIGHTS)
        self._weights = [COMMUNITY_WEIGHTS[c] for c in self._communities]
        self.today = date(2026, 6, 30)

    def duplicate_of(self, index: int) -> int | None:
        """The earlier person this one is a re-registration of (about 2 in 100 persons: another agency meets the
        same victim and registers her again, spelling her name its own way), or None."""
        rng = random.Random(self.seed * 104_723 + index)
        if index < DUPLICATE_WINDOW or rng.random() >= DUPLICATE_RATE:
            return None
        return index - 1 - rng.randrange(DUPLICATE_WINDOW)

    def identity(self, index: int) -> Identity:
        original = self.duplicate_of(index)
        if original is not None:
            return self._reregistered(self.identity(original), random.Random(self.seed * 65_537 + index))
        return self._fresh(index)

    @staticmethod
    def _reregistered(original: Identity, rng: random.Random) -> Identity:
        """The same person as recorded by a second officer: names re-spelt or in another order, a middle name
        left out, the date of birth mistyped or unknown, some identifiers not asked for."""
        first, middle, last = original.first_name, original.middle_names, original.last_name
        first, last = _respell(first, rng), _respell(last, rng)
        if middle and rng.random() < 0.5:
            middle = ""
        if rng.random() < 0.25:
            first, last = last, first
        dob = original.date_of_birth
        roll = rng.random()
        if dob is not None and roll < 0.1 and dob.day <= 12 and dob.day != dob.month:
            dob = dob.replace(day=dob.month, month=dob.day)
        elif roll < 0.25:
            dob = None
        identifiers = [i for i in original.identifiers if rng.random() < 0.6]
        return Identity(
            first_name=first,
            middle_names=middle,
            last_name=last,
            date_of_birth=dob,
            sex=original.sex,
            gender=original.gender,
            citizenships=list(original.citizenships),
            addresses=[dict(a) for a in original.addresses],
            identifiers=identifiers,
        )

    def _fresh(self, index: int) -> Identity:
        rng = random.Random(self.seed * 1_000_003 + index)
        female = rng.random() < 0.62  # most identified victims in Kenya are women and girls
        foreign = rng.random() < 0.07
        age = int(min(60, max(6, rng.gauss(24, 8))))
        dob = self.today - timedelta(days=age * 365 + rng.randrange(365))
        if foreign:
            country = rng.choice(list(FOREIGN_NAMES))
            f_names, m_names, surnames = FOREIGN_NAMES[country]
            first = rng.choice(f_names if female else m_names)
            # often the father's given name as a second name (Ethiopian, Somali and Burundian naming)
            middle = rng.choice(m_names) if rng.random() < 0.6 else ""
            last = rng.choice(surnames)
            citizenships = [country]
            county = rng.choice(["047", "001", "007", "040"])
        else:
            community = rng.choices(self._communities, self._weights)[0]
            f_names, m_names, surnames = COMMUNITIES[community]
            given = f_names if female else m_names
            style = rng.random()
            if style < 0.5:  # a Christian name, a community name and the family name (the most common pattern)
                first, middle = rng.choice(ENGLISH_FEMALE if female else ENGLISH_MALE), _pick(rng, given)
            elif style < 0.6:  # a Christian name and the family name
                first, middle = rng.choice(ENGLISH_FEMALE if female else ENGLISH_MALE), ""
            elif style < 0.85:  # a community name and the family name
                first, middle = _pick(rng, given), ""
            else:  # two community names and the family name
                first, middle = _pick(rng, given), _pick(rng, given)
            # the family name: a clan or family surname, or the father's given name (patronymic)
            last = _pick(rng, surnames) if rng.random() < 0.55 else _pick(rng, m_names)
            if middle == first:
                middle = ""
            citizenships = ["KE"]
            county = rng.choice(HOME_COUNTIES[community] + ["047", "001"])
        identifiers = []
        if not foreign and age >= 18 and rng.random() < 0.8:
            identifiers.append((IdentifierKind.NATIONAL_ID, str(10_000_000 + (index * ID_STEP + 17) % ID_SPACE), ""))
        if rng.random() < 0.75:
            j = (index * PHONE_STEP + 11) % (len(PHONE_PREFIXES) * 1_000_000)
            identifiers.append((IdentifierKind.PHONE, f"+254{PHONE_PREFIXES[j // 1_000_000]}{j % 1_000_000:06d}", ""))
        if rng.random() < (0.9 if foreign else 0.2):
            number = (index * PASSPORT_STEP + 3) % 10_000_000
            letter = "AKC"[index % 3] if not foreign else "EP"[index % 2]
            identifiers.append((IdentifierKind.PASSPORT, f"{letter}{number:07d}", citizenships[0]))
        if rng.random() < 0.1:
            identifiers.append(
                (IdentifierKind.EMAIL, f"{first}.{last}{index}@example.org".lower().replace(" ", ""), "")
            )
        return Identity(
            first_name=first,
            middle_names=middle,
            last_name=last,
            date_of_birth=dob,
            sex=Sex.FEMALE if female else Sex.MALE,
            gender=Gender.FEMININE if female else Gender.MASCULINE,
            citizenships=citizenships,
            addresses=[{"county": county, "country": "KE"}],
            identifiers=[IdentifierValue(k, v, c) for k, v, c in identifiers],
        )

    def public_id(self, index: int) -> uuid.UUID:
        rng = random.Random(self.seed * 7_919 + index)
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    def created_at(self, index: int) -> datetime:
        rng = random.Random(self.seed * 31 + index)
        start = datetime(2023, 7, 1, tzinfo=UTC)
        return start + timedelta(seconds=rng.randrange(3 * 365 * 86400))


def _ensure_agencies(actor) -> dict[str, Agency]:
    counties = {c.code: c for c in County.objects.all()}
    existing = {a.name: a for a in Agency.objects.all()}
    result = {}
    for name, short, agency_type, national, codes in AGENCIES:
        agency = existing.get(name) or agency_create(
            actor=actor,
            name=name,
            short_name=short,
            agency_type=agency_type,
            national=national,
            counties=[counties[c] for c in codes],
        )
        result[short] = agency
    return result


def _ensure_demo_users(agencies: dict[str, Agency]) -> tuple[User, int]:
    admin = User.objects.filter(username=DEMO_ADMIN).first()
    created = 0
    if admin is None:
        # The very first account: nobody exists yet to create it, so it bootstraps itself (audited as such).
        admin = User.objects.create_user(username=DEMO_ADMIN, password=DEMO_PASSWORD, role=Role.SYSADMIN)
        admin.first_name, admin.last_name = "Demo", "Administrator"
        admin.save(update_fields=["first_name", "last_name"])
        audit_record(
            actor=admin,
            action="user.create",
            target_type="accounts.user",
            target_id=admin.public_id,
            changes={"username": admin.username, "role": admin.role, "agency": None},
            reason="demo bootstrap",
        )
        created += 1
    return admin, created


def _slug(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def demo_user_specs() -> list[tuple]:
    """The demo users: one per role, plus a case worker in every registering agency that has no officer able to
    hold cases, so every demo case has a case worker."""
    specs = list(DEMO_USERS)
    holders = {agency for _u, role, agency, _f, _l in DEMO_USERS if agency and role in CASE_HOLDING_ROLES}
    for short in REGISTERING:
        if short not in holders:
            specs.append((f"demo.cw.{_slug(short)}", Role.CASE_WORKER, short, "Officer", short))
    return specs


def _create_role_users(admin, agencies: dict[str, Agency]) -> int:
    existing = set(User.objects.values_list("username", flat=True))
    specs = [
        {
            "username": username,
            "role": role,
            "agency": agencies[agency_short] if agency_short else None,
            "first_name": first,
            "last_name": last,
            "email": f"{username}@demo.ctip.invalid",
        }
        for username, role, agency_short, first, last in demo_user_specs()
        if username not in existing
    ]
    # One shared, published password: hashed once for all of them (through the real, audited service).
    return len(users_create(actor=admin, password=DEMO_PASSWORD, users=specs)) if specs else 0


def person_rows(seed: int, start: int, count: int, weights: list[int]) -> list[tuple]:
    """The persons `start` .. `start + count - 1` of a seed, sealed: (public id, index of the registering agency,
    created at, sealed identity, match keys) each. Pure computation (no database), so it runs in worker processes
    for large demos; the same seed and index give the same person wherever it runs."""
    factory = PersonFactory(seed, [])
    choices = range(len(weights))
    made = []
    for index in range(start, start + count):
        identity = factory.identity(index)
        made.append(
            (
                factory.public_id(index),
                random.Random(seed + index * 13).choices(choices, weights)[0],
                factory.created_at(index),
                identity,
            )
        )
    sealed = seal_identities((public_id, identity) for public_id, _a, _c, identity in made)
    return [
        (public_id, agency, created, seal, sorted(matching_store.hashed_keys(identity)))
        for (public_id, agency, created, identity), seal in zip(made, sealed, strict=True)
    ]


def _person_chunk(task: tuple) -> list[tuple]:
    return person_rows(*task)


def iter_person_chunks(seed: int, start: int, count: int, weights: list[int]) -> Iterator[list[tuple]]:
    """The sealed persons in chunks, in order. From PARALLEL_FROM persons on, WORKERS forked processes seal them
    (the crypto and the phonetic keys are most of the work) while this process writes the previous chunks; at
    most WINDOW chunks wait, so memory stays flat at any size."""
    tasks = [(seed, first, min(CHUNK, start + count - first), weights) for first in range(start, start + count, CHUNK)]
    if count < PARALLEL_FROM or connection.in_atomic_block:
        for task in tasks:
            yield person_rows(*task)
        return
    connections.close_all()  # the workers never touch the database: no connection crosses the fork
    with multiprocessing.get_context("fork").Pool(WORKERS) as pool:
        pending: deque = deque()
        queue = iter(tasks)
        for task in islice(queue, WINDOW):
            pending.append(pool.apply_async(_person_chunk, (task,)))
        while pending:
            rows = pending.popleft().get()
            for task in islice(queue, 1):
                pending.append(pool.apply_async(_person_chunk, (task,)))
            yield rows


def _bulk_connection() -> None:
    """On SQLite, a page cache large enough for the indexes being filled (the default 2 MB makes every insert into
    the match-key index a read from the file once the registry is a few tens of thousands of persons). For this
    connection only, which the demo closes when it ends."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")


def _insert_persons(rows: list[tuple], agencies: list[Agency], actor) -> int:
    """Write one chunk of sealed persons with their identifiers and match keys (one transaction)."""
    _bulk_connection()
    with transaction.atomic():
        ids = reserve_ids(Person, len(rows))
        person = RowWriter(Person, PERSON_FIELDS, batch=len(rows) + 1, raw=IDENTITY_FIELDS)
        fields = ["person", "kind", "issuing_country", "value", "blind_index"]
        ident = RowWriter(PersonIdentifier, fields, batch=10**9, raw=fields)
        keys = RowWriter(PersonMatchKey, ["person", "key"], batch=10**9, raw=["person", "key"])
        for pk, (public_id, agency, created, sealed, match_keys) in zip(ids, rows, strict=True):
            person.add((pk, public_id, agencies[agency].pk, actor.pk, created, *sealed.columns))
            for kind, country, token, blind in sealed.identifiers:
                ident.add((pk, kind, country, token, blind))
            for key in match_keys:
                keys.add((pk, key))
        person.flush()  # parents first: SQLite checks foreign keys row by row
        ident.flush()
        keys.flush()
    return ident.written


def refresh_planner_statistics() -> None:
    """After a bulk load, give the query planner fresh statistics (and PostgreSQL its visibility map, which
    index-only counts need), as an operator would after any large import."""
    with connection.cursor() as cursor:
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block  # VACUUM needs autocommit
        cursor.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")


def generate(counts: DemoCounts, *, seed: int = 2026, progress: Progress | None = None) -> DemoResult:
    """Load (or extend) the demo. Safe to run twice: agencies and users are reused, persons are appended."""
    if not demo_enabled():
        raise RuntimeError("Demo data can only be loaded when CTIP_DEMO_MODE is on.")
    result = DemoResult()
    with transaction.atomic():
        admin, result.users = _ensure_demo_users({})
        before = Agency.objects.count()
        agencies = _ensure_agencies(admin)
        result.agencies = Agency.objects.count() - before
        result.users += _create_role_users(admin, agencies)
        for user in User.objects.filter(username__in=[d[0] for d in demo_user_specs()]):
            if user.mfa_required:
                ensure_device(user, seed)
    registering = [agencies[s] for s in REGISTERING]
    weights = list(REGISTERING.values())
    start = Person.objects.count()
    for rows in iter_person_chunks(seed, start, counts.persons, weights):
        result.identifiers += _insert_persons(rows, registering, admin)
        result.persons += len(rows)
        if progress:
            progress(len(rows))
    _bulk_connection()
    for extend in EXTENSIONS:
        extend(seed=seed, result=result, actor=admin, progress=progress)
    refresh_planner_statistics()
    audit_record(
        actor=admin,
        action="demo.load",
        target_type="demo",
        changes={
            "seed": seed,
            "agencies": result.agencies,
            "users": result.users,
            "persons": result.persons,
            "identifiers": result.identifiers,
            **result.extra,
        },
        reason="synthetic demo data",
    )
    return result
