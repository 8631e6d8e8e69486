"""What the auditor types, turned into what the audit trail holds.

The audit trail names records by their public id (a UUID) and imports no domain app (docs/adr/0002). An auditor
thinks in case numbers (CT-2026-000123), referral numbers, file numbers and agency names. Each app that owns such
a number registers, in its AppConfig.ready(), a resolver: a function from the typed text to the public ids of the
records it names. The cases app answers a case number with the case and its person (so the identity reads of that
victim are found too); the agency list comes from the accounts app. The audit app only calls what was registered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

RecordResolver = Callable[[str], Iterable[str]]
AgencyChoices = Callable[[], Iterable[tuple[int, str]]]

_record_resolvers: list[RecordResolver] = []
_agency_choices: list[AgencyChoices] = []

# a public id or its first characters as the audit table shows them (8 hex digits and more)
_UUID_PREFIX = re.compile(r"[0-9a-f]{8}(-?[0-9a-f]{0,4}){0,4}[0-9a-f]*")


def register_record_resolver(resolver: RecordResolver) -> None:
    if resolver not in _record_resolvers:
        _record_resolvers.append(resolver)


def register_agency_choices(provider: AgencyChoices) -> None:
    _agency_choices[:] = [provider]


def resolve_record(text: str) -> list[str]:
    """The public ids the registered resolvers find for `text` (a case, referral, file or tip number), in order."""
    text = " ".join(text.split())
    found: list[str] = []
    for resolver in _record_resolvers:
        for public_id in resolver(text):
            if str(public_id) not in found:
                found.append(str(public_id))
    return found


def uuid_prefix(text: str) -> str:
    """`text` lower-cased when it is a public id or the start of one (8 hex digits or more), else ""."""
    text = text.strip().lower()
    return text if len(text) <= 36 and _UUID_PREFIX.fullmatch(text) else ""


def agency_choices() -> list[tuple[int, str]]:
    return [choice for provider in _agency_choices for choice in provider()]
