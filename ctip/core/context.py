"""Per-request context (client IP, request id) available to services without threading the request through.

Set by RequestContextMiddleware; read by the audit service and the log filter.
"""

from __future__ import annotations

import contextvars
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str | None = None
    channel: str = "web"  # web | api | cli | task


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("ctip_request", default=None)


def current() -> RequestContext | None:
    return _current.get()


def set_current(ctx: RequestContext | None) -> contextvars.Token:
    return _current.set(ctx)


def reset(token: contextvars.Token) -> None:
    _current.reset(token)


def new_request_id() -> str:
    return uuid.uuid4().hex[:16]
