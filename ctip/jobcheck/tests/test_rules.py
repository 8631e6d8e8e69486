"""Every rule of the seed rule set fires on the answers it is about and not on a safe offer; the scoring and the
rule language's validation (no code is ever evaluated: unknown fields, operators and values are refused)."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from ctip.jobcheck.parsing import normalise_text
from ctip.jobcheck.rules import Facts as _Facts
from ctip.jobcheck.rules import RuleSetInvalid, validate

from .conftest import seed_doc

SAFE = {
    "destination": "DE",
    "job": "care",
    "salary_kes_month": Decimal(80000),
    "salary_vs_norm": Decimal(1),
    "fee_kes": Decimal(0),
    "fee_to": "none",
    "visa": "work",
    "contact": "agency_office",
    "agency_status": "valid",
    "agency_lookalike": False,
    "documents": [],
    "departure": "months",
}


def facts(text: str = "", **overrides) -> _Facts:
    return _Facts({**SAFE, **overrides}, normalise_text(text))


# rule id -> (answers that should make it fire, pasted text)
CASES = {
    "fee_charged": ({"fee_kes": Decimal(30000), "fee_to": "agency"}, ""),
    "fee_to_individual": ({"fee_kes": Decimal(5000), "fee_to": "individual"}, ""),
    "agency_barred": ({"agency_status": "blacklisted"}, ""),
    "agency_not_current": ({"agency_status": "expired"}, ""),
    "agency_not_found": ({"agency_status": "not_found"}, ""),
    "agency_lookalike": ({"agency_lookalike": True}, ""),
    "no_agency_informal_contact": ({"agency_status": "not_given", "contact": "friend"}, ""),
    "tourist_visa": ({"visa": "tourist"}, ""),
    "student_visa": ({"visa": "student"}, ""),
    "visa_unknown": ({"visa": "none_unknown"}, ""),
    "passport_to_agent": ({"documents": ["passport"]}, ""),
    "id_or_card_to_agent": ({"documents": ["atm_card"]}, ""),
    "departure_within_days": ({"departure": "days"}, ""),
    "salary_far_above_norm": ({"salary_vs_norm": Decimal("3.2")}, ""),
    "advisory_southeast_asia": ({"destination": "MM"}, ""),
    "scam_compound_job": ({"destination": "TH", "job": "sales_online"}, ""),
    "russia_conflict": ({"destination": "RU"}, ""),
    "russia_security_job": ({"destination": "RU", "job": "security"}, ""),
    "gulf_domestic_work": ({"destination": "SA", "job": "domestic"}, ""),
    "contact_by_chat_only": ({"contact": "whatsapp"}, ""),
    "text_pay_upfront": ({}, "Uliza kazi. TUMA PESA ya visa kwa 07xx"),
    "text_no_experience": ({}, "Hakuna interview, apply sasa"),
    "text_urgency": ({}, "Kazi ya haraka Dubai!!"),
    "text_tourist_route": ({}, "You will go on a visit visa, then by road from Bangkok"),
    "text_scam_roles": ({}, "Crypto customer-service agents wanted"),
    "text_passport": ({}, "Leta passport original ofisini"),
    "text_secrecy": ({}, "Usimwambie mtu kuhusu kazi hii"),
}


def test_every_seed_rule_has_a_case():
    assert {r["id"] for r in seed_doc()["rules"]} == set(CASES)


def test_a_safe_offer_raises_no_flag(seed_rules):
    outcome = seed_rules.evaluate(facts())
    assert outcome.fired == ()
    assert outcome.level == "low"


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires_on_its_case(seed_rules, rule_id):
    overrides, text = CASES[rule_id]
    fired = {f.rule.id: f for f in seed_rules.evaluate(facts(text, **overrides)).fired}
    assert rule_id in fired
    f = fired[rule_id]
    for key in ("title", "explain", "basis", "advice"):
        assert f.text(key, "en") and f.text(key, "sw") and f.text(key, "en") != f.text(key, "sw")
    if text:
        assert f.matched


@pytest.mark.parametrize(
    ("rule_id", "overrides"),
    [
        ("fee_charged", {"fee_kes": Decimal(0)}),
        ("fee_to_individual", {"fee_kes": Decimal(5000), "fee_to": "agency"}),
        ("agency_barred", {"agency_status": "suspended"}),
        ("no_agency_informal_contact", {"agency_status": "not_given", "contact": "agency_office"}),
        ("salary_far_above_norm", {"salary_vs_norm": Decimal("2.49")}),
        ("salary_far_above_norm", {"salary_vs_norm": None}),
        ("scam_compound_job", {"destination": "TH", "job": "care"}),
        ("russia_security_job", {"destination": "RU", "job": "teaching"}),
        ("gulf_domestic_work", {"destination": "SA", "job": "driver"}),
        ("advisory_southeast_asia", {"destination": None}),
    ],
)
def test_rule_does_not_fire_beside_its_case(seed_rules, rule_id, overrides):
    fired = {f.rule.id for f in seed_rules.evaluate(facts(**overrides)).fired}
    assert rule_id not in fired


def test_the_journey_offer_is_high_risk(seed_rules):
    outcome = seed_rules.evaluate(
        facts(fee_kes=Decimal(80000), fee_to="individual", visa="tourist", destination="TH", job="sales_online")
    )
    assert outcome.level == "high"
    assert {"fee_charged", "tourist_visa", "advisory_southeast_asia"} <= {f.rule.id for f in outcome.fired}
    weights = [f.rule.weight for f in outcome.fired]
    assert weights == sorted(weights, reverse=True)  # the weightiest flags first


def test_levels_from_the_score_and_min_level(seed_rules):
    assert seed_rules.evaluate(facts(contact="whatsapp")).level == "low"  # 1
    assert seed_rules.evaluate(facts(agency_status="not_found")).level == "medium"  # 3
    assert seed_rules.evaluate(facts(agency_status="deregistered")).level == "high"  # min_level high
    assert seed_rules.evaluate(facts(documents=["passport"], departure="days")).level == "high"  # 5 + 2


def test_a_phrase_inside_a_longer_word_does_not_fire(seed_rules):
    fired = {f.rule.id for f in seed_rules.evaluate(facts("The insurgency ended; a deposited cheque")).fired}
    assert "text_urgency" not in fired and "text_pay_upfront" not in fired


def test_salary_and_fee_conversions(seed_rules):
    assert seed_rules.salary_kes_month(Decimal(1000), "USD", "month") == Decimal(129000)
    assert seed_rules.salary_kes_month(Decimal(100), "KES", "day") == Decimal(2600)
    assert seed_rules.salary_kes_month(Decimal(100), "XXX", "day") is None
    assert seed_rules.salary_kes_month(None, "KES", "day") is None
    assert seed_rules.fee_kes(Decimal(10), "SAR") == Decimal(340)
    assert seed_rules.norm("domestic") == Decimal(35000)
    assert seed_rules.norm(None) == Decimal(60000)
    assert seed_rules.norm("care", "DE") == Decimal(320000)
    assert seed_rules.norm("care", "ZZ") == Decimal(80000)


# --- the rule language's validation --------------------------------------------------------------------------


def broken(mutate) -> list[tuple[str, str]]:
    doc = copy.deepcopy(seed_doc())
    mutate(doc)
    with pytest.raises(RuleSetInvalid) as exc:
        validate(doc)
    return exc.value.errors


def test_the_seed_is_valid():
    assert validate(seed_doc())


@pytest.mark.parametrize(
    ("mutate", "where", "words"),
    [
        (lambda d: d["rules"][0]["when"].update(field="__import__('os')"), "rules[0].when.field", "unknown field"),
        (lambda d: d["rules"][0]["when"].update(op="eval"), "rules[0].when.op", "unknown operator"),
        (lambda d: d["rules"][0]["when"].update(value="lots"), "rules[0].when.value", "not a number"),
        (lambda d: d["rules"][0].update(weight=11), "rules[0].weight", "0 to 10"),
        (lambda d: d["rules"][0].update(weight=True), "rules[0].weight", "0 to 10"),
        (lambda d: d["rules"][1].update(id=d["rules"][0]["id"]), "rules[1].id", "used twice"),
        (lambda d: d["rules"][0].update(id="Fee Charged"), "rules[0].id", "lower-case"),
        (lambda d: d["rules"][0].update(min_level="extreme"), "rules[0].min_level", "one of"),
        (lambda d: d["rules"][0]["title"].pop("sw"), "rules[0].title", "Kiswahili"),
        (lambda d: d["rules"][0]["advice"].update(en="  "), "rules[0].advice.en", "empty"),
        (lambda d: d["rules"][0].pop("when"), "rules[0]", "needs a condition"),
        (lambda d: d["rules"][0].update(script="x"), "rules[0]", "unknown keys"),
        (lambda d: d["rules"][7]["when"].update(value="holiday"), "rules[7].when.value", "not a value of visa"),
        (lambda d: d["rules"][14]["when"].update(value=["Thailand"]), "rules[14].when.value", "country code"),
        (lambda d: d["rules"][14]["when"].update(value=[]), "rules[14].when.value", "non-empty list"),
        (lambda d: d["rules"][0]["when"].update(op="contains"), "rules[0].when.op", "does not apply"),
        (lambda d: d["rules"][19].update(phrases=["!!!"]), "rules[19].phrases[0]", "letters or digits"),
        (lambda d: d["rules"][19].update(phrases=[]), "rules[19].phrases", "list of 1"),
        (lambda d: d["rules"][1].update(when={"all": []}), "rules[1].when", "non-empty list"),
        (lambda d: d["rules"][1].update(when={"not": {"field": "visa"}, "x": 1}), "rules[1].when", "'not' takes"),
        (lambda d: d.update(thresholds={"medium": 8, "high": 7}), "thresholds", "below the high"),
        (lambda d: d.update(thresholds={"medium": 3}), "thresholds", "positive scores"),
        (lambda d: d["currency_to_kes"].update(KES=2), "currency_to_kes", "KES: 1"),
        (lambda d: d["currency_to_kes"].update(usd=1), "currency_to_kes.usd", "three-letter"),
        (lambda d: d["period_to_month"].pop("hour"), "period_to_month", "month, week"),
        (lambda d: d["salary_norms_kes_month"].update(astronaut=9), "salary_norms_kes_month.astronaut", "not a job"),
        (lambda d: d.update(rules=[]), "rules", "non-empty"),
        (lambda d: d["pay_level_by_country"].update(Germany=4), "pay_level_by_country.Germany", "country code"),
        (lambda d: d["pay_level_by_country"].update(DE=0), "pay_level_by_country.DE", "positive"),
        (lambda d: d.update(macros={}), "", "unknown keys"),
    ],
)
def test_mistakes_are_reported_with_where_they_are(mutate, where, words):
    errors = broken(mutate)
    assert any(w == where and words in m for w, m in errors), errors


def test_deep_nesting_is_refused():
    cond: dict = {"field": "visa", "op": "eq", "value": "work"}
    for _ in range(10):
        cond = {"not": cond}
    errors = broken(lambda d: d["rules"][0].update(when=cond))
    assert any("nest" in m for _, m in errors)


def test_not_a_mapping():
    with pytest.raises(RuleSetInvalid):
        validate(["rules"])
