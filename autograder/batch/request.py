"""``grade`` as a library call: a BatchRequest in, a BatchOutcome out, progress reported.

Everything the command does short of parsing and rendering happens here: finding the
submissions, resolving the reference run, planning against the results store,
grading what is left on an executor and applying instructor overrides.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from autograder import __version__
from autograder.batch.executors import DaskExecutor, Executor, LocalExecutor
from autograder.batch.grader import WorkerGrade, failure_fn
from autograder.batch.runner import (
    BatchOutcome,
    Progress,
    default_jobs,
    plan_batch,
    run_batch,
    threads_per_kernel,
)
from autograder.batch.store import STORE_FILE, ResultStore
from autograder.errors import UsageError
from autograder.execution.gpus import default_kernels, resolve_gpus
from autograder.grading.grader import Backends
from autograder.grading.options import GradeOptions, run_identity, total_timeout
from autograder.i18n import text
from autograder.overrides import LoadedOverrides, apply_overrides
from autograder.reference.train import Training, resolve_for
from autograder.rubric import LoadedRubric
from autograder.submissions import discover_all


@dataclass(frozen=True)
class BatchRequest:
    """What ``autograder grade`` was asked to do."""

    paths: list[Path]
    """Files, folders or zips to grade (a shell glob gives several)."""
    rubric: LoadedRubric
    out: Path
    """Results folder: the store, unpacked zips, grader.log."""
    options: GradeOptions = field(default_factory=GradeOptions)
    jobs: int = 0
    """Submissions graded at once; 0: what the machine can take."""
    force: bool = False
    """Grade again what the store already holds."""
    executor: Literal["local", "dask"] = "local"
    scheduler: str | None = None
    """Dask scheduler address; None: an in-process cluster."""
    overrides: LoadedOverrides | None = None
    backends: Backends = field(default_factory=Backends)
    """The kernel runner and evaluator (fakes in tests)."""


def grade_batch(
    request: BatchRequest,
    on_progress: Progress | None = None,
    *,
    training: Training | None = None,
) -> BatchOutcome:
    """Grade every submission under ``request.paths``; raises for the grader's own errors.

    ``training`` wraps a reference run when one must be trained first (the CLI says so).
    """
    if request.scheduler is not None and request.executor != "dask":
        raise UsageError(text("batch.scheduler_needs_dask", "en"))
    rubric, out = request.rubric, request.out
    submissions = discover_all(request.paths, out / "unpacked")
    out.mkdir(parents=True, exist_ok=True)
    log = out / "grader.log"

    # Before any kernel (the reference's too): a GPU --gpus names must exist here.
    # One kernel per GPU unless --jobs says otherwise; a remote cluster's GPUs are its own.
    probe = request.backends.gpus
    gpus = () if request.scheduler else resolve_gpus(request.options.gpus, probe)
    reference = resolve_for(
        rubric,
        request.options,
        WorkerGrade(rubric, request.options, log=log, backends=request.backends).grader,
        training,
    )
    identity = run_identity(
        rubric,
        request.options,
        __version__,
        reference.summary if reference else None,
        runs=reference.runs if reference else (),
    )
    with ResultStore(out / STORE_FILE) as store:
        plan = plan_batch(submissions, identity=identity, store=store, force=request.force)
        jobs = request.jobs or default_kernels(default_jobs(), gpus)
        workers = min(jobs, max(1, len(plan.pending)))
        # Each kernel gets its share of the cores, so N kernels never oversubscribe them.
        options = request.options.model_copy(update={"threads": threads_per_kernel(workers)})
        # A remote worker sizes its evaluator pool by its own threads and logs to its own
        # stderr: the client's folder is not there (nothing travels as a path).
        remote = request.scheduler is not None
        grade = WorkerGrade(
            rubric,
            options,
            reference,
            evaluators=None if remote else workers,
            log=None if remote else log,
            backends=request.backends,
        )
        if plan.pending and request.scheduler is None:
            # Build the grader (data, kernels' copy) before the bar starts, and only
            # when something needs grading: a re-run of a graded batch takes a second.
            grade.grader()
        outcome = run_batch(
            submissions,
            grade=grade,
            failed=failure_fn(rubric, options),
            identity=identity,
            store=store,
            executor=_executor(request, workers, total_timeout(rubric, options)),
            force=request.force,
            progress=on_progress,
            plan=plan,
        )
    if request.overrides is None:
        return outcome
    return dataclasses.replace(outcome, reports=apply_overrides(request.overrides, outcome.reports))


def _executor(request: BatchRequest, jobs: int, total_s: float) -> Executor:
    if request.executor == "dask":
        return DaskExecutor(request.scheduler, local_workers=jobs)
    # The runner enforces the time limit itself; this only catches a grader that hangs.
    return LocalExecutor(jobs, deadline_s=total_s * 1.5 + 120)
