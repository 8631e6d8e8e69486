"""Plan-of-action fixtures: a plan with one objective, one activity the home agency is responsible for, a computed
and an entered indicator, an open progress report; a training session and a campaign of the home agency, and one
of each of the other agency. Written through the real services; dates are fixed days in the past."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ctip.accounts.enums import Role
from ctip.core.tests.world import shared_fixture


def make_plan(
    coordinator, *, title="National Plan of Action 2022-2027", start=date(2022, 1, 1), end=date(2027, 12, 31)
):
    from ctip.npa import services

    return services.plan_create(
        actor=coordinator,
        data=services.PlanInput(title=title, start_date=start, end_date=end, status="active"),
    )


def make_training(
    actor, *, held_on=date(2024, 5, 14), participants=None, title="Victim identification for labour officers"
):
    from ctip.npa import services

    return services.training_record(
        actor=actor,
        data=services.TrainingInput(
            title=title,
            topic="identification",
            held_on=held_on,
            county_code="047",
            participants=participants or {"police": (6, 9), "labour": (3, 2)},
        ),
    )


def make_campaign(actor, *, start=date(2024, 7, 30), end=date(2024, 8, 30), reach=25_000, channel="radio"):
    from ctip.npa import services

    return services.campaign_record(
        actor=actor,
        data=services.CampaignInput(
            title="World Day against Trafficking radio spots",
            channel=channel,
            start_date=start,
            end_date=end,
            reach=reach,
            county_code="001",
        ),
    )


@shared_fixture("users", "other_users", "agency")
def npa_world(users, other_users, agency):
    from ctip.npa import services

    coordinator = users[Role.COORDINATOR]
    plan = make_plan(coordinator)
    objective = services.objective_save(
        actor=coordinator,
        plan=plan,
        data=services.ObjectiveInput(pillar="prevention", number="1.1", title="Raise public awareness"),
    )
    activity = services.activity_save(
        actor=coordinator,
        objective=objective,
        data=services.ActivityInput(
            number="1.1.1", title="Train frontline officers", agency_ids=(agency.pk,), end_date=date(2025, 12, 31)
        ),
    )
    computed = services.indicator_save(
        actor=coordinator,
        activity=activity,
        data=services.IndicatorInput(
            name="Officers trained",
            source="computed",
            metric="persons_trained",
            baseline=Decimal(0),
            target=Decimal(40),
        ),
    )
    entered = services.indicator_save(
        actor=coordinator,
        activity=activity,
        data=services.IndicatorInput(
            name="Counties with a referral directory",
            source="entered",
            target=Decimal(47),
            actual=Decimal(12),
            source_note="Secretariat survey 2024",
        ),
    )
    report = services.report_create(
        actor=coordinator,
        plan=plan,
        data=services.ReportInput(
            title="Mid-term review 2024", period_start=date(2024, 1, 1), period_end=date(2024, 12, 31)
        ),
    )
    training = make_training(users[Role.CASE_WORKER])
    campaign = make_campaign(users[Role.CASE_WORKER])
    other_training = make_training(other_users[Role.CASE_WORKER], title="Other agency's session")
    other_campaign = make_campaign(other_users[Role.CASE_WORKER], reach=100)
    return {
        "plan": plan,
        "objective": objective,
        "activity": activity,
        "computed": computed,
        "entered": entered,
        "report": report,
        "training": training,
        "campaign": campaign,
        "other_training": other_training,
        "other_campaign": other_campaign,
    }


@pytest.fixture
def coordinator(users):
    return users[Role.COORDINATOR]
