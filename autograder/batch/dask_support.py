"""Connecting to Dask only when ``--executor dask`` is used (``autograder[dask]``)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from autograder.errors import UsageError


@contextlib.contextmanager
def client_for(scheduler: str | object) -> Iterator[Any]:
    """A Dask client for a scheduler address, or the given client (left open)."""
    try:
        from distributed import Client  # noqa: PLC0415  # optional extra, imported on use
    except ImportError:
        raise UsageError(
            "--executor dask needs the optional extra: pip install 'autograder[dask]'"
        ) from None
    if isinstance(scheduler, Client):
        yield scheduler
        return
    try:
        client = Client(str(scheduler), timeout=30)
    except OSError as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    try:
        yield client
    finally:
        client.close()
