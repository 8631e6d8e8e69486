"""The rule language of the job-offer risk check: data, not code.

A rule set is a document (edited as YAML by authorised officers, stored as JSON, versioned):

    thresholds: {medium: 3, high: 7}          # score at which the answer becomes medium / high risk
    currency_to_kes: {KES: 1, USD: 129, ...}  # to compare salaries with the norm
    period_to_month: {month: 1, week: 4.33, day: 26, hour: 208, year: 0.0833}
    salary_norms_kes_month: {default: 60000, domestic: 35000, ...}   # a usual monthly pay per kind of job
    pay_level_by_country: {default: 1, DE: 4, ...}  # the usual pay multiplied by the destination's pay level
    rules:
      - id: tourist_visa                      # lower case letters, digits and _
        weight: 5                             # 0..10, added to the score when the rule fires
        min_level: high                       # optional: the answer is at least this level when it fires
        when: {field: visa, op: eq, value: tourist}          # optional: a condition on the answers
        phrases: ["tourist visa", "visa ya utalii"]          # optional: any of these words in the pasted text
        title: {en: ..., sw: ...}             # what the person is told, in English and Kiswahili
        explain: {en: ..., sw: ...}
        basis: {en: ..., sw: ...}             # the law, convention or notice the flag rests on
        advice: {en: ..., sw: ...}

A condition is {field, op, value}, or {all: [...]}, {any: [...]}, {not: {...}}. Fields and their values are
`FIELDS`; operators `OPS`. A rule with both `when` and `phrases` fires when both hold. Nothing is evaluated as
code: `validate` checks every name, operator and value and reports each mistake with where it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .parsing import normalise_phrase

LEVELS = ("low", "medium", "high")
LANGUAGES = ("en", "sw")
TEXTS = ("title", "explain", "basis", "advice")

# The answers a rule may look at: name -> (kind, allowed values for a choice or a list).
JOBS = (
    "domestic",
    "driver",
    "security",
    "construction",
    "hospitality",
    "care",
    "factory",
    "farm",
    "sales_online",
    "teaching",
    "other",
)
FEE_TO = ("none", "agency", "individual", "employer")
VISAS = ("work", "tourist", "student", "none_unknown")
CONTACTS = ("social_media", "whatsapp", "friend", "agency_office", "advert")
AGENCY_STATUSES = (
    "valid",
    "expired",
    "suspended",
    "deregistered",
    "blacklisted",
    "denied",
    "not_found",
    "not_given",
)
DOCUMENTS = ("passport", "id_card", "certificates", "atm_card")
DEPARTURES = ("days", "weeks", "months", "unknown")

FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "destination": ("country", ()),  # ISO 3166 alpha-2 code
    "job": ("choice", JOBS),
    "salary_kes_month": ("number", ()),
    "salary_vs_norm": ("number", ()),  # the salary offered divided by the usual pay for the job
    "fee_kes": ("number", ()),
    "fee_to": ("choice", FEE_TO),
    "visa": ("choice", VISAS),
    "contact": ("choice", CONTACTS),
    "agency_status": ("choice", AGENCY_STATUSES),
    "agency_lookalike": ("bool", ()),
    "documents": ("list", DOCUMENTS),
    "departure": ("choice", DEPARTURES),
}
OPS = {
    "eq": ("choice", "country", "bool", "number"),
    "ne": ("choice", "country", "bool", "number"),
    "in": ("choice", "country"),
    "not_in": ("choice", "country"),
    "gt": ("number",),
    "gte": ("number",),
    "lt": ("number",),
    "lte": ("number",),
    "contains": ("list",),
}
MAX_RULES = 200
MAX_PHRASES = 200
MAX_TEXT = 1000
MAX_DEPTH = 6
_ID = re.compile(r"^[a-z][a-z0-9_]{1,49}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
YAML_BOOL_HINT = ' (YAML reads a bare NO, YES, ON or OFF as true/false: write "NO" in quotes for Norway)'


class RuleSetInvalid(Exception):
    """The document is not a valid rule set: `errors` is a list of (where, message), e.g. ("rules[3].weight", ...)."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors
        super().__init__("; ".join(f"{w}: {m}" for w, m in errors))


# --- validation ----------------------------------------------------------------------------------------------


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_condition(cond: Any, where: str, errors: list, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        errors.append((where, f"conditions nest at most {MAX_DEPTH} deep"))
        return
    if not isinstance(cond, dict):
        errors.append((where, "a condition is {field, op, value} or {all: [...]}, {any: [...]}, {not: {...}}"))
        return
    if set(cond) & {"all", "any"}:
        (key,) = [k for k in ("all", "any") if k in cond][:1]
        if len(cond) != 1 or not isinstance(cond[key], list) or not cond[key]:
            errors.append((where, f"'{key}' takes a non-empty list of conditions and nothing else"))
            return
        for i, inner in enumerate(cond[key]):
            _check_condition(inner, f"{where}.{key}[{i}]", errors, depth + 1)
        return
    if "not" in cond:
        if len(cond) != 1:
            errors.append((where, "'not' takes one condition and nothing else"))
            return
        _check_condition(cond["not"], f"{where}.not", errors, depth + 1)
        return
    unknown = set(cond) - {"field", "op", "value"}
    if unknown:
        errors.append((where, f"unknown keys: {', '.join(sorted(map(str, unknown)))}"))
        return
    name, op, value = cond.get("field"), cond.get("op"), cond.get("value")
    if name not in FIELDS:
        errors.append((f"{where}.field", f"unknown field {name!r}; one of: {', '.join(FIELDS)}"))
        return
    kind, allowed = FIELDS[name]
    if op not in OPS:
        errors.append((f"{where}.op", f"unknown operator {op!r}; one of: {', '.join(OPS)}"))
        return
    if kind not in OPS[op]:
        errors.append((f"{where}.op", f"'{op}' does not apply to {name} (a {kind})"))
        return
    if op in ("in", "not_in") and (not isinstance(value, list) or not value):
        errors.append((f"{where}.value", f"'{op}' takes a non-empty list"))
        return
    values: list = value if isinstance(value, list) else [value]
    for v in values:
        if kind in ("choice", "list") and v not in allowed:
            errors.append((f"{where}.value", f"{v!r} is not a value of {name}; one of: {', '.join(allowed)}"))
        elif kind == "country" and not (isinstance(v, str) and _COUNTRY.match(v)):
            hint = YAML_BOOL_HINT if isinstance(v, bool) else ""
            errors.append((f"{where}.value", f"{v!r} is not a country code (two capital letters, e.g. TH){hint}"))
        elif kind == "number" and not _number(v):
            errors.append((f"{where}.value", f"{v!r} is not a number"))
        elif kind == "bool" and not isinstance(v, bool):
            errors.append((f"{where}.value", f"{v!r} is not true or false"))


def _check_texts(rule: dict, where: str, errors: list) -> None:
    for key in TEXTS:
        texts = rule.get(key)
        if not isinstance(texts, dict) or set(texts) != set(LANGUAGES):
            errors.append((f"{where}.{key}", "give the text in English and Kiswahili: {en: ..., sw: ...}"))
            continue
        for lang in LANGUAGES:
            t = texts[lang]
            if not isinstance(t, str) or not t.strip():
                errors.append((f"{where}.{key}.{lang}", "empty"))
            elif len(t) > MAX_TEXT:
                errors.append((f"{where}.{key}.{lang}", f"at most {MAX_TEXT} characters"))


def _check_rule(rule: Any, where: str, errors: list, seen: set) -> None:
    if not isinstance(rule, dict):
        errors.append((where, "a rule is a mapping with id, weight, when and/or phrases, and its texts"))
        return
    unknown = set(rule) - {"id", "weight", "min_level", "when", "phrases", *TEXTS}
    if unknown:
        errors.append((where, f"unknown keys: {', '.join(sorted(map(str, unknown)))}"))
    rid = rule.get("id")
    if not isinstance(rid, str) or not _ID.match(rid):
        errors.append((f"{where}.id", "an id of lower-case letters, digits and _ (2 to 50), starting with a letter"))
    elif rid in seen:
        errors.append((f"{where}.id", f"the id {rid!r} is used twice"))
    else:
        seen.add(rid)
    weight = rule.get("weight")
    if not isinstance(weight, int) or isinstance(weight, bool) or not 0 <= weight <= 10:
        errors.append((f"{where}.weight", "a whole number from 0 to 10"))
    if "min_level" in rule and rule["min_level"] not in LEVELS:
        errors.append((f"{where}.min_level", f"one of: {', '.join(LEVELS)}"))
    if "when" not in rule and "phrases" not in rule:
        errors.append((where, "a rule needs a condition ('when') or phrases, or both"))
    if "when" in rule:
        _check_condition(rule["when"], f"{where}.when", errors)
    if "phrases" in rule:
        phrases = rule["phrases"]
        if not isinstance(phrases, list) or not phrases or len(phrases) > MAX_PHRASES:
            errors.append((f"{where}.phrases", f"a list of 1 to {MAX_PHRASES} phrases"))
        else:
            for i, p in enumerate(phrases):
                if not isinstance(p, str) or not normalise_phrase(p):
                    errors.append((f"{where}.phrases[{i}]", "a phrase of letters or digits"))
    _check_texts(rule, where, errors)


def validate(doc: Any) -> dict:
    """The document if it is a valid rule set, else RuleSetInvalid listing every mistake."""
    errors: list[tuple[str, str]] = []
    if not isinstance(doc, dict):
        raise RuleSetInvalid([("", "the rule set is a mapping (thresholds, currency_to_kes, ..., rules)")])
    unknown = set(doc) - {
        "thresholds",
        "currency_to_kes",
        "period_to_month",
        "salary_norms_kes_month",
        "pay_level_by_country",
        "rules",
    }
    if unknown:
        errors.append(("", f"unknown keys: {', '.join(sorted(map(str, unknown)))}"))
    t = doc.get("thresholds")
    if not (isinstance(t, dict) and set(t) == {"medium", "high"} and all(_number(v) and v > 0 for v in t.values())):
        errors.append(("thresholds", "give positive scores for medium and high: {medium: 3, high: 7}"))
    elif t["medium"] >= t["high"]:
        errors.append(("thresholds", "the medium score must be below the high score"))
    rates = doc.get("currency_to_kes")
    if not (isinstance(rates, dict) and rates.get("KES") == 1):
        errors.append(("currency_to_kes", "a mapping of currency codes to shillings, with KES: 1"))
    else:
        for code, rate in rates.items():
            if not (isinstance(code, str) and re.match(r"^[A-Z]{3}$", code)) or not _number(rate) or rate <= 0:
                errors.append((f"currency_to_kes.{code}", "a three-letter code and a positive rate"))
    periods = doc.get("period_to_month")
    if not (isinstance(periods, dict) and set(periods) == {"month", "week", "day", "hour", "year"}):
        errors.append(("period_to_month", "give month, week, day, hour and year (how many make a month)"))
    elif not all(_number(v) and v > 0 for v in periods.values()):
        errors.append(("period_to_month", "positive numbers"))
    norms = doc.get("salary_norms_kes_month")
    if not (isinstance(norms, dict) and "default" in norms):
        errors.append(("salary_norms_kes_month", "a mapping of jobs to a usual monthly pay in KES, with a default"))
    else:
        for job, amount in norms.items():
            if job != "default" and job not in JOBS:
                errors.append((f"salary_norms_kes_month.{job}", f"not a job; one of: default, {', '.join(JOBS)}"))
            elif not _number(amount) or amount <= 0:
                errors.append((f"salary_norms_kes_month.{job}", "a positive amount"))
    levels = doc.get("pay_level_by_country")
    if not (isinstance(levels, dict) and "default" in levels):
        errors.append(("pay_level_by_country", "a mapping of country codes to a pay level, with a default"))
    else:
        for code, level in levels.items():
            if code != "default" and not (isinstance(code, str) and _COUNTRY.match(code)):
                hint = YAML_BOOL_HINT if isinstance(code, bool) else ""
                errors.append((f"pay_level_by_country.{code}", f"a country code (two capital letters, e.g. DE){hint}"))
            elif not _number(level) or level <= 0:
                errors.append((f"pay_level_by_country.{code}", "a positive number"))
    rules = doc.get("rules")
    if not isinstance(rules, list) or not rules:
        errors.append(("rules", "a non-empty list of rules"))
    elif len(rules) > MAX_RULES:
        errors.append(("rules", f"at most {MAX_RULES} rules"))
    else:
        seen: set[str] = set()
        for i, rule in enumerate(rules):
            _check_rule(rule, f"rules[{i}]", errors, seen)
    if errors:
        raise RuleSetInvalid(errors)
    return doc


# --- evaluation ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """The answers as the rules see them (fields of FIELDS) and the normalised pasted text."""

    values: dict[str, Any]
    text: str = " "  # parsing.normalise_text


def _holds(cond: dict, values: dict) -> bool:
    if "all" in cond:
        return all(_holds(c, values) for c in cond["all"])
    if "any" in cond:
        return any(_holds(c, values) for c in cond["any"])
    if "not" in cond:
        return not _holds(cond["not"], values)
    actual: Any = values.get(cond["field"])
    op: str = cond["op"]
    expected: Any = cond.get("value")
    if op == "contains":
        return expected in (actual or ())
    if actual is None:  # an unanswered question satisfies no comparison
        return False
    if op == "eq":
        return actual == expected
    if op == "ne":
        return actual != expected
    if op == "in":
        return actual in expected
    if op == "not_in":
        return actual not in expected
    a, e = Decimal(str(actual)), Decimal(str(expected))
    return {"gt": a > e, "gte": a >= e, "lt": a < e, "lte": a <= e}[op]


@dataclass(frozen=True)
class CompiledRule:
    id: str
    weight: int
    min_level: str
    when: dict | None
    phrases: tuple[str, ...]  # normalised, each with a space at either end
    texts: dict[str, dict[str, str]]


@dataclass(frozen=True)
class Fired:
    rule: CompiledRule
    matched: tuple[str, ...]  # the phrases found in the text

    def text(self, key: str, language: str) -> str:
        texts = self.rule.texts[key]
        return texts.get(language) or texts["en"]


@dataclass(frozen=True)
class Outcome:
    level: str
    score: int
    fired: tuple[Fired, ...]


@dataclass
class CompiledRuleSet:
    number: int
    doc: dict
    rules: list[CompiledRule] = field(default_factory=list)

    @classmethod
    def compile(cls, number: int, doc: dict) -> CompiledRuleSet:
        rules = [
            CompiledRule(
                id=r["id"],
                weight=r["weight"],
                min_level=r.get("min_level", "low"),
                when=r.get("when"),
                phrases=tuple(dict.fromkeys(f" {normalise_phrase(p)} " for p in r.get("phrases", ()))),
                texts={k: r[k] for k in TEXTS},
            )
            for r in doc["rules"]
        ]
        return cls(number, doc, rules)

    def salary_kes_month(self, amount: Decimal | None, currency: str, period: str) -> Decimal | None:
        rate = self.doc["currency_to_kes"].get(currency)
        per_month = self.doc["period_to_month"].get(period)
        if amount is None or rate is None or per_month is None:
            return None
        return amount * Decimal(str(rate)) * Decimal(str(per_month))

    def norm(self, job: str | None, destination: str | None = None) -> Decimal:
        """The usual monthly pay in KES for the job in the destination country."""
        norms, levels = self.doc["salary_norms_kes_month"], self.doc["pay_level_by_country"]
        base = Decimal(str(norms.get(job or "default", norms["default"])))
        return base * Decimal(str(levels.get(destination or "default", levels["default"])))

    def fee_kes(self, amount: Decimal | None, currency: str) -> Decimal | None:
        rate = self.doc["currency_to_kes"].get(currency)
        return None if amount is None or rate is None else amount * Decimal(str(rate))

    def evaluate(self, facts: Facts) -> Outcome:
        fired = []
        for rule in self.rules:
            if rule.when is not None and not _holds(rule.when, facts.values):
                continue
            matched = tuple(p.strip() for p in rule.phrases if p in facts.text)
            if rule.phrases and not matched:
                continue
            fired.append(Fired(rule, matched))
        score = sum(f.rule.weight for f in fired)
        t = self.doc["thresholds"]
        level = "high" if score >= t["high"] else "medium" if score >= t["medium"] else "low"
        for f in fired:
            if LEVELS.index(f.rule.min_level) > LEVELS.index(level):
                level = f.rule.min_level
        fired.sort(key=lambda f: -f.rule.weight)
        return Outcome(level, score, tuple(fired))
