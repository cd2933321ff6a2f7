"""Many submissions: executors (local threads, Dask), a resumable SQLite results store."""

from autograder.batch.executors import DaskExecutor, Executor, LocalExecutor
from autograder.batch.runner import BatchOutcome, Progress, default_jobs, run_batch
from autograder.batch.store import STORE_FILE, ResultStore

__all__ = [
    "STORE_FILE",
    "BatchOutcome",
    "DaskExecutor",
    "Executor",
    "LocalExecutor",
    "Progress",
    "ResultStore",
    "default_jobs",
    "run_batch",
]
