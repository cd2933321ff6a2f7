"""Connecting to Dask only when ``--executor dask`` is used (``autograder[dask]``)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from autograder.errors import UsageError


@contextlib.contextmanager
def client_for(scheduler: str | object | None, local_workers: int = 1) -> Iterator[Any]:
    """A Dask client for a scheduler address, or the given client (left open), or
    (``None``) an in-process cluster with ``local_workers`` threads."""
    try:
        from distributed import Client, LocalCluster  # noqa: PLC0415  # optional extra
    except ImportError:
        raise UsageError(
            "--executor dask needs the optional extra: pip install 'autograder[dask]'"
        ) from None
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
        raise UsageError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    try:
        yield client
    finally:
        client.close()
