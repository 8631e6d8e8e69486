"""/report/ renders the county and country option lists once per language (ctip.reference.options_cache)."""

from __future__ import annotations

import pytest
from django import forms
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ctip.reference.models import Country, County
from ctip.reference.options_cache import CachedOptionsSelect

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "sw"]


def _get(language: str):
    with CaptureQueriesContext(connection) as queries:
        response = Client(headers={"accept-language": language}).get("/report/")
    assert response.status_code == 200
    reference_tables = (County._meta.db_table, Country._meta.db_table)
    return response, [q["sql"] for q in queries if any(t in q["sql"] for t in reference_tables)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_second_render_reads_no_reference_data(language):
    first, first_queries = _get(language)
    assert len(first_queries) == 2  # counties and countries
    assert first["Content-Language"] == language
    second, second_queries = _get(language)
    assert second_queries == []
    assert second.content.count(b"<option") == first.content.count(b"<option") > 47 + 200


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_county_renamed_shows_up_after_its_transaction_commits(language, django_capture_on_commit_callbacks):
    county = County.objects.order_by("code").first()
    _get("en")
    _get("sw")  # both languages cached
    with django_capture_on_commit_callbacks(execute=True):
        county.name = "Renamed County"
        county.save()
    response, queries = _get(language)
    assert "Renamed County" in response.content.decode()
    assert len(queries) == 2  # built again
    # a country removed disappears too
    country = Country.objects.get(alpha2="FR")
    with django_capture_on_commit_callbacks(execute=True):
        country.delete()
    response, _queries = _get(language)
    assert f'value="{country.pk}"' not in response.content.decode()


def test_no_invalidation_before_the_commit(django_capture_on_commit_callbacks):
    county = County.objects.order_by("code").first()
    _get("en")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        county.name = "Renamed County"
        county.save()
    assert len(callbacks) == 1  # the bump waits for the commit
    response, queries = _get("en")
    assert queries == [] and "Renamed County" not in response.content.decode()


def test_a_chosen_county_is_still_selected_when_the_form_comes_back():
    county = County.objects.order_by("code").first()
    _get("en")
    response = Client().post("/report/", {"county": county.pk, "description": ""}, REMOTE_ADDR="203.0.113.20")
    assert response.status_code == 200
    assert f'<option value="{county.pk}" selected>' in response.content.decode()


def test_fields_of_the_same_name_with_other_options_do_not_share_an_entry():
    # given two forms with a "county" select of the same name but other options (all counties, or only some)
    class AllCounties(forms.Form):
        county = forms.ModelChoiceField(queryset=County.objects.order_by("name"), widget=CachedOptionsSelect)

    class SomeCounties(forms.Form):
        county = forms.ModelChoiceField(
            queryset=County.objects.filter(code__in=["001", "047"]).order_by("name"),
            widget=CachedOptionsSelect,
            empty_label="Choose one of yours",
        )

    # when both are rendered, the first filling the cache
    everything = str(AllCounties()["county"])
    some = str(SomeCounties()["county"])
    # then each shows its own options and empty label
    assert everything.count("<option") == County.objects.count() + 1
    assert some.count("<option") == 3 and "Choose one of yours" in some
