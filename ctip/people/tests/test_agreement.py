"""Field-by-field agreement (ctip.people.agreement): categories only, symmetric, never failing on odd input."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctip.people.agreement import DIFFERENT, MISSING, SAME, SIMILAR, compare
from ctip.people.identity import IdentifierValue, Identity

names = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
dates = st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 12, 31)))
kinds = st.sampled_from(["national_id", "passport", "phone", "email", "other"])
identities = st.builds(
    Identity,
    first_name=names,
    middle_names=names,
    last_name=names,
    aliases=st.lists(names, max_size=2),
    date_of_birth=dates,
    sex=st.sampled_from(["", "female", "male", "unknown", "intersex"]),
    addresses=st.lists(st.fixed_dictionaries({"county": st.sampled_from(["", "001", "047"])}), max_size=2),
    identifiers=st.lists(
        st.builds(IdentifierValue, kind=kinds, value=st.text(alphabet="0123456789", min_size=1, max_size=9)),
        max_size=3,
    ),
)


@settings(max_examples=200, deadline=None)
@given(identities, identities)
def test_agreement_is_symmetric_and_only_categories(a, b):
    ab, ba = compare(a, b), compare(b, a)
    assert [(r.field, r.category) for r in ab] == [(r.field, r.category) for r in ba]
    assert {r.category for r in ab} <= {SAME, SIMILAR, DIFFERENT, MISSING}


@settings(max_examples=100, deadline=None)
@given(identities)
def test_identity_agrees_with_itself(a):
    assert {r.category for r in compare(a, a)} <= {SAME, MISSING}


def test_examples():
    a = Identity(first_name="Akinyi", last_name="Odhiambo", date_of_birth=date(1998, 3, 14), sex="female")
    b = Identity(first_name="Akinyi", last_name="Odiambo", date_of_birth=date(1998, 3, 14), sex="")
    rows = {r.field: r.category for r in compare(a, b)}
    assert rows["first_name"] == SAME and rows["last_name"] == SIMILAR and rows["sex"] == MISSING
    c = Identity(first_name="Wanjiku", last_name="Kamau", date_of_birth=date(1998, 3, 14))
    d = Identity(first_name="Wanjiru", last_name="Kamau", date_of_birth=date(1998, 3, 14))
    assert {r.field: r.category for r in compare(c, d)}["first_name"] == DIFFERENT  # look-alike names differ
    swapped = Identity(date_of_birth=date(1998, 3, 4))
    assert {r.field: r.category for r in compare(swapped, Identity(date_of_birth=date(1998, 4, 3)))}[
        "date_of_birth"
    ] == SIMILAR


@pytest.mark.django_db
@settings(max_examples=200, deadline=None)
@given(st.text(max_size=250), st.one_of(st.none(), st.integers(-5000, 5000).map(str), st.text(max_size=6)))
def test_name_search_form_never_fails_on_input(name, year):
    """The name-search form parses anything a browser can send into a clean search or field errors."""
    from ctip.people.forms import NameSearchForm

    form = NameSearchForm({"n-name": name, **({"n-birth_year": year} if year is not None else {})})
    if form.is_valid():
        from ctip.people.matching import name_tokens

        assert len(name_tokens(form.cleaned_data["name"])) >= 2  # two names at least, as the matcher reads them
        year_ok = form.cleaned_data["birth_year"]
        assert year_ok is None or year_ok >= 1900
    else:
        assert form.errors
