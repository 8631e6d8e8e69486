"""Issue 13, the person registry as deployed: an (estimated) year of birth, address lines compared, a name typo
without a date of birth, an ID or phone number with one digit wrong (variant keys, docs/adr/0011)."""

from __future__ import annotations

from datetime import date

import pytest
from freezegun import freeze_time
from hypothesis import given, settings
from hypothesis import strategies as st

from ctip.accounts.enums import Role
from ctip.people import agreement, matching, matching_store, selectors
from ctip.people.forms import PersonForm
from ctip.people.identity import IdentifierValue, Identity, open_identity
from ctip.people.matching_store import identifier_variant_keys

# --- comparators (pure) -------------------------------------------------------------------------------------------

digits = st.text(alphabet="0123456789", min_size=7, max_size=8).filter(lambda t: t[0] != "0")


def _one_substitution(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


@settings(max_examples=300, deadline=None)
@given(digits, digits)
def test_two_numbers_share_a_variant_key_exactly_when_one_digit_differs(a, b):
    ka = set(identifier_variant_keys({"national_id": {a}}))
    kb = set(identifier_variant_keys({"national_id": {b}}))
    if a == b:
        assert ka == kb
    else:
        assert bool(ka & kb) is _one_substitution(a, b)


@settings(max_examples=200, deadline=None)
@given(digits, st.integers(min_value=0, max_value=7), st.sampled_from("0123456789"))
def test_a_number_typed_with_one_digit_wrong_shares_a_variant_key(a, position, digit):
    i = position % len(a)
    b = a[:i] + digit + a[i + 1 :]
    assert set(identifier_variant_keys({"national_id": {a}})) & set(identifier_variant_keys({"national_id": {b}}))


def test_variant_keys_are_tagged_with_the_kind_and_only_for_numbers_that_can_be_mistyped():
    keys = identifier_variant_keys({"national_id": {"23456789"}, "phone": {"+254712345678"}, "email": {"a@b.ke"}})
    assert set(keys.values()) == {"national_id", "phone"}
    assert len([k for k, kind in keys.items() if kind == "phone"]) == 9  # the last 9 digits vary, not "+2547"
    assert not set(identifier_variant_keys({"passport": {"23456789"}})) & set(keys)  # kinds never meet


years = st.one_of(st.none(), st.integers(min_value=1930, max_value=2020))


@settings(max_examples=200, deadline=None)
@given(years, years)
def test_year_agreement_is_symmetric_and_tolerant(a, b):
    ia, ib = Identity(birth_year=a), Identity(birth_year=b)
    rows = {r.field: r.category for r in agreement.compare(ia, ib)}
    back = {r.field: r.category for r in agreement.compare(ib, ia)}
    assert rows["birth_year"] == back["birth_year"]
    if a is not None and b is not None and abs(a - b) <= 2:
        assert rows["birth_year"] in (agreement.SAME, agreement.SIMILAR)


lines = st.lists(st.sampled_from(["12", "Moi Avenue", "Kibera", "Lindi", "Ngong Road", "Kisumu", "Box 44"]), max_size=4)


@settings(max_examples=200, deadline=None)
@given(lines, lines)
def test_address_agreement_is_symmetric(a, b):
    ia = Identity(addresses=[{"county": "047", "line": ", ".join(a)}])
    ib = Identity(addresses=[{"county": "047", "line": ", ".join(b)}])
    ab = {r.field: r.category for r in agreement.compare(ia, ib)}["address"]
    ba = {r.field: r.category for r in agreement.compare(ib, ia)}["address"]
    assert ab == ba


def test_estimated_year_of_birth_is_compared_with_tolerance():
    a = matching_store.record_of(Identity(first_name="Akinyi", last_name="Odhiambo", birth_year=1998))
    b = matching_store.record_of(Identity(first_name="Akinyi", last_name="Odhiambo", date_of_birth=date(1999, 5, 2)))
    c = matching_store.record_of(Identity(first_name="Akinyi", last_name="Odhiambo", birth_year=1980))
    assert matching.score(a, b).score > matching.score(a, c).score
    assert "yob_near" in {r.code for r in matching.score(a, b).reasons}
    assert "yob_conflict" in {r.code for r in matching.score(a, c).reasons}


def test_address_lines_are_compared_not_only_the_county():
    line = {"county": "047", "line": "House 12, Lindi Lane, Kibera"}
    other = {"county": "047", "line": "Plot 7, Moi Avenue, Westlands"}
    a = matching_store.record_of(Identity(first_name="Akinyi", last_name="Odhiambo", addresses=[line]))
    same = matching_store.record_of(Identity(first_name="Akinyi", last_name="Odhiambo", addresses=[line]))
    moved = matching_store.record_of(Identity(first_name="Akinyi", last_name="Odhiambo", addresses=[other]))
    assert matching.score(a, same).score > matching.score(a, moved).score


# --- the year of birth on the person, and the form ----------------------------------------------------------------


@pytest.mark.django_db
def test_birth_year_is_sealed_and_opened(users, make_person):
    person = make_person(users[Role.CASE_WORKER], "Akinyi", "Odhiambo", birth_year=1998)
    assert "1998" not in person.birth_year  # a vault token
    assert open_identity(person).birth_year == 1998


@pytest.mark.django_db
def test_a_date_of_birth_wins_over_a_year(users, make_person):
    person = make_person(users[Role.CASE_WORKER], "Akinyi", "Odhiambo", date_of_birth=date(1998, 3, 1), birth_year=1990)
    assert open_identity(person).birth_year is None and open_identity(person).year_of_birth == 1998


def _form(**data):
    return PersonForm(data={"first_name": "Akinyi", "last_name": "Odhiambo", **data})


@pytest.mark.django_db
def test_form_turns_an_estimated_age_into_a_year_of_birth():
    with freeze_time("2026-06-01 07:00:00"):
        form = _form(estimated_age="24")
        assert form.is_valid(), form.errors
        assert form.to_identity().birth_year == 2002
        assert _form(birth_year="1998", estimated_age="24").is_valid()  # the year given wins over the age


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"birth_year": "1850"}, "birth_year"),
        ({"birth_year": "2999"}, "birth_year"),
        ({"estimated_age": "-3"}, "estimated_age"),
        ({"estimated_age": "abc"}, "estimated_age"),
        ({"date_of_birth": "1998-03-01", "birth_year": "1990"}, "birth_year"),
    ],
)
def test_form_refuses_a_bad_year_or_age_on_the_field(data, field):
    form = _form(**data)
    assert not form.is_valid() and field in form.errors


@pytest.mark.django_db
def test_form_labels_are_in_kiswahili():
    from django.utils import translation

    with translation.override("sw"):
        form = PersonForm()
        assert str(form.fields["birth_year"].label) != "Year of birth (if the date is not known)"
        assert str(form.fields["estimated_age"].label) != "Estimated age (if neither is known)"


# --- registration look-up -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_name_typo_without_a_date_of_birth_still_proposes_the_person(users, make_person):
    officer = users[Role.CASE_WORKER]
    person = make_person(officer, "Wanjiku", "Kamau", sex="female", addresses=[{"county": "047", "line": "Kibera"}])
    # "Wanjiu": a letter dropped that changes the name's phonetic key, so no name-pair key is shared: only the
    # name-and-initial key of records without a year finds her.
    probe = Identity(
        first_name="Wanjiu", last_name="Kamau", sex="female", addresses=[{"county": "047", "line": "Kibera"}]
    )
    result = selectors.person_candidates_for_identity(user=officer, identity=probe)
    assert person.pk in [c.person.pk for c in result]


@pytest.mark.django_db
def test_a_name_typo_without_a_date_finds_a_person_registered_with_a_year(users, make_person):
    officer = users[Role.CASE_WORKER]
    person = make_person(officer, "Kiprotich", "Cheruiyot", sex="male", birth_year=1996)
    probe = Identity(first_name="Kiprotich", last_name="Cheruiyo", sex="male")  # the final t dropped
    result = selectors.person_candidates_for_identity(user=officer, identity=probe)
    assert person.pk in [c.person.pk for c in result]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "stored", "typed"),
    [("national_id", "23456789", "23456780"), ("phone", "0712345678", "0712345679")],
)
def test_a_number_with_one_digit_wrong_is_evidence_at_registration(users, make_person, kind, stored, typed):
    officer = users[Role.CASE_WORKER]
    person = make_person(officer, "Amina", "Hassan", identifiers=[(kind, stored)])
    probe = Identity(first_name="Amina", last_name="Hasan", identifiers=[IdentifierValue(kind, typed)])
    result = selectors.person_candidates_for_identity(user=officer, identity=probe)
    found = next(c for c in result if c.person.pk == person.pk)
    assert "id_one_digit_typo" in found.codes
    # without the number the same names are weaker evidence
    bare = selectors.person_candidates_for_identity(
        user=officer, identity=Identity(first_name="Amina", last_name="Hasan")
    )
    assert all(c.score < found.score for c in bare if c.person.pk == person.pk)


@pytest.mark.django_db
def test_a_different_number_is_not_taken_for_a_typo(users, make_person):
    officer = users[Role.CASE_WORKER]
    person = make_person(officer, "Amina", "Hassan", identifiers=[("national_id", "23456789")])
    probe = Identity(first_name="Amina", last_name="Hasan", identifiers=[IdentifierValue("national_id", "23450000")])
    result = selectors.person_candidates_for_identity(user=officer, identity=probe)
    assert all("id_one_digit_typo" not in c.codes for c in result if c.person.pk == person.pk)


@pytest.mark.django_db
def test_the_batch_scan_pairs_persons_whose_numbers_differ_by_one_digit(users, make_person):
    from ctip.people.models import DuplicateCandidate
    from ctip.people.services import duplicates_scan

    officer = users[Role.CASE_WORKER]
    a = make_person(officer, "Amina", "Hassan", identifiers=[("national_id", "23456789")])
    b = make_person(officer, "Aamina", "Hasan", identifiers=[("national_id", "23456788")])
    duplicates_scan(actor="test")
    pair = DuplicateCandidate.objects.get(person_a=min(a.pk, b.pk), person_b=max(a.pk, b.pk))
    assert "id_one_digit_typo" in pair.reasons
