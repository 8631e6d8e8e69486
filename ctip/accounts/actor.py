"""The type of the `actor` every write service takes (keyword-only) and every selector is scoped by.

An alias of the user model for the type checker (`make typecheck`); services annotate `actor: Actor`. A system task
acting on its own uses a real user too (the audit trail names one), so there is no other kind of actor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from ctip.accounts.models import User

Actor: TypeAlias = "User"
