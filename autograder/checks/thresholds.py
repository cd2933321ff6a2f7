"""Turn a rubric bound (a number or a reference-relative one) into a number.

The result keeps all the numbers a reader needs to trust a relative threshold:
the reference's value (over several seeds: their mean, spread and range), the
threshold it produced, and the rule that produced it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from autograder.i18n import Said, say, text
from autograder.results import ReferenceSummary
from autograder.rubric.models import ReferenceBound, SpreadOffset

ReferenceMetric = Literal["test_accuracy", "train_accuracy", "overfitting_gap"]
Position = Literal["below_all", "above_all", "among"]


@dataclass(frozen=True)
class Spread:
    """One metric of the reference over its seeded runs (one value per seed)."""

    values: tuple[float, ...]

    def __post_init__(self) -> None:
        if not self.values:
            raise ValueError("a spread needs at least one run")

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def mean(self) -> float:
        return math.fsum(self.values) / self.n

    @property
    def sd(self) -> float:
        """Sample standard deviation (n - 1); zero for a single run."""
        if self.n < 2:
            return 0.0
        return float(np.std(self.values, ddof=1))

    @property
    def min(self) -> float:
        return min(self.values)

    @property
    def max(self) -> float:
        return max(self.values)

    def quantile(self, q: float) -> float:
        return float(np.quantile(self.values, q))

    def position(self, value: float) -> tuple[Position, int]:
        """Where ``value`` falls among the runs, and how many runs it is above."""
        above = sum(value > v for v in self.values)
        if above == 0 and value < self.min:
            return "below_all", 0
        if above == self.n:
            return "above_all", above
        return "among", above

    def describe(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "mean": round(self.mean, 6),
            "sd": round(self.sd, 6),
            "min": self.min,
            "max": self.max,
        }


def spread_of(
    runs: Sequence[ReferenceSummary], metric: ReferenceMetric, single: float | None = None
) -> Spread | float | None:
    """The runs' values of ``metric`` as a spread; ``single`` (today's one run) without runs."""
    values = tuple(v for run in runs if (v := getattr(run, metric)) is not None)
    if not values:
        return single
    return Spread(values)


@dataclass(frozen=True)
class Threshold:
    value: float | None
    """The number to compare with; None when a relative bound has no reference value."""
    spec: Any
    """The bound as the rubric wrote it (JSON-friendly)."""
    reference: float | None = None
    """The reference's value it was derived from (the mean over seeds), for relative bounds."""
    spread: Spread | None = None
    """The reference's runs, when there were several seeds."""

    @property
    def relative(self) -> bool:
        return isinstance(self.spec, dict)

    def describe(self) -> dict[str, Any]:
        """Expected-side detail for a result: rule, reference value, threshold."""
        if not self.relative:
            return {"value": self.value}
        out = {"rule": self.spec, "reference": self.reference, "threshold": self.value}
        if self.spread is not None:
            out["runs"] = self.spread.describe()
        return out

    def label(self) -> str:
        """How a message shows the bound: `0.6` or `0.652 (reference 0.682 - 0.03)`."""
        if self.value is None:
            return "?"
        if not self.relative or self.reference is None:
            return f"{self.value:g}"
        rule = self.spec
        seeds = f", {self.spread.n} seeds" if self.spread is not None else ""
        if "ratio" in rule:
            how = f"{rule['ratio']:g} x reference {self.reference:.3f}"
        elif "quantile" in rule:
            how = f"quantile {rule['quantile']:g} of the reference runs"
        elif isinstance(rule["reference"], dict):
            sd = self.spread.sd if self.spread is not None else 0.0
            how = f"reference {self.reference:.3f} {rule['reference']['sd']:+g} sd {sd:.3f}"
        else:
            how = f"reference {self.reference:.3f} {rule['reference']:+g}"
        floor = f", floor {rule['floor']:g}" if "floor" in rule else ""
        return f"{self.value:.3f} ({how}{seeds}{floor})"

    def versus(
        self, family: Literal["accuracy", "gap"], value: float, **extra: Any
    ) -> tuple[str, Said] | None:
        """The student against the reference runs, in English and as a catalog message.

        ``test accuracy 0.861 vs reference 0.874 ± 0.004 over 5 seeds, below all 5 runs``;
        None with fewer than two runs, where a check words its result as it did with one
        reference.  ``extra`` carries the family's own arguments (``split``).
        """
        spread = self.spread
        if spread is None or spread.n < 2 or self.value is None:
            return None
        where, above = spread.position(value)
        args = {"value": value, "mean": spread.mean, "sd": spread.sd, "n": spread.n}
        args |= {"above": above, "bound": self.value, **extra}
        said = say(f"spread.{family}.{where}", **args)
        return text(said.id, "en", **args), said


def resolve(
    bound: float | ReferenceBound | None, reference: float | Spread | None
) -> Threshold | None:
    """A threshold for ``bound``; ``reference`` is the reference's value of the same metric
    (one run), or its spread over several seeded runs."""
    if bound is None:
        return None
    if not isinstance(bound, ReferenceBound):
        return Threshold(value=float(bound), spec=bound)
    spec = bound.model_dump(exclude_none=True)
    if reference is None:
        return Threshold(value=None, spec=spec)
    spread = reference if isinstance(reference, Spread) else Spread((reference,))
    value = _apply(bound, spread)
    if bound.floor is not None:
        value = max(value, bound.floor)
    return Threshold(
        value=round(value, 6),
        spec=spec,
        reference=round(spread.mean, 6),
        spread=spread if spread.n > 1 else None,
    )


def _apply(bound: ReferenceBound, spread: Spread) -> float:
    if bound.ratio is not None:
        return spread.mean * bound.ratio
    if bound.quantile is not None:
        return spread.quantile(bound.quantile)
    if isinstance(bound.reference, SpreadOffset):
        return spread.mean + bound.reference.sd * spread.sd
    return spread.mean + (bound.reference or 0.0)
