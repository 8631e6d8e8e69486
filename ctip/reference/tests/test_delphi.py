"""The Delphi combination rule, exhaustively at the dimension level and by property for whole assessments."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ctip.reference.delphi import DIMENSIONS, LIKELY, NOT_MET, POSSIBLE, STRENGTHS, assess, dimension_positive


@pytest.mark.parametrize(
    ("strengths", "positive"),
    [
        (["strong", "strong"], True),
        (["strong", "medium"], True),
        (["strong", "weak"], True),
        (["medium", "medium", "medium"], True),
        (["medium", "medium", "weak"], True),
        (["strong"], False),
        (["medium", "medium"], False),
        (["medium", "weak", "weak"], False),
        (["weak", "weak", "weak", "weak"], False),
        ([], False),
    ],
)
def test_dimension_thresholds(strengths, positive):
    assert dimension_positive(strengths) is positive


def _positive(dimension):
    return [(dimension, "strong"), (dimension, "medium")]


def test_adult_needs_recruitment_exploitation_and_coercion():
    found = _positive("deceptive_recruitment") + _positive("exploitative_conditions")
    assert assess(found, is_child=False).outcome == POSSIBLE
    found += _positive("coercion_at_destination")
    result = assess(found, is_child=False)
    assert result.outcome == LIKELY
    assert result.positive == ("deceptive_recruitment", "exploitative_conditions", "coercion_at_destination")


def test_child_needs_no_means():
    found = _positive("deceptive_recruitment") + _positive("exploitative_conditions")
    assert assess(found, is_child=True).outcome == LIKELY
    assert assess(_positive("exploitative_conditions"), is_child=True).outcome == POSSIBLE


def test_nothing_found_is_not_met_and_single_strong_is_possible():
    assert assess([], is_child=False).outcome == NOT_MET
    assert assess([("coercive_recruitment", "medium")], is_child=False).outcome == NOT_MET
    assert assess([("coercive_recruitment", "strong")], is_child=False).outcome == POSSIBLE


def test_unknown_dimension_is_rejected():
    with pytest.raises(ValueError):
        assess([("made_up", "strong")], is_child=False)


findings = st.lists(st.tuples(st.sampled_from(DIMENSIONS), st.sampled_from(STRENGTHS)), max_size=30)


@given(findings, st.booleans())
def test_more_evidence_never_lowers_the_outcome(found, is_child):
    rank = {NOT_MET: 0, POSSIBLE: 1, LIKELY: 2}
    base = assess(found, is_child=is_child)
    more = assess(found + [("exploitative_conditions", "strong")], is_child=is_child)
    assert rank[more.outcome] >= rank[base.outcome]


@given(findings)
def test_adult_likely_implies_child_likely(found):
    if assess(found, is_child=False).outcome == LIKELY:
        assert assess(found, is_child=True).outcome == LIKELY


@given(findings, st.booleans())
def test_positive_dimensions_are_exactly_those_meeting_the_threshold(found, is_child):
    result = assess(found, is_child=is_child)
    for dimension in DIMENSIONS:
        strengths = [s for d, s in found if d == dimension]
        assert (dimension in result.positive) == dimension_positive(strengths)
