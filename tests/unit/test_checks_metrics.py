"""Accuracy thresholds and the train/test gap, on the grader's own numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from autograder.checks.metrics import (
    LEARNED_MARGIN,
    check_accuracy,
    check_overfitting_gap,
    learning_floor,
)
from autograder.rubric.models import (
    AccuracyCheck,
    DatasetSpec,
    DeclaredDataset,
    OverfittingGapCheck,
    ReferenceBound,
    ReferenceSpec,
    Rubric,
)

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


# ------------------------------------------------- no gap credit without learning


def test_chance_level_model_earns_no_gap_credit(build: Build) -> None:
    """Gap 0.000 at 10 % accuracy is an untrained model, not a well-generalising one."""
    check = OverfittingGapCheck(id="gap", points=1, max=0.05)
    outcome = check_overfitting_gap(check, build.context(build.model(test=0.1, train=0.1)))
    assert (outcome.status, outcome.points) == ("fail", 0)
    assert outcome.message_id == "gap.not_learned"
    # The rubric's bar is 0.5, chance 0.1: the floor is halfway, 0.3.
    assert outcome.message_args["floor"] == pytest.approx(0.3)
    assert outcome.message_args["chance"] == pytest.approx(0.1)
    assert outcome.message.startswith("no credit for gap 0.000: test accuracy 0.100 < 0.300")


@pytest.mark.parametrize(("test", "status"), [(0.29, "fail"), (0.31, "pass")])
def test_floor_sits_halfway_between_chance_and_the_accuracy_bar(
    build: Build, test: float, status: str
) -> None:
    check = OverfittingGapCheck(id="gap", points=1, max=0.05)
    outcome = check_overfitting_gap(check, build.context(build.model(test=test, train=test)))
    assert outcome.status == status


def test_floor_without_an_accuracy_check_is_chance_plus_margin() -> None:
    rubric = Rubric(
        schema_version=1,
        id="unit",
        title="Unit",
        dataset=DatasetSpec(name="cifar100"),
        checks=[OverfittingGapCheck(id="gap", points=1, max=0.1)],
    )
    floor = learning_floor(rubric, None)
    assert floor.bar is None
    assert floor.value == pytest.approx(0.01 + LEARNED_MARGIN)


def test_floor_follows_a_reference_relative_bar_and_declared_classes() -> None:
    rubric = Rubric(
        schema_version=1,
        id="unit",
        title="Unit",
        dataset=DatasetSpec(
            name="declared",
            declared=DeclaredDataset(
                name="toy", input_shape=[5, 5], classes=2, train_size=10, test_size=10
            ),
        ),
        checks=[AccuracyCheck(id="acc", points=1, min=ReferenceBound(reference=-0.05))],
        reference=ReferenceSpec(path="reference.ipynb"),
    )
    floor = learning_floor(rubric, 0.95)
    assert floor.chance == 0.5
    assert floor.bar == pytest.approx(0.9)
    assert floor.value == pytest.approx(0.7)  # halfway from 0.5 to 0.9
    # Without a reference the bar is unknown and only the margin over chance counts.
    assert learning_floor(rubric, None).value == pytest.approx(0.6)


def test_a_learned_model_keeps_its_gap_verdict(build: Build) -> None:
    check = OverfittingGapCheck(id="gap", points=1, max=0.05)
    outcome = check_overfitting_gap(check, build.context(build.model(test=0.45, train=0.47)))
    assert (outcome.status, outcome.message_id) == ("pass", "gap.pass")
