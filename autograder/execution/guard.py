"""The runner's watchman while a kernel runs: output caps and the job dir's disk budget.

Both are enforced from the grader's side, so nothing in the kernel can switch them
off: outputs are trimmed in the grader's copy as they arrive, and a job dir that
grows past its budget gets the kernel killed.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Awaitable, Callable, MutableSequence, Sequence
from pathlib import Path
from typing import Any

from autograder.execution.limits import MIB, Limits
from autograder.execution.outputs import cap_outputs

_TICK_S = 0.25
_DISK_EVERY = 4  # ticks: walking the job dir costs more than trimming a list


def disk_usage(paths: Sequence[Path]) -> int:
    """Bytes allocated under ``paths`` (blocks, so sparse files count as what they use)."""
    total = 0
    stack = [str(p) for p in paths]
    while stack:
        current = stack.pop()
        with contextlib.suppress(OSError), os.scandir(current) as entries:
            for entry in entries:
                with contextlib.suppress(OSError):
                    info = entry.stat(follow_symlinks=False)
                    total += info.st_blocks * 512
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
    return total


class Guard:
    def __init__(self, limits: Limits, dirs: Sequence[Path]) -> None:
        self.limits = limits
        self.dirs = list(dirs)
        self.notebook_used = 0
        self.truncated = False
        self.disk_exceeded = False
        self._outputs: MutableSequence[Any] | None = None
        self._kill: Callable[[], Awaitable[None]] | None = None

    @property
    def _cell_budget(self) -> int:
        notebook_left = self.limits.notebook_output_kb * 1024 - self.notebook_used
        return max(0, min(self.limits.cell_output_kb * 1024, notebook_left))

    def watch(self, outputs: MutableSequence[Any], kill: Callable[[], Awaitable[None]]) -> None:
        """Start guarding the outputs of the cell that is about to run."""
        self._outputs = outputs
        self._kill = kill

    def finish_cell(self, outputs: MutableSequence[Any]) -> None:
        """Final trim of a finished cell; its bytes count against the notebook cap."""
        used, cut = cap_outputs(outputs, self._cell_budget)
        self.truncated |= cut
        self.notebook_used += used
        self._outputs = None

    def tick(self) -> None:
        if self._outputs is not None:
            _, cut = cap_outputs(self._outputs, self._cell_budget)
            self.truncated |= cut

    async def run(self) -> None:
        """Trim outputs and check the disk budget until cancelled."""
        ticks = 0
        budget = self.limits.disk_mb * MIB
        while True:
            await asyncio.sleep(_TICK_S)
            self.tick()
            ticks += 1
            if ticks % _DISK_EVERY or self.disk_exceeded:
                continue
            used = await asyncio.to_thread(disk_usage, self.dirs)
            if used > budget and self._kill is not None:
                self.disk_exceeded = True
                await self._kill()

    def events(self) -> list[str]:
        if self.disk_exceeded:
            return [f"disk budget of {self.limits.disk_mb} MiB for the job dir exceeded"]
        return []
