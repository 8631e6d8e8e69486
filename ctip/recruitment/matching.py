"""Finding agencies by name despite misspellings, and telling look-alikes of deregistered agencies (pure Python).

`NameMatcher` holds the distinctive names (names.name_key) of every agency in the register and answers:
- `search(query)`: the agencies whose name is close to what someone typed: the whole name within a similarity of
  SEARCH_SCORE (rapidfuzz `fuzz.ratio`, 0-100), or one of its words typed alone (or misspelt slightly);
- `resembles_warned(name)` / `lookalikes(i, names)`: the agencies under a warning status (deregistered,
  blacklisted) whose distinctive name is within a few typing edits of this one, which is how a re-registration
  under a new name shows ("Jakarta Ventures" deregistered, "Jakartya Ventures" licensed).

A look-alike is judged by edits, not by a percentage: an edit is a letter changed, added, dropped or two
neighbouring letters swapped (optimal string alignment distance), and names of 5 to 11 characters may differ by
one edit, longer ones by two, shorter ones not at all (the same short name under a new licence still counts).
A percentage would either miss "Jabali" / "Jablai" (one swap in six letters is 67% by plain edit ratio) or call
every pair of long names sharing a word look-alikes.

Everything is in rapidfuzz's C loops over precomputed keys: for 5,000 agencies a search takes about a millisecond.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .names import name_key

SEARCH_SCORE = 80.0
WORD_SCORE = 85.0  # one word of a name typed alone
MIN_LENGTH = 4
LOOKALIKE_SCORE = 80.0  # the score reported for a look-alike at the largest allowed distance


def allowed_edits(length: int) -> int:
    """How many edits two names of this (shorter) length may differ by and still be look-alikes."""
    if length < 5:
        return 0
    if length < 12:
        return 1
    return 2


@dataclass(frozen=True)
class Hit:
    index: int
    score: float


class NameMatcher:
    def __init__(self, names: Sequence[Sequence[str]], warned: Sequence[bool]):
        """`names[i]`: the names of agency i (legal and trading); `warned[i]`: agency i is deregistered or
        blacklisted."""
        self.keys: list[str] = []
        self.owner: list[int] = []
        for i, agency_names in enumerate(names):
            for key in dict.fromkeys(name_key(n) for n in agency_names if n):
                if key:
                    self.keys.append(key)
                    self.owner.append(i)
        self.warned = list(warned)
        self._warned_keys = [k for k, o in zip(self.keys, self.owner, strict=True) if self.warned[o]]
        self._warned_owner = [o for o in self.owner if self.warned[o]]
        words: dict[str, set[int]] = {}
        for key, owner in zip(self.keys, self.owner, strict=True):
            for word in key.split():
                if len(word) >= MIN_LENGTH:
                    words.setdefault(word, set()).add(owner)
        self._words = list(words)
        self._word_owners = [sorted(words[w]) for w in self._words]

    def search(self, query: str, limit: int = 5) -> list[Hit]:
        """Agencies whose name is close to `query`, best first (one hit per agency)."""
        key = name_key(query)
        if not key or not self.keys:
            return []
        best: dict[int, float] = {}
        for _choice, score, position in process.extract(
            key, self.keys, scorer=fuzz.ratio, score_cutoff=SEARCH_SCORE, limit=limit * 3
        ):
            owner = self.owner[position]
            best[owner] = max(best.get(owner, 0.0), score)
        for word in key.split()[:4]:
            if len(word) < MIN_LENGTH:
                continue
            for _choice, score, position in process.extract(
                word, self._words, scorer=fuzz.ratio, score_cutoff=WORD_SCORE, limit=limit
            ):
                for owner in self._word_owners[position][: limit * 3]:
                    best[owner] = max(best.get(owner, 0.0), score - 10)  # below a whole-name match
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return [Hit(i, s) for i, s in ranked]

    def resembles_warned(self, name: str, *, exclude: int | None = None) -> list[Hit]:
        """Deregistered or blacklisted agencies (other than `exclude`) whose name `name` closely resembles."""
        key = name_key(name)
        if len(key) < MIN_LENGTH or not self._warned_keys:
            return []
        best: dict[int, float] = {}
        for choice, distance, position in process.extract(
            key, self._warned_keys, scorer=OSA.distance, score_cutoff=2, limit=20
        ):
            owner = self._warned_owner[position]
            if owner == exclude or distance > allowed_edits(min(len(key), len(choice))):
                continue
            score = 100.0 - 10.0 * distance
            best[owner] = max(best.get(owner, 0.0), score)
        return [Hit(i, s) for i, s in sorted(best.items(), key=lambda item: (-item[1], item[0]))]

    def lookalikes(self, i: int, names: Sequence[str]) -> list[Hit]:
        """For agency i (its `names`), the warned agencies it resembles."""
        out: dict[int, float] = {}
        for name in names:
            if not name:
                continue
            for hit in self.resembles_warned(name, exclude=i):
                out[hit.index] = max(out.get(hit.index, 0.0), hit.score)
        return [Hit(k, s) for k, s in sorted(out.items(), key=lambda item: (-item[1], item[0]))]
