"""The claims check: the test accuracy a student reports, against what the model scores.

Two places count: the outputs saved in the submitted file (``print("Test accuracy:",
acc)`` as the student last ran it) and markdown cells ("obtuvimos un 87,7 % en test").
Only statements that name the test split are claims: training logs print accuracy
every epoch and say nothing about the test set.  Finding them is pure text processing:
nothing here runs or trusts student code, and a claim never raises a score by itself.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from autograder.checks import no_model
from autograder.checks.base import CheckContext, result
from autograder.i18n import Said, say
from autograder.results import CheckResult
from autograder.rubric.models import ClaimsCheck
from autograder.text import joined

_TEST = r"(?:test|prueba|evaluaci[oó]n|evaluation)"
_ACC = r"(?:acc(?:uracy)?|exactitud|precisi[oó]n|accuracy_score)"
_NUMBER = r"(?P<num>\d{1,3}(?:[.,]\d+)?|[.,]\d+)\s*(?P<pct>%)?"
# "Test accuracy: 0.877", "precisión en test = 87,7 %", "accuracy on the test set: 0.88"
_PATTERNS = (
    re.compile(rf"\b{_TEST}\b[^\n\d]{{0,30}}?\b{_ACC}\b[^\n\d]{{0,15}}?{_NUMBER}", re.I),
    re.compile(rf"\b{_ACC}\b[^\n\d]{{0,30}}?\b{_TEST}\b[^\n\d]{{0,15}}?{_NUMBER}", re.I),
)
_MAX_TEXT = 200_000  # per cell: a 200 MB print must not become a 200 MB regex scan


@dataclass(frozen=True)
class Claim:
    value: float
    """The claimed accuracy as a fraction in [0, 1]."""
    cell: int
    """1-based cell index in the submitted notebook."""
    where: Literal["output", "markdown"]
    text: str
    """The line the claim was read from, trimmed."""


def find_claims(path: Path) -> tuple[Claim, ...]:
    """Every test-accuracy claim in ``path``; an unreadable file simply has none."""
    if path.suffix.lower() != ".ipynb":
        return ()
    try:
        notebook: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ()
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        return ()
    claims: list[Claim] = []
    for index, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict):
            continue
        if cell.get("cell_type") == "markdown":
            claims += _claims_in(joined(cell.get("source")), index, "markdown")
        elif cell.get("cell_type") == "code":
            for output in cell.get("outputs") or []:
                claims += _claims_in(_output_text(output), index, "output")
    return tuple(claims)


def _claims_in(text: str, cell: int, where: Literal["output", "markdown"]) -> list[Claim]:
    found = []
    for line in text[:_MAX_TEXT].splitlines():
        for pattern in _PATTERNS:
            match = pattern.search(line)
            value = _fraction(match) if match else None
            if value is not None:
                found.append(Claim(value=value, cell=cell, where=where, text=line.strip()[:120]))
                break
    return found


def _fraction(match: re.Match[str]) -> float | None:
    raw = match.group("num").replace(",", ".")
    value = float(raw)
    if match.group("pct") or value > 1:
        value /= 100
    return value if 0 <= value <= 1 else None


def _output_text(output: Any) -> str:
    if not isinstance(output, dict):
        return ""
    if output.get("output_type") == "stream":
        return joined(output.get("text"))
    data = output.get("data")
    if isinstance(data, dict):
        return joined(data.get("text/plain"))
    return ""


def check_claims(check: ClaimsCheck, ctx: CheckContext) -> CheckResult:
    expected = {"tolerance": check.tolerance}
    skip = _not_comparable(ctx)
    if skip is not None:
        return result(check, "skipped", skip[0], expected=expected, said=skip[1])
    if ctx.model is None:
        return no_model(check, ctx)
    measured_value = ctx.model.test_accuracy
    if measured_value is None:
        reason = ctx.model.error or "the grader could not run the model"
        return result(
            check,
            "fail",
            f"test accuracy could not be measured: {reason}",
            said=say("accuracy.unmeasured", split="test", reason=reason),
        )
    # The last claim is the one the student concludes with; earlier ones are drafts.
    claim = ctx.claims[-1]
    where = f"cell {claim.cell} ({claim.where})"
    measured = {
        "claimed": claim.value,
        "test_accuracy": measured_value,
        "where": where,
        "text": claim.text,
    }
    difference = abs(claim.value - measured_value)
    numbers = {"claimed": claim.value, "measured": measured_value, "tolerance": check.tolerance}
    if difference > check.tolerance:
        message = (
            f"claimed {claim.value:.4g}, measured {measured_value:.4g} "
            f"(differs by {difference:.3f} > {check.tolerance:g}; {where})"
        )
        said = say("claims.mismatch", cell=claim.cell, difference=difference, **numbers)
        return result(check, "fail", message, expected=expected, measured=measured, said=said)
    message = (
        f"claimed {claim.value:.4g}, measured {measured_value:.4g} (within {check.tolerance:g})"
    )
    said = say("claims.pass", **numbers)
    return result(check, "pass", message, expected=expected, measured=measured, said=said)


def _not_comparable(ctx: CheckContext) -> tuple[str, Said] | None:
    """Why the student's number cannot be held against the grader's, if it cannot."""
    if ctx.data is not None and ctx.data.source != "real":
        return (
            "skipped on synthetic data: the student ran on other data, so their numbers "
            "are not comparable"
        ), say("claims.synthetic")
    if ctx.data is not None and ctx.data.fraction < 1:
        fraction = ctx.data.fraction
        return (
            f"skipped: graded on {fraction:g} of the data, the student on all of it",
            say("claims.fraction", fraction=fraction),
        )
    if not ctx.claims:
        return (
            "no test accuracy reported in the notebook's saved outputs or markdown",
            say("claims.none"),
        )
    return None
