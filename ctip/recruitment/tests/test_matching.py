"""The name matcher and normalisation, pure (no database): hypothesis for the look-alike rule."""

from __future__ import annotations

import string

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ctip.recruitment.matching import LOOKALIKE_SCORE, NameMatcher, allowed_edits
from ctip.recruitment.names import GENERIC_WORDS, licence_key, name_key

word = st.text(alphabet=string.ascii_lowercase, min_size=8, max_size=14).filter(lambda w: w not in GENERIC_WORDS)
suffix = st.sampled_from(["Ltd", "Limited", "Agency", "Ventures", "Recruitment Services", "International Ltd", ""])


def one_edit(draw, text: str) -> str:
    i = draw(st.integers(0, len(text) - 1))
    op = draw(st.sampled_from(["sub", "ins", "del", "swap"]))
    c = draw(st.sampled_from(string.ascii_lowercase))
    if op == "sub":
        return text[:i] + c + text[i + 1 :]
    if op == "ins":
        return text[:i] + c + text[i:]
    if op == "del":
        return text[:i] + text[i + 1 :]
    j = min(i + 1, len(text) - 1)
    chars = list(text)
    chars[i], chars[j] = chars[j], chars[i]
    return "".join(chars)


@st.composite
def lookalike_pair(draw):
    base = draw(word)
    edited = one_edit(draw, base)
    return f"{base.title()} {draw(suffix)}", f"{edited.title()} {draw(suffix)}"


@settings(max_examples=200, deadline=None)
@given(lookalike_pair())
def test_one_edit_of_a_deregistered_name_is_a_lookalike(pair):
    deregistered, newcomer = pair
    matcher = NameMatcher([[deregistered], [newcomer]], [True, False])
    hits = matcher.lookalikes(1, [newcomer])
    assert [h.index for h in hits] == [0]
    assert hits[0].score >= LOOKALIKE_SCORE


@settings(max_examples=200, deadline=None)
@given(word, word)
def test_unrelated_names_are_not_lookalikes(a, b):
    from rapidfuzz.distance import OSA

    assume(OSA.distance(a, b) > allowed_edits(min(len(a), len(b))))
    matcher = NameMatcher([[f"{a} Ltd"], [f"{b} Agency"]], [True, False])
    assert matcher.lookalikes(1, [f"{b} Agency"]) == []


@settings(max_examples=200, deadline=None)
@given(lookalike_pair())
def test_search_tolerates_one_misspelling(pair):
    real, typed = pair
    matcher = NameMatcher([[real], ["Completely Different Name Ltd"]], [False, False])
    assert [h.index for h in matcher.search(typed)][:1] == [0]


@given(st.text(max_size=80))
def test_normalisation_is_idempotent_and_never_fails(text):
    key = name_key(text)
    assert name_key(key) == key
    assert licence_key(licence_key(text)) == licence_key(text)


def test_a_licensed_agency_is_not_its_own_lookalike_and_warned_only():
    matcher = NameMatcher(
        [["Jakarta Ventures Ltd"], ["Jakartya Ventures"], ["Jakarta Venture Limited"]], [True, False, False]
    )
    assert [h.index for h in matcher.lookalikes(1, ["Jakartya Ventures"])] == [0]
    assert [h.index for h in matcher.lookalikes(2, ["Jakarta Venture Limited"])] == [0]  # same name, new licence
    assert matcher.lookalikes(0, ["Jakarta Ventures Ltd"]) == []  # only other, warned agencies


def test_examples_from_the_domain():
    matcher = NameMatcher([["Talent Gateway Ltd"]], [True])
    assert matcher.resembles_warned("Talent Gateaway Agency")
    assert name_key("JAKARTA VENTURES LTD.") == "jakarta"
    assert name_key("International Recruitment Agency Ltd") == "international recruitment agency ltd"
    assert licence_key("nea/pea/2024/0012") == "NEAPEA20240012"


def test_one_swap_in_a_short_name_is_a_lookalike():
    matcher = NameMatcher([["Jabali International Ltd"]], [True])
    assert matcher.resembles_warned("Jablai International Ltd")
    assert not matcher.resembles_warned("Jabuli Kwanza Ltd")  # another distinctive word: a different name


def test_short_queries_do_not_match_everything():
    matcher = NameMatcher([["Abc Ltd"], ["Jakarta Ventures"]], [True, True])
    assert matcher.resembles_warned("Abd") == []  # too short to call a look-alike
    assert matcher.search("zz") == []
