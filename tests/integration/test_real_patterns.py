"""Real hand-ins (issue 16): each pattern students submit gets the verdict an instructor gives.

The notebooks and the script under tests/fixtures/real_patterns were written for this
project the way Spanish-language students write them (Colab habits, tfds, tf.data,
shape asserts, models built in functions, several models per notebook).  One batch
grades them all against the Fashion-MNIST rubric on the synthetic stand-in with a
small training fraction; each test pins one submission's points, check by check.

Patterns that wait on another engineer's work are pinned with the verdict they must
reach, marked ``xfail(strict=True)`` until that work lands.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from autograder.batch.executors import LocalExecutor
from autograder.datasets.base import DataOptions
from autograder.grading.grader import Grader
from autograder.grading.options import GradeOptions
from autograder.grading.session import open_grader
from autograder.reference.train import reference_provider
from autograder.results import CheckResult, GradeReport
from autograder.rubric import load_rubric
from autograder.selfcheck import SelfCheckOptions, run_self_check
from autograder.submissions import Submission, discover
from tests.honest_corpus import flagged, submission_ids

pytestmark = pytest.mark.kernel

ROOT = Path(__file__).resolve().parents[2]
PATTERNS = ROOT / "tests" / "fixtures" / "real_patterns"
PATTERNS_TABLE = "tests/fixtures/real_patterns"
RUBRIC = ROOT / "rubrics" / "fashion-mnist.yaml"
FRACTION = 0.02

# The points a careful instructor gives, per check of the rubric (claims is worth 0 and
# skipped on synthetic data).  None of these notebooks answers the written questions,
# except the two-notebook folder, whose second notebook holds the answers.
FULL_MODEL = {
    "architecture": 2.0,
    "parameters": 1.0,
    "compile": 1.0,
    "training": 1.0,
    "test-accuracy": 2.0,
    "gap": 1.0,
    "claims": 0.0,
    "answers": 0.0,
}
VERDICTS: dict[str, dict[str, float]] = {
    # tfds.load(..., as_supervised=True, with_info=True), .repeat().shuffle().batch(32)
    # and steps_per_epoch=ceil(60000/32): the tutorial, done right.
    "tfds_repeat_steps": FULL_MODEL,
    # keras load_data + shape asserts, from_tensor_slices().shuffle().batch(300),
    # validation_data=dataset: every point.  At a 2% fraction its 4 steps of 300 per
    # epoch still clear the reference-relative bar on the synthetic stand-ins (v2).
    "tfdata_asserts": FULL_MODEL,
    # x_train.reshape(60000, 784) / 255 and Flatten(input_shape=(784,)).
    "reshape_784": FULL_MODEL,
    # pandas, seaborn, cv2 and sklearn's confusion_matrix around the tutorial model.
    "pandas_sklearn_seaborn_cv2": FULL_MODEL,
    # create_model() + __main__: fit, save .h5, load_model(compile=False), predict.
    "practica_create_model": FULL_MODEL,
    # drive.mount, files.upload, uploaded['Data.zip'], /content paths, then load_data.
    "colab_drive_upload": FULL_MODEL,
    # No /255: the statement asks for it, and the model stays below the bar (0.665 vs
    # 0.765 at 2%); unscaled inputs also overfit: gap 0.141 over its 0.140 limit.
    "sin_normalizar_adam": {**FULL_MODEL, "test-accuracy": 0.0, "gap": 0.0},
    # Every shape the notebook asserts holds under a fraction (see the tests below).
    "formas_completas": FULL_MODEL,
    # model_nn is the rubric's architecture; model_cnn is an extra trained last: the
    # grader picks model_nn (selection by the rubric's own architecture check).
    "model_nn_y_model_cnn": FULL_MODEL,
    # A chance-level model: no accuracy, and no gap credit for a model that did not learn.
    "azar_mezcla_imagenes": {**FULL_MODEL, "test-accuracy": 0.0, "gap": 0.0},
}
WAITING: dict[str, tuple[dict[str, float], str]] = {
    # 1-5.ipynb trains the model, 12.ipynb answers the questions: one submission.
    "laboratorio_dos_notebooks": (
        {**FULL_MODEL, "answers": 2.0},
        "both notebooks run and count now; the answers in 12.ipynb do not reach full "
        "provisional credit under issue 14's scoring, which an instructor review settles",
    ),
}


@pytest.fixture(scope="module")
def prepared() -> Iterator[Grader]:
    options = GradeOptions(
        data=DataOptions(source="synthetic", fraction=FRACTION), threads=1, language="es"
    )
    with open_grader(load_rubric(RUBRIC), options, reference=reference_provider()) as grader:
        yield grader


@pytest.fixture(scope="module")
def reports(prepared: Grader) -> dict[str, GradeReport]:
    # Two kernels at a time, as `grade --jobs 2` runs them: CI has two cores.
    executor = LocalExecutor(jobs=2)

    def grade(submission: Submission) -> GradeReport:
        return prepared.grade(submission)

    def failed(submission: Submission, message: str) -> GradeReport:
        raise AssertionError(f"{submission.id}: {message}")

    outcomes = executor.run(grade, discover(PATTERNS), failed)
    return {submission.id: report for submission, report, _ in outcomes}


def _points(report: GradeReport) -> dict[str, float]:
    return {check.id: check.points for check in report.checks}


def test_the_corpus_covers_every_pattern(reports: dict[str, GradeReport]) -> None:
    assert set(reports) == set(VERDICTS) | set(WAITING)
    honest = submission_ids("tests/integration/test_real_patterns.py", PATTERNS_TABLE)
    assert honest == set(reports)


def test_no_pattern_carries_an_integrity_flag(reports: dict[str, GradeReport]) -> None:
    honest = submission_ids("tests/integration/test_real_patterns.py", PATTERNS_TABLE)
    assert flagged(reports, honest) == {}


@pytest.mark.parametrize("name", sorted(VERDICTS))
def test_verdict_check_by_check(reports: dict[str, GradeReport], name: str) -> None:
    report = reports[name]
    assert report.status == "graded", report.message
    assert _points(report) == pytest.approx(VERDICTS[name]), [c.message for c in report.checks]


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=reason))
        for name, (_, reason) in sorted(WAITING.items())
    ],
)
def test_verdict_waiting_on_other_work(reports: dict[str, GradeReport], name: str) -> None:
    assert _points(reports[name]) == pytest.approx(WAITING[name][0])


def _check(report: GradeReport, check_id: str) -> CheckResult:
    return next(c for c in report.checks if c.id == check_id)


def test_tf_data_batch_size_and_validation_are_read_from_the_pipeline(
    reports: dict[str, GradeReport],
) -> None:
    training = _check(reports["tfdata_asserts"], "training")
    assert training.measured["batch_size"] == 300
    assert training.measured["validation"] == "data"
    assert training.measured["samples_per_epoch"] == 60_000
    tfds = _check(reports["tfds_repeat_steps"], "training")
    assert tfds.measured["batch_size"] == 32
    assert tfds.measured["samples_per_epoch"] == 1875 * 32


def test_reports_say_what_the_fraction_shortened(reports: dict[str, GradeReport]) -> None:
    arrays = _check(reports["reshape_784"], "training")
    assert arrays.details == {"shortened": [{"what": "samples", "from": 60_000, "to": 1_200}]}
    steps = _check(reports["tfds_repeat_steps"], "training")
    assert steps.details == {"shortened": [{"what": "steps", "from": 1875, "to": 38}]}
    assert "38 of 1,875 steps per epoch" in steps.message


def test_a_reloaded_copy_is_graded_as_the_trained_model(
    reports: dict[str, GradeReport],
) -> None:
    report = reports["practica_create_model"]
    assert report.graded_model is not None
    assert "reloaded copy of" in report.graded_model
    compile_check = _check(report, "compile")
    # load_model(..., compile=False): the settings come from the original's file.
    assert compile_check.measured["optimizer"] == "adam"


def test_colab_leftovers_say_one_spanish_sentence_each(reports: dict[str, GradeReport]) -> None:
    report = reports["colab_drive_upload"]
    assert report.execution is not None
    errors = {error.cell: error for error in report.execution.errors}
    assert errors[4].ename == "UploadUnavailableError"
    assert "no está disponible durante la calificación" in errors[4].evalue
    assert errors[5].ename == "FileNotFoundError"
    assert "es una ruta de Colab" in errors[5].evalue
    assert errors[9].ename == "FileNotFoundError"  # model.save('/content/drive/...h5')
    assert "load_data()" in errors[9].evalue
    assert set(errors) == {4, 5, 9}  # drive.mount and flush_and_unmount only print


def test_asserted_shapes_hold_under_a_fraction(reports: dict[str, GradeReport]) -> None:
    report = reports["formas_completas"]
    assert report.execution is not None
    assert report.execution.errors == []


def test_asserted_shapes_hold_in_quick_mode() -> None:
    settings = SelfCheckOptions(quick=True)
    base = GradeOptions(data=DataOptions(source="synthetic"), threads=1, language="es")
    report = run_self_check(
        PATTERNS / "formas_completas.ipynb", load_rubric(RUBRIC), settings, base
    )
    assert report.execution is not None
    assert report.execution.errors == []
    assert _check(report, "architecture").status == "pass"
