"""The amount and text parsers: examples, and properties over any input (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ctip.jobcheck.parsing import MAX_AMOUNT, normalise_phrase, normalise_text, parse_amount


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("45000", 45000),
        ("45,000", 45000),
        ("45 000", 45000),
        ("KSh 45,000", 45000),
        ("Kshs. 45,000/=", 45000),
        ("45k", 45000),
        ("45K", 45000),
        ("1.5k", 1500),
        ("1.5m", 1500000),
        ("$800", 800),
        ("USD 1,200", 1200),
        ("1,200 USD", 1200),
        ("1,500.50", Decimal("1500.50")),
        ("1.500.000", 1500000),
        ("2,5", Decimal("2.5")),
        ("0", 0),
        ("€ 2,000", 2000),
        ("", None),
        ("fifty thousand", None),
        ("elfu hamsini", None),
        ("12-000", None),
        ("1,2,3", None),
        ("9" * 20, None),
    ],
)
def test_amount_examples(text, expected):
    got = parse_amount(text)
    assert got == (None if expected is None else Decimal(expected))


@given(st.text(max_size=80))
def test_amount_never_raises_and_is_sane(text):
    got = parse_amount(text)
    assert got is None or (Decimal(0) <= got <= MAX_AMOUNT)


@given(st.integers(min_value=0, max_value=10**9))
def test_amount_reads_what_people_write(n):
    assert parse_amount(str(n)) == n
    assert parse_amount(f"{n:,}") == n
    assert parse_amount(f"KES {n:,}") == n
    assert parse_amount(f"{n:,}/=") == n


@given(st.integers(min_value=1, max_value=999), st.sampled_from(["k", "K", "m"]))
def test_amount_suffixes(n, suffix):
    factor = 1000 if suffix.lower() == "k" else 1000000
    assert parse_amount(f"{n}{suffix}") == n * factor


@given(st.text(max_size=300))
def test_text_normalised_is_idempotent_and_spaced(text):
    out = normalise_text(text)
    assert out.startswith(" ") and out.endswith(" ")
    assert "  " not in out or out == " "
    assert normalise_text(out) == out
    assert all(c == " " or c.isascii() and (c.isdigit() or c.islower()) for c in out)


@given(st.lists(st.sampled_from(["kazi", "ya", "haraka", "tuma", "pesa", "visa", "no", "experience"]), max_size=8))
def test_a_phrase_is_found_in_any_text_that_contains_it(words):
    phrase = " ".join(words[:3]) or "kazi"
    text = "Habari!! " + phrase.upper().replace(" ", " ,\n ") + " ... asante"
    assert f" {normalise_phrase(phrase)} " in normalise_text(text)


def test_phrases_match_whole_words_only():
    assert " urgent " not in normalise_text("insurgents arrived")
    assert " urgent " in normalise_text("URGENT!!! fly now")
    assert " kazi ya haraka " in normalise_text("Kazi-ya-Haraka 💼")
    assert normalise_text("Café naïve") == " cafe naive "
