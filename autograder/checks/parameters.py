"""The parameters check: trainable and/or total parameter counts, counted by the grader."""

from __future__ import annotations

from autograder.checks import no_model
from autograder.checks.base import CheckContext, Problem, describe, matches, result
from autograder.i18n import say
from autograder.results import CheckResult
from autograder.rubric.models import ParametersCheck, Range
from autograder.text import thousands


def check_parameters(check: ParametersCheck, ctx: CheckContext) -> CheckResult:
    if ctx.model is None:
        return no_model(check, ctx)
    measured = {"trainable": ctx.model.trainable_params, "total": ctx.model.total_params}
    wanted = {"trainable": check.trainable, "total": check.total}
    expected = {name: describe(spec) for name, spec in wanted.items() if spec is not None}
    parts, problems = [], []
    for name, spec in wanted.items():
        if spec is None:
            continue
        value = measured[name]
        if matches(spec, value):
            parts.append(f"{name} {thousands(value)}")
        else:
            text = f"{name} {thousands(value)} (expected {expected_text(spec)})"
            problems.append(Problem(name, thousands(value), neutral_text(spec), text))
            parts.append(text)
    if problems:
        first = problems[0]
        said = say(
            "parameters.mismatch", which=first.setting, found=first.found, expected=first.expected
        )
    else:
        said = say("parameters.pass", found="; ".join(parts))
    return result(
        check,
        "fail" if problems else "pass",
        "; ".join(parts),
        expected=expected,
        measured={name: measured[name] for name in expected},
        said=said,
    )


def neutral_text(spec: int | float | Range) -> str:
    """An exact value or a range without words, for every language: '90,000-110,000'."""
    if not isinstance(spec, Range):
        return thousands(spec)
    if spec.min is not None and spec.max is not None:
        if spec.min == spec.max:
            return thousands(spec.min)
        return f"{thousands(spec.min)}\u2013{thousands(spec.max)}"
    if spec.min is not None:
        return f"\u2265 {thousands(spec.min)}"
    return f"\u2264 {thousands(spec.max or 0)}"


def expected_text(spec: int | float | Range) -> str:
    """An exact value or a range, as a person would say it: 'between 90,000 and 110,000'."""
    if not isinstance(spec, Range):
        return thousands(spec)
    if spec.min is not None and spec.min == spec.max:
        return thousands(spec.min)
    if spec.min is not None and spec.max is not None:
        return f"between {thousands(spec.min)} and {thousands(spec.max)}"
    if spec.min is not None:
        return f"at least {thousands(spec.min)}"
    return f"at most {thousands(spec.max or 0)}"
