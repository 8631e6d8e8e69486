"""Structured (JSON lines) logging. Messages carry ids, never identity data.

The filter adds the request id and channel so a log line can be tied to an audit event without the log itself
holding names, phone numbers or document numbers. Query strings are dropped from request paths.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from . import context

_STANDARD = set(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}
_DROP = {"request", "args"}


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        ctx = context.current()
        record.request_id = ctx.request_id if ctx else None
        record.channel = ctx.channel if ctx else None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": _scrub(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key in _STANDARD or key in _DROP or key.startswith("_"):
                continue
            if key == "status_code" or isinstance(value, (str, int, float, bool)) or value is None:
                payload[key] = value
        if record.exc_info:
            # Exception type and location only: exception messages can echo user input.
            exc_type = record.exc_info[0].__name__ if record.exc_info[0] else "Exception"
            tb = record.exc_info[2]
            while tb is not None and tb.tb_next is not None:
                tb = tb.tb_next
            where = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb else ""
            payload["exc"] = {"type": exc_type, "at": where}
        return json.dumps(payload, default=str)


def _scrub(message: str) -> str:
    # Django's request loggers print the full path; drop any query string, which may hold search terms.
    if '"' in message and "?" in message:
        head, _, rest = message.partition("?")
        tail = rest.split('"', 1)
        return head + ('"' + tail[1] if len(tail) > 1 else "")
    return message
