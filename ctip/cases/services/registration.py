"""Registering a potential victim: the one service every way into CTIP calls (the case form, the case API, tip and
call conversion, the bulk import). It owns the transaction, the duplicate look-up and its result, the rule that
only a person the look-up proposed may be linked, and the case opening."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from ctip.accounts.actor import Actor
from ctip.accounts.models import Agency
from ctip.accounts.roles import Action
from ctip.core.errors import PermissionDenied
from ctip.people import services as people_services
from ctip.people.matching_store import Candidate
from ctip.people.services import PersonChoice

from ..enums import IdentificationChannel
from ..models import Case
from .core import EventInput, case_open

__all__ = ["CaseInput", "CaseRegistration", "PersonChoice", "case_register"]


@dataclass
class CaseInput:
    """The case part of a registration (what `case_open` takes besides the person)."""

    identified_on: date
    channel: str = IdentificationChannel.OFFICER
    narrative: str = ""
    htcds: dict[str, list[str]] | None = None
    events: list[EventInput] = field(default_factory=list)
    is_child: bool | None = None
    fields: dict = field(default_factory=dict)  # core.CASE_FIELDS: identified_county_id, faces_charges, ...


@dataclass
class CaseRegistration:
    """The case opened; or, when `case` is None, the existing persons who may be the one being registered (best
    first) and the link token that lets the same user link one of them (PersonChoice.link_token)."""

    case: Case | None = None
    candidates: list[Candidate] = field(default_factory=list)
    link_token: str = ""
    duplicates_queued: int = 0  # bulk import: likely duplicates queued for review


@transaction.atomic
def case_register(
    *, actor: Actor, person: PersonChoice, case: CaseInput, owning_agency: Agency | None = None
) -> CaseRegistration:
    """Register a potential victim in one transaction: the person (people.services.person_register_or_link: the
    identity validated once, the duplicate look-up, a proposed person linked only with the look-up's link token,
    or a new person registered), then the case (`case_open`). When the look-up proposes persons, nothing is
    written but its audit event and the result carries the candidates: the caller asks the officer to choose
    (the form shows them, the API answers 409) and calls again with the choice. Any error rolls everything back.
    Callers open no transaction of their own for it."""
    if not (actor.can(Action.CASE_CREATE) and actor.can(Action.PERSON_CREATE)):
        raise PermissionDenied(_("Registering a case needs the right to register victims."))
    found = people_services.person_register_or_link(actor=actor, choice=person, owning_agency=owning_agency)
    if found.person is None:
        return CaseRegistration(candidates=found.candidates, link_token=found.link_token)
    opened = case_open(
        actor=actor,
        person=found.person,
        identified_on=case.identified_on,
        channel=case.channel,
        narrative=case.narrative,
        htcds=case.htcds,
        events=case.events,
        is_child=case.is_child,
        owning_agency=owning_agency,
        **case.fields,
    )
    return CaseRegistration(case=opened, duplicates_queued=found.duplicates_queued)
