"""Settings derived from GradeOptions: the store key covers every option by construction."""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import BaseModel

from autograder.environments import default_environment
from autograder.execution.limits import Limits
from autograder.grading.options import (
    NOT_IN_RESULT,
    GradeOptions,
    evaluator_config,
    run_identity,
    run_options,
)
from autograder.results import ReferenceSummary
from autograder.rubric import load_rubric

RUBRIC = load_rubric(Path(__file__).resolve().parents[2] / "rubrics" / "fashion-mnist.yaml")
BASE = GradeOptions()


def _other(value: Any, annotation: Any) -> Any:
    """A valid value different from ``value`` for a field of this type."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) is Literal:
        return next(a for a in typing.get_args(annotation) if a != value)
    union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
    if union and isinstance(value, str):  # e.g. gpus: a word, or a tuple of indices
        return _other(value, next(a for a in args if typing.get_origin(a) is Literal))
    if union and value is None:
        return _other(None, args[0]) if typing.get_origin(args[0]) is Literal else args[0](7)
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, float):
        return value / 2
    raise AssertionError(f"no other value for {annotation!r}: extend _other")


def _changes(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every leaf field path of a (nested) options model."""
    paths: list[tuple[str, ...]] = []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            paths += _changes(annotation, (*prefix, name))
        else:
            paths.append((*prefix, name))
    return paths


def _changed(path: tuple[str, ...]) -> GradeOptions:
    dump = BASE.model_dump()
    node: dict[str, Any] = dump
    model: Any = type(BASE)
    for name in path[:-1]:
        node, model = node[name], model.model_fields[name].annotation
    field = model.model_fields[path[-1]]
    node[path[-1]] = _other(node[path[-1]], field.annotation)
    return GradeOptions.model_validate(dump)


@pytest.mark.parametrize("path", _changes(GradeOptions), ids=".".join)
def test_every_option_is_in_the_store_key_or_declared_irrelevant(path: tuple[str, ...]) -> None:
    changed = _changed(path)
    assert changed != BASE
    same = run_identity(RUBRIC, BASE, "v").key("ana", "sha")
    other = run_identity(RUBRIC, changed, "v").key("ana", "sha")
    if path[0] in NOT_IN_RESULT:
        assert other == same
    else:
        assert other != same, f"{'.'.join(path)} changes results but not the store key"


def test_the_sandbox_limits_are_covered() -> None:
    # The bug this guards: re-grading with --memory-mb/--no-sandbox reused stale results.
    keys = {
        run_identity(RUBRIC, GradeOptions(limits=limits), "v").key("ana", "sha")
        for limits in (Limits(), Limits(memory_mb=8192), Limits(sandbox=False))
    }
    assert len(keys) == 3


def test_rubric_version_and_reference_are_in_the_key() -> None:
    reference = ReferenceSummary(test_accuracy=0.8, duration_s=1.0, cache_key="k")
    base = run_identity(RUBRIC, BASE, "v")
    others = [
        run_identity(RUBRIC, BASE, "w"),
        run_identity(RUBRIC, BASE, "v", reference),
        base.model_copy(update={"rubric_sha256": "x" * 64}),
    ]
    assert all(o.key("ana", "sha") != base.key("ana", "sha") for o in others)
    assert base.key("ana", "sha") != base.key("ana", "other")


def test_run_options_and_evaluator_config_come_from_the_options() -> None:
    options = GradeOptions(
        timeout_s=30, seed=5, threads=2, epoch_cap=1, limits=Limits(memory_mb=4096)
    )
    run = run_options(RUBRIC, options, {}, default_environment())
    assert (run.total_timeout_s, run.seed, run.threads, run.epoch_cap) == (30, 5, 2, 1)
    assert run.cell_timeout_s <= 30
    assert run.limits == options.limits
    assert run.model_variable == RUBRIC.rubric.model_variable
    config = evaluator_config(RUBRIC, options)
    assert (config.dataset, config.data) == (RUBRIC.rubric.dataset, options.data)
