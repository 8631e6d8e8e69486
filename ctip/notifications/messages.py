"""Notification kinds and their translated texts. Apps register their kinds here so one place renders them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# kind -> message with %(name)s placeholders for the notification's params (never identity data).
MESSAGES: dict[str, object] = {}


def register(kind: str, message) -> None:
    MESSAGES[kind] = message


def render(kind: str, params: dict) -> str:
    template = MESSAGES.get(kind)
    if template is None:
        return str(_("Notification"))
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)
