"""The claims check: what the student says their model scores, against what it scores."""

from __future__ import annotations

from autograder.checks import no_model
from autograder.checks.base import CheckContext, result
from autograder.i18n import Said, say
from autograder.results import CheckResult
from autograder.rubric.models import ClaimsCheck


def check_claims(check: ClaimsCheck, ctx: CheckContext) -> CheckResult:
    expected = {"tolerance": check.tolerance}
    skip = _not_comparable(ctx)
    if skip is not None:
        return result(check, "skipped", skip[0], expected=expected, said=skip[1])
    if ctx.model is None:
        return no_model(check, ctx)
    measured_value = ctx.model.test_accuracy
    if measured_value is None:
        reason = ctx.model.error or "the grader could not run the model"
        return result(
            check,
            "fail",
            f"test accuracy could not be measured: {reason}",
            said=say("accuracy.unmeasured", split="test", reason=reason),
        )
    # The last claim is the one the student concludes with; earlier ones are drafts.
    claim = ctx.claims[-1]
    where = f"cell {claim.cell} ({claim.where})"
    measured = {
        "claimed": claim.value,
        "test_accuracy": measured_value,
        "where": where,
        "text": claim.text,
    }
    difference = abs(claim.value - measured_value)
    numbers = {"claimed": claim.value, "measured": measured_value, "tolerance": check.tolerance}
    if difference > check.tolerance:
        message = (
            f"claimed {claim.value:.4g}, measured {measured_value:.4g} "
            f"(differs by {difference:.3f} > {check.tolerance:g}; {where})"
        )
        said = say("claims.mismatch", cell=claim.cell, difference=difference, **numbers)
        return result(check, "fail", message, expected=expected, measured=measured, said=said)
    message = (
        f"claimed {claim.value:.4g}, measured {measured_value:.4g} (within {check.tolerance:g})"
    )
    said = say("claims.pass", **numbers)
    return result(check, "pass", message, expected=expected, measured=measured, said=said)


def _not_comparable(ctx: CheckContext) -> tuple[str, Said] | None:
    """Why the student's number cannot be held against the grader's, if it cannot."""
    if ctx.data is not None and ctx.data.source != "real":
        return (
            "skipped on synthetic data: the student ran on other data, so their numbers "
            "are not comparable"
        ), say("claims.synthetic")
    if ctx.data is not None and ctx.data.fraction < 1:
        fraction = ctx.data.fraction
        return (
            f"skipped: graded on {fraction:g} of the data, the student on all of it",
            say("claims.fraction", fraction=fraction),
        )
    if not ctx.claims:
        return (
            "no test accuracy reported in the notebook's saved outputs or markdown",
            say("claims.none"),
        )
    return None
