"""The three lab exercises end to end on real kernels: each correct example gets full
marks and each broken one loses exactly what its flaw costs.

One batch per exercise at a tiny fraction keeps this module to a few kernel runs; the
examples not run here (wide64, widths_only) differ only in ways the unit tests of the
architecture and experiments checks already pin down.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from autograder.datasets.base import DataOptions
from autograder.grading import GradeOptions, grade_submission, prepare
from autograder.reference.train import train_reference
from autograder.results import GradeReport
from autograder.rubric import load_rubric
from autograder.submissions import Submission, discover

pytestmark = pytest.mark.kernel

ROOT = Path(__file__).resolve().parents[2]


def _grade(
    exercise: str, names: list[str], fraction: float, data_dir: Path
) -> dict[str, GradeReport]:
    options = GradeOptions(data=DataOptions(source="synthetic", fraction=fraction), threads=1)
    prepared = prepare(load_rubric(ROOT / "rubrics" / f"{exercise}.yaml"), options, data_dir)
    if prepared.rubric.rubric.relative_checks:
        # Thresholds relative to the reference: retrain it once, as `grade` would.
        prepared = dataclasses.replace(prepared, reference=train_reference(prepared).record)
    wanted: list[Submission] = [
        s for s in discover(ROOT / "submissions" / exercise) if s.id in names
    ]
    assert sorted(s.id for s in wanted) == sorted(names)
    return {s.id: grade_submission(s, prepared) for s in wanted}


def _points(report: GradeReport) -> dict[str, float]:
    return {c.id: c.points for c in report.checks}


@pytest.fixture(scope="module")
def cifar(tmp_path_factory: pytest.TempPathFactory) -> dict[str, GradeReport]:
    return _grade("cifar10-mlp", ["correct", "not_trained"], 0.02, tmp_path_factory.mktemp("c"))


@pytest.fixture(scope="module")
def toy(tmp_path_factory: pytest.TempPathFactory) -> dict[str, GradeReport]:
    return _grade("toy-dense", ["correct", "no_extension"], 1.0, tmp_path_factory.mktemp("t"))


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> dict[str, GradeReport]:
    return _grade("mnist-experiments", ["correct", "no_cnn"], 0.01, tmp_path_factory.mktemp("l"))


def test_cifar_correct_gets_full_marks_with_params_and_gap(cifar: dict[str, GradeReport]) -> None:
    report = cifar["correct"]
    assert report.status == "graded"
    assert report.score == pytest.approx(report.max_score) == pytest.approx(10)
    assert report.metrics.trainable_params == 100_778
    assert report.reference is not None
    assert report.reference.trainable_params == 100_778
    gap = next(c for c in report.checks if c.id == "gap")
    assert gap.measured["gap"] == pytest.approx(report.metrics.overfitting_gap)
    assert "gap" in gap.message


def test_cifar_untrained_model_loses_training_and_accuracy(cifar: dict[str, GradeReport]) -> None:
    report = cifar["not_trained"]
    assert report.score == pytest.approx(10 - 3 - 1)
    assert _points(report)["training"] == 0
    assert _points(report)["test-accuracy"] == 0
    assert report.execution is not None
    assert [e.ename for e in report.execution.errors] == ["NameError"]


def test_toy_script_gets_full_marks_on_its_declared_data(toy: dict[str, GradeReport]) -> None:
    report = toy["correct"]
    assert report.status == "graded"
    assert report.data.dataset == "toy_dense"
    assert report.score == pytest.approx(report.max_score) == pytest.approx(8)
    assert [row.hidden_units for row in report.experiments] == [[3], [16, 16, 3]]


def test_toy_without_extension_loses_what_the_extension_is_worth(
    toy: dict[str, GradeReport],
) -> None:
    report = toy["no_extension"]
    points = _points(report)
    assert (points["architecture"], points["parameters"], points["both-networks"]) == (0, 0, 1)
    assert report.score == pytest.approx(8 - 2 - 1 - 1)


def test_lab_correct_gets_full_marks_and_every_width_in_its_table(
    lab: dict[str, GradeReport],
) -> None:
    report = lab["correct"]
    assert report.status == "graded"
    assert report.score == pytest.approx(report.max_score) == pytest.approx(12)
    # The notebook's results table holds real-data numbers: not compared on synthetic data.
    assert next(c for c in report.checks if c.id == "results-table").status == "skipped"
    single = [row.hidden_units[0] for row in report.experiments if len(row.hidden_units) == 1]
    assert {50, 100, 200, 300, 500} <= set(single)
    cnn = report.experiments[-1]
    assert cnn.variables == ["model"]
    assert cnn.val_source == "split"
    assert cnn.val_accuracy is not None
    # The CNN's bar is relative to the reference CNN, retrained on the same data.
    (requirement,) = [
        r
        for c in report.checks
        if c.id == "experiments"
        for r in c.details["requirements"]
        if r["id"] == "cnn"
    ]
    assert requirement["min_val_accuracy"]["rule"] == {"reference": -0.05}
    assert requirement["models"] == [cnn.model]
    assert all(row.training_s is not None and row.training_s > 0 for row in report.experiments)


def test_lab_without_cnn_loses_the_cnn_points_only(lab: dict[str, GradeReport]) -> None:
    report = lab["no_cnn"]
    points = _points(report)
    # The CNN is 1 of the experiments' 10 points, plus its compile and training checks.
    assert points == {"experiments": 9, "cnn-compile": 0, "cnn-training": 0, "results-table": 0}
    assert report.execution is not None
    assert report.execution.errors[0].ename == "AttributeError"
