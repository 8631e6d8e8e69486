"""Demo complaints about recruitment: complaints against the demo agencies (and unregistered agents) in every state
(received, under review, warning, suspension, deregistration, referred to the DCI with a lead, closed without
action), some abroad and in distress (waiting for an officer to open their distress case: the demo registers no
person), through the real services so the audit trail, the status history and the leads are as in use. A few dozen
records: the services are fast enough.

Registered in ctip.demo.generator.EXTENSIONS after the agencies and the leads demo:
`add_demo_complaints(seed=, result=, actor=)`.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from ctip.accounts.enums import Role
from ctip.accounts.models import User
from ctip.core.errors import ServiceError
from ctip.reference.models import Country

from . import complaints_services as svc
from .enums import AGENCY_OUTCOMES, AgencyStatus, ComplaintActionKind
from .models import Complaint, RecruitmentAgency

JOBS = ("Housemaid", "Driver", "Security guard", "Waiter", "Cleaner", "Caregiver", "Construction worker", "Nanny")
STORIES = (
    "The agent took the fee for a job and a visa, then stopped answering calls.",
    "I paid for a medical test and a ticket; the agency now says the job order was cancelled.",
    "They kept my passport and asked for more money before travel.",
    "Wakala alichukua pesa za viza na kazi, kisha akazima simu.",
    "I was promised a hotel job but was given a tourist visa; my sister is now stuck with no pay.",
    "Mshahara haulipwi na mwajiri amechukua pasipoti; tunaomba msaada.",
)
AGENTS = ("Mama Achieng", "Bwana Kazi Agents", "Gulf Dreams Travel", "Mr Otieno (broker)", "Jobs Abroad Connect")
# (outcome after review, how many): None = left received, "review" = under review.
PLAN = [
    (None, 8),
    ("review", 6),
    (ComplaintActionKind.WARNING, 4),
    (ComplaintActionKind.SUSPENSION, 2),
    (ComplaintActionKind.DEREGISTRATION, 1),
    (ComplaintActionKind.REFERRAL_DCI, 3),
    (ComplaintActionKind.NO_ACTION, 4),
]
DISTRESS_EVERY = 5  # every fifth complaint is about someone abroad and in distress


def _code(rng: random.Random) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    return "Q" + "".join(rng.choice(alphabet) for _ in range(9))


def add_demo_complaints(*, seed: int, result, actor, progress=None) -> None:
    if Complaint.objects.exists():
        return
    officer = User.objects.filter(role=Role.LABOUR_OFFICER, is_active=True).order_by("id").first()
    agencies = list(RecruitmentAgency.objects.filter(status=AgencyStatus.VALID).order_by("id")[:60])
    warned = list(RecruitmentAgency.objects.filter(status=AgencyStatus.DEREGISTERED).order_by("id")[:10])
    if officer is None or not agencies:
        return
    rng = random.Random(f"{seed}:recruitment:complaints")
    countries = list(Country.objects.filter(alpha2__in=("SA", "AE", "QA", "OM", "LB")).values_list("pk", flat=True))
    made = 0
    referred = 0
    for outcome, count in PLAN:
        for _ in range(count):
            made += 1
            against_agency = made % 4 != 0
            agency = rng.choice(warned if (outcome == ComplaintActionKind.REFERRAL_DCI and warned) else agencies)
            distress = made % DISTRESS_EVERY == 0 and bool(countries)
            country = rng.choice(countries) if countries else None
            data = svc.ComplaintInput(
                whereabouts="abroad_distress" if distress else rng.choice(["in_kenya", "in_kenya", "abroad"]),
                description=rng.choice(STORIES),
                against_kind="agency" if against_agency else rng.choice(["unregistered", "individual"]),
                agency_licence=agency.licence_number if against_agency else "",
                against_name="" if against_agency else rng.choice(AGENTS),
                amount_paid_cents=rng.choice([15_000, 30_000, 45_000, 80_000, 120_000]) * 100,
                paid_to_numbers=[f"07{rng.randint(10, 99)}{rng.randint(100000, 999999)}"],
                transaction_codes=[_code(rng)],
                job_promised=rng.choice(JOBS),
                destination_country_id=country,
                current_country_id=country if distress else None,
                contact="" if rng.random() < 0.5 else f"07{rng.randint(10, 99)}{rng.randint(100000, 999999)}",
                language=rng.choice(["en", "sw"]),
            )
            try:
                complaint, _pin = svc.complaint_submit(actor=None, data=data)
                if outcome is not None:
                    complaint = svc.complaint_start_review(actor=officer, complaint=complaint, expected_version=None)
                if outcome not in (None, "review"):
                    no_agency = outcome in AGENCY_OUTCOMES and complaint.agency_id is None
                    outcome_here = ComplaintActionKind.NO_ACTION if no_agency else outcome
                    decided = svc.complaint_triage(
                        actor=officer,
                        complaint=complaint,
                        decision=svc.TriageDecision(
                            outcome=outcome_here,
                            note="Demo: checked the M-Pesa statement and the NEA file.",
                            effective_on=timezone.localdate() - timedelta(days=rng.randint(1, 60)),
                        ),
                        expected_version=None,
                    )
                    referred += bool(decided.lead_reference)
            except ServiceError:
                continue  # e.g. no national police unit for a referral: the complaint stays as it is
    result.extra["recruitment_complaints"] = Complaint.objects.count()
    if "investigation_leads" in result.extra:  # the leads demo ran first: its count includes these leads
        result.extra["investigation_leads"] += referred
