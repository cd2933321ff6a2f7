"""End to end on real kernels and small synthetic data: the verdicts the issue promises."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from autograder.batch.request import BatchRequest, grade_batch
from autograder.cli import main
from autograder.datasets.base import DataOptions
from autograder.grading.grader import Grader
from autograder.grading.options import GradeOptions
from autograder.grading.session import open_grader
from autograder.reference.train import reference_provider
from autograder.results import GradeReport
from autograder.rubric import load_rubric
from autograder.submissions import Submission
from tests.honest_corpus import covered_by, flagged, submission_ids

pytestmark = pytest.mark.kernel

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "submissions" / "fashion-mnist"
FIXTURES = ROOT / "tests" / "fixtures" / "notebooks"
RUBRIC = ROOT / "rubrics" / "fashion-mnist.yaml"
FRACTION = 0.05
HERE = "tests/integration/test_grading.py"


@pytest.fixture(scope="module")
def prepared() -> Iterator[Grader]:
    options = GradeOptions(data=DataOptions(source="synthetic", fraction=FRACTION), threads=1)
    # The rubric's thresholds are relative to the reference, trained once (as `grade` does).
    with open_grader(load_rubric(RUBRIC), options, reference=reference_provider()) as grader:
        yield grader


@pytest.fixture(scope="module")
def example_reports(
    prepared: Grader, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, GradeReport]:
    """Every bundled example, graded the way `autograder grade` does (grade_batch: the
    store, the reference, the evaluator process)."""
    request = BatchRequest(
        paths=[EXAMPLES],
        rubric=prepared.rubric,
        out=tmp_path_factory.mktemp("out"),
        options=prepared.options,
        jobs=1,
    )
    return {r.submission.id: r for r in grade_batch(request).reports}


# Each example loses exactly its flaw's points (synthetic data, 5%): a new example, or a
# changed score, must be decided here.
# The broken examples also leave the written questions unanswered.
PINNED: dict[str, tuple[float, set[str]]] = {
    "correct": (10, set()),
    "logits": (10, set()),
    "crash_halfway": (5, {"training", "test-accuracy", "answers"}),
    "dense500x3": (5.4, {"architecture", "parameters", "answers"}),
    # It does not learn (below the gap check's floor), so the gap earns nothing either.
    "unscaled_sgd": (4.6667, {"compile", "test-accuracy", "gap", "answers"}),
}


def test_every_example_scores_as_pinned(example_reports: dict[str, GradeReport]) -> None:
    assert sorted(example_reports) == sorted(PINNED)
    assert flagged(example_reports, submission_ids(HERE, "submissions/fashion-mnist")) == {}
    for name, (score, lost) in PINNED.items():
        report = example_reports[name]
        got = {c.id for c in report.checks if c.points < c.max_points}
        assert got == lost, name
        assert report.score == pytest.approx(score, abs=1e-3), name


def _check(report: GradeReport, check_id: str) -> str:
    return next(c.status for c in report.checks if c.id == check_id)


@pytest.mark.parametrize("name", ["correct", "logits"])
def test_tutorial_and_logits_get_full_marks(
    example_reports: dict[str, GradeReport], name: str
) -> None:
    report = example_reports[name]
    assert report.status == "graded"
    assert report.score == pytest.approx(report.max_score)
    assert report.max_score == pytest.approx(10)  # 8 for the model, 2 for the answers
    assert report.metrics.trainable_params == 101_770


def test_accuracy_threshold_follows_the_reference(
    example_reports: dict[str, GradeReport], prepared: Grader
) -> None:
    assert prepared.reference is not None
    reference = prepared.reference.summary.test_accuracy
    assert reference is not None
    correct = next(c for c in example_reports["correct"].checks if c.id == "test-accuracy")
    assert correct.status == "pass"
    assert correct.expected["min"] == {
        "rule": {"reference": -0.05},
        "reference": reference,
        "threshold": pytest.approx(reference - 0.05),
    }
    assert f"reference {reference:.3f} -0.05" in correct.message
    unscaled = next(c for c in example_reports["unscaled_sgd"].checks if c.id == "test-accuracy")
    assert unscaled.status == "fail"
    assert unscaled.measured["test"] < reference - 0.05


def test_learning_curves_hold_student_and_reference(
    example_reports: dict[str, GradeReport],
) -> None:
    curves = example_reports["correct"].curves
    assert curves is not None
    assert curves.reference is not None
    assert len(curves.student["accuracy"]) == len(curves.reference["accuracy"]) == 10
    crashed = example_reports["crash_halfway"].curves
    assert crashed is not None
    # The epoch that finished before the student's callback raised still counts.
    assert len(crashed.student["loss"]) == 1


def test_logits_variant_measures_like_softmax(example_reports: dict[str, GradeReport]) -> None:
    correct, logits = example_reports["correct"].metrics, example_reports["logits"].metrics
    assert correct.test_accuracy is not None
    assert logits.test_accuracy is not None
    # Same seeds, same data, same maths: the two spellings train the same network.
    assert logits.test_accuracy == pytest.approx(correct.test_accuracy, abs=0.02)


def test_crash_halfway_gets_partial_credit_naming_the_cell(
    example_reports: dict[str, GradeReport],
) -> None:
    report = example_reports["crash_halfway"]
    assert 0 < report.score < report.max_score
    assert report.execution is not None
    (error,) = [e for e in report.execution.errors if e.ename == "KeyError"]
    assert error.cell == 6
    assert error.excerpt
    assert _check(report, "training") == "fail"
    assert _check(report, "architecture") == "pass"


def test_dense500x3_fails_structure_but_passes_accuracy(
    example_reports: dict[str, GradeReport],
) -> None:
    report = example_reports["dense500x3"]
    assert _check(report, "architecture") == "fail"
    assert _check(report, "parameters") == "fail"
    assert _check(report, "test-accuracy") == "pass"
    architecture = next(c for c in report.checks if c.id == "architecture")
    assert architecture.details is not None
    assert architecture.details["diff"]


def test_unscaled_sgd_fails_accuracy(example_reports: dict[str, GradeReport]) -> None:
    report = example_reports["unscaled_sgd"]
    assert _check(report, "test-accuracy") == "fail"
    assert _check(report, "compile") != "pass"


def _honest_copy(source: Path, keep: int, target: Path) -> Path:
    """The same notebook without its hostile cells (cells after ``keep``)."""
    nb = nbformat.read(source, as_version=4)
    nb.cells = nb.cells[:keep]
    nbformat.write(nb, target)
    return target


@pytest.mark.parametrize(("fixture", "keep"), [("fake_print", 3), ("override_methods", 3)])
def test_hostile_notebook_scores_like_its_honest_twin(
    prepared: Grader, tmp_path: Path, fixture: str, keep: int
) -> None:
    hostile = FIXTURES / f"{fixture}.ipynb"
    honest = _honest_copy(hostile, keep, tmp_path / f"{fixture}_honest.ipynb")
    got = prepared.grade(Submission(id=fixture, path=hostile))
    want = prepared.grade(Submission(id="honest", path=honest))
    assert got.score == pytest.approx(want.score)
    assert want.integrity == []
    assert got.metrics.trainable_params == want.metrics.trainable_params == 12_730
    assert got.metrics.test_accuracy == pytest.approx(want.metrics.test_accuracy, abs=1e-6)
    assert [c.status for c in got.checks] == [c.status for c in want.checks]


def test_batch_survives_bad_inputs_and_writes_every_result(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    # The broken inputs, then every honest fixture of the folder the table gives this batch.
    honest = covered_by(HERE, "tests/fixtures/notebooks")
    for path in [
        *(FIXTURES / n for n in ("invalid_json.ipynb", "empty.ipynb", "syntax_error.py")),
        *honest,
    ]:
        (batch / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "out"
    code = main(
        [
            "grade",
            str(batch),
            "--rubric",
            str(RUBRIC),
            "--data",
            "synthetic",
            "--fraction",
            str(FRACTION),
            "--out",
            str(out),
        ]
    )
    assert code == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    reports = {
        p.parent.name: GradeReport.model_validate_json(p.read_text())
        for p in out.glob("*/result.json")
    }
    assert {name: r.status for name, r in reports.items()} == {
        "invalid_json": "invalid",
        "empty": "invalid",
        "syntax_error": "invalid",
        "no_model": "graded",
        "exit_midway": "error",
        "cell_error": "graded",
        "script_ok": "graded",
        "shell_and_magic": "graded",
    }
    assert flagged(reports, {p.stem for p in honest}) == {}
    # The fixtures' own README: cell 3's NameError is reported, cell 4's model graded.
    assert reports["cell_error"].execution is not None
    assert [(e.cell, e.ename) for e in reports["cell_error"].execution.errors] == [(3, "NameError")]
    assert reports["cell_error"].metrics.trainable_params == 101_770
    assert reports["script_ok"].metrics.trainable_params == 101_770
    shell = reports["shell_and_magic"].execution
    assert shell is not None
    assert [s.cell for s in shell.skipped_cells] == [2, 3, 4]
    invalid = json.loads((out / "syntax_error" / "result.json").read_text())
    assert "syntax_error.py:3: syntax error" in invalid["message"]
    no_model = json.loads((out / "no_model" / "result.json").read_text())
    assert no_model["score"] == 0
    assert no_model["metrics"]["test_accuracy"] is None
    exited = json.loads((out / "exit_midway" / "result.json").read_text())
    # The model trained before os._exit was saved after fit and still earns its credit.
    assert exited["metrics"]["trainable_params"] == 12_730
    summary = json.loads((out / "summary.json").read_text())
    assert len(summary["submissions"]) == len(reports)
    assert summary["data"] == {
        "source": "synthetic",
        "fraction": FRACTION,
        "dataset": "fashion_mnist",
    }
