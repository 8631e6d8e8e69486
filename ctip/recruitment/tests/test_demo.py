"""The demo register: statuses, planted look-alikes the public check warns about, job orders; deterministic."""

from __future__ import annotations

import pytest

from ctip.demo.generator import EXTENSIONS, DemoResult
from ctip.recruitment import demo, selectors
from ctip.recruitment.enums import WARN_STATUSES
from ctip.recruitment.models import AgencyContact, JobOrder, RecruitmentAgency


def test_plan_is_deterministic_and_plants_lookalikes():
    first, again = demo.plan(3, 400), demo.plan(3, 400)
    assert [p.legal_name for p in first] == [p.legal_name for p in again]
    assert len(first) == 400
    planted = [p for p in first if p.lookalike_of is not None]
    assert planted and all(first[p.lookalike_of].status in WARN_STATUSES for p in planted)
    assert len({p.licence_number for p in first}) == 400


def test_registered_as_a_demo_extension():
    assert demo.add_demo_agencies in EXTENSIONS


@pytest.mark.django_db
def test_demo_loads_in_bulk_and_the_check_warns(system_actor, django_assert_max_num_queries):
    result = DemoResult(persons=0)
    with django_assert_max_num_queries(40):
        demo.add_demo_agencies(seed=5, result=result, actor=system_actor)
    assert RecruitmentAgency.objects.count() == demo.AT_LEAST == result.extra["recruitment_agencies"]
    assert JobOrder.objects.exists() and AgencyContact.objects.exists()
    plans = demo.plan(5, demo.AT_LEAST)
    planted = [p for p in plans if p.lookalike_of is not None]
    for p in planted:
        answer = selectors.verify(p.licence_number)
        assert plans[p.lookalike_of].licence_number in [a.licence_number for a in answer.matches[0].lookalike_of]
    demo.add_demo_agencies(seed=5, result=result, actor=system_actor)  # loaded once
    assert RecruitmentAgency.objects.count() == demo.AT_LEAST


@pytest.mark.django_db
def test_demo_complaints_in_every_state(system_actor, users, agency):
    from ctip.accounts.models import Agency
    from ctip.recruitment import complaints_demo
    from ctip.recruitment.models import Complaint

    Agency.objects.filter(pk=agency.pk).update(national=True)  # the DCI unit referrals go to
    result = DemoResult(persons=0)
    demo.add_demo_agencies(seed=5, result=result, actor=system_actor)
    complaints_demo.add_demo_complaints(seed=5, result=result, actor=system_actor)
    states = set(Complaint.objects.values_list("status", flat=True))
    assert states == {"new", "under_review", "action_taken", "referred", "closed"}
    assert Complaint.objects.exclude(lead_reference="").exists()
    assert Complaint.objects.filter(case__isnull=True, whereabouts="abroad_distress").exists()
    assert result.extra["recruitment_complaints"] == Complaint.objects.count() == 28
    assert complaints_demo.add_demo_complaints in EXTENSIONS
