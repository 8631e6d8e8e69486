"""The check end to end in process: the agency named looked up in the recruitment register, the answers in the
active language, the rule-set version named in every answer."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from ctip.jobcheck.selectors import CheckInput, check, lookup_agency

pytestmark = pytest.mark.django_db


def offer(**kw) -> CheckInput:
    base = {
        "destination": "DE",
        "job": "care",
        "salary_amount": Decimal(2000),
        "salary_currency": "EUR",
        "salary_period": "month",
        "fee_to": "none",
        "visa": "work",
        "contact": "agency_office",
        "departure": "months",
    }
    return CheckInput(**{**base, **kw})


def test_agency_statuses_from_the_register(agencies, fresh):
    assert lookup_agency("").status == "not_given"
    assert lookup_agency("Upendo Recruitment Services").status == "valid"
    assert lookup_agency("RA/2020/0077").status == "suspended"
    barred = lookup_agency("Jakarta Ventures Ltd")
    assert barred.status == "deregistered" and barred.licence_number == "RA/2019/0042"
    assert lookup_agency("0712000001").status == "deregistered"  # its phone number
    lookalike = lookup_agency("Jakartya Ventures Limited")
    assert lookalike.status == "valid" and "Jakarta Ventures Ltd" in lookalike.lookalike_of
    assert lookup_agency("Zzyzx Overseas Placement").status == "not_found"
    assert not lookup_agency("Zzyzx Overseas Placement").lookalike_of


def test_a_near_miss_of_a_barred_name_is_a_lookalike(agencies, fresh, monkeypatch):
    from ctip.jobcheck import selectors

    monkeypatch.setattr(selectors, "NAME_SCORE", 101.0)  # every name hit counts as a near miss
    found = lookup_agency("Jakarta Ventures Ltd")
    assert found.status == "not_found" and "Jakarta Ventures Ltd" in found.lookalike_of


def test_a_safe_offer_through_a_licensed_agency_is_low(agencies, fresh):
    result = check(offer(agency_name="Upendo Recruitment Services"))
    assert result.level == "low" and result.flags == () and result.rule_set_number == 1
    assert result.agency.status == "valid"


def test_a_barred_agency_makes_it_high(agencies, fresh):
    result = check(offer(agency_name="Jakarta Ventures"))
    assert result.level == "high"
    assert "agency_barred" in [f.id for f in result.flags]


def test_a_lookalike_is_flagged(agencies, fresh):
    result = check(offer(agency_name="Jakartya Ventures Limited"))
    assert "agency_lookalike" in [f.id for f in result.flags]


def test_salary_far_above_norm_in_another_currency(fresh):
    result = check(offer(job="domestic", destination="QA", salary_amount=Decimal(4000), salary_currency="QAR"))
    assert "salary_far_above_norm" in [f.id for f in result.flags]  # 140,000 KES a month for domestic work


def test_answers_in_kiswahili(fresh):
    with translation.override("sw"):
        result = check(offer(visa="tourist"))
    flag = next(f for f in result.flags if f.id == "tourist_visa")
    assert flag.title.startswith("Ungesafiri")
    assert result.level_label  # translated label (English when no catalogue entry)
