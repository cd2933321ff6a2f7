"""Byte caps on the cell outputs the grader keeps, and on the kernel's own log.

A student can print 200 MB in one call or print forever; the grader must neither
keep that in memory nor write it into reports.  Outputs are trimmed while the cell
runs (see the runner's guard) and once more when it ends.
"""

from __future__ import annotations

import os
import threading
from collections.abc import MutableSequence
from pathlib import Path
from typing import Any

TRUNCATED = "\n[autograder: output truncated at {limit} bytes]\n"


def output_size(output: Any) -> int:
    """Bytes an output takes: text, data values and tracebacks (UTF-8)."""
    total = 0
    text = output.get("text")
    if isinstance(text, str):
        total += len(text.encode("utf-8", "replace"))
    data = output.get("data")
    if isinstance(data, dict):
        for value in data.values():
            total += len(str(value).encode("utf-8", "replace"))
    traceback = output.get("traceback")
    if isinstance(traceback, list):
        total += sum(len(str(line).encode("utf-8", "replace")) for line in traceback)
    return total


def _cut(text: str, budget: int) -> str:
    return text.encode("utf-8", "replace")[: max(budget, 0)].decode("utf-8", "ignore")


def cap_outputs(outputs: MutableSequence[Any], budget: int) -> tuple[int, bool]:
    """Trim ``outputs`` in place to ``budget`` bytes; returns (bytes kept, whether cut).

    Outputs are kept in order; the one that crosses the budget keeps its head (a
    stream's text) or is dropped (rich data cannot be cut meaningfully), the rest
    are dropped and one marker stream says so.  Error outputs always survive,
    shortened: they carry the cell's exception, which reports need.
    """
    used = 0
    kept: list[Any] = []
    cut = False
    for output in outputs:
        if output.get("output_type") == "stream" and output.get("autograder_marker"):
            cut = True
            continue
        size = output_size(output)
        if used + size <= budget:
            kept.append(output)
            used += size
            continue
        cut = True
        if output.get("output_type") == "stream" and used < budget:
            output["text"] = _cut(str(output.get("text", "")), budget - used)
            used = budget
            kept.append(output)
        elif output.get("output_type") == "error":
            output["traceback"] = [_cut(str(line), 2000) for line in output["traceback"][-3:]]
            kept.append(output)
    if cut:
        marker = {
            "output_type": "stream",
            "name": "stderr",
            "text": TRUNCATED.format(limit=budget),
            "autograder_marker": True,
        }
        # Same node type as nbclient's outputs, so later writers can use attribute access.
        node = type(outputs[0]) if outputs and isinstance(outputs[0], dict) else dict
        kept.append(node(marker))
        outputs[:] = kept
    return used, cut


class CappedLog:
    """A pipe whose reader copies at most ``limit`` bytes into ``path`` and drops the rest.

    The kernel's stdout/stderr file descriptors point at the write end: what the
    student writes to fd 1/2 never reaches the grader's terminal, and a print loop
    cannot fill the disk through the log.
    """

    def __init__(self, path: Path, limit: int) -> None:
        self.path = path
        self.limit = limit
        self.dropped = 0
        read_fd, self.write_fd = os.pipe()
        self._thread = threading.Thread(target=self._pump, args=(read_fd,), daemon=True)
        self._thread.start()

    def _pump(self, read_fd: int) -> None:
        written = 0
        with open(read_fd, "rb", buffering=0) as source, self.path.open("wb") as sink:
            while chunk := source.read(65536):
                room = self.limit - written
                if room > 0:
                    sink.write(chunk[:room])
                    written += min(room, len(chunk))
                self.dropped += max(0, len(chunk) - max(room, 0))
            if self.dropped:
                sink.write(TRUNCATED.format(limit=self.limit).encode())

    def close_writer(self) -> None:
        """Close our copy of the write end (the kernel holds its own)."""
        if self.write_fd >= 0:
            os.close(self.write_fd)
            self.write_fd = -1

    def join(self, timeout: float) -> None:
        """Wait for the pump; it ends once every process holding the write end is gone."""
        self.close_writer()
        self._thread.join(timeout)
