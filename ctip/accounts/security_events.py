"""Security events of an account that higher apps act on (ctip.notifications tells the user about them).

The accounts app sits below notifications, so it cannot call `notify` itself: a higher app registers a listener
in its AppConfig.ready() and the accounts services emit after their transaction commits. Events:

- ``mfa_enrolled``: an authenticator device was set up on an account that had none;
- ``mfa_replaced``: the authenticator device of an account was replaced by another.
"""

from __future__ import annotations

from collections.abc import Callable

_LISTENERS: list[Callable[..., None]] = []


def register(listener: Callable[..., None]) -> None:
    """`listener(user=..., event=...)`; registering the same function twice keeps one."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def emit(*, user, event: str) -> None:
    for listener in list(_LISTENERS):
        listener(user=user, event=event)
