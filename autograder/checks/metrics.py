"""The accuracy and overfitting-gap checks, on numbers the grader measured itself."""

from __future__ import annotations

from typing import Any

from autograder.checks import no_model
from autograder.checks.base import CheckContext, result
from autograder.checks.thresholds import Threshold, resolve
from autograder.results import CheckResult, CheckStatus
from autograder.rubric.models import AccuracyCheck, OverfittingGapCheck

_NO_REFERENCE = "the reference solution has no measurement to derive the threshold from"


def check_accuracy(check: AccuracyCheck, ctx: CheckContext) -> CheckResult:
    if ctx.model is None:
        return no_model(check, ctx)
    ref = ctx.reference
    if check.split == "test":
        value, ref_value = ctx.model.test_accuracy, ref.test_accuracy if ref else None
    else:
        value, ref_value = ctx.model.train_accuracy, ref.train_accuracy if ref else None
    low, high = resolve(check.min, ref_value), resolve(check.max, ref_value)
    expected = _expected({"split": check.split}, low=low, high=high)
    label = f"{check.split} accuracy"
    if _unresolved(low, high):
        return result(check, "error", f"{label}: {_NO_REFERENCE}", expected=expected)
    if value is None:
        reason = ctx.model.error or "the grader could not run the model"
        return result(check, "fail", f"{label} could not be measured: {reason}", expected=expected)
    status: CheckStatus = "pass"
    if low is not None and low.value is not None and value < low.value:
        status, message = "fail", f"{label} {value:.4f} < {low.label()} (min)"
    elif high is not None and high.value is not None and value > high.value:
        status, message = "fail", f"{label} {value:.4f} > {high.label()} (max)"
    else:
        message = f"{label} {value:.4f} {_within(low, high)}"
    measured = {check.split: value}
    return result(check, status, message, expected=expected, measured=measured)


def check_overfitting_gap(check: OverfittingGapCheck, ctx: CheckContext) -> CheckResult:
    if ctx.model is None:
        return no_model(check, ctx)
    ref_gap = ctx.reference.overfitting_gap if ctx.reference else None
    high = resolve(check.max, ref_gap)
    expected = _expected({"max": None}, low=None, high=high)
    if _unresolved(None, high):
        return result(check, "error", f"gap: {_NO_REFERENCE}", expected=expected)
    train, test, gap = ctx.model.train_accuracy, ctx.model.test_accuracy, ctx.model.overfitting_gap
    if train is None or test is None or gap is None:
        reason = ctx.model.error or "the grader could not run the model"
        return result(check, "fail", f"the gap could not be measured: {reason}", expected=expected)
    measured = {"gap": gap, "train_accuracy": train, "test_accuracy": test}
    accuracies = f"(train {train:.3f}, test {test:.3f})"
    status: CheckStatus
    if high is None or high.value is None:
        status, message = "pass", f"gap {gap:.3f} {accuracies}; no limit set"
    elif gap > high.value:
        status, message = "fail", f"gap {gap:.3f} > {high.label()} (max) {accuracies}"
    else:
        status, message = "pass", f"gap {gap:.3f} ≤ {high.label()} {accuracies}"
    return result(check, status, message, expected=expected, measured=measured)


def _expected(base: dict[str, Any], *, low: Threshold | None, high: Threshold | None) -> Any:
    """Plain numbers stay plain (`{"min": 0.6}`); relative ones show rule, reference, value."""
    out = dict(base)
    for name, bound in (("min", low), ("max", high)):
        if bound is not None:
            out[name] = bound.describe() if bound.relative else bound.value
    return out


def _unresolved(*bounds: Threshold | None) -> bool:
    return any(b is not None and b.value is None for b in bounds)


def _within(low: Threshold | None, high: Threshold | None) -> str:
    if low is not None and high is not None:
        return f"within [{low.label()}, {high.label()}]"
    if low is not None:
        return f"≥ {low.label()}"
    return f"≤ {high.label()}" if high is not None else ""
