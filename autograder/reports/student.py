"""The student's self-check report (``autograder check``), in Spanish or English.

A list rather than a table: students read it in narrow terminals and notebooks.
Each check that did not pass says what was expected, what was found and a hint.
Student-written text goes in as :class:`rich.text.Text`, never as markup.
"""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from autograder.environments import missing_module_args
from autograder.i18n import Language, hint, localized, text
from autograder.reports import inert
from autograder.reports.console import CHECK_GLYPHS
from autograder.results import CellError, CheckResult, GradeReport

_MAX_VALUE = 160
_MAX_CELL_ERRORS = 3


def _cell_error(error: CellError, lang: Language) -> str:
    missing = missing_module_args(error)
    if missing:
        return text("report.missing_module", lang, **missing)
    line = text("report.cell_error", lang, cell=error.cell, ename=error.ename, evalue=error.evalue)
    # A submission of several files: say whose cell.
    return f"{error.file}: {line}" if error.file else line


def render_self_check(
    report: GradeReport,
    console: Console,
    *,
    lang: Language,
    title: str,
    hidden: int,
    quick_epochs: int | None,
    failed: list[str],
) -> None:
    """Print the verdict; ``quick_epochs`` is the epoch cap when --quick ran."""
    report = inert.for_terminal(report)
    console.print(Text(text("report.title", lang, title=title), style="bold"))
    console.print(Text(text("report.submission", lang, path=report.submission.path), style="dim"))
    percent = f"{report.data.fraction:.0%}"
    console.print(Text(text("report.data", lang, source=report.data.source, percent=percent)))
    if quick_epochs is not None:
        console.print(Text(text("report.quick", lang, epochs=quick_epochs, percent=percent)))
    console.print()
    if report.status != "graded" or not report.checks:
        message = report.message or report.status
        line = text("report.not_graded", lang, status=report.status, message=message)
        console.print(Text(line, style="bold red"))
    if report.execution is not None:
        for error in report.execution.errors[:_MAX_CELL_ERRORS]:
            console.print(Text("! " + _cell_error(error, lang), style="magenta"))
        if report.execution.errors:
            console.print()
    for check in report.checks:
        _check(check, console, lang)
    console.print()
    console.print(
        Text(text("report.score", lang, score=report.score, max=report.max_score), style="bold")
    )
    skipped = [c.id for c in report.checks if c.status == "skipped"]
    if quick_epochs is not None and skipped:
        console.print(Text(text("report.undecided", lang, ids=", ".join(skipped)), style="dim"))
    if hidden:
        console.print(Text(text("report.hidden", lang, count=hidden), style="dim"))
    if failed:
        line = text("report.failed", lang, count=len(failed), ids=", ".join(failed))
        console.print(Text(line, style="bold red"))
    else:
        console.print(Text(text("report.ok", lang), style="bold green"))


def _check(check: CheckResult, console: Console, lang: Language) -> None:
    glyph, style = CHECK_GLYPHS[check.status]
    status = text(f"status.{check.status}", lang)
    points = f"{check.points:g}/{check.max_points:g}" if check.status != "skipped" else ""
    console.print(
        Text.assemble((f"{glyph} ", style), (check.id, "bold"), "  ", (status, style), "  ", points)
    )
    console.print(_indented(Text(localized(check, lang))))
    if check.status in ("pass", "skipped"):
        return
    # Messages with their own expected/found say it in words; others get the raw values.
    if "expected" not in check.message_args:
        for label, value in (("report.expected", check.expected), ("report.found", check.measured)):
            if value is not None:
                line = f"{text(label, lang)}: {_compact(value)}"
                console.print(_indented(Text(line, style="dim")))
    advice = hint(check, lang)
    if advice:
        console.print(_indented(Text(f"{text('report.hint', lang)}: {advice}", style="cyan")))


def _indented(line: Text) -> Padding:
    """Four spaces before every wrapped line, so a long hint stays under its check."""
    return Padding(line, (0, 0, 0, 4))


def _compact(value: Any) -> str:
    shown = json.dumps(value, ensure_ascii=False, default=str, separators=(", ", ": "))
    return shown if len(shown) <= _MAX_VALUE else shown[: _MAX_VALUE - 1] + "…"
