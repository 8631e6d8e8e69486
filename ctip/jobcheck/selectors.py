"""Reads of the job-offer risk check: the check itself (the published rule set, compiled once per process and
rebuilt when a new version is published), the agency named looked up in the recruitment register (its public
index: no query per check), and the officers' reads of rule sets and counts.

`check()` reads at most one cache key per call once warm (the rules' version token) plus the register's own
token: nothing about the offer is stored or logged.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.db.models import QuerySet, Sum
from django.utils import translation

from ctip.accounts.access import require
from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action
from ctip.core.disclosure import publish_count
from ctip.core.errors import NotFound
from ctip.recruitment import selectors as register
from ctip.recruitment.answers import STATUS_WORDS
from ctip.recruitment.enums import AgencyStatus

from .enums import Level, RuleSetStatus
from .models import CheckTally, RuleSet
from .parsing import normalise_text
from .rules import CompiledRuleSet, Facts, Fired

VERSION_KEY = "ctip:jobcheck:rules_version"
NAME_SCORE = 90.0  # a name search hit at least this close counts as the agency named


# --- the check -------------------------------------------------------------------------------------------------


@dataclass
class CheckInput:
    """The job seeker's answers (already shaped by the form or the API serializer). Amounts are None when not
    given; codes are those of enums.py."""

    destination: str = ""  # ISO alpha-2
    job: str = ""
    salary_amount: Decimal | None = None
    salary_currency: str = "KES"
    salary_period: str = "month"
    fee_amount: Decimal | None = None
    fee_currency: str = "KES"
    fee_to: str = "none"
    visa: str = ""
    contact: str = ""
    agency_name: str = ""
    documents: list[str] = field(default_factory=list)
    departure: str = ""
    text: str = ""


@dataclass(frozen=True)
class AgencyFound:
    """What the register says about the agency named (public facts only)."""

    status: str  # rules.AGENCY_STATUSES
    name: str = ""
    licence_number: str = ""
    status_label: str = ""
    lookalike_of: tuple[str, ...] = ()  # names of barred agencies it resembles


@dataclass(frozen=True)
class Flag:
    id: str
    weight: int
    title: str
    explain: str
    basis: str
    advice: str
    matched: tuple[str, ...]


@dataclass(frozen=True)
class CheckResult:
    level: str
    level_label: str
    score: int
    rule_set_number: int
    flags: tuple[Flag, ...]
    agency: AgencyFound | None


class RulesUnavailable(Exception):
    """No rule set is published (never after the seed migration)."""


_compiled: CompiledRuleSet | None = None
_compiled_token: str = ""
_lock = threading.Lock()


def rules_version() -> str:
    token = cache.get(VERSION_KEY)
    if token is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(VERSION_KEY) or ""
    return str(token)


def rules_changed() -> None:
    """Every process reloads the published rule set (services call it on commit of a publication)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def published_rules() -> CompiledRuleSet:
    """The published rule set, compiled; one query when a new version was published, none otherwise."""
    global _compiled, _compiled_token
    token = rules_version()
    if _compiled is not None and _compiled_token == token:
        return _compiled
    with _lock:
        if _compiled is None or _compiled_token != token:
            row = RuleSet.objects.filter(status=RuleSetStatus.PUBLISHED).values_list("number", "document").first()
            if row is None:
                raise RulesUnavailable()
            _compiled, _compiled_token = CompiledRuleSet.compile(row[0], row[1]), token
        return _compiled


def lookup_agency(name: str) -> AgencyFound:
    """The agency named, in the recruitment register's public index (misspellings tolerated)."""
    name = " ".join((name or "").split())
    if not name:
        return AgencyFound("not_given")
    answer = register.verify(name, limit=3)
    if answer.phone_of_warned:
        a = answer.phone_of_warned[0]
        return AgencyFound(a.status, a.name, a.licence_number, str(STATUS_WORDS[AgencyStatus(a.status)]))
    strong = [m for m in answer.matches if m.how != "name" or m.score >= NAME_SCORE]
    resembles = tuple(a.name for a in answer.resembles_warned)
    if not strong:
        # A near miss of a barred agency's name is a look-alike of it (verify lists it as a match, not apart).
        near_barred = tuple(m.agency.name for m in answer.matches if m.agency.warned)
        return AgencyFound("not_found", lookalike_of=near_barred + resembles)
    m = strong[0]
    a = m.agency
    return AgencyFound(
        a.status,
        a.name,
        a.licence_number,
        str(STATUS_WORDS[AgencyStatus(a.status)]),
        lookalike_of=tuple(w.name for w in m.lookalike_of) + resembles,
    )


def facts_for(rules: CompiledRuleSet, data: CheckInput, agency: AgencyFound) -> Facts:
    salary = rules.salary_kes_month(data.salary_amount, data.salary_currency, data.salary_period)
    ratio = None
    if salary is not None:
        norm = rules.norm(data.job or None, (data.destination or "").upper() or None)
        ratio = (salary / norm).quantize(Decimal("0.01"))
    fee = Decimal(0) if data.fee_to == "none" else rules.fee_kes(data.fee_amount, data.fee_currency)
    values = {
        "destination": (data.destination or "").upper() or None,
        "job": data.job or None,
        "salary_kes_month": salary,
        "salary_vs_norm": ratio,
        "fee_kes": fee,
        "fee_to": data.fee_to or None,
        "visa": data.visa or None,
        "contact": data.contact or None,
        "agency_status": agency.status,
        "agency_lookalike": bool(agency.lookalike_of),
        "documents": list(data.documents),
        "departure": data.departure or None,
    }
    return Facts(values, normalise_text(data.text))


def _flag(f: Fired, language: str) -> Flag:
    return Flag(
        f.rule.id,
        f.rule.weight,
        f.text("title", language),
        f.text("explain", language),
        f.text("basis", language),
        f.text("advice", language),
        f.matched,
    )


def check(data: CheckInput) -> CheckResult:
    """The risk of an offer under the published rule set, explained in the active language (en or sw)."""
    rules = published_rules()
    agency = lookup_agency(data.agency_name)
    outcome = rules.evaluate(facts_for(rules, data, agency))
    language = "sw" if (translation.get_language() or "en").startswith("sw") else "en"
    return CheckResult(
        level=outcome.level,
        level_label=str(Level(outcome.level).label),
        score=outcome.score,
        rule_set_number=rules.number,
        flags=tuple(_flag(f, language) for f in outcome.fired),
        agency=agency if agency.status != "not_given" else None,
    )


# --- officers: rule sets and counts -----------------------------------------------------------------------------


def ruleset_list_for_user(*, user: Actor) -> QuerySet[RuleSet]:
    require(user, Action.JOBCHECK_RULES_EDIT)
    return (
        RuleSet.objects.select_related("created_by", "submitted_by", "published_by")
        .defer("source_text", "document")
        .order_by("-number")
    )


def ruleset_get_for_user(*, user: Actor, public_id) -> RuleSet:
    require(user, Action.JOBCHECK_RULES_EDIT)
    try:
        return RuleSet.objects.select_related("created_by", "submitted_by", "published_by", "based_on").get(
            public_id=public_id
        )
    except (RuleSet.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc


@dataclass(frozen=True)
class LevelCount:
    level: str
    label: str
    shown: int | None  # rounded; None when too small to show


def tallies_for_user(*, user: Actor, since: date | None = None) -> list[LevelCount]:
    """Checks by risk level (all channels and versions), small counts suppressed (ctip.core.disclosure)."""
    require(user, Action.JOBCHECK_RULES_EDIT)
    qs = CheckTally.objects.all()
    if since is not None:
        qs = qs.filter(day__gte=since)
    totals = dict(qs.values_list("level").annotate(n=Sum("count")).values_list("level", "n"))
    return [LevelCount(lv.value, str(lv.label), publish_count(totals.get(lv.value, 0)).value) for lv in Level]
