"""GradeReports built without kernels: the real rubric's checks on hand-made measurements."""

from __future__ import annotations

from pathlib import Path

from autograder.artifacts import Artifacts
from autograder.checks.base import CheckContext
from autograder.checks.registry import run_checks
from autograder.classification import classification
from autograder.execution.source import load_source
from autograder.measure.facts import ModelMeasurements
from autograder.results import (
    DataInfo,
    GradeReport,
    LearningCurves,
    Metrics,
    ReferenceSummary,
    RubricInfo,
    SubmissionInfo,
)
from autograder.rubric import LoadedRubric, load_rubric

ROOT = Path(__file__).resolve().parents[2]
RUBRIC_PATH = ROOT / "rubrics" / "fashion-mnist.yaml"
ANSWERED = ROOT / "submissions" / "fashion-mnist" / "correct.ipynb"
FASHION = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat"]
DATA = DataInfo(source="synthetic", fraction=0.02, dataset="fashion_mnist")
# The rubric's bounds are relative: accuracy >= 0.80 - 0.05, gap <= 0.05 + 0.05.
REFERENCE = ReferenceSummary(
    test_accuracy=0.80, train_accuracy=0.85, overfitting_gap=0.05, duration_s=1.0, cache_key="k"
)
CURVES = LearningCurves(
    student={"loss": [1.0, 0.6, 0.4], "accuracy": [0.6, 0.75, 0.85], "val_loss": [0.8, 0.6, 0.6]},
    reference={"loss": [0.9, 0.5, 0.45], "accuracy": [0.65, 0.8, 0.84]},
)


def fashion_rubric() -> LoadedRubric:
    return load_rubric(RUBRIC_PATH)


def report_for(
    model: ModelMeasurements | None,
    artifacts: Artifacts,
    *,
    submission: str = "ana",
    loaded: LoadedRubric | None = None,
) -> GradeReport:
    """What grading.score would produce for these measurements (no kernel, no Keras)."""
    loaded = loaded or fashion_rubric()
    ctx = CheckContext(
        rubric=loaded.rubric,
        model=model,
        no_model_reason="the notebook left no model to grade",
        artifacts=artifacts,
        execution=None,
        data=DATA,
        reference=REFERENCE,
        # The written answers of the tutorial hand-in: these reports differ in the model.
        cells=load_source(ANSWERED).cells,
    )
    checks = run_checks(loaded.rubric, ctx)
    confusion = [
        [8, 1, 1, 0, 0],
        [0, 9, 0, 1, 0],
        [2, 0, 6, 0, 2],
        [0, 0, 0, 10, 0],
        [0, 0, 3, 0, 7],
    ]
    return GradeReport(
        submission=SubmissionInfo(id=submission, path=f"{submission}.ipynb", sha256=None),
        rubric=RubricInfo(id=loaded.rubric.id, sha256=loaded.sha256),
        data=DATA,
        status="graded",
        score=sum(c.points for c in checks),
        max_score=sum(c.max_points for c in checks),
        checks=checks,
        metrics=Metrics(
            test_accuracy=model.test_accuracy if model else None,
            train_accuracy=model.train_accuracy if model else None,
        ),
        classification=classification(confusion, FASHION) if model else None,
        reference=REFERENCE,
        curves=CURVES if model else None,
    )
