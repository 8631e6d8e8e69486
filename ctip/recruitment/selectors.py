"""Reads of the recruitment-agency register.

Officers' reads go through `accounts.access.require` (recruiter.view; the register is national, no agency owns an
entry). Public verification reads nothing per request but one cache key: `public_index()` holds every agency's
public facts and the name matcher in memory, rebuilt when the register changed (services call `register_changed`
on commit, which writes a new random version token in the shared cache, so every process rebuilds).
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.cache import cache
from django.db.models import Q, QuerySet

from ctip.accounts.access import require
from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action
from ctip.core.errors import NotFound
from ctip.people.selectors import person_names_for_user
from ctip.reference.places import county_keys
from ctip.reference.selectors import country_list, county_list

from .enums import WARN_STATUSES, ContactKind
from .matching import NameMatcher
from .models import AgencyContact, AgencyDirector, AgencyImport, AgencyStatusChange, JobOrder, RecruitmentAgency
from .names import licence_key, phone_key

# --- officers ---------------------------------------------------------------------------------------------------


@dataclass
class AgencyFilters:
    text: str = ""
    status: str = ""
    county_id: int | None = None


def agency_list_for_user(*, user: Actor, filters: AgencyFilters | None = None) -> QuerySet[RecruitmentAgency]:
    """The register, filtered: by name (any part of the legal or trading name), licence number or phone."""
    require(user, Action.RECRUITER_VIEW)
    filters = filters or AgencyFilters()
    qs = RecruitmentAgency.objects.select_related("county").order_by("legal_name", "id")
    text = filters.text.strip()
    if text:
        condition = Q(legal_name__icontains=text) | Q(trading_name__icontains=text)
        key = licence_key(text)
        if key:
            condition |= Q(licence_key__startswith=key)
        phone = phone_key(text)
        if phone:
            condition |= Q(contacts__kind=ContactKind.PHONE, contacts__normalized=phone)
        qs = qs.filter(condition).distinct()
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.county_id:
        qs = qs.filter(county_id=filters.county_id)
    return qs


def agency_get_for_user(*, user: Actor, public_id, action: Action = Action.RECRUITER_VIEW) -> RecruitmentAgency:
    try:
        agency = RecruitmentAgency.objects.select_related("county").get(public_id=public_id)
    except (RecruitmentAgency.DoesNotExist, ValueError) as exc:
        require(user, action)  # a role without the action gets 403 whatever the id
        raise NotFound() from exc
    require(user, action, agency)
    return agency


@dataclass
class AgencyDetail:
    agency: RecruitmentAgency
    contacts: list[AgencyContact]
    history: list[AgencyStatusChange]
    job_orders: list[JobOrder]
    directors: list[tuple[AgencyDirector, str]]  # (director, name shown or "" when the user may not see it)
    lookalikes: list[PublicAgency] = field(default_factory=list)


def agency_detail_for_user(*, user: Actor, agency: RecruitmentAgency) -> AgencyDetail:
    """Everything an officer's page shows about one agency, in a fixed number of queries. Directors' names are
    shown only to users who may see those persons' identity (and the read is logged)."""
    require(user, Action.RECRUITER_VIEW, agency)
    directors = list(agency.directors.select_related("person"))
    names = person_names_for_user(user=user, persons=[d.person for d in directors]) if directors else {}
    index = public_index()
    position = index.position.get(agency.pk)
    lookalikes = [index.agencies[h.index] for h in index.lookalikes_of(position)] if position is not None else []
    return AgencyDetail(
        agency=agency,
        contacts=list(agency.contacts.all()),
        history=list(agency.status_history.select_related("recorded_by")),
        job_orders=list(agency.job_orders.select_related("country")[:200]),
        directors=[(d, names.get(d.person.pk, "")) for d in directors],
        lookalikes=lookalikes,
    )


def import_list_for_user(*, user: Actor) -> QuerySet[AgencyImport]:
    require(user, Action.RECRUITER_MANAGE)
    return AgencyImport.objects.select_related("created_by").order_by("-created_at", "-id")


def import_get_for_user(*, user: Actor, public_id) -> AgencyImport:
    require(user, Action.RECRUITER_MANAGE)
    try:
        return AgencyImport.objects.get(public_id=public_id)
    except (AgencyImport.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc


def county_lookup() -> dict[str, str]:
    """Every key a county answers to (code, ISO code, name as commonly written: ctip.reference.places) -> its code,
    for the import."""
    out: dict[str, str] = {}
    for code, name, iso in county_list().values_list("code", "name", "iso_code"):
        for key in county_keys(code, name, iso):
            out[key] = code
    return out


def county_ids() -> dict[str, int]:
    return dict(county_list().values_list("code", "id"))


def country_choices() -> QuerySet:
    return country_list()


# --- public verification -------------------------------------------------------------------------------------

VERSION_KEY = "ctip:recruitment:register_version"


@dataclass(frozen=True)
class PublicAgency:
    """What the public may know of an agency: no directors, no internal ids, no contacts but the phones it is
    known by (only to answer "whose number is this")."""

    pk: int  # internal, never put in an answer
    licence_number: str
    name: str
    trading_name: str
    status: str
    status_since: date
    updated_at: datetime
    county: str

    @property
    def warned(self) -> bool:
        return self.status in WARN_STATUSES


@dataclass
class PublicIndex:
    version: str
    agencies: list[PublicAgency]
    matcher: NameMatcher
    by_licence: dict[str, int]
    by_phone: dict[str, list[int]]
    position: dict[int, int]  # agency pk -> position
    _lookalikes: dict[int, list] = field(default_factory=dict)

    def lookalikes_of(self, i: int | None) -> list:
        """The deregistered or blacklisted agencies agency i resembles (computed once per index)."""
        if i is None:
            return []
        if i not in self._lookalikes:
            a = self.agencies[i]
            self._lookalikes[i] = self.matcher.lookalikes(i, [a.name, a.trading_name])
        return self._lookalikes[i]


_index: PublicIndex | None = None
_build_lock = threading.Lock()


def register_version() -> str:
    """The register's current version token (a fresh one when the cache holds none: after a restart or a clear,
    every process rebuilds, so an index can never be mistaken for a newer one)."""
    token = cache.get(VERSION_KEY)
    if token is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(VERSION_KEY) or ""
    return str(token)


def register_changed() -> None:
    """Tell every process the register changed (services call it on commit)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _build(version: str) -> PublicIndex:
    rows = list(
        RecruitmentAgency.objects.order_by("id").values_list(
            "pk",
            "licence_number",
            "licence_key",
            "legal_name",
            "trading_name",
            "status",
            "status_since",
            "updated_at",
            "county__name",
        )
    )
    agencies: list[PublicAgency] = []
    by_licence: dict[str, int] = {}
    position: dict[int, int] = {}
    for pk, number, key, name, trading, status, since, updated, county in rows:
        position[pk] = len(agencies)
        by_licence[key] = len(agencies)
        agencies.append(PublicAgency(pk, number, name, trading, status, since, updated, county or ""))
    by_phone: dict[str, list[int]] = {}
    for agency_id, number in AgencyContact.objects.filter(kind=ContactKind.PHONE).values_list(
        "agency_id", "normalized"
    ):
        if agency_id in position:
            by_phone.setdefault(number, []).append(position[agency_id])
    matcher = NameMatcher([(a.name, a.trading_name) for a in agencies], [a.warned for a in agencies])
    return PublicIndex(version, agencies, matcher, by_licence, by_phone, position)


def public_index() -> PublicIndex:
    """The in-memory index of the register for public verification, rebuilt when the register version moved."""
    global _index
    version = register_version()
    current = _index
    if current is not None and current.version == version:
        return current
    with _build_lock:
        if _index is None or _index.version != version:
            _index = _build(version)
        return _index


@dataclass(frozen=True)
class VerifyMatch:
    agency: PublicAgency
    how: str  # "licence" | "phone" | "name"
    score: float
    lookalike_of: tuple[PublicAgency, ...] = ()  # deregistered/blacklisted agencies this one resembles


@dataclass(frozen=True)
class VerifyAnswer:
    query: str
    kind: str  # "licence" | "phone" | "name"
    matches: tuple[VerifyMatch, ...]
    # The name typed resembles deregistered or blacklisted agencies not among the matches themselves.
    resembles_warned: tuple[PublicAgency, ...]
    phone_of_warned: tuple[PublicAgency, ...]  # the phone number typed belongs to such agencies

    @property
    def found(self) -> bool:
        return bool(self.matches)


MAX_QUERY = 100


def _match(index: PublicIndex, i: int, how: str, score: float) -> VerifyMatch:
    agency = index.agencies[i]
    if agency.warned:  # the warning is its own status
        return VerifyMatch(agency, how, score)
    return VerifyMatch(agency, how, score, tuple(index.agencies[h.index] for h in index.lookalikes_of(i)))


def verify(query: str, *, limit: int = 3) -> VerifyAnswer:
    """Public verification: by licence number, phone number, or name (misspellings tolerated). No database query
    but the register version (a cache read) once the index is built."""
    query = " ".join((query or "").split())[:MAX_QUERY]
    index = public_index()
    key = licence_key(query)
    if key and any(c.isdigit() for c in key) and key in index.by_licence:
        return VerifyAnswer(query, "licence", (_match(index, index.by_licence[key], "licence", 100.0),), (), ())
    phone = phone_key(query) if sum(c.isdigit() for c in query) >= 9 else ""
    if phone:
        owners = index.by_phone.get(phone, [])
        matches = tuple(_match(index, i, "phone", 100.0) for i in owners[:limit])
        warned = tuple(index.agencies[i] for i in owners if index.agencies[i].warned)
        return VerifyAnswer(query, "phone", matches, (), warned)
    hits = index.matcher.search(query, limit=limit)
    matches = tuple(_match(index, h.index, "name", h.score) for h in hits)
    shown = {h.index for h in hits}
    resembles = tuple(index.agencies[h.index] for h in index.matcher.resembles_warned(query) if h.index not in shown)[
        :limit
    ]
    return VerifyAnswer(query, "name", matches, resembles, ())


def verify_answer_date(answer: VerifyAnswer) -> datetime | None:
    """When the register entries shown were last updated."""
    dates = [m.agency.updated_at for m in answer.matches]
    return max(dates) if dates else None
