"""What the intake services share: references and PINs, length and place checks, the actor's right. (Reporter
and caller text is sealed by its model fields: ctip.people.sealed.SealedTextField.)"""

from __future__ import annotations

import contextlib
import secrets

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from ctip.accounts.roles import Action
from ctip.accounts.selectors import national_users_who_can
from ctip.core import context
from ctip.core.errors import ServiceError
from ctip.notifications.services import notify
from ctip.reference.selectors import country_list, county_list

from ..references import normalize_reference

__all__ = [
    "ALPHABET",
    "TEXT_LIMITS",
    "new_pin",
    "normalize_reference",
    "notify_triage_on_commit",
    "random_code",
    "without_client_ip",
]

# Reference alphabet: no 0/O, 1/I/L, so a reference read over the phone is not misheard.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TEXT_LIMITS = {
    "description": 5000,
    "place": 200,
    "occurred": 200,
    "people_involved": 2000,
    "contact": 200,
    "message_to_reporter": 1000,
    "close_note": 2000,
    "summary": 5000,
    "city": 120,
}


@contextlib.contextmanager
def without_client_ip():
    """Audit events written inside carry no IP address: public reporters are anonymous (no IP is stored)."""
    current = context.current()
    token = context.set_current(
        context.RequestContext(
            request_id=current.request_id if current else context.new_request_id(),
            ip=None,
            channel=current.channel if current else "web",
        )
    )
    try:
        yield
    finally:
        context.reset(token)


def random_code(prefix: str, groups: int = 2, size: int = 4) -> str:
    return "-".join([prefix] + ["".join(secrets.choice(ALPHABET) for _ in range(size)) for _ in range(groups)])


def new_pin() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def _check_lengths(values: dict[str, str]) -> dict[str, list[str]]:
    errors = {}
    for name, value in values.items():
        limit = TEXT_LIMITS.get(name)
        if limit and len(value or "") > limit:
            errors[name] = [_("At most %(n)s characters.") % {"n": limit}]
    return errors


def _check_place(errors: dict, county_id, country_id) -> None:
    if county_id and not county_list().filter(pk=county_id).exists():
        errors["county"] = [_("Choose a county from the list.")]
    if country_id and not country_list().filter(pk=country_id).exists():
        errors["country"] = [_("Choose a country from the list.")]


def _unique_reference(model, prefix: str) -> str:
    for _attempt in range(10):
        ref = random_code(prefix)
        if not model.objects.filter(reference=ref).exists():
            return ref
    raise ServiceError(_("Could not allocate a reference. Try again."))  # 31^8 codes: practically never


def notify_triage_on_commit(tip, kind: str) -> None:
    """After commit, tell the officers who triage tips nationally (the coordinators) that one is waiting. The
    notice names nothing about the situation or the people in it; the link opens the tip, where access is checked
    and the read recorded."""
    url = reverse("intake:tip_detail", args=[tip.public_id])

    def send() -> None:
        notify(users=list(national_users_who_can(action=Action.TIP_TRIAGE)), kind=kind, url=url)

    transaction.on_commit(send)
