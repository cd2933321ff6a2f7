"""The Grader with fake backends: model choice, needs, budgets, several files, failures."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pipeline_fakes import FakeKernel, FakeMeasurer

from autograder.artifacts import Artifacts, ExportedModel, RecordedCall
from autograder.datasets.base import DataOptions
from autograder.errors import KernelEnvironmentError
from autograder.execution.runner import ExecutionRecord, JobPaths, RunOptions
from autograder.execution.source import SubmissionSource
from autograder.grading.grader import Grader, build_grader
from autograder.grading.options import GradeOptions
from autograder.measure.facts import ModelMeasurements
from autograder.results import CellError
from autograder.rubric import LoadedRubric, load_rubric
from autograder.submissions import Submission, discover

ROOT = Path(__file__).resolve().parents[2]
FASHION = load_rubric(ROOT / "rubrics" / "fashion-mnist.yaml")
EXPERIMENTS = load_rubric(ROOT / "rubrics" / "mnist-experiments.yaml")
OPTIONS = GradeOptions(data=DataOptions(source="synthetic", fraction=0.01))
NB = (
    '{"cells": [{"cell_type": "code", "id": "c1", "execution_count": null, "metadata": {}, '
    '"outputs": [], "source": "x = 1"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
)

if TYPE_CHECKING:
    from conftest import Build


@pytest.fixture
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


def _grader(
    rubric: LoadedRubric, kernel: FakeKernel | object, measurer: FakeMeasurer, data: Path
) -> Grader:
    return build_grader(
        rubric,
        OPTIONS,
        measurer=measurer,
        data_dir=data,
        runner=kernel,  # type: ignore[arg-type]  # the fakes satisfy the protocol
    )


def _model(key: str, variables: list[str] | None = None) -> ExportedModel:
    return ExportedModel(
        key=key,
        file=f"{key}.keras",
        class_name="Sequential",
        variables=variables or [],
        compiled=True,
        fitted=True,
    )


def _fit(key: str) -> RecordedCall:
    args = {"epochs": 2, "validation_split": 0.2, "x": {"shape": [600, 28, 28]}}
    return RecordedCall(kind="fit", model=key, args=args, epochs_run=2)


def _measured(build: Build, test: float = 0.8) -> ModelMeasurements:
    model: ModelMeasurements = build.model(test=test, train=test + 0.02)
    return model


def test_a_grader_failure_is_an_error_result_not_a_lost_batch(
    tmp_path: Path, data_dir: Path
) -> None:
    def boom(source: SubmissionSource, job: JobPaths, options: RunOptions) -> ExecutionRecord:
        raise PermissionError(13, "Permission denied")

    path = tmp_path / "a.py"
    path.write_text("x = 1\n")
    report = _grader(FASHION, boom, FakeMeasurer(), data_dir).grade(Submission(id="a", path=path))
    assert report.status == "error"
    assert report.message is not None
    assert report.message.startswith("PermissionError")
    assert report.score == 0


def test_invalid_file_is_reported_without_a_kernel(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "broken.ipynb"
    path.write_text('{"cells": [')
    kernel = FakeKernel()
    report = _grader(FASHION, kernel, FakeMeasurer(), data_dir).grade(
        Submission(id="broken", path=path)
    )
    assert report.status == "invalid"
    assert report.message is not None
    assert str(path) in report.message
    assert report.max_score == 10
    assert kernel.ran == []


def test_only_the_graded_model_is_measured_without_experiment_checks(
    build: Build, tmp_path: Path, data_dir: Path
) -> None:
    kernel = FakeKernel(
        Artifacts(models=[_model("m0"), _model("m1", ["model"])], calls=[_fit("m0"), _fit("m1")])
    )
    measurer = FakeMeasurer(_measured(build))
    (path := tmp_path / "ana.ipynb").write_text(NB)
    _grader(FASHION, kernel, measurer, data_dir).grade(Submission(id="ana", path=path))
    assert [key for key, _ in measurer.calls] == ["m1"]


def test_experiment_models_are_measured_by_the_measurer(
    build: Build, tmp_path: Path, data_dir: Path
) -> None:
    # Issue 12 item 7: they used to be measured in the grader's own process.
    kernel = FakeKernel(
        Artifacts(models=[_model("m0"), _model("m1", ["model"])], calls=[_fit("m0"), _fit("m1")])
    )
    measurer = FakeMeasurer(_measured(build), by_key={"m0": "m0.keras: could not be loaded"})
    (path := tmp_path / "ana.ipynb").write_text(NB)
    report = _grader(EXPERIMENTS, kernel, measurer, data_dir).grade(Submission(id="ana", path=path))
    keys = [key for key, _ in measurer.calls]
    assert sorted(keys) == ["m0", "m1", "m1"]
    holdouts = [holdout for key, holdout in measurer.calls if key == "m0"]
    assert holdouts[0] is not None
    assert (holdouts[0].rows, holdouts[0].split) == (600, 0.2)
    rows = {row.model: row for row in report.experiments}
    assert rows["m0"].error == "m0.keras: could not be loaded"
    assert rows["m1"].test_accuracy == pytest.approx(0.8)


def test_a_slow_model_spends_only_its_own_submissions_budget(
    build: Build, tmp_path: Path, data_dir: Path
) -> None:
    models = [_model(f"m{i}") for i in range(5)]
    kernel = FakeKernel(Artifacts(models=models, calls=[_fit(m.key) for m in models]))
    # Each model takes 100 s of evaluator time; the submission has 250 s in all.
    measurer = FakeMeasurer(_measured(build), seconds=lambda _key: 100.0)
    options = OPTIONS.model_copy(update={"evaluation_budget_s": 250.0})
    grader = build_grader(EXPERIMENTS, options, measurer=measurer, data_dir=data_dir, runner=kernel)
    (path := tmp_path / "ana.ipynb").write_text(NB)
    first = grader.grade(Submission(id="ana", path=path))
    unmeasured = [row.model for row in first.experiments if row.error]
    assert unmeasured == ["m2", "m3", "m4"]
    assert "evaluator time" in (first.experiments[-1].error or "")
    # The next student starts with a full budget.
    second = grader.grade(Submission(id="beto", path=path))
    assert [row.model for row in second.experiments if row.error] == ["m2", "m3", "m4"]


def test_several_files_are_one_submission(build: Build, tmp_path: Path, data_dir: Path) -> None:
    folder = tmp_path / "class" / "ana"
    folder.mkdir(parents=True)
    for name in ("12.ipynb", "1-5.ipynb"):
        (folder / name).write_text(NB)
    (folder / "helpers.py").write_text("x = 1\n")
    (submission,) = discover(folder.parent)
    kernel = FakeKernel(
        by_file={
            "1-5.ipynb": Artifacts(models=[_model("m0")], calls=[_fit("m0")]),
            "12.ipynb": Artifacts(models=[_model("m0", ["model"])], calls=[_fit("m0")]),
        },
        errors={"12.ipynb": [CellError(cell=3, ename="NameError", evalue="x")]},
    )
    measurer = FakeMeasurer(_measured(build))
    report = _grader(EXPERIMENTS, kernel, measurer, data_dir).grade(submission)
    assert kernel.ran == ["1-5.ipynb", "12.ipynb"]  # each in its own kernel, in name order
    assert report.submission.files == ["1-5.ipynb", "12.ipynb"]
    assert [row.model for row in report.experiments] == ["1-5:m0", "12:m0"]
    assert measurer.calls[0][0] == "12:m0"  # the graded model: `model` of the later file
    assert report.execution is not None
    assert [(e.file, e.cell) for e in report.execution.errors] == [("12.ipynb", 3)]
    assert "helpers.py" in (submission.note or "")


def test_a_rubric_pattern_narrows_the_files(build: Build, tmp_path: Path, data_dir: Path) -> None:
    folder = tmp_path / "class" / "ana"
    folder.mkdir(parents=True)
    for name in ("borrador.ipynb", "taller3.ipynb"):
        (folder / name).write_text(NB)
    (submission,) = discover(folder.parent)
    narrowed = LoadedRubric(
        FASHION.rubric.model_copy(update={"submission_files": "taller*.ipynb"}),
        FASHION.path,
        FASHION.sha256,
    )
    kernel = FakeKernel(Artifacts(models=[_model("m0", ["model"])], calls=[_fit("m0")]))
    _grader(narrowed, kernel, FakeMeasurer(_measured(build)), data_dir).grade(submission)
    assert kernel.ran == ["taller3.ipynb"]


def test_a_kernel_made_link_is_never_followed_when_pooling(
    build: Build, tmp_path: Path, data_dir: Path
) -> None:
    secret = tmp_path / "secret.keras"
    secret.write_text("grader's own file")

    class LinkingKernel(FakeKernel):
        def __call__(
            self, source: SubmissionSource, job: JobPaths, options: RunOptions
        ) -> ExecutionRecord:
            record = super().__call__(source, job, options)
            (job.artifacts / "m0.keras").unlink()
            (job.artifacts / "m0.keras").symlink_to(secret)
            return record

    folder = tmp_path / "class" / "ana"
    folder.mkdir(parents=True)
    for name in ("a.ipynb", "b.ipynb"):
        (folder / name).write_text(NB)
    (submission,) = discover(folder.parent)
    kernel = LinkingKernel(Artifacts(models=[_model("m0", ["model"])], calls=[_fit("m0")]))
    measurer = FakeMeasurer(_measured(build))
    report = _grader(FASHION, kernel, measurer, data_dir).grade(submission)
    assert report.status == "graded"
    assert measurer.calls == []  # nothing to measure: the exports were links
    assert secret.read_text() == "grader's own file"


def test_a_missing_environment_is_the_graders_error_not_a_result(data_dir: Path) -> None:
    assert issubclass(KernelEnvironmentError, Exception)


def test_the_console_names_each_cell_errors_file(
    build: Build, tmp_path: Path, data_dir: Path
) -> None:
    from rich.console import Console  # noqa: PLC0415  # only this test renders

    from autograder.reports.console import render_submission  # noqa: PLC0415

    folder = tmp_path / "class" / "ana"
    folder.mkdir(parents=True)
    for name in ("a.ipynb", "b.ipynb"):
        (folder / name).write_text(NB)
    (submission,) = discover(folder.parent)
    kernel = FakeKernel(
        Artifacts(models=[_model("m0", ["model"])], calls=[_fit("m0")]),
        errors={"b.ipynb": [CellError(cell=2, ename="ValueError", evalue="bad shape")]},
    )
    report = _grader(FASHION, kernel, FakeMeasurer(_measured(build)), data_dir).grade(submission)
    console = Console(width=120, record=True, file=io.StringIO())
    render_submission(report, console)
    assert "b.ipynb: cell 2: ValueError: bad shape" in console.export_text()


def test_one_unreadable_file_among_several_does_not_lose_the_others(
    build: Build, tmp_path: Path, data_dir: Path
) -> None:
    folder = tmp_path / "class" / "ana"
    folder.mkdir(parents=True)
    (folder / "a.ipynb").write_text('{"cells": [')  # saved half-way by the student
    (folder / "b.ipynb").write_text(NB)
    (submission,) = discover(folder.parent)
    kernel = FakeKernel(Artifacts(models=[_model("m0", ["model"])], calls=[_fit("m0")]))
    report = _grader(FASHION, kernel, FakeMeasurer(_measured(build)), data_dir).grade(submission)
    assert kernel.ran == ["b.ipynb"]
    assert report.status == "graded"
    assert report.execution is not None
    assert report.execution.message is not None
    assert "a.ipynb" in report.execution.message


def test_a_notebook_of_answers_only_counts_for_the_answers(
    build: Build, tmp_path: Path, data_dir: Path
) -> None:
    folder = tmp_path / "class" / "ana"
    folder.mkdir(parents=True)
    (folder / "1-5.ipynb").write_text(NB)
    answers = (
        '{"cells": [{"cell_type": "markdown", "id": "m1", "metadata": {}, '
        '"source": "Respuestas"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    )
    (folder / "12.ipynb").write_text(answers)
    (submission,) = discover(folder.parent)
    kernel = FakeKernel(Artifacts(models=[_model("m0", ["model"])], calls=[_fit("m0")]))
    grader = _grader(FASHION, kernel, FakeMeasurer(_measured(build)), data_dir)
    executed = grader.execute(submission, tmp_path / "job")
    assert kernel.ran == ["1-5.ipynb"]  # no code to run in 12.ipynb
    extracted = grader.extract(submission, executed)
    assert any(c.source == "Respuestas" for c in extracted.cells)
    report = grader.score(submission, executed)
    assert report.submission.files == ["1-5.ipynb", "12.ipynb"]
