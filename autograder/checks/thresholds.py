"""Turn a rubric bound (a number or a reference-relative one) into a number.

The result keeps all three numbers a reader needs to trust a relative threshold:
the reference's value, the threshold it produced, and the rule that produced it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from autograder.rubric.models import ReferenceBound


@dataclass(frozen=True)
class Threshold:
    value: float | None
    """The number to compare with; None when a relative bound has no reference value."""
    spec: Any
    """The bound as the rubric wrote it (JSON-friendly)."""
    reference: float | None = None
    """The reference's value it was derived from, for relative bounds."""

    @property
    def relative(self) -> bool:
        return isinstance(self.spec, dict)

    def describe(self) -> dict[str, Any]:
        """Expected-side detail for a result: rule, reference value, threshold."""
        if not self.relative:
            return {"value": self.value}
        return {"rule": self.spec, "reference": self.reference, "threshold": self.value}

    def label(self) -> str:
        """How a message shows the bound: `0.6` or `0.652 (reference 0.682 - 0.03)`."""
        if self.value is None:
            return "?"
        if not self.relative or self.reference is None:
            return f"{self.value:g}"
        rule = self.spec
        how = (
            f"{rule['ratio']:g} x reference {self.reference:.3f}"
            if "ratio" in rule
            else f"reference {self.reference:.3f} {rule['reference']:+g}"
        )
        return f"{self.value:.3f} ({how})"


def resolve(bound: float | ReferenceBound | None, reference: float | None) -> Threshold | None:
    """A threshold for ``bound``; ``reference`` is the reference's value of the same metric."""
    if bound is None:
        return None
    if not isinstance(bound, ReferenceBound):
        return Threshold(value=float(bound), spec=bound)
    spec = bound.model_dump(exclude_none=True)
    if reference is None:
        return Threshold(value=None, spec=spec)
    return Threshold(value=round(bound.resolve(reference), 6), spec=spec, reference=reference)
