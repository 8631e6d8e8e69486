"""Sections other apps add to a person's page, without people importing them (docs/adr/0002: apps depend one way).

An app above people (cases today; justice or recruitment tomorrow) registers a provider in its AppConfig.ready:

    panels.register("cases", provider)

`provider(user, person)` returns a Panel (a template of its own, which reads `panel.context`) or None when the
user may see nothing of it. Providers are scoped reads: they show only what the user may see, and say nothing
(not even a count) about the rest. Each provider keeps its queries bounded: the person page stays within its
query budget."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)


Provider = Callable[..., Panel | None]
_PROVIDERS: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    _PROVIDERS[name] = provider


def for_person(*, user, person) -> list[Panel]:
    """The panels of every registered provider for `user` on `person`'s page, in registration order."""
    panels = []
    for provider in _PROVIDERS.values():
        panel = provider(user, person)
        if panel is not None:
            panels.append(panel)
    return panels
