"""Vectorised pair scoring for the registry-wide duplicate scan: the same weights and decisions as
`matching.score_prepared`, computed for many pairs at once with numpy (and rapidfuzz's batch distance).

`Table` holds prepared records in columns (name tokens as integer ids, date of birth as numbers, sex, identifier
values, a locality id); `score_pairs(table, a, b, config)` returns the total weight, score and decision of each
pair (a[k], b[k]) of table rows. Per level the rules are those of `matching` (it is the reference: a property test
compares the two on random records):

- names: the best one-to-one assignment of tokens over every pair of names (primary, aliases) is the maximum over
  the permutations of a padded square matrix of token weights (a padded row costs nothing, a real token assigned
  to a padded column is forbidden), for names of up to `MAX_TOKENS` tokens; the weight of each distinct pair of
  tokens is worked out once by `matching.token_level` and kept;
- date of birth, sex, identifiers: array comparisons (one-character edits by rapidfuzz `cpdist`);
- locality: the level of each distinct pair of localities is worked out once by the scalar rule.

A record outside what the columns hold (a name of more than `MAX_TOKENS` tokens, two values of one identifier
kind) is kept prepared and its pairs are scored by `matching.score_prepared`. Pure Python and numpy, no Django.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz.distance import OSA
from rapidfuzz.process import cpdist

from . import matching

MAX_TOKENS = 4
TOKEN_CACHE = 500_000  # weights of distinct token pairs kept, at most
_FORBIDDEN = -1.0e9
DECISIONS = ("non_match", "possible", "match")  # codes 0, 1, 2 of `score_pairs`


@dataclass
class _Locality:
    """The locality part of a prepared record (what `matching._locality_level` reads)."""

    locality: frozenset[str]
    locality_fuzzy: tuple[str, ...]
    locality_text: str


@dataclass
class Table:
    """Prepared records in columns. Add records with `add`, then `freeze` before scoring."""

    tokens: list[str] = field(default_factory=list)
    token_ids: dict[str, int] = field(default_factory=dict)
    values: list[str] = field(default_factory=list)  # identifier values (one list for all kinds)
    value_ids: dict[str, int] = field(default_factory=dict)
    kinds: list[str] = field(default_factory=list)
    localities: list[_Locality] = field(default_factory=lambda: [_Locality(frozenset(), (), "")])
    locality_ids: dict[tuple, int] = field(default_factory=dict)
    complex: dict[int, matching._Prepared] = field(default_factory=dict)  # row -> prepared, scored one by one
    # growing columns (lists until `freeze`)
    _name_rows: list[int] = field(default_factory=list)  # MAX_TOKENS token ids per name, -1 padded
    _row_start: list[int] = field(default_factory=list)
    _row_count: list[int] = field(default_factory=list)
    _dob: list[int] = field(default_factory=list)  # yyyymmdd, 0 when unknown
    _year: list[int] = field(default_factory=list)  # 0 when unknown
    _sex: list[int] = field(default_factory=list)  # 0 unknown, 1 F, 2 M
    _ids: list[int] = field(default_factory=list)  # (row, kind index, value id) flattened
    _loc: list[int] = field(default_factory=list)
    frozen: bool = False

    def __len__(self) -> int:
        return len(self._loc) if not self.frozen else len(self.loc)

    def _token(self, tok: str) -> int:
        tid = self.token_ids.get(tok)
        if tid is None:
            tid = self.token_ids[tok] = len(self.tokens)
            self.tokens.append(tok)
        return tid

    def _value(self, value: str) -> int:
        vid = self.value_ids.get(value)
        if vid is None:
            vid = self.value_ids[value] = len(self.values)
            self.values.append(value)
        return vid

    def _kind(self, kind: str) -> int:
        if kind not in self.kinds:
            self.kinds.append(kind)
        return self.kinds.index(kind)

    def add(self, p: matching._Prepared) -> int:
        """Append a prepared record; returns its row."""
        row = len(self._loc)
        if any(len(t) > MAX_TOKENS for t in p.name_tokens) or any(len(v) > 1 for v in p.identifiers.values()):
            self.complex[row] = p
        self._row_start.append(len(self._name_rows) // MAX_TOKENS)
        names = [t for t in p.name_tokens if len(t) <= MAX_TOKENS]
        self._row_count.append(len(names))
        for t in names:
            self._name_rows.extend([self._token(tok) for tok in t] + [-1] * (MAX_TOKENS - len(t)))
        d = p.dob
        self._dob.append(d.year * 10000 + d.month * 100 + d.day if d else 0)
        self._year.append(p.year or 0)
        self._sex.append({"F": 1, "M": 2}.get(p.sex or "", 0))
        for k, v in p.identifiers.items():
            if len(v) == 1:
                self._ids.extend((row, self._kind(k), self._value(next(iter(v)))))
        if p.locality:
            key = (p.locality, p.locality_fuzzy, p.locality_text)
            lid = self.locality_ids.get(key)
            if lid is None:
                lid = self.locality_ids[key] = len(self.localities)
                self.localities.append(_Locality(*key))
        else:
            lid = 0
        self._loc.append(lid)
        return row

    def freeze(self) -> Table:
        flat = np.asarray(self._name_rows or [-1] * MAX_TOKENS, dtype=np.int32)
        self.name_tok = flat.reshape(-1, MAX_TOKENS)
        self.name_len = (self.name_tok >= 0).sum(axis=1).astype(np.int8)
        self.row_start = np.asarray(self._row_start, dtype=np.int64)
        self.row_count = np.asarray(self._row_count, dtype=np.int64)
        self.dob = np.asarray(self._dob, dtype=np.int64)
        self.year = np.asarray(self._year, dtype=np.int32)
        self.sex = np.asarray(self._sex, dtype=np.int8)
        self.ids = np.full((len(self._loc), max(len(self.kinds), 1)), -1, dtype=np.int64)
        triples = np.asarray(self._ids, dtype=np.int64).reshape(-1, 3)
        self.ids[triples[:, 0], triples[:, 1]] = triples[:, 2]
        self.loc = np.asarray(self._loc, dtype=np.int32)
        self.is_complex = np.zeros(len(self._loc), dtype=bool)
        self.is_complex[list(self.complex)] = True
        self._name_rows, self._row_start, self._row_count, self._dob = [], [], [], []
        self._year, self._sex, self._ids, self._loc = [], [], [], []
        self.token_weights: dict[int, float] = {}
        self.locality_levels: dict[tuple[int, int], str | None] = {}
        self.frozen = True
        return self

    @classmethod
    def concat(cls, parts: Sequence[Table]) -> Table:
        """One frozen table of the rows of frozen `parts`, in order (built by several processes)."""
        out = cls()
        names, lens, starts, counts, dobs, years, sexes, ids, locs = [], [], [], [], [], [], [], [], []
        kinds = list(dict.fromkeys(k for t in parts for k in t.kinds))
        rows = name_rows = 0
        for t in parts:
            tok_map = np.array([out._token(x) for x in t.tokens] + [-1], dtype=np.int32)
            val_map = np.array([out._value(x) for x in t.values] + [-1], dtype=np.int64)
            loc_map = [0]
            for loc in t.localities[1:]:
                key = (loc.locality, loc.locality_fuzzy, loc.locality_text)
                lid = out.locality_ids.get(key)
                if lid is None:
                    lid = out.locality_ids[key] = len(out.localities)
                    out.localities.append(loc)
                loc_map.append(lid)
            n_names = int(t.row_count.sum())
            names.append(tok_map[t.name_tok[:n_names]])  # -1 maps to the last entry: -1
            lens.append(t.name_len[:n_names])
            starts.append(t.row_start + name_rows)
            counts.append(t.row_count)
            dobs.append(t.dob)
            years.append(t.year)
            sexes.append(t.sex)
            part_ids = np.full((len(t.loc), max(len(kinds), 1)), -1, dtype=np.int64)
            for k, kind in enumerate(t.kinds):
                part_ids[:, kinds.index(kind)] = val_map[t.ids[:, k]]
            ids.append(part_ids)
            locs.append(np.asarray(loc_map, dtype=np.int32)[t.loc])
            out.complex.update({row + rows: p for row, p in t.complex.items()})
            rows += len(t.loc)
            name_rows += n_names
        out.kinds = kinds
        out.name_tok = np.concatenate(names) if name_rows else np.full((1, MAX_TOKENS), -1, dtype=np.int32)
        out.name_len = np.concatenate(lens) if name_rows else np.zeros(1, dtype=np.int8)
        out.row_start = np.concatenate(starts)
        out.row_count = np.concatenate(counts)
        out.dob = np.concatenate(dobs)
        out.year = np.concatenate(years)
        out.sex = np.concatenate(sexes)
        out.ids = np.concatenate(ids)
        out.loc = np.concatenate(locs)
        out.is_complex = np.zeros(rows, dtype=bool)
        out.is_complex[list(out.complex)] = True
        out.token_weights, out.locality_levels = {}, {}
        out.frozen = True
        return out


def _perm_index(k: int) -> np.ndarray:
    return np.array([[i * MAX_TOKENS + p[i] for i in range(k)] for p in itertools.permutations(range(k))])


_PERMS = {k: _perm_index(k) for k in range(1, MAX_TOKENS + 1)}


def _token_weights(table: Table, ta: np.ndarray, tb: np.ndarray, weights) -> np.ndarray:
    """Weight of each pair of token ids (both >= 0), each distinct pair worked out once per table."""
    lo, hi = np.minimum(ta, tb).astype(np.int64), np.maximum(ta, tb).astype(np.int64)
    codes = lo * (len(table.tokens) + 1) + hi
    uniq, inverse = np.unique(codes, return_inverse=True)
    cache = table.token_weights
    n = len(table.tokens) + 1
    tokens = table.tokens
    out = np.empty(len(uniq), dtype=np.float64)
    if len(cache) > TOKEN_CACHE:
        cache.clear()  # bounded: memory stays flat whatever the vocabulary
    for i, code in enumerate(uniq.tolist()):
        w = cache.get(code)
        if w is None:
            w = cache[code] = weights[matching.token_level(tokens[code // n], tokens[code % n])]
        out[i] = w
    return out[inverse]


def _name_weights(table: Table, a: np.ndarray, b: np.ndarray, weights) -> tuple[np.ndarray, np.ndarray]:
    """(best name weight, has names on both sides) per pair."""
    ca, cb = table.row_count[a], table.row_count[b]
    combos = ca * cb
    has = combos > 0
    pair_of = np.repeat(np.arange(len(a)), combos)
    if len(pair_of) == 0:
        return np.zeros(len(a)), has
    first = np.cumsum(combos) - combos
    k = np.arange(len(pair_of)) - first[pair_of]
    ra = table.row_start[a][pair_of] + k // cb[pair_of]
    rb = table.row_start[b][pair_of] + k % cb[pair_of]
    la, lb = table.name_len[ra].astype(np.int64), table.name_len[rb].astype(np.int64)
    swap = la > lb  # the rows of the matrix are the tokens of the shorter name
    rs, rl = np.where(swap, rb, ra), np.where(swap, ra, rb)
    ls, ll = np.where(swap, lb, la), np.where(swap, la, lb)
    ts, tl = table.name_tok[rs], table.name_tok[rl]
    w = np.zeros((len(rs), MAX_TOKENS, MAX_TOKENS))
    pos = np.arange(MAX_TOKENS)
    real_s = pos[None, :] < ls[:, None]
    real_l = pos[None, :] < ll[:, None]
    both = real_s[:, :, None] & real_l[:, None, :]
    ii, jj, kk = np.nonzero(both)
    w[ii, jj, kk] = _token_weights(table, ts[ii, jj], tl[ii, kk], weights)
    w[real_s[:, :, None] & ~real_l[:, None, :]] = _FORBIDDEN
    flat = w.reshape(len(rs), MAX_TOKENS * MAX_TOKENS)
    best = np.empty(len(rs))
    size = np.maximum(ls, ll)
    for k_size, perms in _PERMS.items():
        sel = np.nonzero(size == k_size)[0]
        if len(sel):
            best[sel] = flat[sel][:, perms].sum(axis=2).max(axis=1)
    out = np.full(len(a), -np.inf)
    np.maximum.at(out, pair_of, best)
    return np.where(has, out, 0.0), has


def _digits(dob: np.ndarray) -> np.ndarray:
    return np.stack([(dob // 10**p) % 10 for p in range(7, -1, -1)], axis=1)


def _one_edit_digits(da: np.ndarray, db: np.ndarray) -> np.ndarray:
    """Dates yyyymmdd that differ by one substituted digit or two adjacent digits swapped (OSA distance 1)."""
    xa, xb = _digits(da), _digits(db)
    diff = xa != xb
    nd = diff.sum(axis=1)
    swapped = np.zeros(len(da), dtype=bool)
    for i in range(7):
        swapped |= diff[:, i] & diff[:, i + 1] & (xa[:, i] == xb[:, i + 1]) & (xa[:, i + 1] == xb[:, i])
    return (nd == 1) | ((nd == 2) & swapped)


def _dob_weights(table: Table, a: np.ndarray, b: np.ndarray, weights) -> np.ndarray:
    da, db = table.dob[a], table.dob[b]
    ya, yb = table.year[a], table.year[b]
    out = np.zeros(len(a))
    both = (da > 0) & (db > 0)
    same = both & (da == db)
    default_day = (da % 10000) == 101  # 1 January (matching.DEFAULT_BIRTH_DAYS)
    mda, mdb = da % 10000, db % 10000
    swapped = both & ~same & (da // 10000 == db // 10000) & (mda // 100 == mdb % 100) & (mda % 100 == mdb // 100)
    rest = both & ~same & ~swapped
    typo = np.zeros(len(a), dtype=bool)
    typo[rest] = _one_edit_digits(da[rest], db[rest])
    rest &= ~typo
    year_month = rest & (da // 100 == db // 100)
    year_only = rest & ~year_month & (da // 10000 == db // 10000)
    conflict = rest & ~year_month & ~year_only
    out[same & default_day] = weights["dob_same_default_day"]
    out[same & ~default_day] = weights["dob_same"]
    out[swapped] = weights["dob_day_month_swapped"]
    out[typo] = weights["dob_one_digit_typo"]
    out[year_month] = weights["dob_same_year_month"]
    out[year_only] = weights["dob_same_year"]
    out[conflict] = weights["dob_conflict"]
    years = ~both & (ya > 0) & (yb > 0)
    gap = np.abs(ya - yb)
    out[years & (gap == 0)] = weights["yob_same"]
    out[years & (gap == 1)] = weights["yob_near"]
    out[years & (gap > 2)] = weights["yob_conflict"]
    return out


def _identifier_weights(
    table: Table, a: np.ndarray, b: np.ndarray, config: matching.MatchConfig
) -> tuple[np.ndarray, np.ndarray]:
    """(identifier weight, a national ID number conflicts) per pair."""
    weights = config.weights
    out = np.zeros(len(a))
    nid_conflict = np.zeros(len(a), dtype=bool)
    for k, kind in enumerate(table.kinds):
        va, vb = table.ids[a, k], table.ids[b, k]
        both = (va >= 0) & (vb >= 0)
        if not both.any():
            continue
        level_kind = kind if f"{kind}_same" in config.mu else "id"
        same = both & (va == vb)
        conflict = both & ~same
        out[same] += weights[f"{level_kind}_same"]
        if kind in matching._TYPO_KINDS or level_kind == "id":
            idx = np.nonzero(conflict)[0]
            if len(idx):
                values = table.values
                sa = [values[v] for v in va[idx].tolist()]
                sb = [values[v] for v in vb[idx].tolist()]
                dist = cpdist(sa, sb, scorer=OSA.distance, workers=1)
                lens = np.fromiter((len(x) == len(y) for x, y in zip(sa, sb, strict=True)), bool, len(idx))
                typo_idx = idx[(dist == 1) & lens]
                out[typo_idx] += weights[f"{level_kind}_typo"]
                conflict[typo_idx] = False
        out[conflict] += weights[f"{level_kind}_conflict"]
        if f"{level_kind}_conflict" == "national_id_conflict":
            nid_conflict |= conflict
    return out, nid_conflict


def _locality_weights(table: Table, a: np.ndarray, b: np.ndarray, weights) -> tuple[np.ndarray, list[str]]:
    la, lb = table.loc[a].astype(np.int64), table.loc[b].astype(np.int64)
    out = np.zeros(len(a))
    both = (la > 0) & (lb > 0)
    if not both.any():
        return out, []
    n = len(table.localities)
    codes = la[both] * n + lb[both]
    uniq, inverse = np.unique(codes, return_inverse=True)
    levels = []
    for code in uniq.tolist():
        key = (code // n, code % n)
        level = table.locality_levels.get(key)
        if level is None:
            level = table.locality_levels[key] = matching._locality_level(
                table.localities[key[0]], table.localities[key[1]]
            )
        levels.append(level)
    lw = np.array([weights[lv] for lv in levels])
    out[both] = lw[inverse]
    return out, levels


def score_pairs(
    table: Table, a: Sequence[int] | np.ndarray, b: Sequence[int] | np.ndarray, config: matching.MatchConfig
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(weight, score, decision code: 0 non_match, 1 possible, 2 match) of each pair of table rows (a[k], b[k]),
    equal to `matching.score_prepared` of the two prepared records."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    weights = config.weights
    names, _has = _name_weights(table, a, b, weights)
    dob = _dob_weights(table, a, b, weights)
    sa, sb = table.sex[a], table.sex[b]
    both_sex = (sa > 0) & (sb > 0)
    sex = np.where(both_sex, np.where(sa == sb, weights["sex_same"], weights["sex_conflict"]), 0.0)
    ids, capped = _identifier_weights(table, a, b, config)
    loc, _levels = _locality_weights(table, a, b, weights)
    total = names + dob + sex + ids + loc
    x = np.clip(total - config.prior, -60.0, 60.0)
    s = 1.0 / (1.0 + np.exp2(-x))
    decision = np.where(s >= config.match_score, 2, np.where(s >= config.possible_score, 1, 0))
    if "national_id_conflict" in config.cap_at_possible:
        decision = np.where(capped & (decision == 2), 1, decision)
    for k in np.nonzero(table.is_complex[a] | table.is_complex[b])[0].tolist():
        m = matching.score_prepared(_prepared(table, int(a[k])), _prepared(table, int(b[k])), config, explain=False)
        total[k], s[k], decision[k] = m.weight, m.score, DECISIONS.index(m.decision)
    return total, s, decision.astype(np.int8)


def _prepared(table: Table, row: int) -> matching._Prepared:
    """The prepared record of a row, rebuilt from the columns when it was not kept (for the complex pairs)."""
    kept = table.complex.get(row)
    if kept is not None:
        return kept
    start, count = int(table.row_start[row]), int(table.row_count[row])
    names = [
        [(table.tokens[t], table.tokens[t]) for t in table.name_tok[r, : table.name_len[r]].tolist()]
        for r in range(start, start + count)
    ]
    d = int(table.dob[row])
    from datetime import date

    dob = date(d // 10000, d // 100 % 100, d % 100) if d else None
    identifiers = {
        kind: frozenset({table.values[int(table.ids[row, k])]})
        for k, kind in enumerate(table.kinds)
        if table.ids[row, k] >= 0
    }
    loc = table.localities[int(table.loc[row])]
    return matching._Prepared(
        record=matching.Record(id=row),
        names=names,
        name_tokens=[tuple(t for t, _ in n) for n in names],
        dob=dob,
        year=int(table.year[row]) or None,
        sex={1: "F", 2: "M"}.get(int(table.sex[row])),
        identifiers=identifiers,
        locality=loc.locality,
        locality_fuzzy=loc.locality_fuzzy,
        locality_text=loc.locality_text,
    )
