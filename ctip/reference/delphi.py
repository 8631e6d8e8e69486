"""The ILO-EC "Delphi" combination rule, as decision support for screening (never a determination).

Per dimension (see ctip/reference/data/README.md for provenance): a dimension is positive when its indicators
reach two strong; or one strong and one medium or weak; or three medium; or two medium and one weak.

Overall (provisional, from the secondary source's "step 2", flagged as such in the UI):
- adults: LIKELY when a recruitment dimension (deceptive, coercive or by abuse of vulnerability) is positive,
  exploitative conditions are positive, and coercion or abuse of vulnerability at destination is positive;
- children: no means are needed, so LIKELY when exploitative conditions are positive and any recruitment or
  destination dimension is positive;
- POSSIBLE when at least one dimension is positive or any strong indicator is present; otherwise NOT_MET.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

DIMENSIONS = (
    "deceptive_recruitment",
    "coercive_recruitment",
    "recruitment_abuse_of_vulnerability",
    "exploitative_conditions",
    "coercion_at_destination",
    "abuse_of_vulnerability_at_destination",
)
RECRUITMENT = DIMENSIONS[:3]
DESTINATION = DIMENSIONS[4:]
STRENGTHS = ("strong", "medium", "weak")

LIKELY = "likely"
POSSIBLE = "possible"
NOT_MET = "not_met"


def dimension_positive(strengths: Iterable[str]) -> bool:
    counts = Counter(strengths)
    strong, medium, weak = counts["strong"], counts["medium"], counts["weak"]
    return strong >= 2 or (strong >= 1 and medium + weak >= 1) or medium >= 3 or (medium >= 2 and weak >= 1)


@dataclass(frozen=True)
class Assessment:
    outcome: str
    positive: tuple[str, ...]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def positive_count(self) -> int:
        return len(self.positive)


def assess(found: Iterable[tuple[str, str]], *, is_child: bool) -> Assessment:
    """`found`: (dimension, strength) of each indicator observed. Unknown dimensions or strengths raise
    ValueError (callers pass catalogue rows, so this is a programming error, not user input)."""
    by_dimension: dict[str, list[str]] = {d: [] for d in DIMENSIONS}
    for dimension, strength in found:
        if dimension not in by_dimension or strength not in STRENGTHS:
            raise ValueError(f"unknown indicator dimension/strength: {dimension}/{strength}")
        by_dimension[dimension].append(strength)
    positive = tuple(d for d in DIMENSIONS if dimension_positive(by_dimension[d]))
    pos = set(positive)
    recruitment = bool(pos & set(RECRUITMENT))
    destination = bool(pos & set(DESTINATION))
    exploitation = "exploitative_conditions" in pos
    # Children: no means needed (Palermo Art. 3(c)); adults: act/means, exploitation and coercion.
    child_likely = exploitation and (recruitment or destination)
    likely = child_likely if is_child else (recruitment and exploitation and destination)
    any_strong = any("strong" in s for s in by_dimension.values())
    if likely:
        outcome = LIKELY
    elif positive or any_strong:
        outcome = POSSIBLE
    else:
        outcome = NOT_MET
    counts = {d: dict(Counter(s)) for d, s in by_dimension.items() if s}
    return Assessment(outcome=outcome, positive=positive, counts=counts)
