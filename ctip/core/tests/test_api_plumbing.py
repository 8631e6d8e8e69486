"""The API's shared pieces: the list envelope, RFC 3339 date-times, the date validators."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from ctip.core.api import DateField, DateTimeField, Pagination
from ctip.core.validators import validate_not_before_1900, validate_past_date

NAIROBI = ZoneInfo("Africa/Nairobi")


def test_generic_pagination_has_the_one_list_envelope():
    paginator = Pagination()
    rows = paginator.paginate_queryset(list(range(120)), RequestFactory().get("/api/v1/x/?page=3"))
    assert rows == list(range(100, 120))
    assert paginator.get_paginated_response(rows).data == {"results": rows, "page": 3, "has_next": False}


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (datetime(1905, 6, 1, 8, 0, tzinfo=NAIROBI), "1905-06-01T05:32:44Z"),  # local mean time, +02:27:16
        (datetime(1937, 6, 1, 8, 0, tzinfo=NAIROBI), "1937-06-01T05:15:00Z"),
        (datetime(2026, 3, 1, 9, 30, tzinfo=NAIROBI), "2026-03-01T06:30:00Z"),
        (datetime(2026, 3, 1, 6, 30, 15, 250000, tzinfo=UTC), "2026-03-01T06:30:15.250000Z"),
    ],
)
def test_date_times_are_rfc3339_in_utc(value, shown):
    assert DateTimeField().to_representation(value) == shown


def test_date_time_input_before_1900_is_refused():
    field = DateTimeField()
    assert field.run_validation("1900-01-01T00:00:00Z") == datetime(1900, 1, 1, tzinfo=UTC).astimezone(NAIROBI)
    with pytest.raises(Exception, match="before 1900"):
        field.run_validation("1899-12-31T23:59:00Z")


def test_date_input_before_1900_is_refused():
    assert DateField().run_validation("1900-01-01") == date(1900, 1, 1)
    with pytest.raises(Exception, match="before 1900"):
        DateField().run_validation("1899-12-31")


def test_validators():
    validate_not_before_1900(date(1900, 1, 1))
    validate_not_before_1900(date(2999, 1, 1))  # a planned date may be far ahead
    validate_past_date(date(1900, 1, 1))
    for bad in (date(1899, 12, 31), date(2999, 1, 1), datetime(2999, 1, 1, tzinfo=UTC)):
        with pytest.raises(ValidationError):
            validate_past_date(bad)


@pytest.mark.django_db
def test_forms_use_the_same_rule():
    from ctip.people.forms import PersonForm

    for day in ("1899-12-31", "2999-01-01"):
        form = PersonForm(data={"first_name": "Amani", "date_of_birth": day})
        assert not form.is_valid() and "date_of_birth" in form.errors


def _api_serializers():
    import importlib
    import inspect
    import pkgutil

    from rest_framework import serializers

    import ctip

    for info in pkgutil.walk_packages(ctip.__path__, "ctip."):
        parts = info.name.split(".")
        if "tests" in parts or not any(part.startswith("api") for part in parts[1:]):
            continue  # API modules: ctip.<app>.api*, or the modules of a ctip.<app>.api package
        module = importlib.import_module(info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, serializers.Serializer) and cls.__module__ == module.__name__:
                yield cls


def test_every_api_date_time_is_rfc3339_and_every_input_date_is_checked():
    from rest_framework import serializers

    found = list(_api_serializers())
    assert len(found) > 40
    wrong = []
    for cls in found:
        for name, field in cls().fields.items():
            if type(field) is serializers.DateTimeField:
                wrong.append(f"{cls.__module__}.{cls.__name__}.{name}: use ctip.core.api.DateTimeField")
            if type(field) is serializers.DateField and not field.read_only and not cls.__name__.endswith("Out"):
                wrong.append(f"{cls.__module__}.{cls.__name__}.{name}: use ctip.core.api.DateField")
    assert not wrong, wrong
