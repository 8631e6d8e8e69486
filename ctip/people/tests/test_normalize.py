"""Identifier normalisers: property tests (hypothesis) plus the documented examples."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ctip.people.enums import IdentifierKind
from ctip.people.normalize import (
    IdentifierInvalid,
    normalize_email,
    normalize_identifier,
    normalize_kra_pin,
    normalize_national_id,
    normalize_other,
    normalize_passport,
    normalize_phone,
)

# Safaricom / Airtel / Telkom mobile prefixes: 07xx and 01xx, nine digits after the trunk 0.
mobile_subscriber = st.builds(
    lambda prefix, rest: prefix + rest,
    st.sampled_from(["70", "71", "72", "74", "75", "79", "11"]),
    st.text(alphabet="0123456789", min_size=7, max_size=7),
)
separators = st.sampled_from(["", " ", "-", "  ", "."])


def _spaced(digits: str, sep: str) -> str:
    return sep.join([digits[:3], digits[3:6], digits[6:]]) if sep else digits


@settings(max_examples=200)
@given(mobile_subscriber)
def test_equivalent_kenyan_forms_give_the_same_e164(subscriber):
    # given the same mobile written the four ways Kenyans write it
    forms = [f"0{subscriber}", f"+254{subscriber}", f"254{subscriber}", subscriber]
    # when
    results = {normalize_phone(f) for f in forms}
    # then
    assert results == {f"+254{subscriber}"}


@settings(max_examples=200)
@given(mobile_subscriber, separators)
def test_separators_do_not_change_the_phone(subscriber, sep):
    assert normalize_phone(_spaced(f"0{subscriber}", sep)) == f"+254{subscriber}"
    assert normalize_phone("+254 " + _spaced(subscriber, sep)) == f"+254{subscriber}"


@settings(max_examples=300)
@given(st.text(max_size=30))
@example("0712345678")
@example("+254712345678")
@example("+44 20 7946 0958")
@example("")
@example("++254")
@example("0" * 30)
@example("\x00\uffff")
def test_phone_normalisation_is_idempotent_and_only_raises_identifier_invalid(raw):
    try:
        once = normalize_phone(raw)
    except IdentifierInvalid:
        return
    # then: a normalised value is a fixed point, and it is E.164
    assert normalize_phone(once) == once
    assert once.startswith("+")
    assert once[1:].isdigit()


@settings(max_examples=200)
@given(st.text(alphabet="0123456789 +-()", max_size=20))
def test_phone_digit_soup_only_raises_identifier_invalid(raw):
    try:
        out = normalize_phone(raw)
    except IdentifierInvalid:
        return
    assert normalize_phone(out) == out


@pytest.mark.parametrize("raw", ["", "   ", "hello", "0712", "07123456789012", "+254 000 000 000"])
def test_invalid_phones_are_refused(raw):
    with pytest.raises(IdentifierInvalid):
        normalize_phone(raw)


def test_foreign_numbers_keep_their_country():
    assert normalize_phone("+44 20 7946 0958") == "+442079460958"
    assert normalize_phone("+256 772 123456") == "+256772123456"


@settings(max_examples=200)
@given(st.integers(min_value=1, max_value=99_999_999), st.integers(min_value=0, max_value=3), separators)
def test_national_id_leading_zeros_and_separators_do_not_matter(number, zeros, sep):
    digits = "0" * zeros + str(number)
    if len(digits) > 8:
        digits = str(number)
    spaced = sep.join(digits[i : i + 3] for i in range(0, len(digits), 3)) if sep in ("", " ", "-") else digits
    # when
    once = normalize_national_id(spaced)
    # then
    assert once == str(number)
    assert normalize_national_id(once) == once


@settings(max_examples=300)
@given(st.text(max_size=20))
@example("0")
@example("000000000")
@example("123456789")
@example("١٢٣٤")  # Arabic-Indic digits: \d matches them in Python, int() accepts them
def test_national_id_is_idempotent_and_only_raises_identifier_invalid(raw):
    try:
        once = normalize_national_id(raw)
    except IdentifierInvalid:
        return
    assert normalize_national_id(once) == once
    assert 1 <= int(once) <= 99_999_999


@pytest.mark.parametrize("raw", ["", "0", "000", "123456789", "12a456", "12.3456"])
def test_invalid_national_ids_are_refused(raw):
    with pytest.raises(IdentifierInvalid):
        normalize_national_id(raw)


@settings(max_examples=200)
@given(st.text(max_size=20))
@example("ak 1234567")
@example("ABCDEF")
def test_passport_is_idempotent_and_only_raises_identifier_invalid(raw):
    try:
        once = normalize_passport(raw)
    except IdentifierInvalid:
        return
    assert normalize_passport(once) == once
    assert once == once.upper()


def test_passport_examples():
    assert normalize_passport("ak 123-4567") == "AK1234567"
    with pytest.raises(IdentifierInvalid):
        normalize_passport("ABCDEFG")  # no digit
    with pytest.raises(IdentifierInvalid):
        normalize_passport("A12")


@settings(max_examples=150)
@given(st.text(max_size=40))
def test_other_normalisers_are_idempotent_and_only_raise_identifier_invalid(raw):
    for fn in (normalize_email, normalize_kra_pin, normalize_other):
        try:
            once = fn(raw)
        except IdentifierInvalid:
            continue
        assert fn(once) == once


@settings(max_examples=150)
@given(st.text(max_size=20), st.text(max_size=30))
def test_normalize_identifier_only_raises_identifier_invalid(kind, raw):
    try:
        out = normalize_identifier(kind, raw)
    except IdentifierInvalid:
        return
    assert kind in {k.value for k in IdentifierKind}  # only a known kind can succeed
    assert normalize_identifier(kind, out) == out


def test_normalize_identifier_dispatches_by_kind():
    assert normalize_identifier(IdentifierKind.PHONE, "0712 345 678") == "+254712345678"
    assert normalize_identifier("national_id", "0012-3456") == "123456"
    assert normalize_identifier("email", " A@Example.ORG ") == "a@example.org"
    assert normalize_identifier("kra_pin", "a123456789b") == "A123456789B"
    with pytest.raises(IdentifierInvalid):
        normalize_identifier("shoe_size", "42")
