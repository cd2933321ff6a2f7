"""Grade a batch: reuse stored results, grade the rest on an executor, store each result.

The caller renders; this module only reports progress through a small protocol.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from autograder.batch.executors import Executor, FailFn, GradeFn
from autograder.batch.store import ResultStore
from autograder.results import GradeReport
from autograder.submissions import Submission

if TYPE_CHECKING:  # the batch machinery imports nothing of the grading pipeline
    from autograder.grading.options import RunIdentity

# A Keras kernel with a small model and its data needs roughly this much memory.
_BYTES_PER_KERNEL = 1536 * 1024**2


class Progress(Protocol):
    """What a batch tells its caller while it runs (a Rich bar, a log, a test)."""

    def start(self, total: int, skipped: int) -> None:
        """``skipped``: already in the store, or with nothing to run."""

    def done(self, report: GradeReport) -> None: ...


@dataclass(frozen=True)
class BatchOutcome:
    reports: list[GradeReport]
    """One per submission, in discovery order."""
    graded: int
    reused: int
    invalid: int
    """Submissions with a ``problem`` (nothing to run); not stored, cheap to redo."""


@dataclass(frozen=True)
class BatchPlan:
    keys: list[str]
    pending: list[int]
    """Indices of the submissions to grade."""
    reused: dict[int, GradeReport]
    invalid: list[int]


def plan_batch(
    submissions: Sequence[Submission],
    *,
    identity: RunIdentity,
    store: ResultStore,
    force: bool = False,
) -> BatchPlan:
    """Which submissions need grading and which results the store already holds."""
    keys = [identity.key(sub.id, sub.sha256) for sub in submissions]
    pending: list[int] = []
    reused: dict[int, GradeReport] = {}
    invalid: list[int] = []
    for index, (sub, key) in enumerate(zip(submissions, keys, strict=True)):
        if sub.problem is not None:
            invalid.append(index)
            continue
        stored = None if force else store.get(key)
        if stored is None:
            pending.append(index)
        else:
            reused[index] = stored
    return BatchPlan(keys=keys, pending=pending, reused=reused, invalid=invalid)


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def _available_memory() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def default_jobs() -> int:
    """As many kernels as there are cores, fewer when memory would run out."""
    jobs = _cpus()
    memory = _available_memory()
    if memory is not None:
        jobs = min(jobs, memory // _BYTES_PER_KERNEL)
    return max(1, jobs)


def threads_per_kernel(jobs: int) -> int:
    """TensorFlow threads for each of ``jobs`` kernels, so together they fit the cores."""
    return max(1, _cpus() // max(1, jobs))


def with_identity(report: GradeReport, sub: Submission) -> GradeReport:
    """Add the LMS identity to a report built by code that only knows the file."""
    info = report.submission.model_copy(
        update={
            "student_id": sub.student_id,
            "display_name": sub.display_name or sub.id,
            "late": sub.late,
        }
    )
    return report.model_copy(update={"submission": info})


def run_batch(
    submissions: Sequence[Submission],
    *,
    grade: GradeFn,
    failed: FailFn,
    identity: RunIdentity,
    store: ResultStore,
    executor: Executor,
    force: bool = False,
    progress: Progress | None = None,
    plan: BatchPlan | None = None,
) -> BatchOutcome:
    """Grade what the store does not already hold; store each result as it arrives.

    ``plan`` is :func:`plan_batch`'s answer when the caller already asked for it.
    """
    if plan is None:
        plan = plan_batch(submissions, identity=identity, store=store, force=force)
    results = {
        i: with_identity(failed(submissions[i], submissions[i].problem or ""), submissions[i])
        for i in plan.invalid
    }
    results.update(plan.reused)
    pending = plan.pending
    keys = plan.keys
    if progress is not None:
        progress.start(len(submissions), len(plan.reused) + len(plan.invalid))
    position = {id(submissions[i]): i for i in pending}
    todo = [submissions[i] for i in pending]
    for sub, graded, ok in executor.run(grade, todo, failed):
        index = position[id(sub)]
        report = with_identity(graded, sub)
        if ok:
            store.put(keys[index], report)
        results[index] = report
        if progress is not None:
            progress.done(report)
    return BatchOutcome(
        reports=[results[i] for i in range(len(submissions))],
        graded=len(pending),
        reused=len(plan.reused),
        invalid=len(plan.invalid),
    )
