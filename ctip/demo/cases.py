"""Demo victim cases: one case per five persons (large: 200,000), with HTCDS circumstances, trafficking
events, screenings, status decisions, consent, assignments, follow-ups and timelines.

Bulk inserts for speed, with the same sealing as the services; the counts go into the `demo.load` audit event.
Deterministic for a seed: the same seed gives the same cases.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace

from django.db import transaction

from ctip.accounts.models import Agency, User
from ctip.cases.enums import (
    CaseStatus,
    ClosureReason,
    ConsentGiver,
    DecisionMakingOrg,
    EventType,
    IdentificationChannel,
    ImmigrationStatus,
    TraffickingStatus,
)
from ctip.cases.models import (
    Case,
    CaseAssignment,
    CaseAttribute,
    CaseCounter,
    Consent,
    FollowUp,
    Screening,
    StatusDecision,
    TimelineEntry,
    TraffickingEvent,
)
from ctip.core.bulk import RowWriter, insert_objects, reserve_ids
from ctip.people.identity import open_identity
from ctip.people.models import Person
from ctip.people.vault import get_vault
from ctip.reference.delphi import assess
from ctip.reference.models import Country, County, Indicator

BATCH = 1000
CASES_PER_PERSON = 0.2
TODAY = date(2026, 6, 30)

EXPLOITATION = [
    ("ForcedLabour", 46),
    ("SexualExploitation", 28),
    ("ChildLabour", 10),
    ("ForcedMarriage", 5),
    ("Servitude", 4),
    ("ForcedBegging", 3),
    ("OrganRemoval", 1),
    ("Other", 3),
]
RECRUITMENT = [
    "ThroughOnlineSocialNetworks",
    "ThroughAnOnlineAdvertisement",
    "AtAPlaceOfBusiness",
    "AtWork",
    "AtAnEducationalInstitution",
]
CONTROL = [
    "WithholdsDocuments",
    "DebtBondage",
    "FalsePromises",
    "TakesEarnings",
    "PhysicalThreats",
    "ExcessiveWorkingHours",
    "RestrictsFinancialAccess",
    "PsychologicalAbuse",
]
APPS = ["Facebook", "WhatsApp", "TikTok", "Telegram", "Instagram"]
INDUSTRIES = [
    "T_ActivitiesOfHouseholdsAsEmployers",
    "I_AccommodationAndFoodServiceActivities",
    "A_AgricultureForestryAndFishing",
]
# Destinations Kenyans are trafficked to (DOMAIN.md): the Gulf, Lebanon, Russia, South-East Asia's scam compounds.
ABROAD = [
    ("SA", "Riyadh"),
    ("QA", "Doha"),
    ("AE", "Dubai"),
    ("LB", "Beirut"),
    ("OM", "Muscat"),
    ("RU", "Moscow"),
    ("TH", "Mae Sot"),
    ("MM", "Myawaddy"),
    ("IQ", "Erbil"),
]
EMPLOYERS = ["Al Noor Household Services", "Gulf Star Cleaning Co.", "Golden Hands Manpower", "Eastern Tech Park"]
RECRUITERS = ["Bright Future Jobs Ltd", "Skyline Overseas Recruitment", "Kazi Abroad Agency", "Global Link Placements"]
NARRATIVES = [
    "Recruited through {app} with a promise of a {job} job in {city}; the recruiter charged a fee and kept the "
    "passport on arrival. Worked long hours without pay.",
    "Met an agent at a bus stage in {county} who promised {job} work; taken to a house where movement was "
    "restricted and earnings were taken.",
    "Answered an advert on {app} for {job} work; on arrival in {city} was forced to work to repay a debt for the "
    "ticket and visa.",
    "A relative arranged {job} work in {county}; the child was kept out of school and made to work without pay.",
]
JOBS = ["housemaid", "hotel", "driver", "security guard", "shop attendant", "IT support", "farm", "waitress"]


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(8 + rng.randrange(10), rng.randrange(60)), tzinfo=UTC)


class CaseFactory:
    def __init__(self, seed: int, actor: User):
        self.seed = seed
        self.actor = actor
        self.agencies = {a.pk: a for a in Agency.objects.all()}
        self.counties = list(County.objects.values_list("pk", "name"))
        self.countries = dict(Country.objects.values_list("alpha2", "pk"))
        self.diaspora = next((a.pk for a in self.agencies.values() if a.agency_type == "diaspora"), None)
        # One officer per agency who can hold cases (the demo users); agencies without one get no assignment.
        self.officers: dict[int, int] = {}
        for user in User.objects.filter(username__startswith="demo.", agency__isnull=False).order_by("username"):
            if user.can("case.edit"):
                self.officers.setdefault(user.agency_id, user.pk)
        self.indicators = {
            lst: list(
                Indicator.objects.filter(indicator_list=lst, is_active=True).values_list("pk", "dimension", "strength")
            )
            for lst in ("adult_labour", "child_labour")
        }
        self.counters: dict[int, int] = dict(CaseCounter.objects.values_list("year", "value"))

    def reference(self, year: int) -> str:
        self.counters[year] = self.counters.get(year, 0) + 1
        return f"CT-{year}-{self.counters[year]:06d}"


def _person_rows(start_pk: int, count: int):
    return list(
        Person.objects.filter(pk__gt=start_pk, is_active=True)
        .order_by("pk")
        .values_list("pk", "public_id", "owning_agency_id", "date_of_birth", "citizenships", "created_at", "sex")[
            :count
        ]
    )


def add_demo_cases(*, seed: int, result, actor, progress=None) -> None:
    """Demo extension (ctip.demo.generator.EXTENSIONS): cases for the persons loaded by this run."""
    target = int(result.persons * CASES_PER_PERSON)
    if target <= 0:
        return
    factory = CaseFactory(seed, actor)
    vault = get_vault()
    made = {"cases": 0, "screenings": 0, "decisions": 0, "follow_ups": 0}
    # Persons of this run are the newest ones; pick every fifth.
    newest = Person.objects.order_by("-pk").values_list("pk", flat=True)[result.persons - 1 : result.persons]
    last_pk = (newest[0] - 1) if newest else 0
    step = max(1, int(round(1 / CASES_PER_PERSON)))
    while made["cases"] < target:
        rows = _person_rows(last_pk, BATCH * step)
        if not rows:
            break
        last_pk = rows[-1][0]
        chosen = rows[::step][: target - made["cases"]]
        _make_batch(factory, vault, chosen, made)
        if progress:
            progress(0)
    for year, value in factory.counters.items():
        CaseCounter.objects.update_or_create(year=year, defaults={"value": value})
    result.extra.update(made)


def _make_batch(factory: CaseFactory, vault, persons, made) -> None:  # noqa: C901 - one pass builds every row
    cases, attributes, events, assignments, decisions, consents, followups, timeline = [], [], [], [], [], [], [], []
    screenings, screening_indicators = [], []
    # the choices and their labels (in the language of the run), looked up once per batch rather than per case
    case_statuses, immigration_statuses = list(CaseStatus.values), list(ImmigrationStatus.values)
    trafficking_statuses = list(TraffickingStatus.values)
    status_labels = {value: str(label) for value, label in TraffickingStatus.choices}
    closure_labels = {value: str(label) for value, label in ClosureReason.choices}
    for pk, public_id, agency_id, dob_token, citizenship_token, created_at, sex_token in persons:
        # seeded by the person's (deterministic) public id, not the pk a database hands out: same demo everywhere
        rng = random.Random(f"case:{factory.seed}:{public_id}")
        # the two sealed columns as loaded (no model instance: open_identity reads the public id and the tokens)
        sealed = SimpleNamespace(
            public_id=public_id, date_of_birth=dob_token, citizenships=citizenship_token, sex=sex_token
        )
        opened = open_identity(sealed, ["date_of_birth", "citizenships", "sex"])
        dob = opened.date_of_birth
        foreign = bool(opened.citizenships) and "KE" not in opened.citizenships
        identified_on = min(TODAY, created_at.date() + timedelta(days=rng.randrange(0, 20)))
        age = None
        if dob:
            age = identified_on.year - dob.year - ((identified_on.month, identified_on.day) < (dob.month, dob.day))
        child = age is not None and age < 18
        county_pk, county_name = rng.choice(factory.counties)
        abroad = not foreign and not child and rng.random() < 0.35
        dest_code, city = rng.choice(ABROAD)
        status = rng.choices(case_statuses, [40, 20, 35, 5])[0]
        closed = status in (CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED)
        case_id = _uuid(rng)
        exploitation = rng.choices([e for e, _ in EXPLOITATION], [w for _, w in EXPLOITATION])[0]
        if child and exploitation == "ForcedLabour":
            exploitation = "ChildLabour"
        case = Case(
            public_id=case_id,
            reference=factory.reference(identified_on.year),
            person_id=pk,
            owning_agency_id=agency_id,
            status=status,
            status_changed_at=_at(identified_on + timedelta(days=rng.randrange(1, 60)), rng),
            closure_reason=(
                ClosureReason.REFERRED_ON
                if status == CaseStatus.CLOSED_REFERRED
                else rng.choice([ClosureReason.REINTEGRATED, ClosureReason.REPATRIATED, ClosureReason.LOST_CONTACT])
                if closed
                else ""
            ),
            closed_at=_at(min(TODAY, identified_on + timedelta(days=rng.randrange(30, 300))), rng) if closed else None,
            identified_on=identified_on,
            channel=rng.choices(
                [
                    IdentificationChannel.OFFICER,
                    IdentificationChannel.HOTLINE,
                    IdentificationChannel.MISSION,
                    IdentificationChannel.BORDER,
                    IdentificationChannel.SELF_REFERRAL,
                ],
                [55, 10, 15 if abroad else 1, 10, 10],
            )[0],
            identifying_agency_type=factory.agencies[agency_id].agency_type,
            identified_county_id=None if abroad else county_pk,
            identified_country_id=factory.countries.get(dest_code) if abroad else None,
            is_child=child,
            age_at_identification=age,
            sex_at_identification=opened.sex or "",
            faces_charges=foreign and rng.random() < 0.25,
            is_abroad=abroad,
            abroad_country_id=factory.countries.get(dest_code) if abroad else None,
            abroad_city=city if abroad else "",
            employer_name=rng.choice(EMPLOYERS) if abroad else "",
            mission_id=factory.diaspora if abroad else None,
            recruiting_agency_name=rng.choice(RECRUITERS) if abroad or rng.random() < 0.2 else "",
            is_foreign=foreign,
            immigration_status=rng.choice(immigration_statuses) if foreign else "",
            return_requested=foreign and rng.random() < 0.6,
            created_by=factory.actor,
            created_at=_at(identified_on, rng),
        )
        if case.faces_charges:
            case.in_detention = rng.random() < 0.5
            case.detention_place = rng.choice(["Kilimani Police Station", "Lang'ata Women's Prison", "Moyale"])
            case.charges_note = "Unlawful presence (Kenya Citizenship and Immigration Act s.53)"
        narrative = rng.choice(NARRATIVES).format(
            app=rng.choice(APPS), job=rng.choice(JOBS), city=city if abroad else county_name, county=county_name
        )
        case.narrative = narrative  # sealed by bulk_create (SealedTextField.pre_save)
        cases.append(case)
        values = {("vic_TypeOfExploitation", exploitation)}
        values |= {("vic_MethodOfRecruitment", rng.choice(RECRUITMENT))}
        values |= {("vic_MethodsOfControl", c) for c in rng.sample(CONTROL, rng.randint(1, 3))}
        values |= {("vic_RecruitmentWebsitesAndApps", rng.choice(APPS))} if rng.random() < 0.6 else set()
        if exploitation in ("ForcedLabour", "ChildLabour", "Servitude"):
            values.add(("vic_ForcedLabourIndustry", rng.choice(INDUSTRIES)))
        if exploitation == "SexualExploitation":
            values.add(("vic_TypeOfSexExploitation", rng.choice(["Prostitution", "PrivateSexualServices"])))
        values.add(
            ("vic_RelationshipToTrafficker", rng.choices(["Acquainted", "Unaquainted", "Familial"], [5, 4, 1])[0])
        )
        attributes += [(case_id, f, v) for f, v in values]
        recruited = identified_on - timedelta(days=rng.randrange(60, 400))
        if dob and recruited < dob:
            recruited = dob + timedelta(days=365 * 5)
        events.append((case_id, EventType.RECRUITMENT, recruited, None, county_pk, None, ""))
        if abroad:
            events.append(
                (
                    case_id,
                    EventType.TRANSIT,
                    recruited + timedelta(days=20),
                    None,
                    None,
                    factory.countries.get("AE"),
                    "Dubai",
                )
            )
            events.append(
                (
                    case_id,
                    EventType.EXPLOITATION,
                    recruited + timedelta(days=25),
                    identified_on,
                    None,
                    factory.countries.get(dest_code),
                    city,
                )
            )
        else:
            events.append(
                (
                    case_id,
                    EventType.EXPLOITATION,
                    recruited + timedelta(days=10),
                    identified_on,
                    rng.choice(factory.counties)[0],
                    None,
                    "",
                )
            )
        officer = factory.officers.get(agency_id)
        if officer:
            assignments.append((case_id, officer))
        timeline.append(
            (
                case_id,
                _at(identified_on, rng),
                "case.opened",
                {"reference": case.reference, "agency": str(factory.agencies[agency_id]), "channel": case.channel},
                "",
            )
        )
        # Screening and decision.
        if rng.random() < 0.6 and officer:
            lst = "child_labour" if child else "adult_labour"
            pool = factory.indicators[lst]
            chosen = rng.sample(pool, min(len(pool), rng.randint(2, 7))) if pool else []
            outcome = assess([(d, strength) for _, d, strength in chosen], is_child=child).outcome
            suggestion = {
                "likely": TraffickingStatus.ACTUAL,
                "possible": TraffickingStatus.POSSIBLE,
                "not_met": TraffickingStatus.NOT_A_VICTIM,
            }[outcome]
            screened_on = min(TODAY, identified_on + timedelta(days=rng.randrange(0, 7)))
            screenings.append(
                Screening(
                    public_id=_uuid(rng),
                    case_id=None,
                    indicator_list=lst,
                    suggestion=suggestion,
                    rationale=[{"code": "demo", "params": {"outcome": outcome}}],
                    screened_on=screened_on,
                    screened_by_id=officer,
                    created_by=factory.actor,
                )
            )
            screenings[-1]._case_uuid = case_id
            screening_indicators.append([pk_ for pk_, _, _ in chosen])
            timeline.append(
                (
                    case_id,
                    _at(screened_on, rng),
                    "case.screened",
                    {"list": lst, "suggestion": status_labels[suggestion]},
                    "status",
                )
            )
            if rng.random() < 0.85:
                status_decided = rng.choices(trafficking_statuses, [30, 55, 15])[0]
                org = {
                    "police": DecisionMakingOrg.POLICE,
                    "ngo": DecisionMakingOrg.NGO,
                    "shelter": DecisionMakingOrg.NGO,
                }.get(factory.agencies[agency_id].agency_type, DecisionMakingOrg.NON_POLICE_GOVERNMENT)
                decided_on = min(TODAY, screened_on + timedelta(days=rng.randrange(0, 14)))
                decisions.append((case_id, status_decided, org, agency_id, decided_on, officer))
                case.trafficking_status = status_decided
                case.decision_org = org
                timeline.append(
                    (
                        case_id,
                        _at(decided_on, rng),
                        "case.decision",
                        {"status": status_labels[status_decided], "org": str(org)},
                        "status",
                    )
                )
        if rng.random() < 0.7 and officer:
            consents.append((case_id, child, identified_on, officer))
        if not closed and officer and rng.random() < 0.6:
            due = TODAY + timedelta(days=rng.randrange(-20, 40))
            followups.append((case_id, due, officer))
        if closed:
            timeline.append(
                (case_id, case.closed_at, "case.closed", {"reason": closure_labels[case.closure_reason]}, "")
            )

    with transaction.atomic():
        for case, pk in zip(cases, reserve_ids(Case, len(cases)), strict=True):
            case.pk = pk
        insert_objects(cases)
        ids = {case.public_id: case.pk for case in cases}
        with RowWriter(CaseAttribute, ["case", "field", "value"], batch=10_000) as out:
            out.extend((ids[c], f, v) for c, f, v in attributes)
        fields = ["case", "event_type", "started_on", "ended_on", "county", "country", "city", "created_by"]
        with RowWriter(TraffickingEvent, fields, batch=10_000) as out:
            out.extend(
                (ids[c], t, s, e, county, country, city, factory.actor.pk)
                for c, t, s, e, county, country, city in events
            )
        with RowWriter(CaseAssignment, ["case", "user", "is_lead", "assigned_by"], batch=10_000) as out:
            out.extend((ids[c], u, True, u) for c, u in assignments)
        for screening, pk in zip(screenings, reserve_ids(Screening, len(screenings)), strict=True):
            screening.pk = pk
            screening.case_id = ids[screening._case_uuid]
        insert_objects(screenings)
        through = Screening.indicators.through
        with RowWriter(through, ["screening", "indicator"], batch=10_000) as out:
            out.extend((s.pk, ind) for s, inds in zip(screenings, screening_indicators, strict=True) for ind in inds)
        fields = ["case", "status", "decision_org", "deciding_agency", "decided_on", "decided_by", "created_by"]
        with RowWriter(StatusDecision, fields, batch=10_000) as out:
            out.extend((ids[c], s, o, a, d, u, factory.actor.pk) for c, s, o, a, d, u in decisions)
        consent_fields = ["purpose_explained", "data_use", "sharing", "research_use", "right_of_access", "retention"]
        fields = ["case", *consent_fields, "withdrawal", "given_by", "given_on", "recorded_by", "created_by"]
        with RowWriter(Consent, fields, batch=10_000) as out:
            out.extend(
                (
                    ids[c],
                    True,
                    True,
                    True,
                    not child,
                    True,
                    True,
                    True,
                    ConsentGiver.GUARDIAN if child else ConsentGiver.SELF,
                    d,
                    u,
                    factory.actor.pk,
                )
                for c, child, d, u in consents
            )
        with RowWriter(FollowUp, ["case", "due_on", "purpose", "assigned_to", "created_by"], batch=10_000) as out:
            out.extend((ids[c], d, "Home visit and wellbeing check", u, factory.actor.pk) for c, d, u in followups)
        fields = ["case", "at", "kind", "params", "actor", "section"]
        with RowWriter(TimelineEntry, fields, batch=10_000) as out:
            out.extend((ids[c], at, kind, params, None, section) for c, at, kind, params, section in timeline)
    made["cases"] += len(cases)
    made["screenings"] += len(screenings)
    made["decisions"] += len(decisions)
    made["follow_ups"] += len(followups)
