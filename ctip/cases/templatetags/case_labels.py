"""Labels of case values kept as codes in lists (e.g. the services of a needs assessment)."""

from __future__ import annotations

from django import template

from ..enums import ServiceType

register = template.Library()


@register.filter
def service_label(value) -> str:
    try:
        return str(ServiceType(value).label)
    except ValueError:
        return str(value)
