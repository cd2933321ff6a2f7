"""The accuracy and overfitting-gap checks, on numbers the grader measured itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from autograder.checks import no_model
from autograder.checks.base import CheckContext, result
from autograder.checks.thresholds import Threshold, resolve
from autograder.datasets.registry import get_info
from autograder.i18n import Said, say
from autograder.results import CheckResult, CheckStatus
from autograder.rubric.models import AccuracyCheck, OverfittingGapCheck, Rubric

_NO_REFERENCE = "the reference solution has no measurement to derive the threshold from"

LEARNED_MARGIN = 0.10
"""A model must beat chance (1/classes) by at least this much test accuracy..."""
LEARNED_SHARE = 0.5
"""...and cover this share of the way from chance to the accuracy check's minimum."""


@dataclass(frozen=True)
class LearningFloor:
    """The test accuracy below which a model has not learned, so its gap earns nothing.

    An untrained or chance-level model has train and test accuracy equal (both near
    1/classes): a gap of 0.000 that says nothing about generalisation.
    """

    chance: float
    """1 / number of classes."""
    bar: float | None
    """The minimum of the rubric's test-accuracy check, resolved; None when there is none."""

    @property
    def value(self) -> float:
        above = LEARNED_MARGIN
        if self.bar is not None:
            above = max(above, LEARNED_SHARE * (self.bar - self.chance))
        return round(min(self.chance + above, 1.0), 6)


def learning_floor(rubric: Rubric, reference_test_accuracy: float | None) -> LearningFloor:
    """The floor for ``rubric``: chance from its dataset, bar from its first test-accuracy min."""
    spec = rubric.dataset
    classes = (
        spec.declared.classes if spec.declared is not None else get_info(spec.name).num_classes
    )
    bar = None
    for check in rubric.checks:
        if isinstance(check, AccuracyCheck) and check.split == "test" and check.min is not None:
            low = resolve(check.min, reference_test_accuracy)
            bar = low.value if low is not None else None
            break
    return LearningFloor(chance=1 / classes, bar=bar)


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
        return result(
            check,
            "error",
            f"{label}: {_NO_REFERENCE}",
            expected=expected,
            said=say("check.no_reference", what=label),
        )
    if value is None:
        reason = ctx.model.error or "the grader could not run the model"
        return result(
            check,
            "fail",
            f"{label} could not be measured: {reason}",
            expected=expected,
            said=say("accuracy.unmeasured", split=check.split, reason=reason),
        )
    status: CheckStatus = "pass"
    said: Said
    if low is not None and low.value is not None and value < low.value:
        status, message = "fail", f"{label} {value:.4f} < {low.label()} (min)"
        said = say("accuracy.low", split=check.split, value=value, bound=low.value)
    elif high is not None and high.value is not None and value > high.value:
        status, message = "fail", f"{label} {value:.4f} > {high.label()} (max)"
        said = say("accuracy.high", split=check.split, value=value, bound=high.value)
    else:
        message = f"{label} {value:.4f} {_within(low, high)}"
        bounds = _neutral(low, high)
        said = say("accuracy.pass", split=check.split, value=value, bounds=bounds)
    measured = {check.split: value}
    return result(check, status, message, expected=expected, measured=measured, said=said)


def check_overfitting_gap(check: OverfittingGapCheck, ctx: CheckContext) -> CheckResult:
    if ctx.model is None:
        return no_model(check, ctx)
    ref_gap = ctx.reference.overfitting_gap if ctx.reference else None
    high = resolve(check.max, ref_gap)
    expected = _expected({"max": None}, low=None, high=high)
    if _unresolved(None, high):
        return result(
            check,
            "error",
            f"gap: {_NO_REFERENCE}",
            expected=expected,
            said=say("check.no_reference", what="gap"),
        )
    train, test, gap = ctx.model.train_accuracy, ctx.model.test_accuracy, ctx.model.overfitting_gap
    if train is None or test is None or gap is None:
        reason = ctx.model.error or "the grader could not run the model"
        return result(
            check,
            "fail",
            f"the gap could not be measured: {reason}",
            expected=expected,
            said=say("gap.unmeasured", reason=reason),
        )
    measured = {"gap": gap, "train_accuracy": train, "test_accuracy": test}
    accuracies = f"(train {train:.3f}, test {test:.3f})"
    numbers = {"gap": gap, "train": train, "test": test}
    floor = learning_floor(ctx.rubric, ctx.reference.test_accuracy if ctx.reference else None)
    status: CheckStatus
    if test < floor.value:
        status = "fail"
        message = (
            f"no credit for gap {gap:.3f}: test accuracy {test:.3f} < {floor.value:.3f} "
            f"({_floor_rule(floor)}), the model has not learned"
        )
        said = say("gap.not_learned", floor=floor.value, chance=floor.chance, **numbers)
        measured["learning_floor"] = floor.value
    elif high is None or high.value is None:
        status, message = "pass", f"gap {gap:.3f} {accuracies}; no limit set"
        said = say("gap.no_limit", **numbers)
    elif gap > high.value:
        status, message = "fail", f"gap {gap:.3f} > {high.label()} (max) {accuracies}"
        said = say("gap.high", bound=high.value, **numbers)
    else:
        status, message = "pass", f"gap {gap:.3f} ≤ {high.label()} {accuracies}"
        said = say("gap.pass", bound=high.value, **numbers)
    return result(check, status, message, expected=expected, measured=measured, said=said)


def _floor_rule(floor: LearningFloor) -> str:
    if floor.bar is None or LEARNED_SHARE * (floor.bar - floor.chance) <= LEARNED_MARGIN:
        return f"chance {floor.chance:.3f} + {LEARNED_MARGIN:g}"
    return f"{LEARNED_SHARE:g} of the way from chance {floor.chance:.3f} to the bar {floor.bar:.3f}"


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


def _neutral(low: Threshold | None, high: Threshold | None) -> str:
    """The accepted range in symbols only, for every language: ``≥ 0.6``, ``[0.6, 0.9]``."""
    lo = low.value if low is not None else None
    hi = high.value if high is not None else None
    if lo is not None and hi is not None:
        return f"[{lo:.4g}, {hi:.4g}]"
    if lo is not None:
        return f"\u2265 {lo:.4g}"
    return f"\u2264 {hi:.4g}" if hi is not None else "\u2013"
