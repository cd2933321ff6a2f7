"""Retrain the reference solution through the submission pipeline, or reuse the cache.

The reference runs exactly like a student's notebook (same kernel bootstrap, seeds,
data copy and evaluator), so a threshold derived from it compares like with like.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from pathlib import Path

from autograder.errors import InvalidSubmissionError, ReferenceSolutionError
from autograder.execution.runner import JobPaths
from autograder.grading.pipeline import Prepared, evaluate, execute, metrics_of, score
from autograder.reference.cache import (
    ReferenceOutcome,
    ReferenceRecord,
    cache_dir,
    make_key,
    reference_path,
    save,
)
from autograder.results import ExecutionSummary, ReferenceSummary
from autograder.submissions import Submission


def train_reference(prepared: Prepared, directory: Path | None = None) -> ReferenceOutcome:
    """Run the reference in a kernel, measure it, store it; raises ReferenceSolutionError."""
    directory = directory or cache_dir()
    path = reference_path(prepared.rubric)
    key = make_key(prepared.rubric, prepared.options.data, prepared.options.seed)
    submission = Submission(id="reference", path=path)
    job_root = Path(tempfile.mkdtemp(prefix="autograder-reference-"))
    try:
        try:
            record = execute(submission, prepared, JobPaths(job_root))
        except InvalidSubmissionError as exc:
            raise ReferenceSolutionError(f"reference solution: {exc}") from None
        _require_clean_run(path, record.summary)
        evaluated = evaluate(record, prepared)
        model = evaluated.model
        if model is None:
            raise ReferenceSolutionError(f"{path}: no model to measure: {evaluated.failure}")
        summary = ReferenceSummary(
            **metrics_of(model).model_dump(),
            weights_sha256=model.weights_sha256,
            duration_s=record.summary.duration_s,
            cache_key=key.digest(),
        )
        entry = ReferenceRecord(
            key=key,
            reference_path=str(path),
            summary=summary,
            history=evaluated.artifacts.history(model.key),
            score=0.0,
            max_score=0.0,
        )
        # Graded against its own rubric: a reference that loses points means the
        # rubric (or the reference) is wrong, and the instructor should hear it.
        own = score(submission, dataclasses.replace(prepared, reference=entry), record, evaluated)
        entry = entry.model_copy(update={"score": own.score, "max_score": own.max_score})
    finally:
        if not prepared.options.keep_jobs:
            shutil.rmtree(job_root, ignore_errors=True)
    return ReferenceOutcome(record=entry, path=save(entry, directory), from_cache=False)


def _require_clean_run(path: Path, summary: ExecutionSummary) -> None:
    if summary.timed_out or summary.kernel_died:
        raise ReferenceSolutionError(f"{path}: the reference did not finish: {summary.message}")
    if summary.errors:
        first = summary.errors[0]
        raise ReferenceSolutionError(
            f"{path}: the reference raised {first.ename} at cell {first.cell}: {first.evalue}"
        )
