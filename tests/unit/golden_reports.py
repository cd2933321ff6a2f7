"""A small graded class as plain data: the input of every golden output snapshot.

No kernel and no grading run: each GradeReport is written out field by field, so a
snapshot changes only when a renderer does.  The class covers what renderers branch
on: full marks with learning curves (one epoch diverged to NaN, stored as null),
experiments and an override; partial marks with a failing cell, a skipped cell and an
error check; an LMS student whose name is a spreadsheet formula with markup; an
invalid notebook; a timeout; a kernel that died.
"""

from __future__ import annotations

from typing import Any

from autograder.i18n import text
from autograder.results import (
    CellError,
    CheckResult,
    ClassSummary,
    DataInfo,
    ExecutionSummary,
    ExperimentRow,
    GradeReport,
    LearningCurves,
    Metrics,
    OverrideApplied,
    RubricInfo,
    SkippedCell,
    SubmissionInfo,
)

RUBRIC = RubricInfo(id="fashion-mnist", sha256="ab" * 32)
DATA = DataInfo(source="synthetic", fraction=0.1, dataset="fashion_mnist")
LAYERS: list[dict[str, Any]] = [
    {"type": "Flatten", "output_shape": [None, 784]},
    {"type": "Dense", "units": 128, "activation": "relu"},
    {"type": "Dense", "units": 10, "activation": "softmax"},
]
# An attack name from issue 12: a formula for the spreadsheet, markup for Markdown/HTML.
FORMULA_NAME = '=HYPERLINK("http://x.example","<b>Nota</b> 10")'


def _check(
    id: str,
    kind: str,
    status: str,
    points: tuple[float, float],
    said: tuple[str, dict[str, Any]],
    **fields: Any,
) -> CheckResult:
    """A check whose message is a catalog entry, as every check writes its own."""
    message_id, args = said
    return CheckResult.model_validate(
        {
            "id": id,
            "kind": kind,
            "status": status,
            "points": points[0],
            "max_points": points[1],
            "message": text(message_id, "en", **args),
            "message_id": message_id,
            "message_args": args,
            **fields,
        }
    )


_LAYERS = {"count": 3, "layers": "Flatten > Dense(128, relu) > Dense(10, softmax)"}


def _submission(id: str, **fields: Any) -> SubmissionInfo:
    return SubmissionInfo(id=id, path=f"submissions/{id}.ipynb", sha256="cd" * 32, **fields)


def _report(id: str, **fields: Any) -> GradeReport:
    info = fields.pop("submission", None) or _submission(id)
    return GradeReport.model_validate(
        {"submission": info, "rubric": RUBRIC, "data": DATA, "max_score": 10, **fields}
    )


def full_marks() -> GradeReport:
    return _report(
        "ana-garcia",
        submission=_submission("ana-garcia_1001", student_id="1001", display_name="Ana García"),
        status="graded",
        score=10,
        checks=[
            _check("architecture", "architecture", "pass", (2, 2), ("architecture.pass", _LAYERS)),
            _check(
                "parameters",
                "parameters",
                "pass",
                (1, 1),
                ("parameters.pass", {"found": 101770}),
                expected={"trainable": 101770},
                measured={"trainable": 101770, "total": 101770},
            ),
            _check(
                "training",
                "training",
                "pass",
                (1, 1),
                ("training.mismatch", {"setting": "epochs", "found": 3, "expected": "5-20"}),
                measured={"epochs": 3},
            ),
            _check(
                "test-accuracy",
                "accuracy",
                "pass",
                (5, 5),
                ("accuracy.pass", {"split": "test", "value": 0.8812, "bounds": "≥ 0.85"}),
                expected={"min": 0.85},
                measured=0.8812,
            ),
            _check(
                "overfitting",
                "overfitting_gap",
                "pass",
                (1, 1),
                ("gap.pass", {"gap": 0.0222, "bound": 0.05, "train": 0.9034, "test": 0.8812}),
            ),
        ],
        metrics=Metrics(
            test_accuracy=0.8812,
            test_loss=0.3312,
            train_accuracy=0.9034,
            train_loss=0.2651,
            overfitting_gap=0.0222,
            trainable_params=101770,
            total_params=101770,
        ),
        execution=ExecutionSummary(duration_s=41.27, device="gpu:0 (NVIDIA H200)"),
        graded_model="`model` (the only model fitted)",
        layers=LAYERS,
        curves=LearningCurves(
            student={"loss": [0.61, None, 0.29], "accuracy": [0.78, 0.85, 0.9034]},
            reference={"loss": [0.55, 0.38, 0.31], "accuracy": [0.8, 0.86, 0.89]},
        ),
        overrides=[
            OverrideApplied(
                check="training",
                points=1,
                previous_points=0,
                comment="3 épocas acordadas en clase",
            )
        ],
        experiments=[
            ExperimentRow(
                model="m1",
                variables=["modelo_base"],
                architecture="Dense(128, relu) > Dense(10, softmax)",
                hidden_units=[128],
                hidden_activations=["relu"],
                trainable_params=101770,
                optimizer="adam",
                learning_rate=0.001,
                epochs=3,
                batch_size=32,
                train_accuracy=0.9034,
                val_accuracy=0.8790,
                val_source="split",
                test_accuracy=0.8812,
                gap=0.0222,
                training_s=12.5,
            ),
            ExperimentRow(
                model="m2",
                variables=["modelo_l2"],
                architecture="Dense(500, relu) > Dense(10, softmax)",
                hidden_units=[500],
                hidden_activations=["relu"],
                l2=True,
                error="the model could not be measured: shapes (None, 500) and (None, 784)",
            ),
        ],
    )


def partial_with_cell_error() -> GradeReport:
    return _report(
        "Luis Pérez [late]",
        status="graded",
        score=7.5,
        checks=[
            _check("architecture", "architecture", "pass", (2, 2), ("architecture.pass", _LAYERS)),
            _check(
                "training",
                "training",
                "partial",
                (0.5, 1),
                ("training.mismatch", {"setting": "epochs", "found": 3, "expected": "5-20"}),
            ),
            _check(
                "test-accuracy",
                "accuracy",
                "pass",
                (5, 5),
                ("accuracy.pass", {"split": "test", "value": 0.8523, "bounds": "≥ 0.85"}),
            ),
            _check(
                "overfitting",
                "overfitting_gap",
                "error",
                (0, 2),
                ("gap.unmeasured", {"reason": "[red]x[/red] is not a metric"}),
            ),
        ],
        metrics=Metrics(test_accuracy=0.8523, trainable_params=101770, total_params=101770),
        execution=ExecutionSummary(
            duration_s=12.04,
            errors=[
                CellError(
                    cell=7,
                    ename="KeyError",
                    evalue="'acc'",
                    excerpt="plt.plot(history.history['acc'])",
                )
            ],
            skipped_cells=[SkippedCell(cell=1, reason="shell escape: !pip install tensorflow")],
        ),
        graded_model="`model` (fitted in cell 5)",
    )


def formula_name() -> GradeReport:
    return _report(
        "formula",
        submission=_submission("formula_2002", student_id="2002", display_name=FORMULA_NAME),
        status="graded",
        score=0,
        checks=[
            _check(
                "test-accuracy",
                "accuracy",
                "error",
                (0, 5),
                (
                    "accuracy.unmeasured",
                    {"split": "test", "reason": "ValueError: \x1b[2J\x1b[HScore: 10 / 10"},
                ),
            ),
        ],
        metrics=Metrics(test_accuracy=0.1),
        execution=ExecutionSummary(duration_s=3.5),
    )


def invalid() -> GradeReport:
    return _report(
        "broken_notebook",
        status="invalid",
        message="not a notebook: JSON syntax error at line 12, column 5",
        score=0,
    )


def timeout() -> GradeReport:
    return _report(
        "slow-trainer",
        status="timeout",
        message="stopped after the total limit of 900 s",
        score=2,
        checks=[
            _check("architecture", "architecture", "pass", (2, 2), ("architecture.pass", _LAYERS)),
            _check(
                "test-accuracy",
                "accuracy",
                "skipped",
                (0, 0),
                ("check.no_model", {"reason": "the notebook stopped first"}),
            ),
        ],
        execution=ExecutionSummary(
            duration_s=900.0,
            timed_out=True,
            message="cell 9 was still running at the total limit",
        ),
    )


def kernel_died() -> GradeReport:
    return _report(
        "big-model",
        status="error",
        message="the kernel died while running cell 5",
        score=0,
        execution=ExecutionSummary(
            duration_s=20.5, kernel_died=True, message="the kernel died while running cell 5"
        ),
    )


REPORTS = {
    "full_marks": full_marks,
    "partial_cell_error": partial_with_cell_error,
    "formula_name": formula_name,
    "invalid": invalid,
    "timeout": timeout,
    "kernel_died": kernel_died,
}


def golden_class() -> ClassSummary:
    return ClassSummary(rubric=RUBRIC, data=DATA, submissions=[make() for make in REPORTS.values()])
