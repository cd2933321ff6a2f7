"""The assemble stage: a GradeReport from what the earlier stages produced (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from autograder.artifacts import Artifacts, ExportedModel
from autograder.classification import Classification, classification
from autograder.grading.files import Executed
from autograder.grading.options import GradeOptions, data_info
from autograder.integrity import assess, penalized
from autograder.measure.data import class_names
from autograder.measure.facts import ModelMeasurements
from autograder.results import (
    CheckResult,
    ExecutionSummary,
    ExperimentRow,
    GradeReport,
    LearningCurves,
    Metrics,
    Protection,
    RubricInfo,
    SubmissionInfo,
    SubmissionStatus,
)
from autograder.rubric import LoadedRubric
from autograder.submissions import Submission

if TYPE_CHECKING:
    from autograder.grading.grader import ReferenceRun

__all__ = ["Parts", "assemble", "data_info", "failed", "metrics_of"]


@dataclass(frozen=True)
class Parts:
    """Everything a report is made of."""

    rubric: LoadedRubric
    options: GradeOptions
    submission: Submission
    executed: Executed
    chosen: ExportedModel | None
    why: str
    artifacts: Artifacts
    model: ModelMeasurements | None
    experiments: list[ExperimentRow]
    checks: list[CheckResult]
    reference: ReferenceRun | None
    protection: Protection | None


def metrics_of(model: ModelMeasurements | None) -> Metrics:
    """The result's metrics block; every field null when nothing was measured."""
    return model.metrics if model is not None else Metrics()


def submission_info(submission: Submission, files: list[str] | None = None) -> SubmissionInfo:
    return SubmissionInfo(
        id=submission.id,
        path=str(submission.path),
        sha256=submission.sha256,
        files=files or [],
    )


def failed(
    rubric: LoadedRubric,
    options: GradeOptions,
    submission: Submission,
    status: SubmissionStatus,
    message: str,
) -> GradeReport:
    """A submission that could not be graded at all: no checks, no points."""
    return GradeReport(
        submission=submission_info(submission),
        rubric=RubricInfo(id=rubric.rubric.id, sha256=rubric.sha256),
        data=data_info(rubric, options),
        status=status,
        message=message,
        score=0.0,
        max_score=rubric.rubric.max_points,
    )


def _status(summary: ExecutionSummary) -> tuple[SubmissionStatus, str | None]:
    if summary.timed_out:
        return "timeout", summary.message or "a cell ran past its time limit"
    if summary.kernel_died:
        return "error", summary.message or "the kernel died"
    return "graded", None


def _classification(parts: Parts) -> Classification | None:
    model = parts.model
    if model is None or model.confusion is None:
        return None
    return classification(model.confusion, class_names(parts.rubric.rubric.dataset))


def assemble(parts: Parts) -> GradeReport:
    checks, reference, chosen = parts.checks, parts.reference, parts.chosen
    execution = parts.executed.summary
    if parts.protection is not None:
        execution = execution.model_copy(
            update={"protections": [*execution.protections, parts.protection]}
        )
    notes = [n for n in (parts.submission.note, parts.why if chosen is not None else None) if n]
    status, message = _status(parts.executed.summary)
    run_flags = [flag for run in parts.executed.runs for flag in run.record.integrity]
    integrity = assess(run_flags, parts.artifacts, chosen, parts.model)
    total = penalized(sum(c.points for c in checks), integrity, parts.rubric.rubric.leakage.penalty)
    every = parts.executed.files or tuple(run.file for run in parts.executed.runs)
    files = [path.name for path in every] if len(every) > 1 else None
    return GradeReport(
        submission=submission_info(parts.submission, files),
        rubric=RubricInfo(id=parts.rubric.rubric.id, sha256=parts.rubric.sha256),
        data=data_info(parts.rubric, parts.options),
        status=status,
        message=message,
        score=round(total, 4),
        max_score=round(sum(c.max_points for c in checks), 4),
        checks=checks,
        metrics=metrics_of(parts.model),
        execution=execution,
        graded_model="; ".join(notes) if notes else None,
        layers=[layer.model_dump() for layer in parts.model.layers] if parts.model else [],
        reference=reference.summary if reference else None,
        curves=LearningCurves(
            student=parts.artifacts.history(chosen.key) if chosen else {},
            reference=reference.history if reference else None,
        ),
        classification=_classification(parts),
        experiments=parts.experiments,
        integrity=integrity,
    )
