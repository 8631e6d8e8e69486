"""Need-to-know: the one place that decides who may do what to which record.

- `require(user, action, obj=None, *, section=None, owner_side=False)` is the chokepoint every view, API endpoint
  and service goes through for one record (or, without `obj`, for an action): it returns how access was granted or
  raises `PermissionDenied` (403) / `NotFound` (404). The exact rules are in its docstring and in
  docs/architecture.md ("Access control").
- `visible_q` filters lists, `allowed_ids` decides on a page of records (at most two queries), `record_access`
  decides on one record by target type and ids; `require` is built on the same decision.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

from django.db.models import BooleanField, Exists, JSONField, OuterRef, Q, Value
from django.utils import timezone

from ctip.core.errors import NotFound, PermissionDenied

from .models import BreakGlassGrant, RecordShare
from .roles import Action, Scope

OWNER_SIDE = ("national", "agency")  # access through the role's own scope, not through a share or break-the-glass


@dataclass(frozen=True)
class Access:
    allowed: bool
    via: str = ""  # "national" | "agency" | "share" | "break_glass" | "role" (no record) | ""
    sections: tuple[str, ...] | None = None  # for shares: which sections; None = all

    @property
    def owner_side(self) -> bool:
        """Granted by the role's own scope (national, or the owning agency), not by a share or break-the-glass."""
        return self.allowed and self.via in OWNER_SIDE

    def sees(self, section: str) -> bool:
        """The section rule, written once: a share reaches the sections it names (several shares add up);
        national, agency and break-the-glass access reach every section."""
        return self.allowed and (self.sections is None or section in self.sections)

    def sections_of(self, all_sections) -> set[str]:
        """Of `all_sections`, those this access reaches."""
        return {s for s in all_sections if self.sees(s)}


NO = Access(False)
ROLE = Access(True, "role")


def _shared_ids(user, target_type: str):
    return RecordShare.active().filter(target_type=target_type, agency_id=user.agency_id).values("target_id")


def _glass_ids(user, target_type: str):
    return BreakGlassGrant.objects.filter(user=user, target_type=target_type, expires_at__gt=timezone.now()).values(
        "target_id"
    )


GRANTED_INLINE_LIMIT = 5000

# Users (and their agency) found to hold more grants than fit in a list, remembered by this process for a while so
# that each request does not read GRANTED_INLINE_LIMIT rows again only to find out (an office holding tens of
# thousands of shares, as a prosecution office does). Only a shortcut to the path that asks the database at each
# decision, which is exact whatever the grants: a stale entry costs time, never access.
TOO_MANY_SECONDS = 300
_too_many: dict[tuple, float] = {}


def _known_too_many(key: tuple) -> bool:
    until = _too_many.get(key)
    if until is None:
        return False
    if until < time.monotonic():
        _too_many.pop(key, None)
        return False
    return True


def _remember_too_many(key: tuple) -> None:
    if len(_too_many) > 10_000:
        _too_many.clear()
    _too_many[key] = time.monotonic() + TOO_MANY_SECONDS


# --- the grants of one request, read once ------------------------------------------------------------------------
# A read-only request (GET, HEAD) reads the user's grants, the shares with their agency and their own
# break-the-glass grants of every record type, once, in one query, the first time a decision needs them; every
# list filter and record decision of the request then uses them. The request's user object is loaded for that
# request alone (ctip.accounts.request_user), so the memo ends with the request; a request that may write (a
# share, a revocation, a break-the-glass grant) reads them afresh at each decision, as before.
_MEMO_ATTR = "_ctip_request_grants"
_NOT_READ = object()
_TOO_MANY = object()


@dataclass
class RequestGrants:
    shares: dict[tuple[str, str], list[list[str]]] = field(default_factory=dict)  # (type, id) -> sections of each
    glass: set[tuple[str, str]] = field(default_factory=set)

    def ids(self, target_type: str) -> set:
        return {i for t, i in self.shares if t == target_type} | {i for t, i in self.glass if t == target_type}


def _as_uuid(value):
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return value


def memoise_request_grants(user) -> None:
    """Called for the user of a read-only request: its grants are read at most once (see above)."""
    setattr(user, _MEMO_ATTR, _NOT_READ)
    setattr(user, _RECORD_MEMO_ATTR, None)


def request_grants(user) -> RequestGrants | None:
    """The memoised grants of a read-only request's user (one query the first time), or None: not a request user,
    or more grants than fit in a list (then each decision asks the database)."""
    memo = getattr(user, _MEMO_ATTR, None)
    if memo is None or memo is _TOO_MANY:
        return None
    if memo is _NOT_READ:
        memo = _read_request_grants(user)
        setattr(user, _MEMO_ATTR, memo)
        if memo is _TOO_MANY:
            return None
    return memo


_RECORD_MEMO_ATTR = "_ctip_record_grants"


def _record_memo(user) -> dict | None:
    """For a read-only request whose user holds more grants than fit in a list: the decision on each record's
    grants, read once for the request (a page deciding twice on its record asks the database once)."""
    if getattr(user, _MEMO_ATTR, None) is not _TOO_MANY:
        return None
    records = getattr(user, _RECORD_MEMO_ATTR, None)
    if records is None:
        records = {}
        setattr(user, _RECORD_MEMO_ATTR, records)
    return records


def _read_request_grants(user):
    key = ("request", user.pk, user.agency_id)
    if _known_too_many(key):
        return _TOO_MANY
    glass = (
        BreakGlassGrant.objects.filter(user=user, expires_at__gt=timezone.now())
        .order_by()
        .values_list(
            "target_type", "target_id", Value(None, output_field=JSONField()), Value(False, output_field=BooleanField())
        )
    )
    query = glass
    if user.agency_id:
        shares = (
            RecordShare.active()
            .filter(agency_id=user.agency_id)
            .order_by()
            .values_list("target_type", "target_id", "sections", Value(True, output_field=BooleanField()))
        )
        query = shares.union(glass, all=True)
    rows = list(query[: GRANTED_INLINE_LIMIT + 1])
    if len(rows) > GRANTED_INLINE_LIMIT:
        _remember_too_many(key)
        return _TOO_MANY
    grants = RequestGrants()
    for target_type, target_id, sections, is_share in rows:
        if is_share:
            grants.shares.setdefault((target_type, target_id), []).append(sections or [])
        else:
            grants.glass.add((target_type, target_id))
    return grants


def granted_q(user, target_type: str, *, id_field: str = "public_id") -> Q:
    """Records the user reaches through a share with their agency or their own break-the-glass grant (not
    through their role's scope).

    The ids are read first and put in the query as a list (there are few): an OR of two sub-selects makes
    PostgreSQL read every row of a large table instead of looking the ids up in its index. When there are very
    many (more than GRANTED_INLINE_LIMIT), each row is looked up instead: an EXISTS on the share and on the
    break-the-glass grant of that record, by their indexes, so a list ordered by an index stops at its page."""
    memo = request_grants(user)
    if memo is not None:
        return Q(**{f"{id_field}__in": sorted(memo.ids(target_type))})
    key = ("granted", user.pk, user.agency_id, target_type)
    if not _known_too_many(key):
        ids: set[str] = set()
        for subquery in (_shared_ids(user, target_type), _glass_ids(user, target_type)):
            part = list(subquery.values_list("target_id", flat=True)[: GRANTED_INLINE_LIMIT + 1])
            if len(part) > GRANTED_INLINE_LIMIT:  # very many: leave it to the database after all
                _remember_too_many(key)
                break
            ids.update(part)
        else:
            return Q(**{f"{id_field}__in": sorted(ids)})
    return Q(Exists(_shared_ids(user, target_type).filter(target_id=OuterRef(id_field)))) | Q(
        Exists(_glass_ids(user, target_type).filter(target_id=OuterRef(id_field)))
    )


def visible_q(
    user,
    action: Action | str,
    target_type: str,
    *,
    owner_field: str = "owning_agency",
    id_field: str = "public_id",
) -> Q | None:
    """A filter for the records of `target_type` the user may see for `action`; None means none at all."""
    scope = user.scope(action) if user.is_authenticated else None
    if scope is None:
        return None
    if scope == Scope.NATIONAL:
        return Q()
    q = granted_q(user, target_type, id_field=id_field)
    if scope == Scope.AGENCY and user.agency_id:
        q |= Q(**{f"{owner_field}_id": user.agency_id})
    return q


def _scope_access(user, scope, owning_agency_id) -> Access | None:
    """What the role's own scope grants on a record owned by `owning_agency_id` (None: it has no owner)."""
    if scope == Scope.NATIONAL:
        return Access(True, "national")
    if scope == Scope.AGENCY and user.agency_id and owning_agency_id is not None and owning_agency_id == user.agency_id:
        return Access(True, "agency")
    return None


class _Grants:
    """The shares with the user's agency and the user's break-the-glass grant on one record, read once (two
    queries at most) and only when the role's own scope is not enough."""

    def __init__(self, user, target_type: str, public_id):
        self.user, self.target_type, self.public_id = user, target_type, public_id
        self._access: Access | None = None

    def access(self) -> Access:
        if self._access is None:
            request_grants(self.user)  # the request's grants, read once (then _read finds them)
            records = _record_memo(self.user)
            if records is None or self.public_id is None:
                self._access = self._read()
            else:
                key = (self.target_type, str(_as_uuid(self.public_id)))
                if key not in records:
                    records[key] = self._read()
                self._access = records[key]
        return self._access

    def _read(self) -> Access:
        user = self.user
        if self.public_id is None:
            return NO
        memo = request_grants(user)
        if memo is not None:
            key = (self.target_type, _as_uuid(self.public_id))
            shares = memo.shares.get(key, [])
        else:
            shares = (
                list(
                    RecordShare.active()
                    .filter(target_type=self.target_type, target_id=self.public_id, agency_id=user.agency_id)
                    .values_list("sections", flat=True)
                )
                if user.agency_id
                else []
            )
        if shares:
            # Several active shares (e.g. two referrals) add up: the agency sees every section any of them shared.
            sections: list[str] = []
            for shared in shares:
                sections += [s for s in shared or [] if s not in sections]
            return Access(True, "share", tuple(sections))
        if memo is not None:
            return Access(True, "break_glass") if key in memo.glass else NO
        glass = BreakGlassGrant.objects.filter(
            user=user, target_type=self.target_type, target_id=self.public_id, expires_at__gt=timezone.now()
        ).exists()
        return Access(True, "break_glass") if glass else NO


def _decide(user, action, owning_agency_id, grants: _Grants | None) -> Access:
    scope = user.scope(action) if user.is_authenticated else None
    if scope is None:
        return NO
    own = _scope_access(user, scope, owning_agency_id)
    if own is not None:
        return own
    # Shares and break-the-glass widen the records an action reaches, never the actions a role has.
    return grants.access() if grants is not None else NO


def record_access(user, action: Action | str, target_type: str, *, public_id, owning_agency_id) -> Access:
    """How the user reaches one record for `action`: through the role's scope (national, agency), a share with
    the user's agency (with its sections) or the user's own break-the-glass grant; NO otherwise."""
    return _decide(user, action, owning_agency_id, _Grants(user, target_type, public_id))


# --- the chokepoint ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """How the records of one type are reached.

    view: the actions that make a record visible (any of them); owner: the attribute (dotted path) naming the
    owning agency, None when no agency owns it (then only a national scope reaches it); owners: the same per
    action, where the owning side depends on the action (a referral: the sender for sending, the provider for
    responding); shareable: shares and break-the-glass grants exist for this type."""

    view: tuple[str, ...]
    owner: str | None = "owning_agency_id"
    owners: dict[str, str | None] = field(default_factory=dict)
    shareable: bool = True

    def owner_of(self, obj, action) -> int | None:
        path = self.owners.get(action, self.owner)
        if path is None:
            return None
        value = obj
        for part in path.split("."):
            value = getattr(value, part, None)
            if value is None:
                return None
        return value


# Every record type `require` decides on. Target types are `<app_label>.<model_name>` (as in RecordShare,
# BreakGlassGrant and the audit trail); plain strings, so this module imports no domain app.
RULES: dict[str, Rule] = {
    "cases.case": Rule(view=(Action.CASE_VIEW,)),
    "people.person": Rule(view=(Action.PERSON_VIEW,)),
    "referrals.referral": Rule(
        view=(Action.CASE_VIEW, Action.REFERRAL_SEND, Action.REFERRAL_RESPOND),
        owner=None,  # case.view reaches referrals only nationally (coordinators read every referral)
        owners={Action.REFERRAL_SEND: "sender_agency_id", Action.REFERRAL_RESPOND: "provider.agency_id"},
        shareable=False,
    ),
    "intake.tip": Rule(view=(Action.TIP_TRIAGE,), owner=None, shareable=False),  # no agency owns a public tip
    "intake.hotlinecall": Rule(view=(Action.HOTLINE_LOG,), shareable=False),
    # The recruitment-agency register: national data about organisations, no owning agency.
    "recruitment.recruitmentagency": Rule(view=(Action.RECRUITER_VIEW,), owner=None, shareable=False),
    # Complaints about recruitment: national, as public tips (no agency owns a complaint from the public).
    "recruitment.complaint": Rule(view=(Action.COMPLAINT_VIEW,), owner=None, shareable=False),
    # Investigation files: the investigating unit's agency owns them; the hand-over to a prosecutor's office is a
    # share naming the file's sections.
    "justice.investigation": Rule(view=(Action.INVESTIGATION_VIEW,)),
    # Investigation leads: the receiving investigating agency owns them.
    "leads.lead": Rule(view=(Action.LEAD_VIEW,), shareable=False),
    # National Plan of Action (issue 14): training sessions and awareness campaigns belong to the organising agency.
    "npa.trainingsession": Rule(view=(Action.NPA_VIEW,), shareable=False),
    "npa.campaign": Rule(view=(Action.NPA_VIEW,), shareable=False),
}


def target_type_of(obj) -> str:
    return obj._meta.label_lower


def require(user, action: Action | str, obj=None, *, section: str | None = None, owner_side: bool = False) -> Access:
    """The one access check: how `user` may do `action` on `obj` (optionally one `section` of it), or an error.

    In this order:
    1. not logged in, or the role does not have `action` at all: PermissionDenied (403), whatever the record;
    2. without `obj`: allowed (`ROLE`, via "role");
    3. the record is not visible: NotFound (404), the same as a record that does not exist. Visible means one
       of the type's view actions (`RULES`) reaches it: through the role's national scope, its agency scope on a
       record its agency owns, a share with its agency, or the user's own break-the-glass grant;
    4. `section` given and the record's visible access does not reach it (a share not naming it): NotFound;
    5. `action` does not reach the record (the role's scope for it is narrower than for viewing), or does not
       reach `section`: PermissionDenied;
    6. `owner_side` and the access came through a share or break-the-glass: PermissionDenied (status, the case
       team, identity edits, merges and sharing belong to the owning agency or a national role).
    Returns the Access for `action` (via national, agency, share or break_glass; for shares, the sections).
    At most two queries (the shares and the break-the-glass grant of this record, read once for every step).
    """
    if not getattr(user, "is_authenticated", False) or not user.can(action):
        raise PermissionDenied()
    if obj is None:
        if section is not None or owner_side:
            raise TypeError("section and owner_side need a record")
        return ROLE
    target_type = target_type_of(obj)
    rule = RULES[target_type]
    grants = _Grants(user, target_type, obj.public_id) if rule.shareable else None
    seen = NO
    for view_action in rule.view:
        seen = _decide(user, view_action, rule.owner_of(obj, view_action), grants)
        if seen.allowed:
            break
    if not seen.allowed:
        raise NotFound()
    if section is not None and not seen.sees(section):
        raise NotFound()
    granted = seen if action == view_action else _decide(user, action, rule.owner_of(obj, action), grants)
    if not granted.allowed or (section is not None and not granted.sees(section)):
        raise PermissionDenied()
    if owner_side and not granted.owner_side:
        raise PermissionDenied()
    return granted


def may(user, action: Action | str, obj=None, *, section: str | None = None, owner_side: bool = False) -> bool:
    """`require` as a yes/no, for showing or hiding a button."""
    try:
        require(user, action, obj, section=section, owner_side=owner_side)
    except (NotFound, PermissionDenied):
        return False
    return True


def require_any(user, *actions: Action | str) -> Access:
    """Step 1 of `require` for a screen several roles reach through different actions (the provider directory):
    PermissionDenied unless the role has at least one of `actions`."""
    if getattr(user, "is_authenticated", False) and any(user.can(a) for a in actions):
        return ROLE
    raise PermissionDenied()


def allowed_ids(user, action: Action | str, target_type: str, records) -> set:
    """Of `records` (each with public_id and owning_agency_id), the public ids the user may reach. 2 queries max."""
    scope = user.scope(action) if user.is_authenticated else None
    records = list(records)
    if scope is None or not records:
        return set()
    if scope == Scope.NATIONAL:
        return {r.public_id for r in records}
    out = set()
    rest = []
    for r in records:
        if scope == Scope.AGENCY and user.agency_id and r.owning_agency_id == user.agency_id:
            out.add(r.public_id)
        else:
            rest.append(r.public_id)
    memo = request_grants(user) if rest else None
    if memo is not None:
        return out | {r for r in rest if _as_uuid(r) in memo.ids(target_type)}
    if rest:
        if user.agency_id:
            out |= set(
                RecordShare.active()
                .filter(target_type=target_type, agency_id=user.agency_id, target_id__in=rest)
                .values_list("target_id", flat=True)
            )
        out |= set(
            BreakGlassGrant.objects.filter(
                user=user, target_type=target_type, target_id__in=rest, expires_at__gt=timezone.now()
            ).values_list("target_id", flat=True)
        )
    return out
