from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.db import connection

from ctip.intake import selectors
from ctip.intake.demo import DEMO_PIN, add_demo_intake
from ctip.intake.enums import TipSource, TipStatus
from ctip.intake.models import HotlineCall, Tip

pytestmark = pytest.mark.django_db


@dataclass
class Result:
    persons: int = 0
    extra: dict = field(default_factory=dict)


def test_demo_adds_sealed_tips_and_calls(users, system_actor):
    result = Result(persons=500)
    add_demo_intake(seed=7, result=result, actor=system_actor)
    assert result.extra["hotline_calls"] == HotlineCall.objects.count() == 10
    assert result.extra["tips"] == Tip.objects.count() >= 10
    assert Tip.objects.filter(source=TipSource.HOTLINE).count() == HotlineCall.objects.exclude(status="logged").count()
    assert {TipStatus.NEW, TipStatus.UNDER_REVIEW, TipStatus.CLOSED} <= set(
        Tip.objects.values_list("status", flat=True)
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT description FROM intake_tip")
        assert all(row[0].startswith("v1.") for row in cursor.fetchall())
    public = Tip.objects.filter(source=TipSource.PUBLIC).first()
    assert selectors.tip_public_status(reference=public.reference, pin=DEMO_PIN).reference == public.reference
    for tip in Tip.objects.all():  # every sealed field opens with its record's context
        selectors.tip_text_for_user(user=users["coordinator"], tip=tip)


def test_demo_is_deterministic_in_shape(users, system_actor):
    add_demo_intake(seed=1, result=Result(persons=0), actor=system_actor)
    assert Tip.objects.count() == 0


def test_demo_can_run_twice_with_the_same_seed(users, system_actor):
    add_demo_intake(seed=7, result=Result(persons=100), actor=system_actor)
    first = Tip.objects.count()
    add_demo_intake(seed=7, result=Result(persons=100), actor=system_actor)
    assert Tip.objects.count() > first
