from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.translation import gettext, gettext_lazy

from . import options_cache
from .models import Country, County, HtcdsValue, Indicator, Offence


def county_list() -> QuerySet[County]:
    return County.objects.order_by("code")


def country_list() -> QuerySet[Country]:
    return Country.objects.order_by("name")


_country_codes: frozenset[str] | None = None


def country_codes() -> frozenset[str]:
    global _country_codes
    if _country_codes is None:
        _country_codes = frozenset(Country.objects.values_list("alpha2", flat=True))
    return _country_codes


def place_names() -> dict[str, dict[str, str]]:
    """{"county": {code: name}, "country": {alpha2: name}}, from the shared cache; rebuilt after any change to
    the reference data (the option lists' version, see options_cache)."""
    key = f"reference:place-names:{options_cache.version()}"
    names = cache.get(key)
    if names is None:
        names = {
            "county": dict(County.objects.values_list("code", "name")),
            "country": dict(Country.objects.values_list("alpha2", "name")),
        }
        cache.set(key, names, options_cache.TIMEOUT)
    return names


# --- HTCDS value sets -------------------------------------------------------------------------------------


def htcds_fields() -> list[tuple[str, str, str]]:
    """(field, label, section) of every HTCDS picklist field, in the standard's order of sections."""
    seen: dict[str, tuple[str, str, str]] = {}
    for field, label, section in HtcdsValue.objects.order_by("pk").values_list("field", "field_label", "section"):
        seen.setdefault(field, (field, label, section))
    return list(seen.values())


def htcds_values(field: str) -> list[tuple[str, str]]:
    """(value name, label) pairs of one HTCDS picklist, in the standard's order."""
    return list(HtcdsValue.objects.filter(field=field).order_by("position").values_list("name", "label"))


@lru_cache(maxsize=1)
def htcds_value_labels() -> dict[tuple[str, str], str]:
    """(field, value name) -> the value's label, for screens (reference data is static between migrations)."""
    return {(f, n): label for f, n, label in HtcdsValue.objects.values_list("field", "name", "label")}


def htcds_label(field: str, name: str) -> str:
    """The label of one HTCDS value in the user's language ('ForcedLabour' -> 'Forced labour', 'Kazi ya
    kulazimishwa'), or the name if the list lacks it. The labels are marked for translation in htcds_i18n.py."""
    label = htcds_value_labels().get((field, name))
    return gettext(label) if label else name


def htcds_choices(field: str) -> list[tuple[str, Any]]:
    """htcds_values as form choices whose labels are translated when rendered (in the user's language, not in
    the language of the request that built the form class)."""
    return [(name, gettext_lazy(label)) for name, label in htcds_values(field)]


def htcds_values_cached(field: str) -> list[tuple[str, Any]]:
    """htcds_values from Django's cache, for the option lists of filters (the same for everyone): read again
    after the reference data changes (ctip.reference.options_cache)."""
    key = f"reference:htcds:{options_cache.version()}:{field}"
    values = cache.get(key)
    if values is None:
        values = htcds_values(field)
        cache.set(key, values, options_cache.TIMEOUT)
    return [(name, gettext_lazy(label)) for name, label in values]  # translated when rendered


@lru_cache(maxsize=64)
def htcds_value_codes(field: str) -> frozenset[str]:
    """The exact value names allowed for an HTCDS field (reference data is static between migrations)."""
    return frozenset(HtcdsValue.objects.filter(field=field).values_list("name", flat=True))


# --- offences and indicators ------------------------------------------------------------------------------


def offence_list(statute: str | None = None) -> QuerySet[Offence]:
    qs = Offence.objects.order_by("position")
    return qs.filter(statute=statute) if statute else qs


def indicator_list(indicator_list: str | None = None, *, active_only: bool = False) -> QuerySet[Indicator]:
    qs = Indicator.objects.order_by("indicator_list", "position")
    if indicator_list:
        qs = qs.filter(indicator_list=indicator_list)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs


def indicator_get(code: str) -> Indicator | None:
    return Indicator.objects.filter(code=code).first()
