"""Every check kind, keyed as the rubric names it, and the loop that runs a rubric."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

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
from autograder.text import one_line

CheckFn = Callable[[Any, CheckContext], CheckResult]
Need = Literal["experiments", "cells", "claims"]
"""Inputs that cost something to gather, filled in the context only when a check needs them.

experiments: every trained model, measured; cells: the submission's cells as written;
claims: the accuracies written in the submitted file.  The graded model is always
measured, so it is not a need.
"""


@dataclass(frozen=True)
class Registered:
    """A check kind: its function and the context inputs it reads."""

    fn: CheckFn
    needs: frozenset[Need] = frozenset()


CHECKS: dict[str, Registered] = {
    "architecture": Registered(check_architecture),
    "parameters": Registered(check_parameters),
    "compile": Registered(check_compile),
    "training": Registered(check_training),
    "accuracy": Registered(check_accuracy),
    "overfitting_gap": Registered(check_overfitting_gap),
    "claims": Registered(check_claims, frozenset({"claims"})),
    "experiments": Registered(check_experiments, frozenset({"experiments"})),
    "answers": Registered(check_answers, frozenset({"cells"})),
    "claimed_table": Registered(check_claimed_table, frozenset({"experiments", "cells"})),
}


def needs_of(rubric: Rubric) -> frozenset[Need]:
    """Every input the rubric's checks read: what the pipeline has to gather."""
    needed: set[Need] = set()
    for check in rubric.checks:
        registered = CHECKS.get(check.kind)
        if registered is not None:
            needed |= registered.needs
    return frozenset(needed)


def run_checks(rubric: Rubric, ctx: CheckContext) -> list[CheckResult]:
    """Run the rubric's checks in order; a failing check never loses the others."""
    results = []
    for check in rubric.checks:
        registered = CHECKS.get(check.kind)
        if registered is None:
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
            results.append(registered.fn(check, ctx))
        except Exception as exc:  # noqa: BLE001  # a grader bug in one check becomes its result
            error = one_line(exc)
            results.append(
                result(
                    check,
                    "error",
                    f"the check itself failed: {error}",
                    said=say("check.crashed", error=error),
                )
            )
    return results
