"""The real grade function for a batch: a picklable recipe for one process's Grader.

Kept apart from :mod:`autograder.batch.runner` so that the batch machinery imports
nothing of the grading pipeline.  Nothing here loads data until a submission is
actually graded: a re-run whose results are all in the store starts in a second.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from autograder.batch.executors import FailFn
from autograder.execution.limits import Limits
from autograder.grading.grader import Backends, Grader, build_grader
from autograder.grading.options import GradeOptions, evaluator_config
from autograder.grading.report import failed
from autograder.measure.evaluator import EvaluatorConfig, EvaluatorPool
from autograder.reference.cache import Reference
from autograder.reference.train import fixed_reference
from autograder.results import GradeReport
from autograder.rubric import LoadedRubric
from autograder.submissions import Submission


def failure_fn(rubric: LoadedRubric, options: GradeOptions) -> FailFn:
    """Results for submissions the grader could not grade at all.

    A submission's own ``problem`` (no notebook, a refused zip) is ``invalid``; the
    executor's failures (a hang past the deadline, a lost worker) are ``error``.
    """

    def fail(sub: Submission, message: str) -> GradeReport:
        if sub.problem is not None:
            return failed(rubric, options, sub, "invalid", message)
        return failed(rubric, options, sub, "error", message)

    return fail


_graders: dict[str, Grader] = {}
# One pool per evaluator configuration in this process: the grader that trains the
# reference and the batch's grader (which differ in threads and reference) share its
# workers, so a first `grade` imports TensorFlow for the evaluator once, not twice.
_pools: dict[str, EvaluatorPool] = {}
_lock = threading.Lock()


def _shared_pool(config: EvaluatorConfig, limits: Limits, size: int) -> EvaluatorPool:
    """This process's pool for ``config`` and ``limits``, with at least ``size`` workers,
    the new ones starting in the background. Call with ``_lock`` held."""
    key = f"{config.model_dump_json()}:{limits.model_dump_json()}"
    pool = _pools.get(key)
    if pool is None:
        pool = _pools[key] = EvaluatorPool(config, limits, size=size)
        atexit.register(pool.close)
        # The evaluators start while the data is written and the kernels run, as
        # open_grader does for check (issue: 4 s serial cold start).
        pool.warm_up()
    elif pool.size < size:
        pool.warm_up(pool.grow(size))
    return pool


@dataclass(frozen=True)
class WorkerGrade:
    """A picklable grade function (local threads and Dask workers alike).

    The first call in a process builds that process's Grader: the kernels' data copy
    in a temporary folder (removed at exit) and a pool of ``evaluators`` evaluator
    processes (models are loaded there, never in the grader).  ``reference`` travels
    with the task (one run, or the runs over the rubric's seeds), so every worker sets
    relative thresholds from the same runs.
    """

    rubric: LoadedRubric
    options: GradeOptions
    reference: Reference | None = None
    evaluators: int | None = 1
    """Evaluator processes; None: as many as this Dask worker has threads."""
    log: Path | None = None
    """TensorFlow's native start-up chatter goes here (see build_grader)."""
    backends: Backends = field(default_factory=Backends)

    def grader(self) -> Grader:
        ref = ""
        if self.reference is not None:
            runs = (self.reference.summary, *self.reference.runs)
            ref = ",".join(run.cache_key for run in runs)
        key = f"{self.rubric.sha256}:{self.options.model_dump_json()}:{ref}:{self.evaluators}"
        key += f":{id(self.backends.measurer)}:{id(self.backends.runner)}"
        key += f":{id(self.backends.gpus)}"
        with _lock:
            if key not in _graders:
                data = Path(tempfile.mkdtemp(prefix="autograder-data-"))
                atexit.register(shutil.rmtree, data, ignore_errors=True)
                measurer = self.backends.measurer or _shared_pool(
                    evaluator_config(self.rubric, self.options),
                    self.options.limits,
                    self.evaluators or _worker_threads(),
                )
                _graders[key] = build_grader(
                    self.rubric,
                    self.options,
                    measurer=measurer,
                    runner=self.backends.runner,
                    gpus=self.backends.gpus,
                    data_dir=data,
                    reference=fixed_reference(self.reference),
                    log=self.log,
                )
            return _graders[key]

    def __call__(self, sub: Submission) -> GradeReport:
        return self.grader().grade(sub)


def _worker_threads() -> int:
    """How many tasks this Dask worker runs at once (1 outside a worker)."""
    try:
        from distributed import get_worker  # noqa: PLC0415  # optional extra, workers only
    except ImportError:
        return 1
    try:
        return max(1, int(get_worker().state.nthreads))
    except ValueError:  # not inside a worker
        return 1
