"""The registry: every rubric kind has a check, and one broken check loses nothing else."""

from __future__ import annotations

import typing
from typing import TYPE_CHECKING

import pytest

from autograder.checks import registry
from autograder.rubric.models import (
    AccuracyCheck,
    ArchitectureCheck,
    Check,
    CompileCheck,
    LayerSpec,
    OverfittingGapCheck,
    ParametersCheck,
    Rubric,
    TrainingCheck,
)

if TYPE_CHECKING:
    from conftest import Build

ALL_CHECKS = [
    ArchitectureCheck(id="arch", points=2, layers=[LayerSpec(type="Flatten")]),
    ParametersCheck(id="params", points=1, trainable=101_770),
    CompileCheck(id="compile", points=1, optimizer="adam"),
    TrainingCheck(id="fit", points=1, epochs=10),
    AccuracyCheck(id="acc", points=3, min=0.85),
    OverfittingGapCheck(id="gap", points=0),
]


def _rubric() -> Rubric:
    return Rubric.model_validate(
        {
            "schema_version": 1,
            "id": "unit",
            "title": "Unit",
            "dataset": {"name": "fashion_mnist"},
            "checks": [c.model_dump() for c in ALL_CHECKS],
        }
    )


def test_every_rubric_kind_is_registered() -> None:
    union = typing.get_args(typing.get_args(Check)[0])
    kinds = {model.model_fields["kind"].default for model in union}
    assert kinds == set(registry.CHECKS)


def test_runs_in_rubric_order(build: Build) -> None:
    results = registry.run_checks(_rubric(), build.context(build.model(), [build.fit(10)]))
    assert [r.id for r in results] == [c.id for c in ALL_CHECKS]
    statuses = [r.status for r in results]
    assert statuses == ["fail", "pass", "pass", "pass", "pass", "pass"]


def test_without_a_model_every_check_fails_with_the_reason(build: Build) -> None:
    results = registry.run_checks(_rubric(), build.context(None, no_model_reason="kernel died"))
    assert {r.status for r in results} == {"fail"}
    assert {r.message for r in results} == {"no trained model was captured: kernel died"}
    assert sum(r.points for r in results) == 0
    assert sum(r.max_points for r in results) == 8


def test_a_crashing_check_becomes_an_error_and_the_rest_still_run(
    build: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(check: object, ctx: object) -> typing.NoReturn:
        raise ValueError("layers\nsecond line")

    monkeypatch.setitem(registry.CHECKS, "parameters", registry.Registered(broken))
    results = registry.run_checks(_rubric(), build.context(build.model(), [build.fit(10)]))
    crashed = results[1]
    assert crashed.status == "error"
    assert crashed.points == 0
    assert crashed.max_points == 1
    assert crashed.message == "the check itself failed: ValueError: layers"
    assert [r.status for r in results[2:]] == ["pass"] * 4


def test_results_are_json_serialisable(build: Build) -> None:
    ctx = build.context(build.model(), [build.fit(10)])
    for outcome in registry.run_checks(_rubric(), ctx):
        outcome.model_dump_json()
