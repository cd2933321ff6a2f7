"""A Rich progress bar with ETA for batch grading (on stderr, so stdout stays the report)."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from autograder.reports import inert
from autograder.results import GradeReport


class BatchProgress:
    """Implements :class:`autograder.batch.Progress`; use as a context manager."""

    def __init__(self, console: Console) -> None:
        self._bar = Progress(
            TextColumn("grading"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[last]}", markup=False),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self._task: TaskID | None = None

    def start(self, total: int, skipped: int) -> None:
        # Skipped submissions are not in the bar: they would make the ETA look faster.
        self._task = self._bar.add_task("grading", total=total - skipped, last="")
        if skipped:
            self._bar.console.print(
                f"{skipped} of {total} submissions need no grading "
                "(unchanged results in the store, or nothing to run)"
            )

    def done(self, report: GradeReport) -> None:
        if self._task is not None:
            self._bar.update(
                self._task, advance=1, last=inert.terminal(report.submission.id, one_line=True)
            )

    def __enter__(self) -> BatchProgress:
        self._bar.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._bar.stop()
