"""Every check kind, keyed as the rubric names it, and the loop that runs a rubric."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from autograder.checks.answers import check_answers
from autograder.checks.architecture import check_architecture
from autograder.checks.base import CheckContext, result
from autograder.checks.claimed_table import check_claimed_table
from autograder.checks.claims import check_claims
from autograder.checks.compile import check_compile
from autograder.checks.experiments import check_experiments
from autograder.checks.metrics import check_accuracy, check_overfitting_gap
from autograder.checks.parameters import check_parameters
from autograder.checks.training import check_training
from autograder.i18n import say
from autograder.results import CheckResult
from autograder.rubric.models import Rubric

CheckFn = Callable[[Any, CheckContext], CheckResult]

CHECKS: dict[str, CheckFn] = {
    "architecture": check_architecture,
    "parameters": check_parameters,
    "compile": check_compile,
    "training": check_training,
    "accuracy": check_accuracy,
    "overfitting_gap": check_overfitting_gap,
    "claims": check_claims,
    "experiments": check_experiments,
    "answers": check_answers,
    "claimed_table": check_claimed_table,
}


def run_checks(rubric: Rubric, ctx: CheckContext) -> list[CheckResult]:
    """Run the rubric's checks in order; a failing check never loses the others."""
    results = []
    for check in rubric.checks:
        fn = CHECKS.get(check.kind)
        if fn is None:
            results.append(
                result(
                    check,
                    "error",
                    f"no check is registered for kind {check.kind}",
                    said=say("check.not_registered", kind=check.kind),
                )
            )
            continue
        try:
            results.append(fn(check, ctx))
        except Exception as exc:  # noqa: BLE001  # a grader bug in one check becomes that check's result
            error = _one_line(exc)
            results.append(
                result(
                    check,
                    "error",
                    f"the check itself failed: {error}",
                    said=say("check.crashed", error=error),
                )
            )
    return results


def _one_line(exc: Exception) -> str:
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
