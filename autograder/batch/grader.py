"""The real grade function for a batch, and its identity in the results store.

Kept apart from :mod:`autograder.batch.runner` so that the batch machinery imports
nothing of the grading pipeline.  Nothing here loads data until a submission is
actually graded: a re-run whose results are all in the store starts in a second.
"""

from __future__ import annotations

import atexit
import dataclasses
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from autograder.batch.executors import FailFn
from autograder.batch.store import RunIdentity
from autograder.grading.pipeline import GradeOptions, Prepared, grade_submission, prepare
from autograder.measure.evaluator import Evaluator, EvaluatorConfig
from autograder.reference.cache import ReferenceRecord
from autograder.results import DataInfo, GradeReport, RubricInfo, SubmissionInfo
from autograder.rubric import LoadedRubric
from autograder.submissions import Submission


def data_info(rubric: LoadedRubric, options: GradeOptions) -> DataInfo:
    return DataInfo(
        source=options.data.source,
        fraction=options.data.fraction,
        dataset=rubric.rubric.dataset.label,
    )


def run_identity(
    rubric: LoadedRubric,
    options: GradeOptions,
    version: str,
    reference: ReferenceRecord | None = None,
) -> RunIdentity:
    data = data_info(rubric, options)
    summary = reference.summary if reference is not None else None
    return RunIdentity(
        rubric_sha256=rubric.sha256,
        data_source=data.source,
        fraction=data.fraction,
        dataset=data.dataset,
        seed=options.seed,
        timeout_s=options.timeout_s,
        grader_version=version,
        reference=f"{summary.cache_key}:{summary.weights_sha256}" if summary else None,
    )


def failure_fn(rubric: LoadedRubric, options: GradeOptions) -> FailFn:
    """Results for submissions the grader could not grade at all.

    A submission's own ``problem`` (no notebook, a refused zip) is ``invalid``; the
    executor's failures (a hang past the deadline, a lost worker) are ``error``.
    """

    def failed(sub: Submission, message: str) -> GradeReport:
        return GradeReport(
            submission=SubmissionInfo(id=sub.id, path=str(sub.path), sha256=sub.sha256),
            rubric=RubricInfo(id=rubric.rubric.id, sha256=rubric.sha256),
            data=data_info(rubric, options),
            status="invalid" if sub.problem is not None else "error",
            message=message,
            score=0.0,
            max_score=rubric.rubric.max_points,
        )

    return failed


_prepared: dict[str, Prepared] = {}
_lock = threading.Lock()


def _remove_later(folder: Path) -> None:
    atexit.register(shutil.rmtree, folder, ignore_errors=True)


@dataclass(frozen=True)
class WorkerGrade:
    """A picklable grade function (local threads and Dask workers alike).

    The first call in a process loads the grader's data and writes a fresh copy for
    the kernels into a temporary folder (removed at exit), and sets up the process's
    one evaluator (models are loaded there, never in the grader); later calls reuse
    them.
    ``reference`` travels with the task, so every worker sets relative thresholds
    from the same reference run.
    """

    rubric: LoadedRubric
    options: GradeOptions
    reference: ReferenceRecord | None = None

    def prepared(self) -> Prepared:
        ref = self.reference.summary.cache_key if self.reference else ""
        key = f"{self.rubric.sha256}:{self.options.model_dump_json()}:{ref}"
        with _lock:
            if key not in _prepared:
                cache = Path(tempfile.mkdtemp(prefix="autograder-data-"))
                _remove_later(cache)
                dataset = self.rubric.rubric.dataset
                evaluator = Evaluator(
                    EvaluatorConfig(
                        dataset=dataset.name,
                        data=self.options.data,
                        preprocessing=dataset.preprocessing,
                    ),
                    self.options.limits,
                )
                atexit.register(evaluator.close)
                _prepared[key] = dataclasses.replace(
                    prepare(self.rubric, self.options, cache),
                    reference=self.reference,
                    evaluator=evaluator,
                )
            return _prepared[key]

    def __call__(self, sub: Submission) -> GradeReport:
        return grade_submission(sub, self.prepared())
