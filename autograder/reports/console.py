"""Terminal reports with Rich: one panel per submission, one table per class.

Everything a student wrote (ids, messages, exception values) is passed as
:class:`rich.text.Text`, never as markup, so ``[red]`` in a submission cannot
restyle the report and ``KeyError: ['acc']`` is printed as written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from autograder.results import CheckStatus, GradeReport, SubmissionStatus

CHECK_GLYPHS: dict[CheckStatus, tuple[str, str]] = {
    "pass": ("✔", "green"),
    "fail": ("✘", "red"),
    "partial": ("◐", "yellow"),
    "error": ("!", "bold magenta"),
    "skipped": ("–", "dim"),
}

SUBMISSION_STYLES: dict[SubmissionStatus, str] = {
    "graded": "green",
    "error": "bold red",
    "timeout": "bold yellow",
    "invalid": "bold red",
}

_NOT_GRADED_LABELS: dict[SubmissionStatus, str] = {
    "graded": "Note",
    "error": "Grading error",
    "timeout": "Timed out",
    "invalid": "Invalid submission",
}

_VALUE_WIDTH = 32
_LINE_WIDTH = 100


def render_submission(report: GradeReport, console: Console) -> None:
    """Print one submission's checks, score, data source and execution problems."""
    parts: list[RenderableType] = []
    if report.status != "graded" or report.message:
        label = _NOT_GRADED_LABELS[report.status]
        text = report.message or "no further details were recorded"
        parts.append(Text(f"⚠ {label}: {text}", style=SUBMISSION_STYLES[report.status]))
        parts.append(Text(""))
    if report.checks:
        parts.append(_checks_table(report))
    else:
        parts.append(Text("No checks were run.", style="dim"))
    parts.append(Text(""))
    parts.extend(_summary_lines(report))
    parts.extend(_execution_lines(report))
    title = Text.assemble(
        (report.submission.id, "bold"), " · ", (report.status, SUBMISSION_STYLES[report.status])
    )
    console.print(
        Panel(
            Group(*parts),
            title=title,
            title_align="left",
            border_style=SUBMISSION_STYLES[report.status],
        )
    )


def render_class_table(reports: list[GradeReport], console: Console) -> None:
    """Print one row per submission and a footer with the mean score."""
    if not reports:
        console.print(Text("No submissions.", style="dim"))
        return
    table = Table(title=_data_title(reports), box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("Submission", overflow="fold")
    table.add_column("Status")
    table.add_column("Score", justify="right")
    for header in ("Test acc", "Train acc", "Gap", "Params"):
        table.add_column(header, justify="right")
    table.add_column("Failed checks", overflow="fold")
    for report in reports:
        metrics = report.metrics
        params = metrics.total_params if metrics.total_params is not None else metrics.trainable_params
        table.add_row(
            Text(report.submission.id),
            Text(report.status, style=SUBMISSION_STYLES[report.status]),
            f"{number(report.score)}/{number(report.max_score)}",
            _fixed(metrics.test_accuracy),
            _fixed(metrics.train_accuracy),
            _fixed(metrics.overfitting_gap, signed=True),
            compact(params),
            Text(", ".join(_failed(report)) or "–"),
        )
    console.print(table)
    console.print(_class_footer(reports))


# --- one submission ------------------------------------------------------------------


def _checks_table(report: GradeReport) -> Table:
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False)
    table.add_column("", no_wrap=True)
    table.add_column("Check", overflow="fold", max_width=24)
    table.add_column("Points", justify="right", no_wrap=True)
    table.add_column("Expected", max_width=_VALUE_WIDTH)
    table.add_column("Measured", max_width=_VALUE_WIDTH)
    table.add_column("Message", ratio=1)
    for check in report.checks:
        glyph, style = CHECK_GLYPHS[check.status]
        points = "–" if check.status == "skipped" else f"{number(check.points)}/{number(check.max_points)}"
        table.add_row(
            Text(f"{glyph} {check.status}", style=style),
            Text(check.id),
            points,
            Text(compact(check.expected)),
            Text(compact(check.measured)),
            Text(_one_line(check.message, limit=None)),
        )
    return table


def _summary_lines(report: GradeReport) -> Iterable[Text]:
    percent = f" ({report.score / report.max_score:.0%})" if report.max_score > 0 else ""
    yield Text.assemble(
        ("Score ", "bold"),
        (f"{number(report.score)} / {number(report.max_score)}", "bold"),
        percent,
    )
    data = report.data
    yield Text(
        f"Data: {data.dataset} · source: {data.source} · fraction: {number(data.fraction)}"
    )
    measured = _metrics_phrase(report)
    if measured:
        yield Text(f"Measured: {measured}")
    if report.graded_model:
        yield Text(f"Model: {_one_line(report.graded_model)}")


def _metrics_phrase(report: GradeReport) -> str:
    m = report.metrics
    parts = []
    if m.test_accuracy is not None:
        parts.append(f"test acc {_fixed(m.test_accuracy)}")
    if m.train_accuracy is not None:
        parts.append(f"train acc {_fixed(m.train_accuracy)}")
    if m.overfitting_gap is not None:
        parts.append(f"gap {_fixed(m.overfitting_gap, signed=True)}")
    if m.total_params is not None or m.trainable_params is not None:
        trainable, total = compact(m.trainable_params), compact(m.total_params)
        parts.append(f"params {trainable} trainable / {total} total")
    return " · ".join(parts)


def _execution_lines(report: GradeReport) -> Iterable[Text]:
    execution = report.execution
    if execution is None:
        return
    problems: list[str] = []
    for error in execution.errors:
        line = f"cell {error.cell}: {error.ename}: {_one_line(error.evalue)}"
        if error.excerpt:
            line += f" — `{_one_line(error.excerpt)}`"
        problems.append(line)
    if execution.timed_out:
        problems.append("timed out")
    if execution.kernel_died:
        problems.append("kernel died")
    problems.extend(
        f"cell {skipped.cell}: skipped ({skipped.reason})" for skipped in execution.skipped_cells
    )
    if execution.message and execution.message != report.message:
        problems.append(_one_line(execution.message))
    duration = f"Execution: {execution.duration_s:.1f} s"
    if not problems:
        yield Text(f"{duration}, no problems")
        return
    yield Text(f"{duration}, problems:", style="bold")
    for problem in problems:
        yield Text(f"  • {problem}", style="red")


# --- the class table -----------------------------------------------------------------


def _failed(report: GradeReport) -> list[str]:
    return [c.id for c in report.checks if c.status in ("fail", "error", "partial")]


def _data_title(reports: list[GradeReport]) -> Text:
    rubrics = dict.fromkeys(r.rubric.id for r in reports)
    sources = dict.fromkeys(
        f"{r.data.dataset} · source: {r.data.source} · fraction: {number(r.data.fraction)}"
        for r in reports
    )
    return Text(f"{', '.join(rubrics)} — {'; '.join(sources)}")


def _class_footer(reports: list[GradeReport]) -> Text:
    count = len(reports)
    mean = sum(r.score for r in reports) / count
    maxima = {r.max_score for r in reports}
    if len(maxima) == 1 and (top := maxima.pop()) > 0:
        score = f"mean score {number(mean)} / {number(top)} ({mean / top:.0%})"
    else:
        # Reports graded with different rubric versions only compare as percentages.
        ratios = [r.score / r.max_score for r in reports if r.max_score > 0]
        score = f"mean {sum(ratios) / len(ratios):.0%}" if ratios else "no points available"
    statuses = Counter(r.status for r in reports)
    by_status = ", ".join(f"{status} {n}" for status, n in sorted(statuses.items()))
    noun = "submission" if count == 1 else "submissions"
    return Text(f"{count} {noun} · {score} · {by_status}")


# --- compact values ------------------------------------------------------------------


def number(value: float) -> str:
    """A score or threshold without float noise: 7.5, 10, 0.85."""
    rounded = round(value, 4)
    if rounded.is_integer():
        return str(int(rounded))
    return f"{rounded:g}"


def compact(value: Any, limit: int = _VALUE_WIDTH) -> str:
    """A one-line form of an expected/measured JSON value, e.g. ``{min: 0.85}`` → ``≥ 0.85``."""
    text = _one_line(_compact(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _compact(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return f"{int(value):,}"
        return f"{value:.4g}"
    if isinstance(value, dict):
        return _compact_mapping(value)
    if isinstance(value, list | tuple):
        items = list(value)
        if items and all(isinstance(item, dict) and "type" in item for item in items):
            return " → ".join(_compact_mapping(item) for item in items)
        return "[" + ", ".join(_compact(item) for item in items) + "]"
    return str(value)


def _compact_mapping(value: dict[str, Any]) -> str:
    keys = set(value)
    if keys and keys <= {"min", "max"}:
        low, high = value.get("min"), value.get("max")
        if low is not None and high is not None:
            return _compact(low) if low == high else f"{_compact(low)}–{_compact(high)}"
        if low is not None:
            return f"≥ {_compact(low)}"
        if high is not None:
            return f"≤ {_compact(high)}"
    if "type" in value:
        # A layer: Dense(128, relu), the way students write it.
        args = [_compact(v) for k, v in value.items() if k != "type" and v is not None]
        return f"{value['type']}({', '.join(args)})" if args else str(value["type"])
    return ", ".join(f"{k}={_compact(v)}" for k, v in value.items())


def _fixed(value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value:+.4f}" if signed else f"{value:.4f}"


def _one_line(text: str, limit: int | None = _LINE_WIDTH) -> str:
    lines = text.strip().splitlines()
    first = lines[0].rstrip() if lines else ""
    if len(lines) > 1:
        # A traceback or a multi-line message would break the row; its first line names it.
        first += " …"
    if limit is not None and len(first) > limit:
        first = first[: limit - 1] + "…"
    return first
