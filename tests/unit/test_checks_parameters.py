"""The parameters check: exact counts and ranges, trainable and total."""

from __future__ import annotations

from typing import TYPE_CHECKING

from autograder.checks.parameters import check_parameters
from autograder.rubric.models import ParametersCheck, Range

if TYPE_CHECKING:
    from conftest import Build


def test_exact_trainable_count_passes(build: Build) -> None:
    check = ParametersCheck(id="params", points=1, trainable=101_770)
    outcome = check_parameters(check, build.context(build.model()))
    assert outcome.status == "pass"
    assert outcome.points == 1
    assert outcome.message == "trainable 101,770"
    assert outcome.expected == {"trainable": 101_770}
    assert outcome.measured == {"trainable": 101_770}


def test_wrong_count_fails_with_both_numbers(build: Build) -> None:
    check = ParametersCheck(id="params", points=1, trainable=101_770)
    outcome = check_parameters(check, build.context(build.model(trainable=301_010)))
    assert outcome.status == "fail"
    assert outcome.points == 0
    assert outcome.message == "trainable 301,010 (expected 101,770)"


def test_ranges_and_total_are_all_or_nothing(build: Build) -> None:
    check = ParametersCheck(
        id="params", points=2, trainable=Range(min=90_000, max=110_000), total=Range(max=100_000)
    )
    outcome = check_parameters(check, build.context(build.model(total=101_796)))
    assert outcome.status == "fail"
    assert outcome.points == 0
    assert outcome.message == "trainable 101,770; total 101,796 (expected at most 100,000)"
    assert outcome.expected == {
        "trainable": {"min": 90_000, "max": 110_000},
        "total": {"max": 100_000},
    }
    assert outcome.measured == {"trainable": 101_770, "total": 101_796}


def test_open_ranges_are_described_in_words(build: Build) -> None:
    check = ParametersCheck(id="params", points=1, trainable=Range(min=200_000))
    outcome = check_parameters(check, build.context(build.model()))
    assert outcome.message == "trainable 101,770 (expected at least 200,000)"
    between = ParametersCheck(id="params", points=1, total=Range(min=1, max=2))
    assert check_parameters(between, build.context(build.model())).message == (
        "total 101,770 (expected between 1 and 2)"
    )
    exact = ParametersCheck(id="params", points=1, total=Range(min=1, max=1))
    assert check_parameters(exact, build.context(build.model())).message == (
        "total 101,770 (expected 1)"
    )


def test_no_model(build: Build) -> None:
    check = ParametersCheck(id="params", points=1, trainable=1)
    outcome = check_parameters(check, build.context(None, no_model_reason="nothing exported"))
    assert (outcome.status, outcome.message) == (
        "fail",
        "no trained model was captured: nothing exported",
    )
