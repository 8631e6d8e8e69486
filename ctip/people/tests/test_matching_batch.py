"""The vectorised scorer of the duplicate scan gives the scalar matcher's weight, score and decision."""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctip.people import matching, matching_batch, matching_store

# Names that exercise every token level: variants, phonetic spellings, look-alikes, initials, particles, typos.
NAMES = [
    "Wanjiku", "Wanjiru", "Wanjiko", "Kamau", "Kiama", "Kimani", "Otieno", "Atieno", "Otiyeno", "Otieo", "Chebet",
    "Jebet", "Achieng'", "Atieng", "Mohamed", "Muhammad", "Abdi", "Abdy", "Ole", "Sankale", "Olesankale", "bin",
    "Hassan", "Hasan", "Wafula", "Nafula", "J", "K", "A", "Owuor", "Owour", "Njoroge", "Njoroghe", "Mary", "Marion",
    "Zawadi", "Kiprotich", "Kiprotch", "Xenia", "Q",
]  # fmt: skip
COUNTIES = ["Nairobi", "Mombasa", "Kisumu", "Kilifi", "Nakuru", "Haines Street 14", "haines street"]
DATES = [date(1990, 1, 1), date(1990, 3, 4), date(1990, 4, 3), date(1990, 3, 5), date(1991, 3, 4), date(1999, 12, 31)]
DATES += [date(1990, 3, 14), date(1909, 3, 4), date(1990, 12, 4)]

name = st.lists(st.sampled_from(NAMES), min_size=0, max_size=6).map(" ".join)
identifier = st.sampled_from(["23456789", "23456798", "23456780", "12345678", "A1234567", "A1234576"])


@st.composite
def records(draw, rid):
    identifiers = {}
    for kind in ("national_id", "passport", "phone", "other_doc"):
        if draw(st.booleans()):
            identifiers[kind] = set(draw(st.lists(identifier, min_size=1, max_size=2)))
    return matching.Record(
        id=rid,
        given_names=draw(name),
        family_name=draw(name),
        other_names=draw(st.lists(name, max_size=2)),
        date_of_birth=draw(st.none() | st.sampled_from(DATES)),
        birth_year=draw(st.none() | st.sampled_from([1989, 1990, 1991, 1992, 1995])),
        sex=draw(st.sampled_from([None, "F", "M", "x"])),
        identifiers=identifiers,
        locality=draw(st.lists(st.sampled_from(COUNTIES), max_size=2)),
    )


CONFIGS = [
    matching.DEFAULT_CONFIG,
    matching_store.CTIP_CONFIG,
    matching_store.batch_config(1_000_000),
    dataclasses.replace(matching_store.CTIP_CONFIG, prior=3.0),
]


def _check(recs: list[matching.Record], pairs: list[tuple[int, int]]) -> None:
    prepared = [matching.prepare(r, matching_store.CTIP_CONFIG) for r in recs]
    table = matching_batch.Table()
    for p in prepared:
        table.add(p)
    table.freeze()
    a = np.array([i for i, _ in pairs], dtype=np.int64)
    b = np.array([j for _, j in pairs], dtype=np.int64)
    for cfg in CONFIGS:
        weight, score, decision = matching_batch.score_pairs(table, a, b, cfg)
        for k, (i, j) in enumerate(pairs):
            expected = matching.score_prepared(prepared[i], prepared[j], cfg, explain=False)
            assert weight[k] == pytest.approx(expected.weight, abs=1e-9)
            assert score[k] == pytest.approx(expected.score, abs=1e-12)
            assert matching_batch.DECISIONS[decision[k]] == expected.decision


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records(None), min_size=2, max_size=8), st.data())
def test_batch_scores_equal_the_scalar_scorer(recs, data):
    n = len(recs)
    pairs = data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), min_size=1, max_size=20))
    _check(recs, pairs)


def test_batch_scores_of_known_pairs():
    recs = [
        matching.Record(1, "Achieng'", "Otieno", date_of_birth=date(1990, 3, 4), sex="F", locality=["Kisumu"]),
        matching.Record(2, "Otieno", "Atieng", date_of_birth=date(1990, 4, 3), sex="F", locality=["Kisumu"]),
        matching.Record(3, "Mary Wanjiku", "Kamau", identifiers={"national_id": {"23456789"}}),
        matching.Record(4, "Mary", "Wanjiru Kamau", identifiers={"national_id": {"23456798"}}),
        matching.Record(5, "A B C D E", "F", other_names=["Mary Kamau"]),  # more names than the columns hold
        matching.Record(6, "", ""),
    ]
    _check(recs, [(i, j) for i in range(len(recs)) for j in range(len(recs))])


def test_tables_built_in_parts_score_like_one_table():
    recs = [
        matching.Record(1, "Chebet", "Koech", date_of_birth=date(2001, 5, 2), identifiers={"phone": {"0712"}}),
        matching.Record(2, "Jebet", "Koech", date_of_birth=date(2001, 5, 2), identifiers={"phone": {"0712"}}),
        matching.Record(3, "Abdi Rahman", "Ole Sankale", locality=["Kajiado", "Ngong"]),
        matching.Record(4, "Abdirahman", "Olesankale", locality=["Ngong"], identifiers={"passport": {"A1", "A2"}}),
    ]
    prepared = [matching.prepare(r) for r in recs]
    whole, first, second = matching_batch.Table(), matching_batch.Table(), matching_batch.Table()
    for k, p in enumerate(prepared):
        whole.add(p)
        (first if k < 2 else second).add(p)
    joined = matching_batch.Table.concat([first.freeze(), second.freeze()])
    whole.freeze()
    a, b = np.array([0, 0, 1, 2, 3]), np.array([1, 2, 3, 3, 0])
    for x, y in zip(matching_batch.score_pairs(whole, a, b, matching.DEFAULT_CONFIG),
                    matching_batch.score_pairs(joined, a, b, matching.DEFAULT_CONFIG), strict=True):  # fmt: skip
        assert np.allclose(x, y)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 12), st.integers(1, 40)), max_size=150),
    st.lists(st.tuples(st.integers(0, 5), st.integers(1, 40)), max_size=30),
    st.integers(2, 8),
    st.integers(1, 4),
)
def test_candidate_pairs_are_each_pair_once_as_the_rule_says(key_rows, id_rows, max_block, dense):
    """Pairs from the groups, once each: sharing a key in a small group, two keys (one in a dense group) or an
    identifier; groups larger than max_block pair no one (but count as a second key up to 4 x max_block)."""
    from ctip.people import scan

    def groups(rows):
        out: dict[int, set[int]] = {}
        for code, pid in rows:
            out.setdefault(code, set()).add(pid)
        return out

    keys, ids = groups(key_rows), groups(id_rows)
    expected: set[tuple[int, int]] = set()
    pids = sorted({p for _, p in key_rows} | {p for _, p in id_rows})
    for i, a in enumerate(pids):
        for b in pids[i + 1 :]:
            shared = [len(m) for m in keys.values() if a in m and b in m]
            small = any(n <= dense for n in shared if n <= max_block)
            counted = [n for n in shared if n <= max_block * scan.COUNT_BLOCK_FACTOR]
            paired = any(n <= max_block for n in shared)
            by_id = any(a in m and b in m and len(m) <= max_block for m in ids.values())
            if small or (paired and len(counted) >= 2) or by_id:
                expected.add((a, b))

    def arrays(rows):
        return np.array([c for c, _ in rows], dtype=np.int64), np.array([p for _, p in rows], dtype=np.int64)

    kg = scan.groups_of(*arrays(key_rows), max_block, dense, count_only=True)
    ig = scan.groups_of(*arrays(id_rows), max_block, max_block, count_only=False)
    pairs = scan.combine_pairs(kg, ig, parts=3)
    got = list(zip(pairs.a.tolist(), pairs.b.tolist(), strict=True))
    assert len(got) == len(set(got))
    assert set(got) == expected


def test_scoring_over_two_processes_keeps_the_same_pairs():
    from ctip.people import scan

    recs = [
        matching.Record(i, name, family, date_of_birth=date(1990, 3, 4) if i % 3 else None)
        for i, (name, family) in enumerate(
            [("Chebet", "Koech"), ("Jebet", "Koech"), ("Mohamed", "Abdi"), ("Muhammad", "Abdy"), ("Mary", "Kamau")] * 30
        )
    ]
    table = matching_batch.Table()
    for r in recs:
        table.add(matching.prepare(r))
    table.freeze()
    n = len(recs)
    a = np.array([i for i in range(n) for j in range(i + 1, n)], dtype=np.int64)
    b = np.array([j for i in range(n) for j in range(i + 1, n)], dtype=np.int64)
    cfg = matching_store.batch_config(1000)
    old = scan.SCORE_CHUNK
    try:
        scan.SCORE_CHUNK = 1000
        one = scan.score_candidates(table, a, b, cfg, wanted=1, processes=1)
        two = scan.score_candidates(table, a, b, cfg, wanted=1, processes=2)
    finally:
        scan.SCORE_CHUNK = old
    assert len(one) > 0
    assert np.array_equal(np.sort(one), np.sort(two))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.lists(st.sampled_from(NAMES)).map(" ".join))
def test_names_fold_word_by_word_as_a_whole(text):
    assert matching._tokens_with_display(text) == matching._canonical_tokens(matching._fold(text).split())
