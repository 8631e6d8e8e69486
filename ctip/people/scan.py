"""The registry-wide duplicate scan (`manage.py find_duplicates`, people.services.duplicates_scan), in three
passes that each touch the data once:

1. **Candidate pairs** (`candidate_pairs`): the match-key index (keyed hashes, never names) and the identifier
   blind indexes are read once into numpy arrays and sorted; every pair of persons sharing a key is generated from
   the groups, and the pairs are de-duplicated with numpy (a pair sharing three keys is one pair). In a group of
   more than `DENSE_BLOCK` persons (a common date of birth, a common name pair and year) one key is weak evidence:
   such a pair is kept only when it shares a second key (counted over every key of the two persons, in groups of
   up to `COUNT_BLOCK_FACTOR` x max_block) or an identifier. Groups over `max_block` pair no one.
   The pairs are generated in `PARTS` slices of the first person's id, so memory holds a slice, not all of them.
2. **Persons** (`load_table`): each person in a pair (and no other) is decrypted once (only the compared fields and the
   identifiers), prepared by the matcher and put in a columnar `matching_batch.Table`; with several processes each
   reads a range of ids.
3. **Scores** (`score_candidates`): `matching_batch.score_pairs` over chunks of pairs, split over the processes;
   only the pairs kept (possible or match) are explained: their persons are decrypted again and scored one by one
   by `matching.score_prepared`, which gives the reason codes stored in the review queue.

Measured (`bench/candidates.py --batch-only`, SQLite, 2 processes, on a machine with 2 cores shared with other
work, load average 11-12): 418,000 demo persons, 4.44 million pairs scored once each, 82 s of CPU (5 min 45 s of
wall time at the 23% of the CPU the run got), peak memory 536 MB (largest worker 468 MB), 93.1% of the planted
re-registrations queued; 318,000 persons: 3.21 million pairs, 55 s of CPU, 409/426 MB, 92.9%. At 50,000 persons
the queue is the same, pair for pair, as the previous streaming scan's (981 pairs, 92.7% of the planted ones).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
from django.db import connections

from . import matching, matching_batch, matching_store
from .identity import IDENTIFIERS, open_identity
from .models import Person, PersonIdentifier, PersonMatchKey

DENSE_BLOCK = 30  # in a larger group, pairs need a second key or an identifier
COUNT_BLOCK_FACTOR = 4  # groups up to this many times max_block count as second keys (they pair no one)
PARTS = 8  # slices of the pair generation (memory: one slice of the pairs at a time)
READ_CHUNK = 100_000  # index rows read at a time
LOAD_BATCH = 2_000  # persons decrypted per query
SCORE_CHUNK = 50_000  # pairs scored at a time

# Per-occurrence weights of a pair: a key shared in a small group, in a dense group, in a group too large to pair.
_SMALL, _DENSE, _COUNT_ONLY = 100, 10, 1


@dataclass
class Pairs:
    """Candidate pairs (person ids a < b), with the number of groups (keys and identifiers) that paired someone."""

    a: np.ndarray
    b: np.ndarray
    groups: int = 0


def _key_code(key: str) -> int:
    return int(key[:15], 16)  # 60 bits of the hash (the keys are hex HMAC-SHA256 digests)


def _read(rows: Iterator[tuple[str, int]]) -> tuple[np.ndarray, np.ndarray]:
    codes: list[np.ndarray] = []
    pids: list[np.ndarray] = []
    chunk_k: list[int] = []
    chunk_p: list[int] = []
    for key, pid in rows:
        chunk_k.append(_key_code(key))
        chunk_p.append(pid)
        if len(chunk_k) >= READ_CHUNK:
            codes.append(np.array(chunk_k, dtype=np.int64))
            pids.append(np.array(chunk_p, dtype=np.int64))
            chunk_k, chunk_p = [], []
    codes.append(np.array(chunk_k, dtype=np.int64))
    pids.append(np.array(chunk_p, dtype=np.int64))
    return np.concatenate(codes), np.concatenate(pids)


@dataclass
class Groups:
    """Persons sorted by group: members[starts[g] : starts[g] + sizes[g]] is group g (ids ascending), `weight[g]`
    the per-occurrence weight of its pairs."""

    members: np.ndarray
    starts: np.ndarray
    sizes: np.ndarray
    weight: np.ndarray


def groups_of(codes: np.ndarray, pids: np.ndarray, max_block: int, dense: int, *, count_only: bool) -> Groups:
    """The groups of persons sharing a code (a person listed once per group), sized 2..max_block, or up to
    COUNT_BLOCK_FACTOR x max_block when `count_only` groups are wanted too (weights: _SMALL up to `dense` members,
    _DENSE up to max_block, _COUNT_ONLY above)."""
    order = np.lexsort((pids, codes))
    codes, pids = codes[order], pids[order]
    first = np.ones(len(codes), dtype=bool)
    first[1:] = (codes[1:] != codes[:-1]) | (pids[1:] != pids[:-1])
    codes, pids = codes[first], pids[first]
    if len(codes) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Groups(pids, empty, empty, empty)
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    sizes = np.diff(np.r_[starts, len(codes)])
    limit = max_block * COUNT_BLOCK_FACTOR if count_only else max_block
    keep = (sizes >= 2) & (sizes <= limit)
    starts, sizes = starts[keep], sizes[keep]
    weight = np.where(sizes > max_block, _COUNT_ONLY, np.where(sizes <= dense, _SMALL, _DENSE))
    return Groups(pids, starts, sizes, weight.astype(np.int64))


def _group_pairs(groups: Groups, part: int, parts: int, budget: int = 1_000_000) -> Iterator[tuple[np.ndarray, ...]]:
    """(a, b, weight) of every pair within the groups whose first id a is in slice `part` (a % parts), a < b,
    generated a few million at a time."""
    cum = np.cumsum(groups.sizes * (groups.sizes - 1) // 2)
    lo = 0
    while lo < len(groups.sizes):
        base = cum[lo - 1] if lo else 0
        hi = max(int(np.searchsorted(cum, base + budget, side="right")), lo + 1)
        starts, sizes, weight = groups.starts[lo:hi], groups.sizes[lo:hi], groups.weight[lo:hi]
        lo = hi
        # position q of group g pairs with q+1 .. end-1
        pos = np.repeat(starts, sizes) + _ranges(sizes)
        ends = np.repeat(starts + sizes, sizes)
        w = np.repeat(weight, sizes)
        counts = ends - pos - 1
        left = np.repeat(pos, counts)
        right = left + 1 + _ranges(counts)
        pw = np.repeat(w, counts)
        a, b = groups.members[left], groups.members[right]  # members ascending within a group: a < b
        sel = (a % parts) == part
        yield a[sel], b[sel], pw[sel]


def _ranges(sizes: np.ndarray) -> np.ndarray:
    """0..n-1 for each n of `sizes`, concatenated."""
    total = int(sizes.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(np.cumsum(sizes) - sizes, sizes)
    return np.arange(total, dtype=np.int64) - offsets


def combine_pairs(key_groups: Groups, id_groups: Groups, parts: int = PARTS) -> Pairs:
    """The distinct pairs to score: sharing a key of a small group, or two keys (one of a dense group), or an
    identifier."""
    out_a: list[np.ndarray] = []
    out_b: list[np.ndarray] = []
    for part in range(parts):
        codes: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        for groups in (key_groups, id_groups):
            for a, b, w in _group_pairs(groups, part, parts):
                codes.append((a << 32) | b)
                weights.append(w.astype(np.int16))
        if not codes:
            continue
        code = np.concatenate(codes)
        weight = np.concatenate(weights)
        order = np.argsort(code, kind="stable")
        code, weight = code[order], weight[order]
        starts = np.flatnonzero(np.r_[True, code[1:] != code[:-1]]) if len(code) else np.zeros(0, np.int64)
        if len(starts) == 0:
            continue
        total = np.add.reduceat(weight, starts)
        rest = total % _SMALL
        shared = rest // _DENSE + rest % _DENSE
        keep = (total >= _SMALL) | ((rest >= _DENSE) & (shared >= 2))
        kept = code[starts][keep]
        out_a.append((kept >> 32).astype(np.int32))
        out_b.append((kept & 0xFFFFFFFF).astype(np.int32))
    a = np.concatenate(out_a) if out_a else np.zeros(0, dtype=np.int32)
    b = np.concatenate(out_b) if out_b else np.zeros(0, dtype=np.int32)
    used = int((key_groups.weight > _COUNT_ONLY).sum() + len(id_groups.sizes))
    return Pairs(a, b, used)


def candidate_pairs(max_block: int, dense: int | None = None) -> Pairs:
    """The distinct pairs of persons the scan scores (see the module docstring)."""
    dense = DENSE_BLOCK if dense is None else dense
    keys = PersonMatchKey.objects.values_list("key", "person_id").iterator(chunk_size=READ_CHUNK)
    codes, pids = _read(keys)
    key_groups = groups_of(codes, pids, max_block, dense, count_only=True)
    del codes, pids
    shared = (
        PersonIdentifier.objects.filter(person__is_active=True, person__merged_into__isnull=True)
        .values_list("blind_index", "person_id")
        .iterator(chunk_size=READ_CHUNK)
    )
    codes, pids = _read(shared)
    id_groups = groups_of(codes, pids, max_block, max_block, count_only=False)
    return combine_pairs(key_groups, id_groups)


# --- persons ------------------------------------------------------------------------------------------------------

_SCAN_FIELDS = (*matching_store.COMPARED_FIELDS, IDENTIFIERS)
_STATE: dict = {}  # what the worker processes read (inherited when forked)


def _live():
    return Person.objects.filter(is_active=True, merged_into__isnull=True)


class _Sealed:
    """A person's row as read for the scan: id, public id and the sealed columns compared (vault tokens)."""

    __slots__ = ("pk", "public_id", *matching_store.COMPARED_FIELDS)

    def __init__(self, row: tuple):
        for name, value in zip(self.__slots__, row, strict=True):
            setattr(self, name, value)


def _prepare_rows(rows: list[tuple], identifiers: dict[int, list[tuple[str, str, str]]]):
    cfg = matching_store.CTIP_CONFIG
    for row in rows:
        sealed = _Sealed(row)
        identity = open_identity(sealed, _SCAN_FIELDS, identifier_rows=identifiers.get(sealed.pk, ()))
        yield sealed.pk, matching.prepare(matching_store.record_of(identity, record_id=sealed.pk), cfg)


def _identifier_rows(**lookup) -> dict[int, list[tuple[str, str, str]]]:
    out: dict[int, list[tuple[str, str, str]]] = {}
    for pid, kind, token, country in PersonIdentifier.objects.filter(**lookup).values_list(
        "person_id", "kind", "value", "issuing_country"
    ):
        out.setdefault(pid, []).append((kind, token, country))
    return out


def _prepared_persons(lo: int, hi: int) -> Iterator[tuple[int, matching._Prepared]]:
    """(pk, prepared record) of the live persons with lo <= pk < hi, decrypted LOAD_BATCH at a time (rows read as
    values, identifiers read per batch: no model instance per person)."""
    last = lo - 1
    while True:
        rows = list(_live().filter(pk__gt=last, pk__lt=hi).order_by("pk").values_list(*_Sealed.__slots__)[:LOAD_BATCH])
        if not rows:
            return
        first, last = rows[0][0], rows[-1][0]
        needed = _STATE.get("needed")
        if needed is not None:  # only persons in a pair are decrypted
            ids = np.fromiter((r[0] for r in rows), np.int64, len(rows))
            rows = [r for r, keep in zip(rows, np.isin(ids, needed), strict=True) if keep]
        yield from _prepare_rows(rows, _identifier_rows(person_id__gte=first, person_id__lte=last))


def prepared_of(ids: list[int]) -> dict[int, matching._Prepared]:
    """pk -> prepared record of the persons `ids` (at most 900: SQLite's bound-parameter limit)."""
    rows = list(Person.objects.filter(pk__in=ids).values_list(*_Sealed.__slots__))
    return dict(_prepare_rows(rows, _identifier_rows(person_id__in=ids)))


def _load_range(bounds: tuple[int, int]) -> tuple[np.ndarray, matching_batch.Table]:
    table = matching_batch.Table()
    pks: list[int] = []
    for pk, prepared in _prepared_persons(*bounds):
        pks.append(pk)
        table.add(prepared)
    return np.asarray(pks, dtype=np.int64), table.freeze()


def _ranges_of_ids(processes: int) -> list[tuple[int, int]]:
    ids = np.fromiter(_live().order_by("pk").values_list("pk", flat=True).iterator(chunk_size=READ_CHUNK), np.int64)
    if len(ids) == 0:
        return []
    cuts = [int(ids[len(ids) * i // processes]) for i in range(processes)] + [int(ids[-1]) + 1]
    return [(cuts[i], cuts[i + 1]) for i in range(processes) if cuts[i] < cuts[i + 1]]


_INHERITED: list = []  # in a worker: the parent's database connections, kept open and never used


def _own_connections() -> None:
    """Pool initializer: a forked worker opens its own database connections. The inherited ones are set aside,
    not closed: closing one would end the parent's session, which shares the socket. (An in-memory SQLite
    database is copied into the worker by the fork, so its connection is kept and read.)"""
    for conn in connections.all(initialized_only=True):
        if conn.vendor == "sqlite" and conn.is_in_memory_db():
            continue
        if conn.connection is not None:
            _INHERITED.append(conn.connection)
            conn.connection = None


def parallel_allowed() -> bool:
    """Worker processes read through their own connections, which cannot see rows of a transaction still open
    here: inside one (a scan run from a service's transaction, a test), the work stays in this process."""
    conn = connections["default"]
    if conn.vendor == "sqlite" and conn.is_in_memory_db():
        return True
    return not conn.in_atomic_block


def _pool(processes: int):
    return multiprocessing.get_context("fork").Pool(processes, initializer=_own_connections)


def load_table(processes: int = 1, needed: np.ndarray | None = None) -> tuple[np.ndarray, matching_batch.Table]:
    """(pk of each row, Table) of the live persons (those in `needed` when given), each decrypted once."""
    ranges = _ranges_of_ids(processes)
    _STATE["needed"] = needed
    try:
        if processes <= 1 or len(ranges) <= 1 or not parallel_allowed():
            return _load_range((ranges[0][0], ranges[-1][1]) if ranges else (0, 0))
        with _pool(len(ranges)) as pool:
            parts = pool.map(_load_range, ranges)
    finally:
        _STATE.clear()
    return np.concatenate([pks for pks, _t in parts]), matching_batch.Table.concat([t for _p, t in parts])


def persons_in(pairs: Pairs) -> np.ndarray:
    """The distinct person ids of the pairs, sorted."""
    return np.unique(np.concatenate([pairs.a, pairs.b]))


def rows_of(pks: np.ndarray, pairs: Pairs) -> tuple[np.ndarray, np.ndarray]:
    """The table rows of the pairs whose two persons were loaded (a person deleted, merged or deactivated since
    its keys were read pairs no one)."""
    rows_a = np.searchsorted(pks, pairs.a).astype(np.int32)
    rows_b = np.searchsorted(pks, pairs.b).astype(np.int32)
    live = (rows_a < len(pks)) & (rows_b < len(pks))
    live[live] &= (pks[rows_a[live]] == pairs.a[live]) & (pks[rows_b[live]] == pairs.b[live])
    return rows_a[live], rows_b[live]


# --- scores -------------------------------------------------------------------------------------------------------


def _score_slice(bounds: tuple[int, int]) -> tuple[np.ndarray, int]:
    lo, hi = bounds
    table, ra, rb, cfg, wanted = (_STATE[k] for k in ("table", "a", "b", "cfg", "wanted"))
    _w, _s, decision = matching_batch.score_pairs(table, ra[lo:hi], rb[lo:hi], cfg)
    return lo + np.flatnonzero(decision >= wanted), hi - lo


def score_candidates(
    table: matching_batch.Table,
    rows_a: np.ndarray,
    rows_b: np.ndarray,
    cfg: matching.MatchConfig,
    *,
    wanted: int,
    processes: int = 1,
    progress: Callable[[int], None] | None = None,
) -> np.ndarray:
    """Positions of the pairs (rows_a[k], rows_b[k]) whose decision code is `wanted` or better."""
    _STATE.update(table=table, a=rows_a, b=rows_b, cfg=cfg, wanted=wanted)
    slices = [(lo, min(lo + SCORE_CHUNK, len(rows_a))) for lo in range(0, len(rows_a), SCORE_CHUNK)]
    kept: list[np.ndarray] = []
    try:
        if processes <= 1 or len(slices) <= 1:
            results = map(_score_slice, slices)
            for found, n in results:
                kept.append(found)
                if progress:
                    progress(n)
        else:
            with _pool(processes) as pool:
                for found, n in pool.imap(_score_slice, slices):
                    kept.append(found)
                    if progress:
                        progress(n)
    finally:
        _STATE.clear()
    return np.concatenate(kept) if kept else np.zeros(0, dtype=np.int64)


def explain(pairs: list[tuple[int, int]], cfg: matching.MatchConfig) -> Iterator[tuple[int, int, matching.Match]]:
    """(a, b, the matcher's full result with reasons) of each pair, scored one by one (the persons decrypted
    again, a few at a time)."""
    for start in range(0, len(pairs), 400):
        chunk = pairs[start : start + 400]
        persons = prepared_of(sorted({pid for pair in chunk for pid in pair}))
        for a, b in chunk:
            if a in persons and b in persons:
                yield a, b, matching.score_prepared(persons[a], persons[b], cfg)


def peak_memory_mb() -> tuple[int, int]:
    """Peak resident memory in MB of this process and of the largest worker process that has ended."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024


def default_processes() -> int:
    return max(1, min(2, os.cpu_count() or 1))
