"""The three lab exercises end to end on real kernels: each correct example gets full
marks on the synthetic data, with the reference retrained where thresholds follow it.

Each broken example must lose exactly the points its flaw costs, no more: the tests
name the checks that fail and the score that is left.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from autograder import timing
from autograder.batch.request import BatchRequest, grade_batch
from autograder.datasets.base import DataOptions
from autograder.grading.options import GradeOptions
from autograder.results import GradeReport
from autograder.rubric import load_rubric
from tests.honest_corpus import flagged, submission_ids

pytestmark = pytest.mark.kernel

ROOT = Path(__file__).resolve().parents[2]


def _grade(
    exercise: str, names: list[str], fraction: float, data_dir: Path
) -> dict[str, GradeReport]:
    """Every bundled example of the exercise, graded the way `autograder grade` does:
    grade_batch, the results store, the reference (retrained where thresholds follow
    it) and the confined evaluator process."""
    options = GradeOptions(data=DataOptions(source="synthetic", fraction=fraction))
    request = BatchRequest(
        paths=[ROOT / "submissions" / exercise],
        rubric=load_rubric(ROOT / "rubrics" / f"{exercise}.yaml"),
        out=data_dir,
        options=options,
        jobs=1,
    )
    reports = {r.submission.id: r for r in grade_batch(request).reports}
    assert sorted(reports) == sorted(names)  # a new example needs its pinned score here
    honest = submission_ids("tests/integration/test_exercises.py", f"submissions/{exercise}")
    assert honest == set(names)
    assert flagged(reports, honest) == {}  # honest work carries no integrity flag
    return reports


@pytest.fixture(scope="module")
def cifar(tmp_path_factory: pytest.TempPathFactory) -> dict[str, GradeReport]:
    names = ["correct", "wide64", "not_trained"]
    marks = tmp_path_factory.mktemp("timings") / "marks.jsonl"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(timing.ENV, str(marks))
        reports = _grade("cifar10-mlp", names, 0.02, tmp_path_factory.mktemp("c"))
    # The reference trained first, on the evaluator the batch then measures with: one
    # TensorFlow start for a --jobs 1 batch, not one per grader (none if this process
    # already holds a pool for the same data).
    events = [json.loads(line)["event"] for line in marks.read_text().splitlines()]
    assert events.count("evaluator.start") <= 1
    return reports


@pytest.fixture(scope="module")
def toy(tmp_path_factory: pytest.TempPathFactory) -> dict[str, GradeReport]:
    names = ["correct", "no_extension", "sigmoid16"]
    return _grade("toy-dense", names, 1.0, tmp_path_factory.mktemp("t"))


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> dict[str, GradeReport]:
    names = ["correct", "no_cnn", "widths_only"]
    return _grade("mnist-experiments", names, 0.01, tmp_path_factory.mktemp("l"))


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


def test_toy_script_gets_full_marks_on_its_declared_data(toy: dict[str, GradeReport]) -> None:
    report = toy["correct"]
    assert report.status == "graded"
    assert report.data.dataset == "toy_dense"
    assert report.score == pytest.approx(report.max_score) == pytest.approx(8)
    assert [row.hidden_units for row in report.experiments] == [[3], [16, 16, 3]]


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
        for r in (c.details or {})["requirements"]
        if r["id"] == "cnn"
    ]
    assert requirement["min_val_accuracy"]["rule"] == {"reference": -0.05}
    assert requirement["models"] == [cnn.model]
    assert all(row.training_s is not None and row.training_s > 0 for row in report.experiments)


def _lost(report: GradeReport) -> dict[str, float]:
    """Points lost per check (only the checks that lost some)."""
    return {
        c.id: round(c.max_points - c.points, 4) for c in report.checks if c.points < c.max_points
    }


@pytest.mark.parametrize(
    ("exercise", "name", "score", "failed"),
    [
        ("cifar", "wide64", 7, {"architecture", "parameters"}),
        # Untrained: chance accuracy, so no gap credit either (checks/metrics.py floor).
        ("cifar", "not_trained", 5, {"training", "test-accuracy", "gap"}),
        ("toy", "no_extension", 4, None),
        ("toy", "sigmoid16", 5, None),
        ("lab", "no_cnn", 9, None),
        ("lab", "widths_only", 2, None),
    ],
)
def test_broken_examples_lose_exactly_their_flaws_points(
    request: pytest.FixtureRequest,
    exercise: str,
    name: str,
    score: float,
    failed: set[str] | None,
) -> None:
    report: GradeReport = request.getfixturevalue(exercise)[name]
    assert report.status == "graded", report.message
    assert report.score == pytest.approx(score), _lost(report)
    if failed is not None:
        assert set(_lost(report)) == failed
