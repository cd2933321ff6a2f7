"""GradeReports built without kernels: the real rubric's checks on hand-made measurements."""

from __future__ import annotations

import tempfile
from pathlib import Path

from pipeline_fakes import FakeMeasurer, graded_model

from autograder.artifacts import Artifacts
from autograder.datasets.base import DataOptions
from autograder.grading.grader import build_grader
from autograder.grading.options import GradeOptions
from autograder.measure.facts import ModelMeasurements
from autograder.reference.cache import CacheKey, ReferenceRecord
from autograder.results import DataInfo, GradeReport, ReferenceSummary
from autograder.rubric import LoadedRubric, load_rubric
from autograder.submissions import Submission

ROOT = Path(__file__).resolve().parents[2]
RUBRIC_PATH = ROOT / "rubrics" / "fashion-mnist.yaml"
ANSWERED = ROOT / "submissions" / "fashion-mnist" / "correct.ipynb"
FASHION = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat"]
DATA = DataInfo(source="synthetic", fraction=0.02, dataset="fashion_mnist")
# The rubric's bounds are relative: accuracy >= 0.80 - 0.05, gap <= 0.05 + 0.05.
REFERENCE = ReferenceSummary(
    test_accuracy=0.80, train_accuracy=0.85, overfitting_gap=0.05, duration_s=1.0, cache_key="k"
)
STUDENT_HISTORY = {
    "loss": [1.0, 0.6, 0.4],
    "accuracy": [0.6, 0.75, 0.85],
    "val_loss": [0.8, 0.6, 0.6],
}
REFERENCE_RUN = ReferenceRecord(
    key=CacheKey(
        rubric_sha256="r",
        reference_sha256="s",
        seed=0,
        data_source="synthetic",
        data_fraction=0.02,
        data_tag="t",
        tensorflow="x",
        keras="x",
        device="cpu",
        grader="x",
    ),
    reference_path="reference.ipynb",
    summary=REFERENCE,
    history={"loss": [0.9, 0.5, 0.45], "accuracy": [0.65, 0.8, 0.84]},
    score=10.0,
    max_score=10.0,
)
CONFUSION = [
    [8, 1, 1, 0, 0],
    [0, 9, 0, 1, 0],
    [2, 0, 6, 0, 2],
    [0, 0, 0, 10, 0],
    [0, 0, 3, 0, 7],
]


def fashion_rubric() -> LoadedRubric:
    return load_rubric(RUBRIC_PATH)


def report_for(
    model: ModelMeasurements | None,
    artifacts: Artifacts,
    *,
    submission: str = "ana",
    loaded: LoadedRubric | None = None,
) -> GradeReport:
    """The real Grader's report for these measurements: only the kernel and the
    evaluator are fakes (the kernel leaves ``artifacts``, the evaluator answers ``model``).
    """
    loaded = loaded or fashion_rubric()
    # The kernel records each fit's history: the learning curves come from there.
    calls = [
        c.model_copy(update={"history": STUDENT_HISTORY})
        if c.kind == "fit" and not c.history
        else c
        for c in artifacts.calls[:1]
    ] + artifacts.calls[1:]
    if model is not None:
        model = model.model_copy(update={"confusion": CONFUSION})
    fakes = graded_model(model, calls, loaded.rubric.model_variable)
    options = GradeOptions(data=DataOptions(source=DATA.source, fraction=DATA.fraction))
    with tempfile.TemporaryDirectory() as scratch:
        grader = build_grader(
            loaded,
            options,
            measurer=fakes.measurer or FakeMeasurer(),
            data_dir=Path(scratch),
            reference=lambda _grader: REFERENCE_RUN,
            runner=fakes.runner,
        )
        # The written answers of the tutorial hand-in: these reports differ in the model.
        graded = grader.grade(Submission(id=submission, path=ANSWERED))
    info = graded.submission.model_copy(update={"path": f"{submission}.ipynb", "sha256": None})
    return graded.model_copy(update={"submission": info})
