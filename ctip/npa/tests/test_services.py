"""The plan's writes: bad input refused whole with field errors (a negative target, a period that ends before it
starts), stale forms refused, progress only from the responsible agencies and only while the report is open, the
activity taking the status of its latest report, and an audit event for every write."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ctip.accounts.enums import Role
from ctip.audit.models import AuditEvent
from ctip.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from ctip.npa import services
from ctip.npa.models import Activity, Campaign, Indicator, Plan, ProgressReport, TrainingParticipants

from .conftest import make_training

pytestmark = pytest.mark.django_db


def test_a_plan_that_ends_before_it_starts_is_refused(coordinator):
    with pytest.raises(ValidationFailed) as exc:
        services.plan_create(
            actor=coordinator,
            data=services.PlanInput(title="NPA", start_date=date(2017, 1, 1), end_date=date(2013, 1, 1)),
        )
    assert set(exc.value.fields) == {"end_date"}
    assert not Plan.objects.exists() and not AuditEvent.objects.filter(action="npa.plan_create").exists()


def test_a_negative_target_baseline_or_actual_is_refused(coordinator, npa_world):
    with pytest.raises(ValidationFailed) as exc:
        services.indicator_save(
            actor=coordinator,
            activity=npa_world["activity"],
            data=services.IndicatorInput(
                name="Shelters",
                source="entered",
                target=Decimal(-1),
                baseline=Decimal(-2),
                actual=Decimal(-3),
                source_note="x",
            ),
        )
    assert set(exc.value.fields) == {"target", "baseline", "actual"}
    assert Indicator.objects.count() == 2


def test_a_computed_indicator_names_its_metric_and_an_entered_one_its_source(coordinator, npa_world):
    with pytest.raises(ValidationFailed) as exc:
        services.indicator_save(
            actor=coordinator,
            activity=npa_world["activity"],
            data=services.IndicatorInput(name="X", source="computed", target=Decimal(1), metric="nonsense"),
        )
    assert set(exc.value.fields) == {"metric"}
    with pytest.raises(ValidationFailed) as exc:
        services.indicator_save(
            actor=coordinator,
            activity=npa_world["activity"],
            data=services.IndicatorInput(name="X", source="entered", target=Decimal(1)),
        )
    assert set(exc.value.fields) == {"source_note"}
    # a computed indicator never keeps an entered actual
    ind = services.indicator_save(
        actor=coordinator,
        activity=npa_world["activity"],
        data=services.IndicatorInput(
            name="Campaigns", source="computed", metric="campaigns_held", target=Decimal(5), actual=Decimal(99)
        ),
    )
    assert ind.actual is None and ind.metric == "campaigns_held"


def test_report_and_activity_periods_are_checked(coordinator, npa_world):
    with pytest.raises(ValidationFailed) as exc:
        services.report_create(
            actor=coordinator,
            plan=npa_world["plan"],
            data=services.ReportInput(title="R", period_start=date(2025, 6, 30), period_end=date(2025, 1, 1)),
        )
    assert set(exc.value.fields) == {"period_end"}
    with pytest.raises(ValidationFailed) as exc:
        services.report_create(
            actor=coordinator,
            plan=npa_world["plan"],
            data=services.ReportInput(title="R", period_start=date(2019, 1, 1), period_end=date(2019, 12, 31)),
        )
    assert set(exc.value.fields) == {"period_start"}
    with pytest.raises(ValidationFailed) as exc:
        services.activity_save(
            actor=coordinator,
            objective=npa_world["objective"],
            data=services.ActivityInput(
                number="1.1.9", title="Late", start_date=date(2025, 1, 2), end_date=date(2025, 1, 1)
            ),
        )
    assert set(exc.value.fields) == {"end_date"}
    assert ProgressReport.objects.count() == 1 and Activity.objects.count() == 1


def test_numbers_are_unique_within_the_plan(coordinator, npa_world):
    with pytest.raises(ValidationFailed) as exc:
        services.objective_save(
            actor=coordinator,
            plan=npa_world["plan"],
            data=services.ObjectiveInput(pillar="protection", number="1.1", title="Again"),
        )
    assert set(exc.value.fields) == {"number"}


def test_a_stale_form_is_refused(coordinator, npa_world):
    plan = npa_world["plan"]
    data = services.PlanInput(title="NPA 2022-2027 (revised)", start_date=plan.start_date, end_date=plan.end_date)
    services.plan_update(actor=coordinator, plan=plan, expected_version=plan.version, data=data)
    with pytest.raises(Conflict):
        services.plan_update(actor=coordinator, plan=plan, expected_version=plan.version, data=data)
    assert Plan.objects.get(pk=plan.pk).version == plan.version + 1
    with pytest.raises(Conflict):
        services.indicator_save(
            actor=coordinator,
            activity=npa_world["activity"],
            indicator=npa_world["entered"],
            expected_version=npa_world["entered"].version - 1,
            data=services.IndicatorInput(name="X", source="entered", target=Decimal(1), source_note="y"),
        )


def test_only_the_responsible_agencies_report_progress(users, other_users, npa_world):
    report, activity = npa_world["report"], npa_world["activity"]
    with pytest.raises(PermissionDenied):
        services.progress_record(actor=other_users[Role.CASE_WORKER], report=report, activity=activity, status="done")
    with pytest.raises(PermissionDenied):
        services.progress_record(actor=users[Role.DATA_ANALYST], report=report, activity=activity, status="done")
    entry = services.progress_record(
        actor=users[Role.CASE_WORKER], report=report, activity=activity, status="behind", note="Trainers not recruited."
    )
    assert entry.reporting_agency_id == users[Role.CASE_WORKER].agency_id
    assert Activity.objects.get(pk=activity.pk).status == "behind"
    # a second report on the same activity needs the current version
    with pytest.raises(Conflict):
        services.progress_record(actor=users[Role.INVESTIGATOR], report=report, activity=activity, status="on_track")
    services.progress_record(
        actor=users[Role.INVESTIGATOR],
        report=report,
        activity=activity,
        status="on_track",
        expected_version=entry.version,
    )
    assert Activity.objects.get(pk=activity.pk).status == "on_track"
    assert AuditEvent.objects.filter(action="npa.progress_record").count() == 2


def test_an_older_report_does_not_overwrite_the_activitys_current_status(coordinator, users, npa_world):
    activity = npa_world["activity"]
    later = services.report_create(
        actor=coordinator,
        plan=npa_world["plan"],
        data=services.ReportInput(title="Review 2025", period_start=date(2025, 1, 1), period_end=date(2025, 12, 31)),
    )
    worker = users[Role.CASE_WORKER]
    services.progress_record(actor=worker, report=later, activity=activity, status="done")
    services.progress_record(actor=worker, report=npa_world["report"], activity=activity, status="behind")
    assert Activity.objects.get(pk=activity.pk).status == "done"


def test_an_adopted_report_takes_no_more_progress(coordinator, users, npa_world):
    report = npa_world["report"]
    services.report_update(
        actor=coordinator,
        report=report,
        expected_version=report.version,
        data=services.ReportInput(
            title=report.title,
            period_start=report.period_start,
            period_end=report.period_end,
            status="final",
            achievements="Curriculum adopted by the National Police Service.",
        ),
    )
    with pytest.raises(InvalidTransition):
        services.progress_record(
            actor=users[Role.CASE_WORKER], report=report, activity=npa_world["activity"], status="done"
        )


def test_training_needs_participants_and_keeps_them_by_agency_type(users):
    worker = users[Role.CASE_WORKER]
    with pytest.raises(ValidationFailed) as exc:
        make_training(worker, participants={"police": (0, 0)})
    assert set(exc.value.fields) == {"participants"}
    with pytest.raises(ValidationFailed) as exc:
        make_training(worker, participants={"police": (-1, 3)})
    assert "police_female" in exc.value.fields
    session = make_training(worker, participants={"police": (2, 3), "ngo": (4, 0)})
    assert session.owning_agency_id == worker.agency_id
    assert set(TrainingParticipants.objects.filter(session=session).values_list("agency_type", "female", "male")) == {
        ("police", 2, 3),
        ("ngo", 4, 0),
    }
    event = AuditEvent.objects.filter(action="npa.training_record").latest("id")
    assert event.target_id == str(session.public_id)


def test_a_campaign_that_ends_before_it_starts_or_reaches_fewer_than_none_is_refused(users):
    with pytest.raises(ValidationFailed) as exc:
        services.campaign_record(
            actor=users[Role.CASE_WORKER],
            data=services.CampaignInput(
                title="Radio", channel="radio", start_date=date(2024, 5, 2), end_date=date(2024, 5, 1), reach=-5
            ),
        )
    assert set(exc.value.fields) == {"end_date", "reach"}
    assert not Campaign.objects.exists()


def test_another_agencys_training_is_not_editable(users, other_users, npa_world):
    from ctip.core.errors import NotFound

    session = npa_world["training"]
    data = services.TrainingInput(title="X", topic="nrm", held_on=date(2024, 1, 1), participants={"ngo": (1, 1)})
    with pytest.raises(NotFound):
        services.training_update(
            actor=other_users[Role.CASE_WORKER], session=session, expected_version=session.version, data=data
        )
    with pytest.raises(PermissionDenied):  # a coordinator sees it nationally but records only its own agency's
        services.training_update(
            actor=users[Role.COORDINATOR], session=npa_world["other_training"], expected_version=None, data=data
        )


def test_the_form_shows_field_errors_and_saves_nothing(coordinator, client_for, npa_world):
    client = client_for(coordinator)
    url = f"/npa/activities/{npa_world['activity'].public_id}/indicators/new/"
    response = client.post(url, {"name": "Shelters", "source": "entered", "target": "-3", "source_note": "x"})
    assert response.status_code == 400
    assert "The figure cannot be below zero." in response.content.decode()
    response = client.post(
        f"/npa/plans/{npa_world['plan'].public_id}/reports/new/",
        {"title": "R", "period_start": "2025-06-30", "period_end": "2025-01-01", "status": "draft"},
    )
    assert response.status_code == 400
    assert "The end of the period cannot be before its start." in response.content.decode()
    assert Indicator.objects.count() == 2 and ProgressReport.objects.count() == 1


def test_a_stale_form_on_the_page_says_so(coordinator, client_for, npa_world):
    plan = npa_world["plan"]
    data = {"title": "A", "start_date": "2022-01-01", "end_date": "2027-12-31", "status": "active"}
    client = client_for(coordinator)
    assert client.post(f"/npa/plans/{plan.public_id}/edit/", {**data, "version": plan.version}).status_code == 302
    response = client.post(f"/npa/plans/{plan.public_id}/edit/", {**data, "title": "B", "version": plan.version})
    assert response.status_code == 400 and "Someone else changed this record" in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).title == "A"
