"""Place names as people type them map onto one county or country key (ctip.reference.places)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ctip.reference.data.counties import COUNTIES
from ctip.reference.places import county_code_key, county_keys, place_key


@pytest.mark.parametrize(
    ("typed", "official"),
    [
        ("Nairobi", "Nairobi City"),
        ("nairobi county", "Nairobi City"),
        ("NAIROBI CITY COUNTY", "Nairobi City"),
        ("Muranga", "Murang'a"),
        ("Murang’a", "Murang'a"),
        ("Taita Taveta", "Taita-Taveta"),
        ("Tharaka Nithi", "Tharaka-Nithi"),
        ("Elgeyo Marakwet", "Elgeyo-Marakwet"),
        ("Homa-Bay", "Homa Bay"),
        ("Trans-Nzoia", "Trans Nzoia"),
        ("County of Kilifi", "Kilifi"),
        ("KE-30", "Nairobi City"),
        ("ke 30", "Nairobi City"),
    ],
)
def test_common_spellings_reach_the_official_county(typed, official):
    index = {key: name for code, name, iso in COUNTIES for key in county_keys(code, name, iso)}
    assert index[county_code_key(typed) or place_key(typed)] == official


def test_no_two_counties_share_a_key():
    seen: dict[str, str] = {}
    for code, name, iso in COUNTIES:
        for key in county_keys(code, name, iso):
            assert seen.setdefault(key, name) == name, (key, name, seen[key])


@pytest.mark.parametrize(("typed", "code"), [("47", "047"), ("047", "047"), ("1", "001"), ("0470", None), ("x1", None)])
def test_county_codes(typed, code):
    assert county_code_key(typed) == code


@given(st.text(max_size=60))
def test_place_key_is_idempotent_and_never_fails(text):
    key = place_key(text)
    assert place_key(key) == key
    assert key == key.strip()
