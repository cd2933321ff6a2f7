"""TensorFlow's native start-up chatter goes to a log file, not the grader's terminal."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def native_stderr_to(log: Path) -> Iterator[None]:
    """Send fd 2 to ``log``: TensorFlow's C++ logging ignores every log-level knob.

    Process-wide: use it only while no other thread writes to stderr (before a batch's
    workers start).
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    saved = os.dup(2)
    with log.open("ab") as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
