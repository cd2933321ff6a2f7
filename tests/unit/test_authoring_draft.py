"""``rubric init``: a rubric drafted from a measured reference (fixture measurements)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from autograder.authoring.draft import Draft, draft_rubric
from autograder.checks.registry import run_checks
from autograder.results import ReferenceSummary
from autograder.rubric import load_rubric
from autograder.rubric.models import (
    AccuracyCheck,
    ArchitectureCheck,
    CompileCheck,
    ReferenceBound,
    SpreadOffset,
    TrainingCheck,
)

if TYPE_CHECKING:
    from conftest import Build

DRAFT = Draft(
    id="taller-3",
    title="Taller 3: prendas con una red densa",
    dataset="fashion_mnist",
    reference="../exercises/taller-3/reference.ipynb",
)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rubric.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_draft_validates_and_asks_for_what_was_measured(build: Build, tmp_path: Path) -> None:
    fits = [build.fit(10, batch_size=64, validation_split=0.2)]
    text = draft_rubric(build.model(), fits, DRAFT)
    rubric = load_rubric(_write(tmp_path, text)).rubric
    assert [c.kind for c in rubric.checks] == [
        "architecture",
        "parameters",
        "compile",
        "training",
        "accuracy",
        "overfitting_gap",
    ]
    arch = rubric.checks[0]
    assert isinstance(arch, ArchitectureCheck)
    assert [(s.type, s.units, s.activation) for s in arch.layers] == [
        ("Flatten", None, None),
        ("Dense", 128, "relu"),
        ("Dense", 10, "softmax"),
    ]
    assert arch.layers[0].output_shape == [None, 784]
    compiled = rubric.checks[2]
    assert isinstance(compiled, CompileCheck)
    assert (compiled.optimizer, compiled.loss, compiled.metrics) == (
        "adam",
        "sparse_categorical_crossentropy",
        ["accuracy"],
    )
    assert compiled.from_logits is None
    training = rubric.checks[3]
    assert isinstance(training, TrainingCheck)
    assert (training.epochs, training.batch_size, training.validation) == (10, 64, "split")
    assert training.validation_split == pytest.approx(0.2)
    assert rubric.reference is not None
    assert rubric.reference.path == DRAFT.reference
    assert {c.points for c in rubric.checks} == {1.0}


def test_comments_name_each_measured_value(build: Build) -> None:
    text = draft_rubric(build.model(), [build.fit(10)], DRAFT)
    assert "# measured: 101,770 trainable, 101,770 total" in text
    assert "# measured: reference test accuracy 0.8771" in text
    assert "# measured: reference train - test accuracy 0.0331" in text
    assert "# dense: 0 parameters" in text  # the fixture's layers carry no counts
    assert "learning rate 0.001," in text


def test_the_reference_earns_full_marks_on_its_draft(build: Build, tmp_path: Path) -> None:
    model, fits = build.model(), [build.fit(10)]
    rubric = load_rubric(_write(tmp_path, draft_rubric(model, fits, DRAFT))).rubric
    summary = ReferenceSummary(
        test_accuracy=model.test_accuracy,
        train_accuracy=model.train_accuracy,
        overfitting_gap=0.0331,
        trainable_params=model.trainable_params,
        total_params=model.total_params,
        duration_s=1.0,
        cache_key="k",
    )
    ctx = dataclasses.replace(build.context(model, fits), rubric=rubric, reference=summary)
    results = run_checks(rubric, ctx)
    assert [(r.id, r.status) for r in results if r.status != "pass"] == []
    assert sum(r.points for r in results) == rubric.max_points


def test_points_are_split_evenly(build: Build, tmp_path: Path) -> None:
    text = draft_rubric(build.model(), [build.fit(10)], dataclasses.replace(DRAFT, points=10))
    rubric = load_rubric(_write(tmp_path, text)).rubric
    assert rubric.max_points == pytest.approx(10)
    assert len({c.points for c in rubric.checks}) == 1


def test_several_seeds_draw_the_bar_from_the_spread(build: Build, tmp_path: Path) -> None:
    text = draft_rubric(build.model(), [build.fit(10)], dataclasses.replace(DRAFT, seeds=5))
    rubric = load_rubric(_write(tmp_path, text)).rubric
    assert rubric.reference is not None
    assert rubric.reference.seeds == 5
    accuracy = next(c for c in rubric.checks if isinstance(c, AccuracyCheck))
    assert accuracy.min == ReferenceBound(reference=SpreadOffset(sd=-3))


def test_a_model_never_fitted_gets_no_training_check(build: Build, tmp_path: Path) -> None:
    text = draft_rubric(build.model(uncompiled=True), [], DRAFT)
    kinds = [c.kind for c in load_rubric(_write(tmp_path, text)).rubric.checks]
    assert "training" not in kinds
    assert "compile" not in kinds
