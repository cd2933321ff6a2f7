"""Executors run a grade function over many submissions and yield results as they finish.

They know nothing about how a submission is graded: they get a ``GradeFn`` and a
``FailFn`` (which turns a grader failure into a result), so one failing or hanging
submission becomes one error result and never stops the others.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

from autograder.batch.parcel import PARCEL_LIMIT_BYTES
from autograder.results import GradeReport
from autograder.submissions import Submission

GradeFn = Callable[[Submission], GradeReport]
FailFn = Callable[[Submission, str], GradeReport]
Outcome = tuple[Submission, GradeReport, bool]
"""A submission, its report, and whether the report came from the grade function
(True) or stands for a failure of the executor/grader (False: not worth storing)."""


class Executor(Protocol):
    """Grades submissions somewhere; yields each outcome as soon as it is known."""

    def run(
        self, grade: GradeFn, submissions: Sequence[Submission], failed: FailFn
    ) -> Iterator[Outcome]: ...


def _one_line(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}".rstrip(": ")


class LocalExecutor:
    """``jobs`` worker threads on this machine.

    Threads are enough: the heavy work happens in each submission's own kernel
    process.  Workers are daemon threads, so a submission whose grading hangs past
    ``deadline_s`` is reported as an error and abandoned without blocking exit.
    """

    def __init__(self, jobs: int, deadline_s: float | None = None) -> None:
        if jobs < 1:
            raise ValueError("jobs must be at least 1")
        self.jobs = jobs
        self.deadline_s = deadline_s

    def run(  # noqa: C901  # one worker pool loop: start, deadline, collect
        self, grade: GradeFn, submissions: Sequence[Submission], failed: FailFn
    ) -> Iterator[Outcome]:
        todo: queue.Queue[tuple[int, Submission] | None] = queue.Queue()
        done: queue.Queue[tuple[int, Submission, GradeReport, bool]] = queue.Queue()
        started: dict[int, float] = {}
        lock = threading.Lock()

        def work() -> None:
            while (item := todo.get()) is not None:
                index, sub = item
                with lock:
                    started[index] = time.monotonic()
                try:
                    done.put((index, sub, grade(sub), True))
                except Exception as exc:  # noqa: BLE001  # any grader bug is one submission's result
                    done.put((index, sub, failed(sub, _one_line(exc)), False))

        def spawn() -> None:
            threading.Thread(target=work, daemon=True, name="autograder-worker").start()

        for item in enumerate(submissions):
            todo.put(item)
        for _ in range(min(self.jobs, len(submissions))):
            spawn()
        finished: set[int] = set()
        try:
            while len(finished) < len(submissions):
                try:
                    index, sub, report, ok = done.get(timeout=1.0)
                except queue.Empty:
                    for index in self._overdue(started, finished, lock):
                        finished.add(index)
                        sub = submissions[index]
                        message = f"grading did not finish within {self.deadline_s:g} s"
                        spawn()  # the stuck thread keeps its slot busy; add one
                        yield sub, failed(sub, message), False
                    continue
                if index in finished:
                    continue  # came back after being given up on
                finished.add(index)
                yield sub, report, ok
        finally:
            # Stop idle workers; busy ones finish their submission and exit.
            while True:
                try:
                    todo.get_nowait()
                except queue.Empty:
                    break
            for _ in range(self.jobs + len(submissions)):
                todo.put(None)

    def _overdue(
        self, started: dict[int, float], finished: set[int], lock: threading.Lock
    ) -> list[int]:
        if self.deadline_s is None:
            return []
        now = time.monotonic()
        with lock:
            return [
                i for i, t in started.items() if i not in finished and now - t > self.deadline_s
            ]


class DaskExecutor:
    """Each submission is one task on a Dask cluster (``autograder[dask]``).

    ``grade`` must be picklable and able to run on a worker: see
    :class:`autograder.batch.grader.WorkerGrade`.  A task carries the submission's
    bytes (at most ``parcel_limit`` bytes) and returns its report as data, so workers
    need only the package, never the submissions' paths.  Without a scheduler, an
    in-process cluster with ``local_workers`` threads is started.
    """

    def __init__(
        self,
        scheduler: str | object | None,
        local_workers: int = 1,
        parcel_limit: int = PARCEL_LIMIT_BYTES,
    ) -> None:
        self.scheduler = scheduler
        self.local_workers = local_workers
        self.parcel_limit = parcel_limit

    def run(
        self, grade: GradeFn, submissions: Sequence[Submission], failed: FailFn
    ) -> Iterator[Outcome]:
        from autograder.batch.dask_support import client_for, run_on  # noqa: PLC0415  # optional extra

        with client_for(self.scheduler, self.local_workers) as client:
            yield from run_on(client, grade, submissions, failed, self.parcel_limit)
