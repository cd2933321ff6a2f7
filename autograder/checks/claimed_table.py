"""The claimed_table check: each row of a student's results table, against the
experiment it describes as the grader measured it.  Real data only: on synthetic data
or a fraction the student's numbers come from other data and cannot be compared."""

from __future__ import annotations

from typing import Any

from autograder.checks.base import CheckContext, result
from autograder.claimed_tables import TableClaim, find_table_claims, match_experiment
from autograder.results import CheckResult
from autograder.rubric.models import ClaimedTableCheck


def check_claimed_table(check: ClaimedTableCheck, ctx: CheckContext) -> CheckResult:
    expected = {"tolerance": check.tolerance}
    if ctx.data is not None and (ctx.data.source != "real" or ctx.data.fraction < 1):
        why = (
            "synthetic data" if ctx.data.source != "real" else f"{ctx.data.fraction:g} of the data"
        )
        message = f"skipped on {why}: the student's table reports numbers from the real data"
        return result(check, "skipped", message, expected=expected)
    claims = find_table_claims(ctx.cells)
    if not claims:
        message = "skipped: no markdown table with an accuracy column"
        return result(check, "skipped", message, expected=expected)
    rows = [_compare(claim, ctx, check.tolerance) for claim in claims]
    flagged = [row for row in rows if row["status"] == "beyond tolerance"]
    unmatched = [row for row in rows if row["status"] == "unmatched"]
    parts = [f"{len(rows) - len(unmatched)} of {len(rows)} table rows matched to experiments"]
    if flagged:
        shown = "; ".join(
            f"{r['configuration']!r} claims {r['claimed']:.4g}, measured {r['measured']:.4g}"
            for r in flagged[:3]
        )
        parts.append(f"{len(flagged)} not reproduced within {check.tolerance:g}: {shown}")
    return result(
        check,
        "fail" if flagged else "pass",
        "; ".join(parts),
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
