"""Several files, one submission: their runs side by side, their models in one pool.

A student folder with ``1-5.ipynb`` and ``12.ipynb`` is one hand-in: each file ran in
its own kernel, and the experiment checks and the graded-model choice see the models
of all of them.  With one file nothing changes: its artifacts are used as they are.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from autograder.artifacts import Artifacts, ExportedModel, read_artifacts
from autograder.execution.runner import ExecutionRecord
from autograder.results import ExecutionSummary


@dataclass(frozen=True)
class FileRun:
    file: Path
    record: ExecutionRecord


@dataclass(frozen=True)
class Executed:
    """Every file of a submission, run; ``summary`` is what the report shows."""

    runs: tuple[FileRun, ...]
    summary: ExecutionSummary
    job_root: Path
    files: tuple[Path, ...] = ()
    """Every file of the submission, in order; a markdown-only one has no run."""


def merged_summary(runs: list[FileRun], refused: list[str] | None = None) -> ExecutionSummary:
    """One summary: each file's cell errors named by their file, the files that could
    not be read (``refused``, one reason each), then the first stop reason."""
    refused = refused or []
    if len(runs) == 1 and not refused:
        return runs[0].record.summary
    summaries = [run.record.summary for run in runs]
    errors = [
        error.model_copy(update={"file": run.file.name})
        for run in runs
        for error in run.record.summary.errors
    ]
    skipped = [cell for s in summaries for cell in s.skipped_cells]
    messages = [*refused] + [
        f"{run.file.name}: {run.record.summary.message}"
        for run in runs
        if run.record.summary.message
    ]
    return ExecutionSummary(
        duration_s=sum(s.duration_s for s in summaries),
        errors=errors,
        timed_out=any(s.timed_out for s in summaries),
        kernel_died=any(s.kernel_died for s in summaries),
        skipped_cells=skipped,
        message="; ".join(messages) if messages else None,
        protections=summaries[0].protections,
        device=", ".join(dict.fromkeys(s.device for s in summaries)),
    )


def pooled_artifacts(executed: Executed) -> Artifacts:
    """The models and calls of every run; with several files, keys say their file."""
    if len(executed.runs) == 1:
        return read_artifacts(executed.runs[0].record.artifacts_dir)
    pool = executed.job_root / "pooled-artifacts"
    pool.mkdir(exist_ok=True)
    models, calls = [], []
    for index, run in enumerate(executed.runs):
        found = read_artifacts(run.record.artifacts_dir)
        prefix = f"{run.file.stem}:"
        for model in found.models:
            file = _move_export(found, model, pool, f"{index}-")
            models.append(model.model_copy(update={"key": prefix + model.key, "file": file}))
        calls += [c.model_copy(update={"model": prefix + c.model}) for c in found.calls]
    return Artifacts(models=models, calls=calls, directory=pool)


def _move_export(found: Artifacts, model: ExportedModel, pool: Path, prefix: str) -> str | None:
    """Move one export into the pool; anything but a regular file is left behind."""
    source = found.model_path(model)  # the grader's own file name, never the kernel's
    if source is None:
        return None
    try:
        if not stat.S_ISREG(os.lstat(source).st_mode):  # a link or a FIFO: never followed
            return None
        target = prefix + source.name
        os.replace(source, pool / target)
    except OSError:
        return None
    return target
