"""Labels, never codes, for what an identity holds: sex, identifier kinds, citizenships, address counties.

    {% load people_labels %}
    {{ identity.sex|sex_label }} · {{ i.kind|identifier_label }} · {{ identity.citizenships|country_names }}
    {{ address.county|county_name }}

A value the lists do not know is shown as it is (data imported before a list changed is still readable).
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from ctip.reference.selectors import place_names

from ..enums import Gender, IdentifierKind, Sex

register = template.Library()


def _label(choices, value) -> str:
    if value in (None, ""):
        return ""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


@register.filter
def sex_label(value) -> str:
    return _label(Sex, value)


@register.filter
def gender_label(value) -> str:
    return _label(Gender, value)


@register.filter
def identifier_label(kind) -> str:
    return _label(IdentifierKind, kind)


@register.filter
def country_names(codes: Iterable[str] | str | None) -> str:
    if not codes:
        return ""
    if isinstance(codes, str):
        codes = [codes]
    names = place_names()["country"]
    return ", ".join(names.get(code, code) for code in codes)


@register.filter
def county_name(code) -> str:
    if not code:
        return ""
    return place_names()["county"].get(str(code), str(code))
