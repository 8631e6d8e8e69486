"""Demo data for investigation leads: a handful of leads in every state, sent through the real services (audit,
sealing, notifications), from a tip, a recruitment complaint, a victim case and an officer, to DCI AHTCPU (and
one to TOCU); one accepted (a file opened from it), one joined to an existing file, one declined.

Registered by the demo generator as an extension after the investigations and the tips: `add_demo_leads(seed=,
result=, actor=, progress=)`. Every person and number is fictitious. Running the demo again adds no second set.
"""

from __future__ import annotations

import random

from django.db import transaction

from ctip.accounts.enums import AgencyType, Role
from ctip.accounts.models import Agency, User
from ctip.cases.models import Case
from ctip.intake.models import Tip
from ctip.justice import services as justice
from ctip.justice.enums import InvestigationStatus
from ctip.justice.models import Investigation

from . import services
from .enums import LeadSource
from .models import Lead

RECRUITERS = ["Mama Njeri", "Agent Otieno Kamau", "Brian 'Visa' Mutua", "Auntie Halima", "Peter Kiprotich"]
AGENCIES = ["Gulf Star Agencies Ltd", "Sunrise Overseas Placements", "Al-Bahar Manpower Kenya", "Lamu Tours & Travel"]
SUMMARIES = [
    "Three girls from {county} were promised housework in Riyadh by a recruiter; each paid KSh 45,000 by M-Pesa "
    "and their passports were taken at the office.",
    "A job seeker paid a 'processing fee' for a driver's job in Dubai; the agency stopped answering and the "
    "office in Nairobi CBD is closed. Two others from the same church paid the same agent.",
    "The victim says the recruiter met the group at the bus stage and took them to a house in {county} before "
    "the flight; the recruiter's phone and the M-Pesa till are below.",
    "Officers at JKIA stopped two young women travelling on tourist visas to Muscat with work contracts; they "
    "name the agent who paid their tickets.",
]


def _phone(rng):
    return f"07{rng.randrange(10, 99)}{rng.randrange(100000, 999999)}"


def _code(rng):
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    return (
        rng.choice(letters) + "".join(rng.choice(letters + "0123456789") for _ in range(7)) + str(rng.randrange(10, 99))
    )


def _content(rng, *, persons=True):
    """A lead's content. `persons=False` for the leads the demo acts on: accepting registers person suspects in
    the registry, and the demo's persons are its own (the person count stays the one asked for)."""
    suspects = [{"name": rng.choice(AGENCIES), "kind": "organisation", "roles": ["RecruiterOrIntermediary"]}]
    if persons:
        suspects.insert(0, {"name": rng.choice(RECRUITERS), "kind": "person", "roles": ["RecruiterOrIntermediary"]})
    identifiers = [
        ("phone", _phone(rng)),
        ("mpesa_number", _phone(rng)),
        ("mpesa_code", _code(rng)),
        ("website", f"www.{rng.choice(['gulfjobs', 'ajira-abroad', 'kazi-ughaibuni'])}.example"),
    ]
    summary = rng.choice(SUMMARIES).format(county=rng.choice(["Kilifi", "Kakamega", "Nairobi", "Mombasa"]))
    return {"summary": summary, "suspects": suspects, "identifiers": identifiers}


def add_demo_leads(*, seed: int, result, actor, progress=None) -> None:
    if Lead.objects.exists():
        return
    users = {u.role: u for u in User.objects.filter(username__startswith="demo.", is_active=True).order_by("pk")}
    investigator = User.objects.filter(username="demo.investigator", is_active=True).first()
    ahtcpu = investigator.agency if investigator else None
    if ahtcpu is None:
        return
    tocu = Agency.objects.filter(agency_type=AgencyType.POLICE, short_name="DCI TOCU").first()
    rng = random.Random(f"{seed}:leads")
    coordinator = users.get(Role.COORDINATOR)
    labour = users.get(Role.LABOUR_OFFICER)
    caseworker = users.get(Role.CASE_WORKER)
    tips = list(Tip.objects.order_by("pk")[:3])
    case = (
        Case.objects.filter(owning_agency=caseworker.agency).order_by("pk").first() if caseworker is not None else None
    )
    sent = []
    with transaction.atomic():
        for tip in tips[:2]:
            if coordinator is not None:
                sent.append(
                    services.lead_open(
                        actor=coordinator,
                        source=LeadSource.TIP,
                        source_ref=tip.reference,
                        agency=ahtcpu,
                        **_content(rng, persons=False),
                    )
                )
        if labour is not None:
            for n in range(2):
                sent.append(
                    services.lead_open(
                        actor=labour,
                        source=LeadSource.COMPLAINT,
                        source_ref=f"RC-DEMO-{n + 1:04d}",
                        agency=tocu if (n == 1 and tocu) else ahtcpu,
                        **_content(rng, persons=n == 1),
                    )
                )
        if case is not None:
            sent.append(
                services.lead_open(actor=caseworker, source=LeadSource.CASE, case=case, agency=ahtcpu, **_content(rng))
            )
        sent.append(services.lead_open(actor=investigator, source=LeadSource.OFFICER, agency=ahtcpu, **_content(rng)))
        mine = [lead for lead in sent if lead.owning_agency_id == ahtcpu.pk]
        # One accepted, one joined to a file of the unit, one declined; the rest stay new.
        if len(mine) >= 1:
            services.lead_accept(
                actor=investigator,
                lead=mine[0],
                expected_version=None,
                data=justice.FileInput("OB 41/11/2026", "Kilimani", "ahtcpu"),
            )
        target = (
            Investigation.objects.filter(owning_agency=ahtcpu, status=InvestigationStatus.OPEN)
            .exclude(leads__isnull=False)
            .order_by("pk")
            .first()
        )
        if len(mine) >= 2 and target is not None:
            services.lead_join(actor=investigator, lead=mine[1], expected_version=None, investigation=target)
        if len(mine) >= 3:
            services.lead_decline(
                actor=investigator,
                lead=mine[2],
                expected_version=None,
                reason="The same agent is already under investigation by DCI Mombasa (referred there by phone).",
            )
    if progress:
        progress(0)
    result.extra.update({"investigation_leads": len(sent)})
