"""The actor as the apps below accounts see it, for the type checker (`make typecheck`).

Apps above accounts type their actor as `ctip.accounts.actor.Actor` (the user model). audit and reference sit below
accounts (docs/adr/0002) and cannot import it: their services and selectors take a `Principal`, which the user model
satisfies (it asks only whether the actor may do an action).
"""

from __future__ import annotations

from typing import Protocol


class Principal(Protocol):
    def can(self, action: str) -> bool: ...
