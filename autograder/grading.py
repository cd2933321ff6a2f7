"""The pipeline for one submission, stage by stage (see DESIGN.md's data flow).

execute -> extract -> evaluate -> check -> score.  Every stage is a function with
typed input and output; nothing here prints.  Anything a student does is a result:
only the grader's own failures (bad rubric, unusable data) raise.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from autograder import datasets, environments
from autograder.artifacts import Artifacts, ExportedModel, read_artifacts
from autograder.checks.base import CheckContext
from autograder.checks.registry import run_checks
from autograder.claims import find_claims
from autograder.classification import Classification, classification
from autograder.copies import adopt_original
from autograder.datasets import declared
from autograder.datasets.base import DataOptions, Splits
from autograder.datasets.serving import kernel_options, provider_settings
from autograder.errors import EvaluationError, InvalidSubmissionError
from autograder.evaluation import measure_model
from autograder.evaluator import Evaluator
from autograder.execution.limits import Limits
from autograder.execution.runner import ExecutionRecord, JobPaths, RunOptions, run_source
from autograder.execution.source import SourceCell, load_source
from autograder.experiments import experiment_rows
from autograder.i18n import Language, choose_language
from autograder.measurements import ModelMeasurements
from autograder.reference.cache import ReferenceRecord
from autograder.results import (
    CheckResult,
    DataInfo,
    ExecutionSummary,
    GradeReport,
    LearningCurves,
    Metrics,
    Protection,
    RubricInfo,
    SubmissionInfo,
    SubmissionStatus,
)
from autograder.rubric import LoadedRubric
from autograder.rubric.models import DatasetSpec
from autograder.selection import select_model
from autograder.submissions import Submission


class GradeOptions(BaseModel):
    """How to grade: one object instead of a growing list of keyword arguments."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    data: DataOptions = Field(default_factory=DataOptions, description="Which data to use.")
    timeout_s: float | None = Field(
        default=None, gt=0, description="Total seconds per submission; default: the rubric's."
    )
    seed: int = Field(default=0, description="Seed for Python, NumPy and Keras in the kernel.")
    threads: int = Field(default=0, ge=0, description="TensorFlow threads per kernel; 0: auto.")
    keep_jobs: bool = Field(default=False, description="Keep each job dir for debugging.")
    epoch_cap: int | None = Field(
        default=None, ge=1, description="At most this many epochs per fit call (quick mode)."
    )
    limits: Limits = Field(
        default_factory=Limits, description="Sandbox and resource limits for student code."
    )
    language: Language | None = Field(
        default=None,
        description="Language of what the kernel tells the student (Colab leftovers); "
        "default: the rubric's, then the locale.",
    )


@dataclass(frozen=True)
class Prepared:
    """What a whole batch shares: the rubric, the grader's data and its kernel copy."""

    rubric: LoadedRubric
    options: GradeOptions
    splits: Splits
    kernel_data: Mapping[str, Path]
    reference: ReferenceRecord | None = None
    """The reference's cached or fresh measurements, when the rubric has a reference."""
    work_files: Mapping[str, Path] = field(default_factory=dict)
    """Files copied into each submission's working dir (a declared dataset's .npz)."""
    evaluator: Evaluator | None = None
    """Measures models in a separate process; None measures in this one (tests, tools)."""
    environment: environments.Environment = field(default_factory=environments.default_environment)
    """The kernel's Python environment (the rubric's packages over the grader's own)."""

    @property
    def data_info(self) -> DataInfo:
        return DataInfo(
            source=self.options.data.source,
            fraction=self.options.data.fraction,
            dataset=self.rubric.rubric.dataset.label,
        )


def prepare(rubric: LoadedRubric, options: GradeOptions, cache_dir: Path) -> Prepared:
    """Load the grader's data and the kernel environment once per batch.

    Raises DatasetError, or KernelEnvironmentError when the rubric's packages are not
    cached and cannot be installed.
    """
    env = environments.ensure(rubric)
    spec = rubric.rubric.dataset
    # The kernel gets whole splits (a fraction shortens its fits); the grader
    # measures on the fraction.
    whole = kernel_options(options.data)
    if spec.declared is not None:
        splits = declared.generate(spec.declared, options.data)
        tag = f"{spec.declared.name}-{declared.fingerprint(spec.declared)}-full"
        npz = Path(cache_dir) / f"{tag}.npz"
        if not npz.exists():
            datasets.save_npz(declared.generate(spec.declared, whole), npz)
        work = {f"{spec.declared.name}.npz": npz}
        return Prepared(rubric, options, splits, {}, work_files=work, environment=env)
    name = spec.name
    splits = datasets.load_splits(name, options.data)
    npz = datasets.write_npz(name, whole, cache_dir)
    return Prepared(rubric, options, splits, kernel_data={name: npz}, environment=env)


@dataclass(frozen=True)
class Evaluated:
    """What the grader made of one run: the captured models and the graded one, measured."""

    artifacts: Artifacts
    chosen: ExportedModel | None
    why: str
    """Which model was graded and why (or why none was)."""
    model: ModelMeasurements | None
    failure: str
    """Why ``model`` is None; empty when it was measured."""


def evaluate(record: ExecutionRecord, prepared: Prepared) -> Evaluated:
    """Extract the artifacts, pick the graded model and measure it in this process."""
    artifacts = read_artifacts(record.artifacts_dir)
    selection = select_model(
        artifacts, prepared.rubric.rubric, lambda m: _measure(m, artifacts, prepared)[0]
    )
    chosen, why = selection.model, selection.why
    model: ModelMeasurements | None = selection.measured
    failure = ""
    if model is None:
        model, failure = _measure(chosen, artifacts, prepared)
    if chosen is not None and model is not None:
        # A copy the notebook reloaded from its own save is graded as the model that saved it.
        adopted = adopt_original(
            chosen, model, artifacts, lambda p, k: _measure_file(p, k, prepared)
        )
        artifacts, model = adopted.artifacts, adopted.model
        why = f"{why}; {adopted.note}" if adopted.note else why
    return Evaluated(artifacts, chosen, why, model, failure or (why if model is None else ""))


def _measure_file(path: Path, key: str, prepared: Prepared) -> ModelMeasurements:
    if prepared.evaluator is not None:
        return prepared.evaluator.measure(path, key)
    return measure_model(path, key, prepared.splits, prepared.rubric.rubric.dataset.preprocessing)


def _measure(
    chosen: ExportedModel | None, artifacts: Artifacts, prepared: Prepared
) -> tuple[ModelMeasurements | None, str]:
    if chosen is None:
        return None, "the notebook left no model to grade"
    path = artifacts.model_path(chosen)
    if path is None:
        reason = chosen.save_error or "the model was never exported"
        return None, f"the model could not be exported from the kernel: {reason}"
    try:
        measured = _measure_file(path, chosen.key, prepared)
    except EvaluationError as exc:
        return None, str(exc)
    return measured, ""


def _status(summary: ExecutionSummary) -> tuple[SubmissionStatus, str | None]:
    if summary.timed_out:
        return "timeout", summary.message or "a cell ran past its time limit"
    if summary.kernel_died:
        return "error", summary.message or "the kernel died"
    return "graded", None


def metrics_of(model: ModelMeasurements | None) -> Metrics:
    """The result's metrics block; every field null when nothing was measured."""
    if model is None:
        return Metrics()
    return Metrics(
        test_accuracy=model.test_accuracy,
        test_loss=model.test_loss,
        train_accuracy=model.train_accuracy,
        train_loss=model.train_loss,
        overfitting_gap=model.overfitting_gap,
        trainable_params=model.trainable_params,
        total_params=model.total_params,
    )


def _classification(model: ModelMeasurements | None, dataset: DatasetSpec) -> Classification | None:
    if model is None or model.confusion is None:
        return None
    if dataset.declared is not None:  # a rubric's own data: its classes have no names
        names = [str(label) for label in range(dataset.declared.classes)]
    else:
        names = list(datasets.get_info(dataset.name).class_names)
    return classification(model.confusion, names)


def _base_report(submission: Submission, prepared: Prepared) -> dict[str, object]:
    return {
        "submission": SubmissionInfo(
            id=submission.id, path=str(submission.path), sha256=submission.sha256
        ),
        "rubric": RubricInfo(id=prepared.rubric.rubric.id, sha256=prepared.rubric.sha256),
        "data": prepared.data_info,
    }


def invalid_report(submission: Submission, prepared: Prepared, message: str) -> GradeReport:
    return GradeReport.model_validate(
        {
            **_base_report(submission, prepared),
            "status": "invalid",
            "message": message,
            "score": 0.0,
            "max_score": prepared.rubric.rubric.max_points,
        }
    )


def error_report(submission: Submission, prepared: Prepared, message: str) -> GradeReport:
    return invalid_report(submission, prepared, message).model_copy(update={"status": "error"})


def execute(submission: Submission, prepared: Prepared, job: JobPaths) -> ExecutionRecord:
    """Copy the submission into a throw-away working dir and run it in a kernel."""
    source = load_source(submission.path)
    job.create()
    if submission.root is not None:
        shutil.copytree(
            submission.root,
            job.work,
            symlinks=True,  # never follow a student's link out of their folder
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
        )
    else:
        shutil.copy2(submission.path, job.work / submission.path.name)
    for name, path in prepared.work_files.items():
        # The grader's copy replaces any the student shipped: it is what gets measured.
        (job.work / name).unlink(missing_ok=True)
        shutil.copyfile(path, job.work / name)
    rubric = prepared.rubric.rubric
    total = prepared.options.timeout_s or rubric.timeouts.total_s
    options = RunOptions(
        cell_timeout_s=min(rubric.timeouts.cell_s, total),
        total_timeout_s=total,
        model_variable=rubric.model_variable,
        seed=prepared.options.seed,
        datasets=prepared.kernel_data,
        threads=prepared.options.threads,
        epoch_cap=prepared.options.epoch_cap,
        train_fraction=prepared.options.data.fraction,
        provider=provider_settings(
            prepared.kernel_data,
            choose_language(prepared.options.language, rubric.language),
        ),
        limits=prepared.options.limits,
        environment=prepared.environment,
    )
    return run_source(source, job, options)


def score(
    submission: Submission,
    prepared: Prepared,
    record: ExecutionRecord,
    evaluated: Evaluated | None = None,
) -> GradeReport:
    """Everything after execution: extract, evaluate (unless done), check, score."""
    rubric = prepared.rubric.rubric
    if evaluated is None:
        evaluated = evaluate(record, prepared)
    model, reference = evaluated.model, prepared.reference
    # Measuring every model costs a reload each: only for rubrics that ask for it.
    experiments = (
        experiment_rows(evaluated.artifacts, prepared.splits, rubric.dataset.preprocessing)
        if any(check.kind in ("experiments", "claimed_table") for check in rubric.checks)
        else []
    )
    context = CheckContext(
        rubric=rubric,
        model=model,
        no_model_reason=evaluated.failure,
        artifacts=evaluated.artifacts,
        execution=record.summary,
        data=prepared.data_info,
        reference=reference.summary if reference else None,
        claims=find_claims(submission.path),
        experiments=experiments,
        cells=_cells(submission)
        if any(c.kind in ("answers", "claimed_table") for c in rubric.checks)
        else (),
    )
    checks: list[CheckResult] = run_checks(rubric, context)
    status, message = _status(record.summary)
    chosen, why = evaluated.chosen, evaluated.why
    execution = record.summary
    if prepared.evaluator is not None:
        limits = prepared.evaluator.limits
        evaluator = Protection(
            name="evaluator",
            active=True,
            detail=f"models loaded (safe_mode) in a separate process: "
            f"{limits.evaluation_memory_mb} MiB, {limits.evaluation_timeout_s:g} s per model",
        )
        execution = execution.model_copy(
            update={"protections": [*execution.protections, evaluator]}
        )
    notes = [n for n in (submission.note, why if chosen is not None else None) if n]
    curves = LearningCurves(
        student=evaluated.artifacts.history(chosen.key) if chosen else {},
        reference=reference.history if reference else None,
    )
    return GradeReport.model_validate(
        {
            **_base_report(submission, prepared),
            "status": status,
            "message": message,
            "score": round(sum(c.points for c in checks), 4),
            "max_score": round(sum(c.max_points for c in checks), 4),
            "checks": checks,
            "metrics": metrics_of(model),
            "execution": execution,
            "graded_model": "; ".join(notes) if notes else None,
            "layers": [layer.model_dump() for layer in model.layers] if model else [],
            "reference": reference.summary if reference else None,
            "curves": curves,
            "classification": _classification(model, rubric.dataset),
            "experiments": experiments,
        }
    )


def _cells(submission: Submission) -> tuple[SourceCell, ...]:
    # Read again rather than threaded through execution: it ran, so it parses.
    try:
        return load_source(submission.path).cells
    except InvalidSubmissionError:
        return ()


def grade_submission(submission: Submission, prepared: Prepared) -> GradeReport:
    """Grade one submission. Student mistakes become statuses, never exceptions."""
    job_root = Path(tempfile.mkdtemp(prefix="autograder-job-"))
    try:
        try:
            record = execute(submission, prepared, JobPaths(job_root))
        except InvalidSubmissionError as exc:
            return invalid_report(submission, prepared, str(exc))
        return score(submission, prepared, record)
    except Exception as exc:  # noqa: BLE001  # the last line of defence (below)
        # Last line of defence for the batch: one submission that trips the grader
        # (an unreadable folder, a TensorFlow failure while measuring) becomes an
        # error result instead of losing everyone else's.
        detail = str(exc).splitlines()[0] if str(exc) else ""
        return error_report(submission, prepared, f"{type(exc).__name__}: {detail}".rstrip(": "))
    finally:
        if not prepared.options.keep_jobs:
            shutil.rmtree(job_root, ignore_errors=True)
