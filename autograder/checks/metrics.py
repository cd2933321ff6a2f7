"""The accuracy and overfitting-gap checks, on numbers the grader measured itself."""

from __future__ import annotations

from autograder.checks import no_model
from autograder.checks.base import CheckContext, result
from autograder.results import CheckResult, CheckStatus
from autograder.rubric.models import AccuracyCheck, OverfittingGapCheck


def check_accuracy(check: AccuracyCheck, ctx: CheckContext) -> CheckResult:
    if ctx.model is None:
        return no_model(check, ctx)
    expected = check.model_dump(include={"split", "min", "max"}, exclude_none=True)
    value = ctx.model.test_accuracy if check.split == "test" else ctx.model.train_accuracy
    label = f"{check.split} accuracy"
    if value is None:
        reason = ctx.model.error or "the grader could not run the model"
        return result(check, "fail", f"{label} could not be measured: {reason}", expected=expected)
    status: CheckStatus
    if check.min is not None and value < check.min:
        status, message = "fail", f"{label} {value:.4f} < {check.min:g} (min)"
    elif check.max is not None and value > check.max:
        status, message = "fail", f"{label} {value:.4f} > {check.max:g} (max)"
    else:
        status, message = "pass", f"{label} {value:.4f} {_bounds(check)}"
    return result(check, status, message, expected=expected, measured={check.split: value})


def check_overfitting_gap(check: OverfittingGapCheck, ctx: CheckContext) -> CheckResult:
    if ctx.model is None:
        return no_model(check, ctx)
    expected = {"max": check.max}
    train, test, gap = ctx.model.train_accuracy, ctx.model.test_accuracy, ctx.model.overfitting_gap
    if train is None or test is None or gap is None:
        reason = ctx.model.error or "the grader could not run the model"
        return result(check, "fail", f"the gap could not be measured: {reason}", expected=expected)
    measured = {"gap": gap, "train_accuracy": train, "test_accuracy": test}
    accuracies = f"(train {train:.3f}, test {test:.3f})"
    status: CheckStatus
    if check.max is None:
        status, message = "pass", f"gap {gap:.3f} {accuracies}; no limit set"
    elif gap > check.max:
        status, message = "fail", f"gap {gap:.3f} > {check.max:g} (max) {accuracies}"
    else:
        status, message = "pass", f"gap {gap:.3f} ≤ {check.max:g} {accuracies}"
    return result(check, status, message, expected=expected, measured=measured)


def _bounds(check: AccuracyCheck) -> str:
    if check.min is not None and check.max is not None:
        return f"within [{check.min:g}, {check.max:g}]"
    if check.min is not None:
        return f"≥ {check.min:g}"
    return f"≤ {check.max:g}"
