from __future__ import annotations

from django.db.models import QuerySet

from .models import Country, County


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
