"""Dask, only when ``--executor dask`` is used (``autograder[dask]``).

Every task carries its submission as data (:mod:`autograder.batch.parcel`) and
returns its report as JSON, so a worker needs only the package installed: no shared
file system, nothing written on the worker that outlives the task.  The client is the
only writer of results, so a task the scheduler runs twice (its first worker died)
yields one result.
"""

from __future__ import annotations

import contextlib
import dataclasses
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from autograder.batch.executors import FailFn, GradeFn, Outcome
from autograder.batch.parcel import grade_parcel, pack, received
from autograder.errors import SubmissionError, UsageError
from autograder.i18n import text
from autograder.submissions import Submission
from autograder.text import one_line


@contextlib.contextmanager
def client_for(scheduler: str | object | None, local_workers: int = 1) -> Iterator[Any]:
    """A Dask client for a scheduler address, or the given client (left open), or
    (``None``) an in-process cluster with ``local_workers`` threads."""
    try:
        from distributed import Client, LocalCluster  # noqa: PLC0415  # optional extra
    except ImportError:
        raise UsageError(text("batch.dask_extra", "en")) from None
    if isinstance(scheduler, Client):
        yield scheduler
        return
    if scheduler is None:
        with (
            LocalCluster(
                n_workers=1,
                threads_per_worker=local_workers,
                processes=False,
                # None still binds the default :8787 in distributed, which another
                # cluster on the machine may hold; a free port never collides.
                dashboard_address=":0",
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    try:
        client = Client(str(scheduler), timeout=30)
    except OSError as exc:
        message = text("batch.dask_unreachable", "en", address=scheduler, reason=str(exc))
        raise UsageError(message) from None
    try:
        yield client
    finally:
        client.close()


def run_on(
    client: Any,
    grade: GradeFn,
    submissions: Sequence[Submission],
    failed: FailFn,
    limit: int,
) -> Iterator[Outcome]:
    """Each submission as one task (one future, so one result, however often the
    scheduler re-runs it); at most a window of parcels in flight.

    The window (twice the cluster's threads, at least 8) keeps the scheduler from
    holding every submission's bytes of a 5,000-student batch at once.
    """
    from distributed import as_completed  # noqa: PLC0415  # optional extra

    batch = uuid.uuid4().hex[:8]  # keys unique across batches on one long-lived client
    todo = iter(enumerate(submissions))
    in_flight: dict[Any, int] = {}
    arrivals = as_completed()

    def top_up() -> Iterator[Outcome]:
        window = max(8, 2 * sum(client.nthreads().values()))
        while len(in_flight) < window:
            item = next(todo, None)
            if item is None:
                return
            index, sub = item
            try:
                parcel = pack(sub, limit)
            except SubmissionError as exc:
                # The submission cannot travel: invalid, as a refused zip is.
                yield sub, failed(dataclasses.replace(sub, problem=str(exc)), str(exc)), False
                continue
            key = f"grade-{batch}-{index}"
            future = client.submit(grade_parcel, grade, parcel, key=key)
            in_flight[future] = index
            arrivals.add(future)

    try:
        yield from top_up()
        for future in arrivals:
            sub = submissions[in_flight.pop(future)]
            outcome: Outcome
            try:
                outcome = (sub, received(sub, future.result()), True)
            except Exception as exc:  # noqa: BLE001  # a lost worker or a grader bug: one result
                outcome = (sub, failed(sub, one_line(exc)), False)
            # Released before the caller stores it: a worker lost from now on costs only
            # its unfinished tasks, never a recomputation of this one.
            future.release()
            yield outcome
            yield from top_up()
    finally:
        if in_flight:
            client.cancel(list(in_flight))
