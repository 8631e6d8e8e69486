"""The demo plan of action: the 2013-2017 skeleton and the current plan with objectives under every pillar,
activities, indicators and reports; trainings and campaigns by several agencies that the computed indicators count;
through the real services (audited); running again adds nothing."""

from __future__ import annotations

import pytest

from ctip.audit.models import AuditEvent
from ctip.demo.generator import EXTENSIONS, DemoCounts, DemoResult, generate
from ctip.npa.demo import add_demo_npa
from ctip.npa.enums import Pillar
from ctip.npa.models import Campaign, Indicator, Objective, Plan, ProgressReport, TrainingSession

pytestmark = pytest.mark.django_db


def test_demo_plan_of_action(client_for):
    assert add_demo_npa in EXTENSIONS
    result = generate(DemoCounts(persons=200), seed=3)
    assert result.extra["npa_plans"] == 2
    old, current = Plan.objects.order_by("start_date")
    assert (old.start_date.year, old.end_date.year, old.status) == (2013, 2017, "closed")
    assert (current.start_date.year, current.end_date.year, current.status) == (2022, 2027, "active")
    assert set(Objective.objects.filter(plan=current).values_list("pillar", flat=True)) == set(Pillar.values)
    assert Indicator.objects.filter(activity__objective__plan=current, source="computed").count() >= 8
    assert ProgressReport.objects.filter(plan=current).count() == 2
    assert TrainingSession.objects.count() == result.extra["npa_trainings"] > 10
    assert len(set(TrainingSession.objects.values_list("owning_agency", flat=True))) >= 3
    assert Campaign.objects.count() == result.extra["npa_campaigns"] > 5
    assert AuditEvent.objects.filter(action="npa.training_record").count() == result.extra["npa_trainings"]
    from ctip.accounts.models import User

    page = client_for(User.objects.get(username="demo.analyst")).get(f"/npa/plans/{current.public_id}/")
    assert page.status_code == 200 and "Frontline officers trained" in page.content.decode()
    again = DemoResult()
    add_demo_npa(seed=3, result=again, actor=None)
    assert again.extra["npa_plans"] == 0 and Plan.objects.count() == 2
