"""Rubric checks: pure functions ``(check, ctx) -> CheckResult``, one module per family.

:mod:`autograder.checks.registry` maps each rubric ``kind`` to its function and runs
a whole rubric.  Helpers every family shares live here; this module imports no
check module, so each of them can import it without a cycle.
"""

from __future__ import annotations

import math
from typing import Any

from autograder.checks.base import CheckContext, result
from autograder.i18n import say
from autograder.results import CheckResult, CheckStatus

ACTIVATION_LAYERS = {"Softmax": "softmax", "ReLU": "relu"}
"""Layer classes that only apply an activation (besides ``Activation`` itself)."""


def no_model(check: Any, ctx: CheckContext) -> CheckResult:
    """The result of a check that needs a model when none was captured."""
    return result(
        check,
        "fail",
        f"no trained model was captured: {ctx.no_model_reason}",
        said=say("check.no_model", reason=ctx.no_model_reason, variable=ctx.rubric.model_variable),
    )


def share(check: Any, failed: list[str], total: int) -> tuple[CheckStatus, float]:
    """Status and points for a check scored field by field (compile, training)."""
    if not failed:
        return "pass", float(check.points)
    if len(failed) == total:
        return "fail", 0.0
    return "partial", round(check.points * (total - len(failed)) / total, 4)


def weighted(check: Any, parts: list[tuple[float, float]]) -> tuple[CheckStatus, float]:
    """Status and points for a check made of weighted parts, each (weight, share met 0..1)."""
    total = sum(weight for weight, _ in parts)
    earned = sum(weight * share for weight, share in parts)
    if math.isclose(earned, total):
        return "pass", float(check.points)
    if earned == 0:
        return "fail", 0.0
    return "partial", round(check.points * earned / total, 4)
