"""The real grade function for a batch, and its identity in the results store.

Kept apart from :mod:`autograder.batch.runner` so that the batch machinery imports
nothing of the grading pipeline (and its TensorFlow-heavy dependencies).
"""

from __future__ import annotations

import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from autograder.batch.executors import FailFn
from autograder.batch.store import RunIdentity
from autograder.grading import (
    GradeOptions,
    Prepared,
    error_report,
    grade_submission,
    invalid_report,
    prepare,
)
from autograder.results import GradeReport
from autograder.rubric import LoadedRubric
from autograder.submissions import Submission


def run_identity(prepared: Prepared, version: str) -> RunIdentity:
    data = prepared.data_info
    return RunIdentity(
        rubric_sha256=prepared.rubric.sha256,
        data_source=data.source,
        fraction=data.fraction,
        dataset=data.dataset,
        seed=prepared.options.seed,
        timeout_s=prepared.options.timeout_s,
        grader_version=version,
    )


def failure_fn(prepared: Prepared) -> FailFn:
    """Results for submissions the grader could not grade at all.

    A submission's own ``problem`` (no notebook, a refused zip) is ``invalid``; the
    executor's failures (a hang past the deadline, a lost worker) are ``error``.
    """

    def failed(sub: Submission, message: str) -> GradeReport:
        if sub.problem is not None:
            return invalid_report(sub, prepared, message)
        return error_report(sub, prepared, message)

    return failed


_worker_prepared: dict[str, Prepared] = {}
_worker_lock = threading.Lock()


@dataclass(frozen=True)
class WorkerGrade:
    """A picklable grade function for remote workers: each worker process loads the
    grader's data once (into its own temp dir) and reuses it for every task."""

    rubric: LoadedRubric
    options: GradeOptions

    def _prepared(self) -> Prepared:
        key = f"{self.rubric.sha256}:{self.options.model_dump_json()}"
        with _worker_lock:
            if key not in _worker_prepared:
                cache = Path(tempfile.mkdtemp(prefix="autograder-worker-data-"))
                _worker_prepared[key] = prepare(self.rubric, self.options, cache)
            return _worker_prepared[key]

    def __call__(self, sub: Submission) -> GradeReport:
        return grade_submission(sub, self._prepared())
