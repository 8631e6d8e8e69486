"""The catalogue of audit event names: every name `audit_record` accepts, with its translated label.

The audit app imports no domain app, so each app declares its names in `ctip/<app>/events.py`, a `TextChoices`
of `"subject.verb"` codes with lazily translated labels, and registers it from its `AppConfig.ready()`:

    catalogue.register(PeopleEvent, subjects={"person": _("Persons"), "identity": _("Identity reads")})

`subjects` labels the part of a code before the dot: the auditor's filter groups events by it. A subject may be
labelled by another app; the system check `audit.E001` finds a subject nobody labelled. `audit_record` refuses a
name that is not registered (`UnknownAuditEvent`, raised before anything is written, so the caller's transaction
rolls back). The auditor's filter and labels, and the event table in docs/security.md
(`manage.py audit_events --write`), are built from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext


class UnknownAuditEvent(LookupError):
    """A programming error: an event name no app declared. Nothing is written."""


@dataclass(frozen=True)
class EventName:
    code: str
    label: object  # a lazily translated string
    app: str  # the app that declares it, e.g. "people"
    source: type  # the enum it comes from

    @property
    def subject(self) -> str:
        return self.code.split(".", 1)[0]


_EVENTS: dict[str, EventName] = {}
_SUBJECTS: dict[str, object] = {}


def _app_of(events: type) -> str:
    parts = events.__module__.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "ctip" else events.__module__


def register(events: type, *, subjects: Mapping[str, object] | None = None) -> None:
    """Add an app's event enum (`TextChoices`: code -> label). Idempotent for the same enum."""
    subjects = dict(subjects or {})
    for member in events:
        code = str(member.value)
        subject, dot, verb = code.partition(".")
        if not (subject and dot and verb) or code != code.strip() or len(code) > 60:
            raise ImproperlyConfigured(f"Audit event name {code!r} must be 'subject.verb' (at most 60 characters).")
        known = _EVENTS.get(code)
        if known is not None and known.source is not events:
            raise ImproperlyConfigured(
                f"Audit event {code!r} is declared twice: {known.source.__qualname__} and {events.__qualname__}."
            )
    _SUBJECTS.update(subjects)
    for member in events:
        _EVENTS[str(member.value)] = EventName(str(member.value), member.label, _app_of(events), events)


def unregister(events: type) -> None:
    """Remove an enum's names (for tests of the registry itself)."""
    for member in events:
        if _EVENTS.get(str(member.value)) and _EVENTS[str(member.value)].source is events:
            del _EVENTS[str(member.value)]


def is_known(code: str) -> bool:
    return code in _EVENTS


def require(code: object) -> None:
    if not isinstance(code, str) or code not in _EVENTS:
        raise UnknownAuditEvent(
            f"Unknown audit event name {code!r}: declare it in the app's events.py (ctip/<app>/events.py) and "
            "register it from the app's AppConfig.ready() with ctip.audit.catalogue.register."
        )


def label(code: str) -> str:
    """The event's label in the current language; an unknown (retired) name is shown as written."""
    event = _EVENTS.get(code)
    return str(event.label) if event is not None else code


def subject_label(subject: str) -> str:
    return str(_SUBJECTS.get(subject, subject))


def events() -> list[EventName]:
    """Every registered name, ordered by code."""
    return [_EVENTS[code] for code in sorted(_EVENTS)]


def codes() -> frozenset[str]:
    return frozenset(_EVENTS)


def filter_choices() -> list:
    """Grouped choices for the auditor's filter: by subject, "all of the subject" (a prefix) and each event."""
    groups: dict[str, list[EventName]] = {}
    for event in events():
        groups.setdefault(event.subject, []).append(event)
    choices: list = [("", gettext("All events"))]
    for subject in sorted(groups, key=lambda s: subject_label(s).casefold()):
        name = subject_label(subject)
        options = [(f"{subject}.", gettext("All: %(subject)s") % {"subject": name})]
        options += sorted(((e.code, str(e.label)) for e in groups[subject]), key=lambda c: c[1].casefold())
        choices.append((name, options))
    return choices


def system_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every subject of a registered name has a label (the filter's groups would show a code otherwise)."""
    return [
        checks.Error(
            f"Audit event subject {subject!r} has no label.",
            hint="Pass subjects={...} to ctip.audit.catalogue.register in the declaring app's AppConfig.ready().",
            id="audit.E001",
        )
        for subject in sorted({event.subject for event in _EVENTS.values()} - set(_SUBJECTS))
    ]
