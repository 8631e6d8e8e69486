"""The details of an audit event, readable: `{{ event.changes|audit_changes }}`.

An event's `changes` is a small JSON object (ctip.audit.services.mask_changes): field names, before/after pairs
for state changes (["open", "with_odpp"]), lists (sections shared), masked identity values ("***"), nested objects.
Shown as a definition list: "Status: open → with_odpp", "Sections: victims, suspects", "Phone: (hidden)".
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from ..services import MASK

register = template.Library()

# keys whose two-item lists are a move from one value to another
TRANSITIONS = frozenset({"status", "state", "role", "trafficking_status", "stage", "owning_agency"})


def _value(key: str, value) -> str:
    if value == MASK:
        return _("(hidden)")
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        if key in TRANSITIONS and len(value) == 2 and not any(isinstance(v, list | dict) for v in value):
            return f"{_value(key, value[0])} → {_value(key, value[1])}"
        return ", ".join(_value(key, v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{_label(k)}: {_value(k, v)}" for k, v in value.items())
    return str(value)


def _label(key: str) -> str:
    return str(key).replace("_", " ").strip().capitalize()


@register.filter
def audit_changes(changes) -> str:
    if not changes or not isinstance(changes, dict):
        return ""
    items = format_html_join("", "<dt>{}</dt><dd>{}</dd>", ((_label(k), _value(k, v)) for k, v in changes.items()))
    return format_html('<dl class="changes">{}</dl>', items)
