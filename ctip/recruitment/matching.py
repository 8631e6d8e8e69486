"""Finding agencies by name despite misspellings, and telling look-alikes of deregistered agencies (pure Python).

`NameMatcher` holds the normalised names (names.name_key) of every agency in the register and answers:
- `search(query)`: the agencies whose name is close to what someone typed (a misspelling, a missing word);
- `lookalikes(i)`: for agency i, the agencies under a warning status (deregistered, blacklisted) whose name it
  closely resembles, which is how a re-registration under a new name shows ("Jakarta Ventures" deregistered,
  "Jakartya Ventures" licensed).

Scores are rapidfuzz's 0-100. A look-alike needs a plain edit-distance similarity (`fuzz.ratio`) of
LOOKALIKE_SCORE or more between the two distinctive names, each at least MIN_LENGTH characters: word-set scores
would call every "Nairobi X" a look-alike of every "Nairobi Y". Search accepts a word-set match too (someone
types one word of a long name). Everything is computed once per register version (selectors cache it): for 5,000
agencies a search takes well under a millisecond.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .names import name_key

SEARCH_SCORE = 80.0
LOOKALIKE_SCORE = 85.0
MIN_LENGTH = 4


@dataclass(frozen=True)
class Hit:
    index: int
    score: float


def _search_scorer(query: str, choice: str, **kwargs) -> float:
    plain = fuzz.ratio(query, choice)
    if len(query) < MIN_LENGTH:
        return plain
    return max(plain, fuzz.token_set_ratio(query, choice) - 5)  # a whole-word match ranks just below an exact one


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
        self._warned_keys = [(k, o) for k, o in zip(self.keys, self.owner, strict=True) if self.warned[o]]

    def search(self, query: str, limit: int = 5) -> list[Hit]:
        """Agencies whose name is close to `query`, best first (one hit per agency)."""
        key = name_key(query)
        if not key or not self.keys:
            return []
        found = process.extract(key, self.keys, scorer=_search_scorer, score_cutoff=SEARCH_SCORE, limit=limit * 3)
        best: dict[int, float] = {}
        for _choice, score, position in found:
            owner = self.owner[position]
            best[owner] = max(best.get(owner, 0.0), score)
        ranked = sorted(best.items(), key=lambda item: -item[1])[:limit]
        return [Hit(i, s) for i, s in ranked]

    def resembles_warned(self, name: str, *, exclude: int | None = None) -> list[Hit]:
        """Deregistered or blacklisted agencies (other than `exclude`) whose name `name` closely resembles."""
        key = name_key(name)
        if len(key) < MIN_LENGTH or not self._warned_keys:
            return []
        choices = [k for k, _o in self._warned_keys]
        found = process.extract(key, choices, scorer=fuzz.ratio, score_cutoff=LOOKALIKE_SCORE, limit=10)
        best: dict[int, float] = {}
        for choice, score, position in found:
            owner = self._warned_keys[position][1]
            if owner == exclude or len(choice) < MIN_LENGTH:
                continue
            best[owner] = max(best.get(owner, 0.0), score)
        return [Hit(i, s) for i, s in sorted(best.items(), key=lambda item: -item[1])]

    def lookalikes(self, i: int, names: Sequence[str]) -> list[Hit]:
        """For agency i (its `names`), the warned agencies it resembles."""
        out: dict[int, float] = {}
        for name in names:
            for hit in self.resembles_warned(name, exclude=i):
                out[hit.index] = max(out.get(hit.index, 0.0), hit.score)
        return [Hit(k, s) for k, s in sorted(out.items(), key=lambda item: -item[1])]
