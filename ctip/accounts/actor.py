"""The type of the `actor` every write service takes (keyword-only) and every selector is scoped by.

An alias of the user model for the type checker (`make typecheck`); services annotate `actor: Actor`, selectors
`user: Actor`. A system task acting on its own uses a real user too (the audit trail names one), so there is no other
kind of actor; the few services that also run for nobody signed in say so in their type (`Actor | None`,
`Actor | AnonymousUser | None`). audit and reference sit below accounts and take `ctip.core.principal.Principal`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from ctip.accounts.models import User

Actor: TypeAlias = "User"
