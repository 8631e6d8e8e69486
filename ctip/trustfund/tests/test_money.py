"""The KSh amount parser: strict, exact (integer cents), and the formatter its inverse."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ctip.trustfund.money import MAX_CENTS, AmountError, format_ksh, parse_ksh


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("1", 100),
        ("0.05", 5),
        ("0.5", 50),
        ("12500", 1_250_000),
        ("12,500.50", 1_250_050),
        ("1,234,567.89", 123_456_789),
        ("KSh 300", 30_000),
        ("ksh300.10", 30_010),
        ("  42.00 ", 4_200),
        ("10000000000000", MAX_CENTS),
    ],
)
def test_accepts(text, cents):
    assert parse_ksh(text) == cents


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "0",
        "0.00",
        "-5",
        "+5",
        "1.234",  # a third decimal would be rounded away
        "1.",
        ".5",
        "1e3",
        "1,00",
        "12,3456",
        ",100",
        "1 000",
        "NaN",
        "Infinity",
        "١٢",  # Arabic-Indic digits: int() takes them, a ledger must not
        "５",  # full-width digit
        "10000000000000.01",  # above the ceiling
        "KSh",
        "USD 5",
        "5 KSh",
        "0x10",
        "1_000",
    ],
)
def test_refuses(text):
    with pytest.raises(AmountError):
        parse_ksh(text)


@given(st.integers(min_value=1, max_value=MAX_CENTS))
def test_format_then_parse_is_the_identity(cents):
    assert parse_ksh(format_ksh(cents)) == cents
    assert parse_ksh(format_ksh(cents).replace(",", "")) == cents


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=99))
def test_decimals_are_exact(whole, frac):
    text = f"{whole}.{frac:02d}"
    if whole == 0 and frac == 0:
        with pytest.raises(AmountError):
            parse_ksh(text)
    else:
        assert parse_ksh(text) == whole * 100 + frac


@given(st.text(max_size=30))
def test_any_text_is_an_amount_or_an_amount_error(text):
    try:
        cents = parse_ksh(text)
    except AmountError:
        return
    assert isinstance(cents, int) and 0 < cents <= MAX_CENTS
    assert parse_ksh(format_ksh(cents)) == cents


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_format_is_exact(cents):
    text = format_ksh(cents)
    whole, frac = text.lstrip("-").replace(",", "").split(".")
    assert (int(whole) * 100 + int(frac)) * (-1 if text.startswith("-") else 1) == cents
