"""Opt-in phase timestamps, for ``bench/overhead.py``'s table of where a grade's time goes.

With ``AUTOGRADER_TIMINGS=FILE`` in the grader's environment, each :func:`mark` appends
one JSON line ``{"event", "t", "pid"}`` to FILE (``t``: wall-clock seconds, comparable
across processes, so a bench can set them against the moment it launched the CLI).
Unset, :func:`mark` only reads the environment.  The marks sit in the one pipeline
(cli, runner, evaluator, grader), so what is timed is what every command runs.  The
kernel never sees the variable (its environment is an allowlist, runner._kernel_env),
and nothing in the grader reads the file back.
"""

from __future__ import annotations

import json
import os
import time

ENV = "AUTOGRADER_TIMINGS"


def mark(event: str) -> None:
    """Record that ``event`` (e.g. ``kernel.ready``) happened now, when timing is on."""
    path = os.environ.get(ENV)
    if not path:
        return
    line = json.dumps({"event": event, "t": time.time(), "pid": os.getpid()}) + "\n"
    # One write on an O_APPEND descriptor: lines from threads never interleave.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)
