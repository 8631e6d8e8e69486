"""Demo data for the National Plan of Action, recorded through the real services (every write audited).

Registered by the demo generator as an extension: `add_demo_npa(seed=, result=, actor=, progress=)`. The same
records at every demo size (a plan is a national document, not a per-person record): the 2013-2017 plan's
skeleton (closed: its objectives by pillar and a few activities, marked done or dropped at the final review), and
the current plan 2022-2027 with objectives under the four pillars, activities with the agencies responsible,
computed and entered indicators, and an open progress report with some of the agencies' reports; training sessions
and awareness campaigns by several demo agencies over the last two years, which feed the computed indicators.
Deterministic for a seed; does nothing when a plan already exists."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ctip.accounts.enums import AgencyType
from ctip.accounts.models import Agency, User

from . import services
from .enums import CampaignChannel, TrainingTopic
from .models import Plan

OLD_PLAN = [
    (
        "prevention",
        "1.1",
        "Raise public awareness of trafficking in persons",
        [("1.1.1", "National awareness week", "done")],
    ),
    ("protection", "2.1", "Establish the National Referral Mechanism", [("2.1.1", "Draft NRM guidelines", "done")]),
    (
        "prosecution",
        "3.1",
        "Operationalise the Counter-Trafficking in Persons Act 2010",
        [("3.1.1", "Train prosecutors", "done")],
    ),
    ("partnership", "4.1", "Establish the Advisory Committee", [("4.1.1", "Gazette the Committee", "dropped")]),
]

# (pillar, number, objective, [(number, activity, responsible agencies' short names, status, [indicators])])
# indicator: (name, metric or "", baseline, target, actual, source note)
CURRENT_PLAN = [
    (
        "prevention",
        "1.1",
        "Communities and job seekers know the risks of trafficking and safe migration",
        [
            (
                "1.1.1",
                "Run awareness campaigns on radio, social media and in schools in high-risk counties",
                ["CTiP Secretariat", "NEA", "HAART"],
                "on_track",
                [
                    ("People reached by awareness campaigns", "campaign_reach", 0, 2_000_000, None, ""),
                    ("Awareness campaigns held", "campaigns_held", 0, 60, None, ""),
                ],
            ),
            (
                "1.1.2",
                "Vet recruitment agencies and publish the licensed list",
                ["NEA"],
                "behind",
                [("Recruitment agencies vetted", "", 0, 1_200, 640, "NEA annual report")],
            ),
        ],
    ),
    (
        "protection",
        "2.1",
        "Victims are identified early and referred to the services they need",
        [
            (
                "2.1.1",
                "Train frontline officers on identification and the National Referral Mechanism",
                ["CTiP Secretariat", "DCI AHTCPU", "Children's Services", "Immigration"],
                "on_track",
                [
                    ("Frontline officers trained", "persons_trained", 0, 3_000, None, ""),
                    ("Women among officers trained", "women_trained", 0, 1_500, None, ""),
                    ("Training sessions held", "trainings_held", 0, 120, None, ""),
                ],
            ),
            (
                "2.1.2",
                "Identify and refer victims through the NRM",
                ["CTiP Secretariat", "Children's Services", "HAART"],
                "on_track",
                [
                    ("Victims identified", "victims_identified", 0, 5_000, None, ""),
                    ("Referrals completed", "referrals_completed", 0, 3_000, None, ""),
                ],
            ),
            (
                "2.1.3",
                "Open a shelter for adult victims in every region",
                ["Children's Services", "Rescue Dada"],
                "behind",
                [("Regions with an adult shelter", "", 1, 8, 3, "Secretariat shelter mapping")],
            ),
        ],
    ),
    (
        "prosecution",
        "3.1",
        "Traffickers are investigated, prosecuted and convicted",
        [
            (
                "3.1.1",
                "Prosecute trafficking cases under the Counter-Trafficking in Persons Act",
                ["ODPP", "DCI AHTCPU"],
                "on_track",
                [
                    ("Prosecutions", "prosecutions", 0, 400, None, ""),
                    ("Persons convicted", "convictions", 0, 150, None, ""),
                ],
            ),
        ],
    ),
    (
        "partnership",
        "4.1",
        "Agencies and partners share data and coordinate the response",
        [
            (
                "4.1.1",
                "Connect the agencies to CTIP and report national figures each year",
                ["CTiP Secretariat", "IOM Kenya"],
                "done",
                [("Agencies recording in CTIP", "", 3, 17, 17, "CTIP agency register")],
            ),
        ],
    ),
]

TRAINERS = ["demo.coordinator", "demo.investigator", "demo.caseworker", "demo.labour", "demo.immigration"]
CAMPAIGNERS = ["demo.caseworker.ngo", "demo.labour", "demo.consular", "demo.coordinator"]
COUNTIES = ["047", "001", "003", "022", "016", "042", "032", "012"]
TRAININGS = 18
CAMPAIGNS = 10


def add_demo_npa(*, seed: int, result, actor, progress=None) -> None:
    made = {"npa_plans": 0, "npa_trainings": 0, "npa_campaigns": 0}
    coordinator = User.objects.filter(username="demo.coordinator", is_active=True).first()
    if coordinator is None or Plan.objects.exists():
        result.extra.update(made)
        return
    rng = random.Random(f"npa:{seed}")
    today = timezone.localdate()
    agencies = dict(Agency.objects.values_list("short_name", "pk"))
    users = {u.username: u for u in User.objects.filter(username__in={*TRAINERS, *CAMPAIGNERS}, is_active=True)}
    with transaction.atomic():
        _old_plan(coordinator)
        plan, activities = _current_plan(coordinator, agencies)
        made["npa_plans"] = 2
        for n in range(TRAININGS):
            user = users.get(TRAINERS[n % len(TRAINERS)])
            if user is None:
                continue
            held_on = today - timedelta(days=rng.randint(1, 700))
            types = rng.sample(
                [
                    AgencyType.POLICE,
                    AgencyType.CHILDREN,
                    AgencyType.LABOUR,
                    AgencyType.NGO,
                    AgencyType.IMMIGRATION,
                    AgencyType.JUDICIARY,
                ],
                k=rng.randint(1, 3),
            )
            services.training_record(
                actor=user,
                data=services.TrainingInput(
                    title=f"{TrainingTopic.values[n % len(TrainingTopic.values)].replace('_', ' ').title()} {n + 1}",
                    topic=TrainingTopic.values[n % len(TrainingTopic.values)],
                    held_on=held_on,
                    county_code=rng.choice(COUNTIES),
                    participants={t: (rng.randint(3, 25), rng.randint(3, 25)) for t in types},
                ),
            )
            made["npa_trainings"] += 1
        for n in range(CAMPAIGNS):
            user = users.get(CAMPAIGNERS[n % len(CAMPAIGNERS)])
            if user is None:
                continue
            start = today - timedelta(days=rng.randint(5, 700))
            channel = CampaignChannel.values[n % len(CampaignChannel.values)]
            services.campaign_record(
                actor=user,
                data=services.CampaignInput(
                    title=f"{CampaignChannel(channel).label} campaign {n + 1}",
                    channel=channel,
                    start_date=start,
                    end_date=start + timedelta(days=rng.randint(0, 30)),
                    reach=rng.randrange(500, 400_000, 100),
                    county_code=rng.choice(["", *COUNTIES]),
                ),
            )
            made["npa_campaigns"] += 1
        _progress(coordinator, plan, activities, users, today)
    result.extra.update(made)
    if progress:
        progress(0)


def _old_plan(coordinator) -> None:
    plan = services.plan_create(
        actor=coordinator,
        data=services.PlanInput(
            title="National Plan of Action for Combating Human Trafficking 2013-2017",
            start_date=date(2013, 1, 1),
            end_date=date(2017, 12, 31),
            status="closed",
            summary="Kenya's first plan under the Counter-Trafficking in Persons Act 2010 (skeleton).",
        ),
    )
    for pillar, number, title, activities in OLD_PLAN:
        objective = services.objective_save(
            actor=coordinator, plan=plan, data=services.ObjectiveInput(pillar=pillar, number=number, title=title)
        )
        for a_number, a_title, status in activities:
            services.activity_save(
                actor=coordinator,
                objective=objective,
                data=services.ActivityInput(number=a_number, title=a_title, status=status, end_date=date(2017, 12, 31)),
            )


def _current_plan(coordinator, agencies: dict[str, int]):
    plan = services.plan_create(
        actor=coordinator,
        data=services.PlanInput(
            title="National Plan of Action for Combating Trafficking in Persons 2022-2027",
            start_date=date(2022, 1, 1),
            end_date=date(2027, 12, 31),
            status="active",
            summary="The current plan, under the four pillars: prevention, protection, prosecution, partnership.",
        ),
    )
    activities = []
    for pillar, number, title, items in CURRENT_PLAN:
        objective = services.objective_save(
            actor=coordinator, plan=plan, data=services.ObjectiveInput(pillar=pillar, number=number, title=title)
        )
        for a_number, a_title, responsible, status, indicators in items:
            activity = services.activity_save(
                actor=coordinator,
                objective=objective,
                data=services.ActivityInput(
                    number=a_number,
                    title=a_title,
                    agency_ids=tuple(agencies[name] for name in responsible if name in agencies),
                    status=status,
                    start_date=date(2022, 7, 1),
                    end_date=date(2027, 6, 30),
                ),
            )
            activities.append((activity, responsible))
            for name, metric, baseline, target, actual, note in indicators:
                services.indicator_save(
                    actor=coordinator,
                    activity=activity,
                    data=services.IndicatorInput(
                        name=name,
                        source="computed" if metric else "entered",
                        metric=metric,
                        baseline=Decimal(baseline),
                        target=Decimal(target),
                        actual=Decimal(actual) if actual is not None else None,
                        source_note=note,
                    ),
                )
    return plan, activities


def _progress(coordinator, plan, activities, users, today) -> None:
    """The mid-term review (adopted) and this year's review (open), with reports from responsible agencies."""
    mid = services.report_create(
        actor=coordinator,
        plan=plan,
        data=services.ReportInput(
            title="Mid-term review workshop 2024",
            period_start=date(2022, 1, 1),
            period_end=date(2024, 6, 30),
            achievements="NRM guidelines adopted; CTIP in use by the Secretariat, DCI and Children's Services.",
            gaps="No adult shelter outside Nairobi and Mombasa.",
            challenges="Turnover of trained officers; funding of awareness campaigns.",
        ),
    )
    for activity, _responsible in activities:
        services.progress_record(actor=coordinator, report=mid, activity=activity, status=activity.status)
    services.report_update(
        actor=coordinator,
        report=mid,
        expected_version=mid.version,
        data=services.ReportInput(
            title=mid.title,
            period_start=mid.period_start,
            period_end=mid.period_end,
            status="final",
            achievements=mid.achievements,
            gaps=mid.gaps,
            challenges=mid.challenges,
        ),
    )
    end = min(plan.end_date, today)
    start = max(date(2024, 7, 1), end.replace(month=1, day=1))
    services.report_create(
        actor=coordinator,
        plan=plan,
        data=services.ReportInput(
            title=f"Annual review workshop {end.year}", period_start=min(start, end), period_end=end
        ),
    )
