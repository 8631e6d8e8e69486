"""Privacy protection of de-identified microdata before it leaves CTIP (issue 14, docs/exchange.md): k-anonymity by
generalisation then suppression, and differentially private synthetic data with Microsoft's Private Accurate
Combination synthesizer (`pac-synth`, the one CTDC uses), with the privacy and utility report CTDC publishes beside
its synthetic files.

Pure functions on rows of strings (a header and records); nothing here reads the database. An empty string is a
missing value: it is not an attribute and is never counted in a combination.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations

DELIMITER = "\x1f"  # between the attributes of a combination key (never in a CTDC value)


# --- k-anonymity ------------------------------------------------------------------------------------------------


@dataclass
class KAnonymity:
    records: list[list[str]]  # the records kept (generalised where needed), in input order
    generalised: int = 0  # records with at least one quasi-identifier blanked
    suppressed: int = 0  # records dropped: still rarer than k after every generalisation step


def k_anonymise(
    records: Sequence[Sequence[str]], qi_indexes: Sequence[int], steps: Sequence[Sequence[int]], k: int
) -> KAnonymity:
    """Make every combination of the quasi-identifiers (the columns at `qi_indexes`) shared by at least k records.

    Records whose combination is rarer than k are generalised step by step (each step blanks the columns it names,
    only in the records still rare), then those still rare are suppressed. A blank counts as a value of its own, so
    the guarantee holds for the file as written: every kept record's quasi-identifier combination occurs >= k
    times among the kept records (suppressing rare records cannot lower the count of a combination kept)."""
    rows = [list(r) for r in records]
    changed: set[int] = set()

    def rare() -> list[int]:
        counts = Counter(tuple(r[i] for i in qi_indexes) for r in rows)
        return [n for n, r in enumerate(rows) if counts[tuple(r[i] for i in qi_indexes)] < k]

    for step in steps:
        for n in rare():
            if any(rows[n][i] for i in step):
                changed.add(n)
            for i in step:
                rows[n][i] = ""
    dropped = set(rare())
    kept = [r for n, r in enumerate(rows) if n not in dropped]
    return KAnonymity(kept, generalised=len(changed - dropped), suppressed=len(dropped))


# --- combinations ---------------------------------------------------------------------------------------------------


def _attributes(header: Sequence[str], record: Sequence[str], indexes: Sequence[int]) -> list[str]:
    return [f"{header[i]}:{record[i]}" for i in indexes if record[i]]


def combination_counts(
    header: Sequence[str], records: Sequence[Sequence[str]], indexes: Sequence[int], max_length: int
) -> Counter:
    """How many records hold each combination (1..max_length attributes) of the non-empty values of the columns
    at `indexes` (keys: attributes joined by DELIMITER, in column order)."""
    counts: Counter = Counter()
    for record in records:
        attrs = _attributes(header, record, indexes)
        for length in range(1, min(max_length, len(attrs)) + 1):
            counts.update(DELIMITER.join(c) for c in combinations(attrs, length))
    return counts


# --- differentially private synthesis ------------------------------------------------------------------------------


@dataclass
class SynthesisReport:
    epsilon: float
    reporting_length: int
    k: int
    sensitive_records: int
    synthetic_records: int
    guarded_records: int  # synthetic records whose rare quasi-identifier values were blanked
    rare_combination_leakage: int  # must be 0
    mean_proportional_error: float | None  # over sensitive combinations of length 1..reporting_length with >= k
    error_by_length: dict[int, float | None] = field(default_factory=dict)
    preservation_by_length: dict[int, float | None] = field(default_factory=dict)


def _rare_leaks(
    header: Sequence[str], record: Sequence[str], qi_indexes: Sequence[int], sensitive_qi: Counter, k: int
) -> list[str]:
    attrs = _attributes(header, record, qi_indexes)
    leaks = []
    for length in range(1, len(attrs) + 1):
        for combo in combinations(attrs, length):
            key = DELIMITER.join(combo)
            if 0 < sensitive_qi.get(key, 0) < k:
                leaks.append(key)
    return leaks


def _guard(header: Sequence[str], record: list[str], qi_indexes: Sequence[int], sensitive_qi: Counter, k: int) -> bool:
    """Blank, in place, the quasi-identifier values of a synthetic record that take part in a rare real combination
    (the value in most of them first, until none is left); True if anything was blanked."""
    changed = False
    while leaks := _rare_leaks(header, record, qi_indexes, sensitive_qi, k):
        counts = Counter(attr for key in leaks for attr in key.split(DELIMITER))
        worst = counts.most_common(1)[0][0].split(":", 1)[0]
        record[header.index(worst)] = ""
        changed = True
    return changed


def rare_combination_leakage(
    header: Sequence[str],
    sensitive: Sequence[Sequence[str]],
    synthetic: Sequence[Sequence[str]],
    qi_indexes: Sequence[int],
    k: int,
) -> int:
    """The number of distinct combinations of quasi-identifier values (any length up to the number of
    quasi-identifiers) present in the synthetic records that occur in the sensitive records fewer than k times (but
    at least once): a rare real combination carried into the file. Combinations that do not occur in the sensitive
    data at all (fabricated) are not leakage."""
    sensitive_qi = combination_counts(header, sensitive, qi_indexes, len(qi_indexes))
    leaked: set[str] = set()
    for record in synthetic:
        leaked.update(_rare_leaks(header, record, qi_indexes, sensitive_qi, k))
    return len(leaked)


def _utility(
    header: Sequence[str], sensitive: Sequence[Sequence[str]], synthetic: Sequence[Sequence[str]], length: int, k: int
) -> tuple[dict[int, float | None], dict[int, float | None], float | None]:
    indexes = range(len(header))
    real = combination_counts(header, sensitive, indexes, length)
    synth = combination_counts(header, synthetic, indexes, length)
    errors: dict[int, list[float]] = {n: [] for n in range(1, length + 1)}
    kept: dict[int, int] = dict.fromkeys(range(1, length + 1), 0)
    total: dict[int, int] = dict.fromkeys(range(1, length + 1), 0)
    for key, count in real.items():
        n = key.count(DELIMITER) + 1
        got = synth.get(key, 0)
        total[n] += count
        kept[n] += min(count, got)
        if count >= k:
            errors[n].append(abs(got - count) / count)
    error_by_length = {n: (sum(v) / len(v) if v else None) for n, v in errors.items()}
    preservation = {n: (kept[n] / total[n] if total[n] else None) for n in total}
    everything = [e for v in errors.values() for e in v]
    return error_by_length, preservation, (sum(everything) / len(everything) if everything else None)


def _sample(header: list[str], records: Sequence[Sequence[str]], epsilon: float, length: int) -> list[list[str]]:
    import pacsynth  # imported here: a compiled library only the synthetic export needs

    params = pacsynth.DpAggregateSeededParametersBuilder().reporting_length(length).epsilon(epsilon).build()
    dataset = pacsynth.Dataset([header, *[list(r) for r in records]])
    synthesizer = pacsynth.DpAggregateSeededSynthesizer(params)
    try:
        synthesizer.fit(dataset)
    except BaseException as exc:  # pac-synth panics (a BaseException) on some noise draws
        # on a small file the noisy record count can come out negative: nothing is released (no second draw,
        # which would spend the privacy budget again)
        if type(exc).__name__ != "PanicException":
            raise
        return []
    return synthesizer.sample(synthesizer.get_dp_number_of_records())


def dp_synthesise(
    header: Sequence[str],
    records: Sequence[Sequence[str]],
    qi_indexes: Sequence[int],
    *,
    k: int,
    epsilon: float,
    reporting_length: int = 3,
) -> tuple[list[list[str]], SynthesisReport]:
    """Differentially private synthetic records from `records` with pac-synth's DpAggregateSeededSynthesizer
    (DP marginals up to `reporting_length`, privacy budget `epsilon`), then the privacy guard: in a synthetic record
    holding a combination of quasi-identifier values that is rare (1..k-1) in the sensitive records, quasi-identifier
    values are blanked until none is left, so the rare-combination leakage of the file is 0 (checked again, and
    reported). The guard reads the sensitive data
    (as CTDC's own release checks do), so the file's formal guarantee is epsilon-DP plus this deterministic filter.
    """
    header = list(header)
    synthetic: list[list[str]] = []
    if len(records) >= k:  # fewer records than k: nothing can be released
        raw = _sample(header, records, epsilon, reporting_length)
        columns = raw[0] if raw else header
        position = {name: i for i, name in enumerate(columns)}
        synthetic = [[r[position[name]] if name in position else "" for name in header] for r in raw[1:]]
    sensitive_qi = combination_counts(header, records, qi_indexes, len(qi_indexes))
    clean = []
    guarded = 0
    for record in synthetic:
        if _guard(header, record, qi_indexes, sensitive_qi, k):
            guarded += 1
        if any(record):
            clean.append(record)
    error_by_length, preservation, mean_error = _utility(header, records, clean, reporting_length, k)
    report = SynthesisReport(
        epsilon=epsilon,
        reporting_length=reporting_length,
        k=k,
        sensitive_records=len(records),
        synthetic_records=len(clean),
        guarded_records=guarded,
        rare_combination_leakage=rare_combination_leakage(header, records, clean, qi_indexes, k),
        mean_proportional_error=mean_error,
        error_by_length=error_by_length,
        preservation_by_length=preservation,
    )
    return clean, report
