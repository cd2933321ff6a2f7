"""Reference-relative bounds: rubric validation, resolution and what results show."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import pytest
from pydantic import ValidationError

from autograder.checks.base import CheckContext
from autograder.checks.metrics import check_accuracy, check_overfitting_gap
from autograder.checks.thresholds import resolve
from autograder.measure.facts import ModelMeasurements
from autograder.results import ReferenceSummary
from autograder.rubric.models import (
    AccuracyCheck,
    DatasetSpec,
    OverfittingGapCheck,
    ReferenceBound,
    ReferenceSpec,
    Rubric,
)

if TYPE_CHECKING:
    from conftest import Build

REFERENCE = ReferenceSummary(
    test_accuracy=0.88, train_accuracy=0.91, overfitting_gap=0.03, duration_s=1.0, cache_key="k"
)


def _with_reference(
    build: Build, model: ModelMeasurements | None, reference: ReferenceSummary | None = REFERENCE
) -> CheckContext:
    return dataclasses.replace(build.context(model), reference=reference)


@pytest.mark.parametrize(
    ("bound", "value", "expected"),
    [
        (ReferenceBound(reference=-0.03), 0.88, 0.85),
        (ReferenceBound(reference=0.05), 0.03, 0.08),
        (ReferenceBound(ratio=0.95), 0.88, 0.836),
    ],
)
def test_relative_bounds_resolve_against_the_reference(
    bound: ReferenceBound, value: float, expected: float
) -> None:
    threshold = resolve(bound, value)
    assert threshold is not None
    assert threshold.value == pytest.approx(expected)
    assert threshold.reference == value


def test_plain_numbers_stay_plain() -> None:
    threshold = resolve(0.6, 0.88)
    assert threshold is not None
    assert (threshold.value, threshold.relative, threshold.label()) == (0.6, False, "0.6")


@pytest.mark.parametrize("fields", [{}, {"reference": -0.03, "ratio": 0.9}])
def test_a_reference_bound_needs_exactly_one_rule(fields: dict[str, float]) -> None:
    with pytest.raises(ValidationError, match="exactly one of `reference` or `ratio`"):
        ReferenceBound(**fields)


def test_relative_bounds_need_a_declared_reference() -> None:
    check = AccuracyCheck(id="acc", points=1, min=ReferenceBound(reference=-0.03))
    fields = {
        "schema_version": 1,
        "id": "x",
        "title": "x",
        "dataset": DatasetSpec(name="mnist"),
        "checks": [check],
    }
    with pytest.raises(ValidationError, match="acc use reference bounds but `reference` is not"):
        Rubric.model_validate(fields)
    rubric = Rubric.model_validate({**fields, "reference": ReferenceSpec(path="ref.ipynb")})
    assert [c.id for c in rubric.relative_checks] == ["acc"]


@pytest.mark.parametrize(("test", "status"), [(0.86, "pass"), (0.84, "fail")])
def test_accuracy_against_the_reference_shows_all_three_numbers(
    build: Build, test: float, status: str
) -> None:
    check = AccuracyCheck(id="acc", points=2, min=ReferenceBound(reference=-0.03))
    outcome = check_accuracy(check, _with_reference(build, build.model(test=test)))
    assert outcome.status == status
    assert outcome.expected == {
        "split": "test",
        "min": {"rule": {"reference": -0.03}, "reference": 0.88, "threshold": pytest.approx(0.85)},
    }
    assert outcome.measured == {"test": test}
    sign = "≥" if status == "pass" else "<"
    assert f"test accuracy {test:.4f} {sign} 0.850 (reference 0.880 -0.03)" in outcome.message


def test_ratio_bound_names_the_factor(build: Build) -> None:
    check = AccuracyCheck(id="acc", points=1, min=ReferenceBound(ratio=0.9))
    outcome = check_accuracy(check, _with_reference(build, build.model(test=0.5)))
    assert outcome.status == "fail"
    assert outcome.message == "test accuracy 0.5000 < 0.792 (0.9 x reference 0.880) (min)"


def test_gap_against_the_reference(build: Build) -> None:
    check = OverfittingGapCheck(id="gap", points=1, max=ReferenceBound(reference=0.05))
    wide = build.model(train=0.99, test=0.80)
    outcome = check_overfitting_gap(check, _with_reference(build, wide))
    assert outcome.status == "fail"
    assert outcome.message.startswith("gap 0.190 > 0.080 (reference 0.030 +0.05) (max)")
    assert outcome.expected["max"]["threshold"] == pytest.approx(0.08)


def test_relative_bound_without_a_reference_is_an_error_not_a_fail(build: Build) -> None:
    check = AccuracyCheck(id="acc", points=1, min=ReferenceBound(reference=-0.03))
    outcome = check_accuracy(check, _with_reference(build, build.model(), reference=None))
    assert outcome.status == "error"
    assert "reference" in outcome.message
    assert outcome.points == 0
