"""Demo data for the criminal-justice chain: investigation files for about two in five of the victim cases the
police units with a demo investigator own, in every status, consistent with the cases and the rules.

Registered by the demo generator as an extension after the cases: `add_demo_investigations(seed=, result=,
actor=, progress=)`. The first files go through the real services (audit, the person registry for a suspect, the
hand-over share, notifications) so the demo shows the real path; the rest are bulk-inserted in batches with the
same sealing, shares and submissions, so the large demo takes seconds, not hours. Deterministic for a seed;
running again adds no second file for a case already investigated.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from ctip.accounts.enums import AgencyType
from ctip.accounts.models import Agency, RecordShare, User
from ctip.accounts.roles import Action
from ctip.cases.models import Case
from ctip.core.errors import ServiceError
from ctip.people.identity import open_identity
from ctip.people.models import Person
from ctip.people.selectors import person_candidates_for_identity
from ctip.people.services import person_register_or_link
from ctip.reference.models import Offence

from . import services
from .enums import (
    AdjournmentReason,
    Advice,
    Appellant,
    ClosureReason,
    CourtEventKind,
    CourtEventStatus,
    EvidenceItem,
    EvidenceState,
    FileSection,
    InvestigationStatus,
    Plea,
    Sex,
    Verdict,
)
from .models import (
    TARGET,
    ActionEntry,
    Appeal,
    ChargeCount,
    ChargeSheet,
    CountOutcome,
    CourtEvent,
    CourtStation,
    Evidence,
    ForfeitureOrder,
    FoundIdentifier,
    Investigation,
    InvestigationCase,
    InvestigationCounter,
    InvestigationOffence,
    RestitutionOrder,
    Submission,
    Suspect,
    VictimWitness,
)

BATCH = 1000
FILE_SHARE = 0.4  # about two in five of the police units' cases have a file
THROUGH_SERVICES = 6  # the first files use the real services

STATIONS = ["Kilimani", "Central", "Industrial Area", "JKIA", "Makupa", "Likoni", "Nyali", "Kisauni", "Kasarani"]
ORGANISATIONS = [
    "Gulf Horizon Recruitment Ltd",
    "Bright Future Employment Bureau",
    "Sahara Placements Agency",
    "Coast Tours and Travel",
    "Blue Line Transporters",
]
ROLES = ["RecruiterOrIntermediary", "Transporter", "BrokerTravelAgent", "Exploiter", "HarbouredIndividual", "Other"]
OFFENCES = ["ctipa-3", "ctipa-3", "ctipa-3", "ctipa-4"]
ACTIONS = [
    "Recorded the complainant's statement at the station.",
    "Visited the recruitment agency's office; premises closed.",
    "Requested call data records from Safaricom.",
    "Wrote to the bank for the account statements.",
    "Took the complainant for a medical examination.",
    "Interviewed two witnesses at the bus terminus.",
]
MISSING_REASONS = [
    "Awaiting the reply from Safaricom.",
    "The employer abroad has not answered.",
    "The witness moved to Uganda; being traced.",
]
FI_REQUESTS = [
    "Obtain the phone records of the recruiter's number and the M-Pesa statements.",
    "Record the statement of the second witness and attach the travel documents.",
]
NFA_REASONS = ["The complainant withdrew and no other evidence links the suspect.", "The suspect is deceased."]
COURTS = ["milimani-mc", "mombasa-mc", "kibera", "jkia", "shanzu", "malindi-mc", "kisumu-mc", "nakuru-mc", "busia-mc"]


def _courts() -> list[CourtStation]:
    """The demo's court stations (reference data loaded by migration), in COURTS order."""
    by_code = {c.code: c for c in CourtStation.objects.filter(code__in=COURTS)}
    return [by_code[c] for c in COURTS if c in by_code]


STATUS_WEIGHTS = {
    InvestigationStatus.OPEN: 40,
    InvestigationStatus.WITH_ODPP: 20,
    InvestigationStatus.CHARGE_ADVISED: 25,
    InvestigationStatus.CLOSED: 15,
}


def _investigators() -> dict[int, User]:
    """One demo investigator per police agency (the owner of the files)."""
    out: dict[int, User] = {}
    for user in User.objects.filter(username__startswith="demo.", agency__isnull=False, is_active=True).order_by(
        "username"
    ):
        if user.can(Action.INVESTIGATION_EDIT) and user.can(Action.SHARE_GRANT):
            out.setdefault(user.agency_id, user)
    return out


def _prosecutor() -> tuple[Agency, User] | None:
    for user in User.objects.filter(
        username__startswith="demo.", agency__agency_type=AgencyType.PROSECUTION, is_active=True
    ).select_related("agency"):
        if user.can(Action.INVESTIGATION_REVIEW):
            return user.agency, user
    return None


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(8 + rng.randrange(10), rng.randrange(60)), tzinfo=UTC)


class _Plan:
    """The file of one case: its status, dates and contents, drawn from the case's own random stream."""

    def __init__(self, row: dict, rng: random.Random, now: datetime, unseen: list[str]):
        self.rng = rng
        today = timezone.localtime(now).date()
        self.opened_on = min(today, row["identified_on"] + timedelta(days=rng.randrange(1, 30)))
        status = next((s for s in unseen), None)
        if status is not None:
            unseen.remove(status)  # even a small demo shows every status
        else:
            status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
        self.submitted_at = _at(self.opened_on + timedelta(days=rng.randrange(7, 60)), rng)
        self.advised_at = self.submitted_at + timedelta(days=rng.randrange(3, 30), hours=rng.randrange(1, 8))
        self.further_first = status == InvestigationStatus.CHARGE_ADVISED and rng.random() < 0.4
        self.resubmitted_at = self.advised_at + timedelta(days=rng.randrange(5, 40))
        self.charged_at = self.resubmitted_at + timedelta(days=rng.randrange(2, 20))
        self.nfa = status == InvestigationStatus.CLOSED and rng.random() < 0.5
        # a file cannot be further along than the calendar allows
        last = self.charged_at if self.further_first else self.advised_at
        if status in (InvestigationStatus.CHARGE_ADVISED, InvestigationStatus.CLOSED) and last > now:
            status = InvestigationStatus.WITH_ODPP
        if status == InvestigationStatus.WITH_ODPP and self.submitted_at > now:
            status = InvestigationStatus.OPEN
        self.status = status
        self.is_child = row["is_child"]
        self.missing = {i for i in EvidenceItem.values if rng.random() < 0.12}
        if status == InvestigationStatus.CHARGE_ADVISED:
            self.missing.discard(EvidenceItem.VICTIM_STATEMENT)

    def evidence_state(self, item: str) -> str:
        if item == EvidenceItem.AGE_ASSESSMENT and not self.is_child:
            return EvidenceState.NOT_APPLICABLE
        if item in self.missing:
            return EvidenceState.MISSING
        if item in (EvidenceItem.TRAVEL_DOCUMENTS, EvidenceItem.CONTRACTS) and self.rng.random() < 0.3:
            return EvidenceState.NOT_APPLICABLE
        return EvidenceState.PRESENT


def add_demo_investigations(*, seed: int, result, actor, progress=None) -> None:
    """Demo extension: investigation files for the police units' cases not investigated yet."""
    made = {"investigations": 0}
    investigators = _investigators()
    odpp = _prosecutor()
    if not investigators or odpp is None or not Case.objects.exists():
        result.extra.update(made)
        return
    offences = {o.code: o for o in Offence.objects.filter(code__in=set(OFFENCES))}
    if not offences:
        result.extra.update(made)
        return
    now = timezone.now()
    qs = (
        Case.objects.filter(owning_agency_id__in=list(investigators))
        .exclude(Exists(InvestigationCase.objects.filter(case_id=OuterRef("pk"))))
        .order_by("pk")
    )
    through_services = THROUGH_SERVICES
    unseen = list(InvestigationStatus.values)
    counters: dict[int, int] = {}
    last_pk = 0
    while True:
        rows = list(
            qs.filter(pk__gt=last_pk).values(
                "pk", "public_id", "reference", "owning_agency_id", "identified_on", "is_child"
            )[:BATCH]
        )
        if not rows:
            break
        last_pk = rows[-1]["pk"]
        batch = []
        for row in rows:
            rng = random.Random(f"investigation:{seed}:{row['public_id']}")  # not the pk: same demo everywhere
            if rng.random() >= FILE_SHARE:
                continue
            plan = _Plan(row, rng, now, unseen)
            if through_services > 0 and _through_services(row, plan, investigators, odpp, offences):
                through_services -= 1
                made["investigations"] += 1
                continue
            batch.append((row, plan))
        made["investigations"] += _insert(batch, investigators, odpp, offences, counters)
        if progress:
            progress(0)
    made.update(add_demo_court(seed=seed))
    result.extra.update(made)


def add_bulk_investigations(*, seed: int, investigations: int, progress=None) -> dict:
    """Tops the investigation files up to `investigations` in all, in bulk (bench/justice.py; a `demo --size large`
    may call it after the extension): more files on the police units' victim cases, each case joining further
    files as a case may (a complainant in several), with the same plans, sealing, hand-over shares and
    submissions as the demo's own bulk files (`_insert`), then the court records of the new charge sheets
    (`add_demo_court`). No per-row service and no audit rows, as the demo's bulk part. About one file in five is
    charged (files advised to charge, most of them charged), so 50,000 files give about 10,000 prosecutions.
    Deterministic for a seed; running it again with the same target adds nothing."""
    made = {"investigations": 0}
    have = Investigation.objects.count()
    investigators = _investigators()
    odpp = _prosecutor()
    offences = {o.code: o for o in Offence.objects.filter(code__in=set(OFFENCES))}
    if have >= investigations or not investigators or odpp is None or not offences:
        return made
    rows = list(
        Case.objects.filter(owning_agency_id__in=list(investigators))
        .order_by("pk")
        .values("pk", "public_id", "reference", "owning_agency_id", "identified_on", "is_child")
    )
    if not rows:
        return made
    now = timezone.now()
    counters: dict[int, int] = {}
    batch = []
    wanted = investigations - have
    for n in range(have, investigations):  # the n-th file of the database: the same plans on every run
        row = rows[n % len(rows)]
        rng = random.Random(f"bulk-investigation:{seed}:{row['public_id']}:{n // len(rows)}")
        batch.append((row, _Plan(row, rng, now, [])))
        if len(batch) == BATCH or made["investigations"] + len(batch) == wanted:
            made["investigations"] += _insert(batch, investigators, odpp, offences, counters)
            batch = []
            if progress:
                progress(made["investigations"])
    made.update(add_demo_court(seed=seed))
    return made


# --- through the services ---------------------------------------------------------------------------------------


def _through_services(row, plan: _Plan, investigators, odpp, offences) -> bool:
    """Open and move one file with the real services (today's dates: the services stamp them)."""
    investigator = investigators[row["owning_agency_id"]]
    agency, prosecutor = odpp
    case = Case.objects.get(pk=row["pk"])
    rng = plan.rng
    try:
        with transaction.atomic():  # all steps or none
            investigation = services.investigation_open(
                actor=investigator,
                data=services.FileInput(
                    f"OB {rng.randrange(1, 60)}/{plan.opened_on:%m/%Y}", rng.choice(STATIONS), "ahtcpu"
                ),
                case=case,
            )
            person = _registry_person(investigator, rng)
            if person is not None:  # a person already in the registry (no victim case): linked, not registered again
                services.suspect_add(
                    actor=investigator, investigation=investigation, roles=["RecruiterOrIntermediary"], person=person
                )
            services.suspect_add(
                actor=investigator,
                investigation=investigation,
                roles=[rng.choice(ROLES)],
                organisation_name=rng.choice(ORGANISATIONS),
            )
            services.offence_add(actor=investigator, investigation=investigation, offence=offences["ctipa-3"])
            services.identifier_add(
                actor=investigator, investigation=investigation, kind="phone", value=f"07{rng.randrange(10**8):08d}"
            )
            services.action_add(
                actor=investigator, investigation=investigation, done_on=timezone.localdate(), text=rng.choice(ACTIONS)
            )
            for item in EvidenceItem.values:
                state = plan.evidence_state(item)
                services.evidence_set(
                    actor=investigator,
                    investigation=investigation,
                    item=item,
                    state=state,
                    reason=rng.choice(MISSING_REASONS) if state == EvidenceState.MISSING else "",
                )
            if plan.status == InvestigationStatus.OPEN:
                return True
            services.investigation_submit(
                actor=investigator, investigation=investigation, agency=agency, sections=FileSection.values
            )
            if plan.status == InvestigationStatus.WITH_ODPP:
                return True
            if plan.status == InvestigationStatus.CHARGE_ADVISED:
                services.investigation_advise(actor=prosecutor, investigation=investigation, advice=Advice.CHARGE)
                services.charge_sheet_record(
                    actor=prosecutor,
                    investigation=investigation,
                    court=rng.choice(_courts()),
                    court_case_number=f"MCCR/E{rng.randrange(1, 999)}/{timezone.localdate().year}",
                    charged_on=timezone.localdate(),
                    counts=[
                        services.CountInput(s, offences["ctipa-3"])
                        for s in Suspect.objects.filter(investigation=investigation).order_by("pk")
                    ],
                )
                return True
            services.investigation_advise(
                actor=prosecutor,
                investigation=investigation,
                advice=Advice.NO_FURTHER_ACTION,
                text=rng.choice(NFA_REASONS),
            )
            services.investigation_close(
                actor=investigator, investigation=investigation, reason=ClosureReason.NO_FURTHER_ACTION
            )
    except ServiceError:  # a case the services refuse: bulk instead
        return False
    return True


def _registry_person(investigator, rng: random.Random):
    """The real look-up path for a suspect: enter the identity of a demo person who has no victim case, let the
    registry propose them, and link the first person proposed with the look-up's token."""
    candidates = list(
        Person.objects.filter(owning_agency_id=investigator.agency_id, is_active=True, merged_into__isnull=True)
        .exclude(Exists(Case.objects.filter(person_id=OuterRef("pk"))))
        .order_by("pk")[:50]
    )
    if not candidates:
        return None
    identity = open_identity(rng.choice(candidates), ["first_name", "last_name", "date_of_birth"])
    if not person_candidates_for_identity(user=investigator, identity=identity):
        return None  # never register a new person here: the demo's person count stays the generator's
    outcome = person_register_or_link(actor=investigator, choice=services.PersonChoice(identity=identity))
    if outcome.person is not None or not outcome.candidates:
        return None
    return services.PersonChoice(
        link_person_id=str(outcome.candidates[0].person.public_id), link_token=outcome.link_token
    )


# --- in bulk ------------------------------------------------------------------------------------------------------


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _insert(batch, investigators, odpp, offences, counters) -> int:  # noqa: C901 - one pass builds every row
    if not batch:
        return 0
    agency, prosecutor = odpp
    courts = _courts()  # read once per batch, not once per charge sheet
    for year, value in InvestigationCounter.objects.values_list("year", "value"):
        counters[year] = max(counters.get(year, 0), value)
    files, links, suspects, file_offences, identifiers, actions, evidence = [], [], [], [], [], [], []
    sheets: list[tuple[Investigation, ChargeSheet, list]] = []  # (file, sheet, [(suspect, offence)])
    submissions: list[tuple[Submission, RecordShare]] = []
    officers = []
    for row, plan in batch:
        rng = plan.rng
        investigator = investigators[row["owning_agency_id"]]
        year = plan.opened_on.year
        counters[year] = counters.get(year, 0) + 1
        opened_at = _at(plan.opened_on, rng)
        f = Investigation(
            public_id=_uuid(rng),
            reference=f"IV-{year}-{counters[year]:06d}",
            owning_agency_id=row["owning_agency_id"],
            origin="case",
            opened_on=plan.opened_on,
            ob_number=f"OB {rng.randrange(1, 60)}/{plan.opened_on:%d/%m/%Y}",
            police_station=rng.choice(STATIONS),
            unit=rng.choice(["ahtcpu", "ahtcpu", "dci", "station"]),
            status=plan.status,
            status_changed_at=opened_at,
            created_at=opened_at,
            created_by=investigator,
        )
        files.append(f)
        officers.append((f, investigator))
        links.append(
            (f, InvestigationCase(case_id=row["pk"], role="complainant", linked_at=opened_at, linked_by=investigator))
        )
        mine: list[Suspect] = []  # this file's suspects and offences, for its charge sheet
        codes: list[Offence] = []
        for _n in range(rng.choice([1, 1, 2])):
            s = Suspect(
                public_id=_uuid(rng),
                kind="organisation",
                organisation_name=rng.choice(ORGANISATIONS),
                roles=sorted(set(rng.sample(ROLES, rng.choice([1, 2])))),
                created_at=opened_at,
                created_by=investigator,
            )
            suspects.append((f, s))
            mine.append(s)
        for code in sorted({rng.choice(OFFENCES) for _n in range(rng.choice([1, 2]))}):
            if code in offences:
                codes.append(offences[code])
                file_offences.append(
                    (f, InvestigationOffence(offence=offences[code], added_at=opened_at, added_by=investigator))
                )
        for _n in range(rng.randrange(1, 3)):
            kind = rng.choice(["phone", "mpesa_number", "mpesa_code", "bank_account"])
            value = {
                "phone": f"07{rng.randrange(10**8):08d}",
                "mpesa_number": f"07{rng.randrange(10**8):08d}",
                "mpesa_code": "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _c in range(10)),
                "bank_account": f"{rng.randrange(10**12):012d}",
            }[kind]
            i = FoundIdentifier(public_id=_uuid(rng), kind=kind, added_at=opened_at, added_by=investigator)
            i.value = value  # sealed by bulk_create (SealedTextField.pre_save), like every sealed field here
            identifiers.append((f, i))
        for n in range(rng.randrange(1, 4)):
            a = ActionEntry(
                public_id=_uuid(rng),
                done_on=min(timezone.localdate(), plan.opened_on + timedelta(days=n * rng.randrange(1, 10))),
                added_at=opened_at,
                added_by=investigator,
            )
            a.text = rng.choice(ACTIONS)
            actions.append((f, a))
        for item in EvidenceItem.values:
            state = plan.evidence_state(item)
            e = Evidence(public_id=_uuid(rng), item=item, state=state, updated_at=opened_at, updated_by=investigator)
            e.reason = rng.choice(MISSING_REASONS) if state == EvidenceState.MISSING else ""
            evidence.append((f, e))
        gaps = sorted(i for i in plan.missing if plan.evidence_state(i) == EvidenceState.MISSING)
        if plan.status == InvestigationStatus.OPEN:
            continue
        f.prosecution_agency = agency

        hand_over = _HandOver(submissions, f, investigator, agency, prosecutor, rng, gaps)

        if plan.status == InvestigationStatus.WITH_ODPP:
            hand_over(plan.submitted_at)
            f.status_changed_at = plan.submitted_at
        elif plan.status == InvestigationStatus.CHARGE_ADVISED:
            if plan.further_first:
                hand_over(
                    plan.submitted_at,
                    Advice.FURTHER_INVESTIGATION,
                    rng.choice(FI_REQUESTS),
                    plan.advised_at,
                    returned=True,
                )
                hand_over(plan.resubmitted_at, Advice.CHARGE, "", plan.charged_at)
                f.status_changed_at = plan.charged_at
            else:
                hand_over(plan.submitted_at, Advice.CHARGE, "", plan.advised_at)
                f.status_changed_at = plan.advised_at
            charged_on = timezone.localtime(f.status_changed_at).date() + timedelta(days=rng.randrange(1, 30))
            if charged_on <= timezone.localdate() and rng.random() < 0.8:  # most files advised to charge are charged
                sheet = ChargeSheet(
                    public_id=_uuid(rng),
                    prosecution_agency=agency,
                    court=rng.choice(courts),
                    court_case_number=f"MCCR/E{rng.randrange(1, 999)}/{charged_on.year}",
                    charged_on=charged_on,
                    created_by=prosecutor,
                )
                sheets.append((f, sheet, [(s, o) for s in mine for o in codes]))
        else:  # closed
            if plan.nfa:
                hand_over(plan.submitted_at, Advice.NO_FURTHER_ACTION, rng.choice(NFA_REASONS), plan.advised_at, True)
                f.closure_reason = ClosureReason.NO_FURTHER_ACTION
                f.closed_at = plan.advised_at + timedelta(days=1)
            else:
                f.prosecution_agency = None
                f.closure_reason = rng.choice([ClosureReason.INSUFFICIENT_EVIDENCE, ClosureReason.SUSPECT_NOT_TRACED])
                f.closed_at = min(timezone.now(), plan.submitted_at)
            f.status_changed_at = f.closed_at
    with transaction.atomic():
        Investigation.objects.bulk_create(files, batch_size=1000)
        pks = dict(
            Investigation.objects.filter(public_id__in=[f.public_id for f in files]).values_list("public_id", "pk")
        )

        def attach(pairs):
            out = []
            for f, obj in pairs:
                obj.investigation_id = pks[f.public_id]
                out.append(obj)
            return out

        InvestigationCase.objects.bulk_create(attach(links), batch_size=2000)
        Suspect.objects.bulk_create(attach(suspects), batch_size=2000)
        InvestigationOffence.objects.bulk_create(attach(file_offences), batch_size=2000)
        FoundIdentifier.objects.bulk_create(attach(identifiers), batch_size=2000)
        ActionEntry.objects.bulk_create(attach(actions), batch_size=2000)
        Evidence.objects.bulk_create(attach(evidence), batch_size=2000)
        through = Investigation.officers.through
        through.objects.bulk_create(
            [through(investigation_id=pks[f.public_id], user_id=u.pk) for f, u in officers], batch_size=2000
        )
        shares = [share for _f, _s, share in submissions]
        RecordShare.objects.bulk_create(shares, batch_size=1000)
        saved = dict(
            RecordShare.objects.filter(public_id__in=[s.public_id for s in shares]).values_list("public_id", "pk")
        )
        rows = []
        for f, s, share in submissions:
            s.investigation_id = pks[f.public_id]
            s.share_id = saved[share.public_id]
            rows.append(s)
        Submission.objects.bulk_create(rows, batch_size=1000)
        for f, sheet, _counts in sheets:
            sheet.investigation_id = pks[f.public_id]
        ChargeSheet.objects.bulk_create([sheet for _f, sheet, _c in sheets], batch_size=1000)
        sheet_pks = dict(
            ChargeSheet.objects.filter(public_id__in=[s.public_id for _f, s, _c in sheets]).values_list(
                "public_id", "pk"
            )
        )
        suspect_pks = dict(
            Suspect.objects.filter(public_id__in=[s.public_id for _f, s in suspects]).values_list("public_id", "pk")
        )
        ChargeCount.objects.bulk_create(
            [
                ChargeCount(
                    charge_sheet_id=sheet_pks[sheet.public_id],
                    number=n,
                    accused_id=suspect_pks[accused.public_id],
                    offence=offence,
                )
                for _f, sheet, counts in sheets
                for n, (accused, offence) in enumerate(counts, start=1)
            ],
            batch_size=2000,
        )
        for year, value in counters.items():
            InvestigationCounter.objects.update_or_create(year=year, defaults={"value": value})
    return len(files)


class _HandOver:
    """Adds one submission of a file (and its share) to the batch: the bulk twin of investigation_submit and
    investigation_advise."""

    def __init__(self, submissions, f, investigator, agency, prosecutor, rng, gaps):
        self.submissions, self.f, self.investigator = submissions, f, investigator
        self.agency, self.prosecutor, self.rng, self.gaps = agency, prosecutor, rng, gaps

    def __call__(self, at, advice="", advice_text="", advised_at=None, returned=False):
        f, agency, investigator, prosecutor = self.f, self.agency, self.investigator, self.prosecutor
        share = RecordShare(
            target_type=TARGET,
            target_id=f.public_id,
            agency=agency,
            sections=list(FileSection.values),
            reason=f"Investigation file {f.reference} submitted for review",
            granted_by=investigator,
            granted_at=at,
            revoked_at=advised_at if returned else None,
            revoked_by=prosecutor if returned else None,
        )
        s = Submission(
            public_id=_uuid(self.rng),
            agency=agency,
            sections=list(FileSection.values),
            gaps=self.gaps,
            submitted_at=at,
            submitted_by=investigator,
            advice=advice,
            advised_at=advised_at,
            advised_by=prosecutor if advice else None,
            returned_at=advised_at if returned else None,
            created_at=at,
            created_by=investigator,
        )
        s.note = "Submitted for your advice."
        s.advice_text = advice_text
        self.submissions.append((f, s, share))


# --- the court: diary, pleas, victim-witnesses, outcomes, orders, appeals ----------------------------------------

ADJOURN_REASONS = [r for r in AdjournmentReason.values if r != AdjournmentReason.OTHER]
LANGUAGES = ["Kiswahili", "Somali", "Amharic", "Oromo", "Luganda", "Kinyarwanda"]
ASSETS = [
    "Two matatus used to transport the victims",
    "Bank balance held by the recruitment agency",
    "M-Pesa float of the recruiter's agent line",
    "Plot and lodging house used to harbour the victims",
]
STATEMENTS = [
    "I lost two years of wages and I cannot go back to my village.",
    "My passport was taken and I still fear the people who recruited me.",
    "My child has not gone back to school since we came home.",
]
SEXES = [Sex.MALE] * 13 + [Sex.FEMALE] * 6 + [Sex.UNKNOWN]


def add_demo_court(*, seed: int) -> dict:
    """Court records for the demo's charge sheets that have none yet (re-runnable): the plea on the day of charge,
    hearings every few weeks (some adjourned, with a reason and the next date), the last sitting scheduled when
    it falls after today, victims of the linked cases as witnesses, and, where the judgment date has passed,
    the outcome of every count with sentences, some restitution and forfeiture orders and appeals. Every date is
    on or after the date of charge and none recorded is after today (timezone.localdate)."""
    made = {"court_sittings": 0, "court_outcomes": 0}
    today = timezone.localdate()
    qs = (
        ChargeSheet.objects.exclude(Exists(CourtEvent.objects.filter(charge_sheet_id=OuterRef("pk"))))
        .select_related("investigation")
        .order_by("pk")
    )
    last_pk = 0
    while True:
        sheets = list(qs.filter(pk__gt=last_pk)[:BATCH])
        if not sheets:
            break
        last_pk = sheets[-1].pk
        counts: dict[int, list[ChargeCount]] = {}
        for c in ChargeCount.objects.filter(charge_sheet__in=sheets).order_by("number"):
            counts.setdefault(c.charge_sheet_id, []).append(c)
        cases: dict[int, list[tuple[int, bool]]] = {}
        for inv_id, case_id, child in InvestigationCase.objects.filter(
            investigation_id__in=[s.investigation_id for s in sheets]
        ).values_list("investigation_id", "case_id", "case__is_child"):
            cases.setdefault(inv_id, []).append((case_id, child))
        rows = _CourtRows()
        for sheet in sheets:
            rng = random.Random(f"court:{seed}:{sheet.public_id}")
            _court_plan(rows, sheet, counts.get(sheet.pk, []), cases.get(sheet.investigation_id, []), rng, today)
        with transaction.atomic():
            rows.save()
        made["court_sittings"] += len(rows.events)
        made["court_outcomes"] += len(rows.outcomes)
    return made


class _CourtRows:
    def __init__(self):
        self.events: list[CourtEvent] = []
        self.witnesses: list[VictimWitness] = []
        self.outcomes: list[CountOutcome] = []
        self.restitution: list[RestitutionOrder] = []
        self.forfeiture: list[ForfeitureOrder] = []
        self.appeals: list[Appeal] = []
        self.counts: list[ChargeCount] = []

    def save(self) -> None:
        ChargeCount.objects.bulk_update(self.counts, ["plea", "accused_sex"], batch_size=2000)
        for model, rows in (
            (CourtEvent, self.events),
            (VictimWitness, self.witnesses),
            (CountOutcome, self.outcomes),
            (RestitutionOrder, self.restitution),
            (ForfeitureOrder, self.forfeiture),
            (Appeal, self.appeals),
        ):
            model.objects.bulk_create(rows, batch_size=2000)  # type: ignore[arg-type]  # each model with its rows


def _court_plan(rows: _CourtRows, sheet: ChargeSheet, counts: list, cases: list, rng: random.Random, today) -> None:
    by = sheet.created_by_id
    day = sheet.charged_on
    # the plea is taken on the day of charge
    rows.events.append(
        CourtEvent(public_id=_uuid(rng), charge_sheet=sheet, kind="plea", sits_on=day, status="held", created_by_id=by)
    )
    sexes: dict[int, str] = {}
    for c in counts:
        c.plea = Plea.GUILTY if rng.random() < 0.15 else Plea.NOT_GUILTY
        c.accused_sex = sexes.setdefault(c.accused_id, rng.choice(SEXES))
        rows.counts.append(c)
    held: list = []
    for _n in range(rng.randrange(2, 7)):
        nxt = day + timedelta(days=rng.randrange(14, 60))
        kind = CourtEventKind.HEARING if rng.random() < 0.8 else CourtEventKind.MENTION
        if nxt > today:
            rows.events.append(
                CourtEvent(public_id=_uuid(rng), charge_sheet=sheet, kind=kind, sits_on=nxt, created_by_id=by)
            )
            break
        # the sitting before `nxt` is over: adjourned to it, or held with the next date given
        adjourned = rng.random() < 0.3
        event = CourtEvent(
            public_id=_uuid(rng),
            charge_sheet=sheet,
            kind=kind,
            sits_on=nxt,
            status=CourtEventStatus.ADJOURNED if adjourned else CourtEventStatus.HELD,
            adjournment_reason=rng.choice(ADJOURN_REASONS) if adjourned else "",
            created_by_id=by,
        )
        rows.events.append(event)
        if not adjourned:
            held.append(nxt)
        day = nxt
    else:
        judgment = day + timedelta(days=rng.randrange(14, 45))
        if judgment <= today:
            rows.events.append(
                CourtEvent(
                    public_id=_uuid(rng),
                    charge_sheet=sheet,
                    kind=CourtEventKind.JUDGMENT,
                    sits_on=judgment,
                    status=CourtEventStatus.HELD,
                    created_by_id=by,
                )
            )
            _outcomes(rows, sheet, counts, cases, rng, judgment, today)
        else:
            rows.events.append(
                CourtEvent(
                    public_id=_uuid(rng),
                    charge_sheet=sheet,
                    kind=CourtEventKind.JUDGMENT,
                    sits_on=judgment,
                    created_by_id=by,
                )
            )
    # next dates: each sitting's next date is the following one in the diary
    mine = [e for e in rows.events if e.charge_sheet is sheet]
    for a, b in zip(mine, mine[1:], strict=False):
        if a.status != CourtEventStatus.SCHEDULED:
            a.next_on = b.sits_on
    for number, (case_id, _child) in enumerate(cases, start=1):
        w = VictimWitness(
            public_id=_uuid(rng),
            charge_sheet=sheet,
            case_id=case_id,
            number=number,
            protection_referred_on=sheet.charged_on if rng.random() < 0.5 else None,
            interpreter_language=rng.choice(LANGUAGES) if rng.random() < 0.3 else "",
            testimony_dates=[held[0].isoformat()] if held else [],
            created_by_id=by,
        )
        if held and rng.random() < 0.6:
            w.impact_statement = rng.choice(STATEMENTS)
            w.impact_recorded_on = held[0]
        rows.witnesses.append(w)


def _outcomes(rows: _CourtRows, sheet, counts, cases, rng: random.Random, judgment, today) -> None:
    convicted: list[int] = []
    for c in counts:
        if c.plea == Plea.GUILTY:
            verdict: str = Verdict.CONVICTED
        else:
            verdict = rng.choices(list(Verdict.values), [55, 25, 10, 5, 5])[0]
        months = fine = None
        if verdict == Verdict.CONVICTED:
            convicted.append(c.accused_id)
            if rng.random() < 0.85:
                months = rng.choice([24, 60, 120, 180, 240, 360])
            if months is None or rng.random() < 0.4:
                fine = rng.choice([500_000, 1_000_000, 2_000_000, 30_000_000]) * 100
        rows.outcomes.append(
            CountOutcome(
                public_id=_uuid(rng),
                count=c,
                verdict=verdict,
                decided_on=judgment,
                imprisonment_months=months,
                fine_cents=fine,
                created_by_id=sheet.created_by_id,
            )
        )
    for accused_id in dict.fromkeys(convicted):
        if cases and rng.random() < 0.4:
            rows.restitution.append(
                RestitutionOrder(
                    public_id=_uuid(rng),
                    charge_sheet=sheet,
                    accused_id=accused_id,
                    beneficiary_case_id=cases[0][0],
                    amount_cents=rng.choice([150_000, 400_000, 1_200_000]) * 100,
                    ordered_on=judgment,
                    created_by_id=sheet.created_by_id,
                )
            )
        if rng.random() < 0.2:
            order = ForfeitureOrder(
                public_id=_uuid(rng),
                charge_sheet=sheet,
                accused_id=accused_id,
                amount_cents=rng.choice([800_000, 2_500_000, 9_000_000]) * 100,
                ordered_on=judgment,
                created_by_id=sheet.created_by_id,
            )
            order.assets = rng.choice(ASSETS)
            rows.forfeiture.append(order)
        filed = judgment + timedelta(days=rng.randrange(7, 14))
        if rng.random() < 0.2 and filed <= today:
            rows.appeals.append(
                Appeal(
                    public_id=_uuid(rng),
                    charge_sheet=sheet,
                    accused_id=accused_id,
                    appellant=Appellant.ACCUSED,
                    filed_on=filed,
                    created_by_id=sheet.created_by_id,
                )
            )
