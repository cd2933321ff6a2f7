"""The claimed_table check: each row of a student's results table, against the
experiment it describes as the grader measured it.  Real data only: on synthetic data
or a fraction the student's numbers come from other data and cannot be compared."""

from __future__ import annotations

from typing import Any

from autograder.checks.base import CheckContext, result
from autograder.claimed_tables import TableClaim, find_table_claims, match_experiment
from autograder.i18n import say
from autograder.results import CheckResult
from autograder.rubric.models import ClaimedTableCheck


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
