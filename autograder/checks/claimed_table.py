"""The claimed_table check: each row of a student's results table, against the
experiment it describes as the grader measured it.

Lab reports end with a table such as ``| 1 capa oculta de 300 | 97.88 % | 41 s |``.  Each
row is read as (configuration text, claimed accuracy) and matched to the experiment
whose settings explain the configuration: its hidden widths, batch size, learning rate
and epochs (numbers in the text), and words such as CNN, sigmoid or dropout.  A row
that no experiment explains, or that two explain equally well, is left unmatched
rather than guessed.  Real data only: on synthetic data or a fraction the student's
numbers come from other data and cannot be compared.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from autograder.checks.base import CheckContext, result
from autograder.execution.source import SourceCell
from autograder.i18n import say
from autograder.results import CheckResult, ExperimentRow
from autograder.rubric.models import ClaimedTableCheck
from autograder.text import fold

_ACCURACY_HEADER = re.compile(r"acc|exactitud|precisi|acierto")
_VALIDATION_HEADER = re.compile(r"\bval")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?(?:e-?\d+)?")
_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}")
# Words that name a feature of a model, and how to tell whether a model has it.
_FEATURES: tuple[tuple[tuple[str, ...], Callable[[ExperimentRow], bool]], ...] = (
    (("cnn", "conv"), lambda r: "Conv2D" in r.layer_types),
    (("sigmoid",), lambda r: "sigmoid" in r.hidden_activations),
    (("tanh",), lambda r: "tanh" in r.hidden_activations),
    (("dropout",), lambda r: "Dropout" in r.layer_types),
    (("l2", "regulariz"), lambda r: r.l2),
)
_DEFAULT_BATCH = 32
_DEFAULT_LEARNING_RATE = 0.001


@dataclass(frozen=True)
class TableClaim:
    cell: int
    configuration: str
    claimed: float
    """Accuracy as a fraction in [0, 1]."""
    split: str
    """test, or val when the column says validation."""


def find_table_claims(cells: tuple[SourceCell, ...]) -> list[TableClaim]:
    """Every (configuration, accuracy) row of every markdown table with an accuracy column."""
    claims: list[TableClaim] = []
    for cell in cells:
        if cell.cell_type != "markdown":
            continue
        lines = [line.strip() for line in cell.source.splitlines()]
        for start in range(len(lines) - 1):
            if lines[start].startswith("|") and _SEPARATOR.match(lines[start + 1]):
                claims += _table(cell.index, lines, start)
    return claims


def _table(cell: int, lines: list[str], start: int) -> list[TableClaim]:
    header = [fold(h) for h in _cells(lines[start])]
    column = next((i for i, h in enumerate(header) if _ACCURACY_HEADER.search(h)), None)
    if column is None or column == 0:
        return []
    split = "val" if _VALIDATION_HEADER.search(header[column]) else "test"
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        values = _cells(line)
        if len(values) <= column:
            continue
        claimed = _fraction(values[column])
        if claimed is not None and values[0]:
            rows.append(TableClaim(cell, values[0], claimed, split))
    return rows


def _cells(line: str) -> list[str]:
    return [part.strip().strip("*`") for part in line.strip().strip("|").split("|")]


def _fraction(text: str) -> float | None:
    match = _NUMBER.search(text)
    if match is None:
        return None
    value = float(match.group().replace(",", "."))
    if "%" in text or value > 1:
        value /= 100
    return value if 0 <= value <= 1 else None


def match_experiment(claim: TableClaim, rows: list[ExperimentRow]) -> ExperimentRow | None:
    """The one experiment that explains the row best; None when none or several do.

    Rows are ranked by the clues they explain, then by how few of their own settings
    the text leaves unsaid (a batch of 10,000 or dropout would have been named).
    """
    scored: list[tuple[tuple[int, int], ExperimentRow]] = []
    for row in rows:
        score = _explained(claim.configuration, row)
        if score is not None and score[0] > 0:
            scored.append((score, row))
    if not scored:
        return None
    best = max(score for score, _ in scored)
    winners = [row for score, row in scored if score == best]
    return winners[0] if len(winners) == 1 else None


def _explained(configuration: str, row: ExperimentRow) -> tuple[int, int] | None:
    """(clues the row explains, minus its settings left unsaid); None on a contradiction."""
    text = fold(configuration)
    explained = unsaid = 0
    for words, has in _FEATURES:
        said = any(re.search(rf"(?<![a-z]){word}", text) for word in words)
        if said and not has(row):
            return None
        explained += said
        unsaid += has(row) and not said
    numbers = [float(n.replace(",", ".")) for n in _NUMBER.findall(text)]

    def named(value: float) -> bool:
        return any(math.isclose(n, value, rel_tol=1e-6) for n in numbers)

    settings = [float(u) for u in row.hidden_units]
    settings += [float(v) for v in (row.batch_size, row.learning_rate, row.epochs) if v]
    widths = [n for n in numbers if n.is_integer() and n >= 10]
    # A width named in the text that the model lacks rules it out ("300" is not a 500 model).
    if any(not any(math.isclose(w, s, rel_tol=1e-6) for s in settings) for w in widths):
        return None
    explained += sum(1 for s in settings if named(s))
    if widths:
        unsaid += sum(1 for units in row.hidden_units if not named(float(units)))
    if row.batch_size not in (None, _DEFAULT_BATCH) and not named(float(row.batch_size or 0)):
        unsaid += 1
    rate = row.learning_rate
    if rate and not math.isclose(rate, _DEFAULT_LEARNING_RATE, rel_tol=1e-6) and not named(rate):
        unsaid += 1
    return explained, -unsaid


def check_claimed_table(check: ClaimedTableCheck, ctx: CheckContext) -> CheckResult:
    expected = {"tolerance": check.tolerance}
    if ctx.data is not None and ctx.data.source != "real":
        return result(check, "skipped", say("claimed_table.synthetic"), expected=expected)
    if ctx.data is not None and ctx.data.fraction < 1:
        said = say("claimed_table.fraction", fraction=ctx.data.fraction)
        return result(check, "skipped", said, expected=expected)
    claims = find_table_claims(ctx.cells)
    if not claims:
        return result(check, "skipped", say("claimed_table.no_table"), expected=expected)
    rows = [_compare(claim, ctx, check.tolerance) for claim in claims]
    flagged = [row for row in rows if row["status"] == "beyond tolerance"]
    unmatched = [row for row in rows if row["status"] == "unmatched"]
    matched = {"matched": len(rows) - len(unmatched), "rows": len(rows)}
    if flagged:
        shown = "; ".join(
            f"{r['configuration']!r}: {r['claimed']:.4g} / {r['measured']:.4g}" for r in flagged[:3]
        )
        said = say(
            "claimed_table.flagged",
            **matched,
            flagged=len(flagged),
            tolerance=check.tolerance,
            shown=shown,
        )
    else:
        said = say("claimed_table.matched", **matched)
    return result(
        check,
        "fail" if flagged else "pass",
        said,
        expected=expected,
        measured={"rows": len(rows), "flagged": len(flagged), "unmatched": len(unmatched)},
        details={"rows": rows},
    )


def _compare(claim: TableClaim, ctx: CheckContext, tolerance: float) -> dict[str, Any]:
    row: dict[str, Any] = {
        "cell": claim.cell,
        "configuration": claim.configuration,
        "claimed": claim.claimed,
        "split": claim.split,
        "model": None,
        "measured": None,
        "status": "unmatched",
    }
    experiment = match_experiment(claim, ctx.experiments)
    if experiment is None:
        return row
    value = experiment.val_accuracy if claim.split == "val" else experiment.test_accuracy
    row.update(model=experiment.model, measured=value)
    if value is None:
        row["status"] = "not measured"
    elif abs(value - claim.claimed) > tolerance:
        row["status"] = "beyond tolerance"
    else:
        row["status"] = "reproduced"
    return row
