"""Accuracy thresholds and the train/test gap, on the grader's own numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from autograder.checks.metrics import check_accuracy, check_overfitting_gap
from autograder.rubric.models import AccuracyCheck, OverfittingGapCheck

if TYPE_CHECKING:
    from conftest import Build


@pytest.mark.parametrize(
    ("check", "status", "message"),
    [
        (AccuracyCheck(id="a", points=1, min=0.85), "pass", "test accuracy 0.8771 ≥ 0.85"),
        (AccuracyCheck(id="a", points=1, min=0.9), "fail", "test accuracy 0.8771 < 0.9 (min)"),
        (AccuracyCheck(id="a", points=1, max=0.8), "fail", "test accuracy 0.8771 > 0.8 (max)"),
        (AccuracyCheck(id="a", points=1, max=0.9), "pass", "test accuracy 0.8771 ≤ 0.9"),
        (
            AccuracyCheck(id="a", points=1, split="train", min=0.5, max=0.95),
            "pass",
            "train accuracy 0.9102 within [0.5, 0.95]",
        ),
    ],
)
def test_accuracy_thresholds(build: Build, check: AccuracyCheck, status: str, message: str) -> None:
    outcome = check_accuracy(check, build.context(build.model()))
    assert (outcome.status, outcome.message) == (status, message)
    assert outcome.points == (1 if status == "pass" else 0)


def test_accuracy_records_what_was_measured(build: Build) -> None:
    outcome = check_accuracy(
        AccuracyCheck(id="a", points=1, min=0.85), build.context(build.model())
    )
    assert outcome.expected == {"split": "test", "min": 0.85}
    assert outcome.measured == {"test": pytest.approx(0.8771)}


def test_unmeasurable_accuracy_fails_with_the_reason(build: Build) -> None:
    model = build.model(test=None, train=None, error="model expects input (None, 100)")
    outcome = check_accuracy(AccuracyCheck(id="a", points=1, min=0.8), build.context(model))
    assert outcome.status == "fail"
    assert outcome.message == "test accuracy could not be measured: model expects input (None, 100)"


def test_gap_without_a_limit_is_reported(build: Build) -> None:
    outcome = check_overfitting_gap(
        OverfittingGapCheck(id="gap", points=0), build.context(build.model())
    )
    assert outcome.status == "pass"
    assert outcome.message == "gap 0.033 (train 0.910, test 0.877); no limit set"
    assert outcome.measured["gap"] == pytest.approx(0.0331)


@pytest.mark.parametrize(("limit", "status"), [(0.05, "pass"), (0.02, "fail")])
def test_gap_with_a_limit(build: Build, limit: float, status: str) -> None:
    check = OverfittingGapCheck(id="gap", points=1, max=limit)
    outcome = check_overfitting_gap(check, build.context(build.model()))
    assert outcome.status == status
    sign = "≤" if status == "pass" else ">"
    assert outcome.message.startswith(f"gap 0.033 {sign} {limit:g}")


def test_unmeasurable_gap(build: Build) -> None:
    check = OverfittingGapCheck(id="gap", points=1, max=0.05)
    outcome = check_overfitting_gap(check, build.context(build.model(train=None)))
    assert outcome.status == "fail"
    assert outcome.message.startswith("the gap could not be measured")


def test_no_model(build: Build) -> None:
    ctx = build.context(None, no_model_reason="kernel died")
    accuracy = check_accuracy(AccuracyCheck(id="a", points=1, min=0.5), ctx)
    gap = check_overfitting_gap(OverfittingGapCheck(id="gap", points=1), ctx)
    assert accuracy.message == gap.message == "no trained model was captured: kernel died"
