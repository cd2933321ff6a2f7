"""Terminal reports with Rich: one panel per submission, one table per class.

Everything a student wrote (ids, messages, exception values) is passed as
:class:`rich.text.Text`, never as markup, so ``[red]`` in a submission cannot
restyle the report and ``KeyError: ['acc']`` is printed as written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from autograder.environments import missing_module_args
from autograder.i18n import text
from autograder.reports import inert
from autograder.reports.experiments_table import experiments_table
from autograder.results import CheckStatus, GradeReport, SubmissionStatus

# An en dash marks "nothing here" (not measured, no points), distinct from a minus sign.
NOTHING = "\u2013"

CHECK_GLYPHS: dict[CheckStatus, tuple[str, str]] = {
    "pass": ("✔", "green"),
    "fail": ("✘", "red"),
    "partial": ("◐", "yellow"),
    "error": ("!", "bold magenta"),
    "skipped": (NOTHING, "dim"),
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

_VALUE_WIDTH = 60
# Expected/measured under a check have a line of their own, so they may be longer.
_DETAIL_WIDTH = 160
_LINE_WIDTH = 100
# Spaces between two columns.
_GAP = 2
# A message column narrower than this goes on its own line under each check instead.
_MIN_MESSAGE_WIDTH = 50
# Ids longer than these fold inside their column instead of widening it.
_MAX_CHECK_ID = 24
_MAX_SUBMISSION_ID = 28


def render_submission(report: GradeReport, console: Console) -> None:
    """Print one submission's checks, score, data source and execution problems."""
    report = inert.for_terminal(report)
    parts: list[RenderableType] = []
    if report.status != "graded" or report.message:
        label = _NOT_GRADED_LABELS[report.status]
        text = report.message or "no further details were recorded"
        parts.append(Text(f"⚠ {label}: {text}", style=SUBMISSION_STYLES[report.status]))
        parts.append(Text(""))
    if report.checks:
        parts.append(_checks(report))
    else:
        parts.append(Text("No checks were run.", style="dim"))
    parts.append(Text(""))
    parts.append(_summary(report))
    if report.experiments:
        parts.extend([Text(""), experiments_table(report.experiments)])
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
    reports = [inert.for_terminal(report) for report in reports]
    if not reports:
        console.print(Text("No submissions.", style="dim"))
        return
    columns = (
        _Column("Submission", cap=_MAX_SUBMISSION_ID),
        _Column("Status"),
        _Column("Score", justify="right"),
        _Column("Test acc", justify="right"),
        _Column("Train acc", justify="right"),
        _Column("Gap", justify="right"),
        _Column("Params", justify="right"),
    )
    rows: list[_Row] = []
    for report in reports:
        metrics = report.metrics
        params = (
            metrics.total_params if metrics.total_params is not None else metrics.trainable_params
        )
        failed = ", ".join(_failed(report))
        below: list[RenderableType] = []
        if failed:
            below.append(Text.assemble(("failed checks: ", "dim"), failed))
        cells = (
            Text(report.submission.id),
            Text(report.status, style=SUBMISSION_STYLES[report.status]),
            Text(f"{number(report.score)}/{number(report.max_score)}"),
            Text(_fixed(metrics.test_accuracy)),
            Text(_fixed(metrics.train_accuracy)),
            Text(_fixed(metrics.overfitting_gap, signed=True)),
            Text(compact(params)),
        )
        rows.append(_Row(cells, inline=Text(failed or NOTHING), below=tuple(below)))
    longest_failed = max((len(c) for r in reports for c in _failed(r)), default=0)
    console.print(_data_title(reports))
    console.print()
    console.print(
        _Rows(
            columns,
            rows,
            last_header="Failed checks",
            # Failed checks wrap after a comma, never inside a check id.
            min_inline=max(20, longest_failed + 2),
            indent=2,
            expand=False,
        )
    )
    console.print()
    console.print(_class_footer(reports))


# --- rows of fixed columns with a flexible last column --------------------------------


@dataclass(frozen=True)
class _Column:
    header: str
    justify: Literal["left", "right"] = "left"
    # A wider cell folds over several lines instead of widening the column.
    cap: int | None = None


@dataclass(frozen=True)
class _Row:
    cells: tuple[Text, ...]
    # The last column where it is wide enough, else ``below``, one line each under the row.
    inline: RenderableType
    below: tuple[RenderableType, ...]


class _Rows:
    """Narrow columns that never wrap, then one wide column of free text.

    Rich squeezes a too-narrow free-text column to a character per line. Here the
    fixed columns are as wide as their longest cell; the free text gets what is left
    if that is at least ``min_inline`` cells, or else moves to its own full-width
    lines under each row, indented by ``indent`` (``None``: under the second column).
    """

    def __init__(
        self,
        columns: tuple[_Column, ...],
        rows: list[_Row],
        *,
        last_header: str,
        min_inline: int,
        indent: int | None = None,
        expand: bool = True,
    ) -> None:
        self.columns = columns
        self.rows = rows
        self.last_header = last_header
        self.min_inline = min_inline
        self.indent = indent
        self.expand = expand

    def _widths(self, width: int) -> list[int]:
        widths = []
        for index, column in enumerate(self.columns):
            cells = [cell_len(column.header)] + [row.cells[index].cell_len for row in self.rows]
            natural = max(cells)
            widths.append(natural if column.cap is None else min(natural, column.cap))
        excess = sum(widths) + _GAP * (len(widths) - 1) - width
        for index, column in enumerate(self.columns):
            if excess > 0 and column.cap is not None:
                # Too narrow even for the fixed columns: long ids fold first.
                reduced = max(8, widths[index] - excess)
                excess -= widths[index] - reduced
                widths[index] = reduced
        return widths

    def _grid(self, widths: list[int], cells: Iterable[RenderableType]) -> Table:
        grid = Table.grid(padding=(0, _GAP, 0, 0))
        for column, column_width in zip(self.columns, widths, strict=False):
            grid.add_column(justify=column.justify, width=column_width, overflow="fold")
        if len(widths) > len(self.columns):
            grid.add_column(width=widths[-1], overflow="fold")
        grid.add_row(*cells)
        return grid

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        widths = self._widths(width)
        fixed = sum(widths) + _GAP * len(widths)
        available = width - fixed
        inline = available >= self.min_inline
        headers = [Text(column.header, style="bold") for column in self.columns]
        if inline:
            natural = max(
                [cell_len(self.last_header)]
                + [Measurement.get(console, options, row.inline).maximum for row in self.rows]
            )
            last = available if self.expand else min(available, natural)
            widths = [*widths, last]
            headers.append(Text(self.last_header, style="bold"))
            rule = width if self.expand else fixed + last
        else:
            rule = width if self.expand else fixed - _GAP
        yield self._grid(widths, headers)
        yield Text("─" * min(rule, width), style="dim")
        indent = widths[0] + _GAP if self.indent is None else self.indent
        for row in self.rows:
            if inline:
                yield self._grid(widths, [*row.cells, row.inline])
                continue
            yield self._grid(widths, row.cells)
            for line in row.below:
                yield Padding(line, (0, 0, 0, indent), expand=False)


class _ExpectedMeasured:
    """``expected … · measured …`` on one line where it fits, else one line each."""

    def __init__(self, expected: str, measured: str) -> None:
        self.lines = (f"expected {expected}", f"measured {measured}")
        self.one_line = " · ".join(self.lines)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(min(cell_len(self.one_line), 20), cell_len(self.one_line))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if cell_len(self.one_line) <= options.max_width:
            yield Text(self.one_line, style="dim")
        else:
            for line in self.lines:
                yield Text(line, style="dim")


# --- one submission ------------------------------------------------------------------


def _checks(report: GradeReport) -> _Rows:
    columns = (
        _Column(""),
        _Column("Check", cap=_MAX_CHECK_ID),
        _Column("Points", justify="right"),
    )
    rows: list[_Row] = []
    for check in report.checks:
        glyph, style = CHECK_GLYPHS[check.status]
        points = (
            NOTHING
            if check.status == "skipped"
            else f"{number(check.points)}/{number(check.max_points)}"
        )
        details: list[RenderableType] = [Text(_one_line(check.message, limit=None))]
        if check.expected is not None or check.measured is not None:
            details.append(
                _ExpectedMeasured(
                    compact(check.expected, _DETAIL_WIDTH), compact(check.measured, _DETAIL_WIDTH)
                )
            )
        rows.append(
            _Row(
                (Text(f"{glyph} {check.status}", style=style), Text(check.id), Text(points)),
                inline=Group(*details),
                below=tuple(details),
            )
        )
    return _Rows(columns, rows, last_header="Message", min_inline=_MIN_MESSAGE_WIDTH)


def _summary(report: GradeReport) -> Table:
    """Labelled lines; a long value wraps under itself, not under its label."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column()
    percent = f" ({report.score / report.max_score:.0%})" if report.max_score > 0 else ""
    grid.add_row(
        "Score:",
        Text.assemble((f"{number(report.score)} / {number(report.max_score)}", "bold"), percent),
    )
    data = report.data
    grid.add_row(
        "Data:",
        Text(f"{data.dataset} · source: {data.source} · fraction: {number(data.fraction, 4)}"),
    )
    measured = _metrics_phrase(report)
    if measured:
        grid.add_row("Measured:", Text(measured))
    if report.reference is not None:
        grid.add_row("Reference:", Text(_reference_phrase(report)))
    if report.graded_model:
        grid.add_row("Model:", Text(_one_line(report.graded_model)))
    execution = _execution(report)
    if execution is not None:
        grid.add_row("Execution:", execution)
    sandbox = _protections(report)
    if sandbox is not None:
        grid.add_row("Sandbox:", sandbox)
    environment = report.execution.environment if report.execution is not None else None
    if environment is not None and environment.name == "rubric":  # the default goes unsaid
        added = ", ".join(environment.installed) or "nothing over the default"
        built = "" if environment.from_cache else " (built for this run)"
        grid.add_row("Environment:", Text(f"{environment.key}: {added}{built}"))
    return grid


def _protections(report: GradeReport) -> Text | None:
    """Active layers by name; unavailable ones in red with the reason."""
    layers = report.execution.protections if report.execution is not None else []
    if not layers:
        return None
    text = Text(", ".join(p.name for p in layers if p.active))
    for gap in (p for p in layers if not p.active):
        text.append(f"; no {gap.name}: {_one_line(gap.detail)}", style="red")
    return text


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


def _reference_phrase(report: GradeReport) -> str:
    ref = report.reference
    if ref is None:
        return ""
    parts = [
        f"{label} {_fixed(value, signed=signed)}"
        for label, value, signed in (
            ("test acc", ref.test_accuracy, False),
            ("train acc", ref.train_accuracy, False),
            ("gap", ref.overfitting_gap, True),
        )
        if value is not None
    ]
    return " · ".join(parts) or "no measurement"


def _execution(report: GradeReport) -> RenderableType | None:
    execution = report.execution
    if execution is None:
        return None
    problems: list[str] = []
    for error in execution.errors:
        missing = missing_module_args(error)
        if missing:  # the fix is the instructor's: say which package the rubric needs
            problems.append(text("report.missing_module", "en", **missing))
            continue
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
    duration = f"{execution.duration_s:.1f} s"
    if not problems:
        return Text(f"{duration}, no problems")
    bullets = Table.grid(padding=(0, 1, 0, 0))
    bullets.add_column(no_wrap=True)
    bullets.add_column(style="red")
    for problem in problems:
        bullets.add_row("•", Text(problem))
    return Group(Text(f"{duration}, problems:", style="bold"), bullets)


# --- the class table -----------------------------------------------------------------


def _failed(report: GradeReport) -> list[str]:
    return [c.id for c in report.checks if c.status in ("fail", "error", "partial")]


def _data_title(reports: list[GradeReport]) -> Text:
    rubrics = dict.fromkeys(r.rubric.id for r in reports)
    sources = dict.fromkeys(
        f"{r.data.dataset} · source: {r.data.source} · fraction: {number(r.data.fraction, 4)}"
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


def number(value: float, decimals: int = 2) -> str:
    """Points without float noise, at most ``decimals`` places: 7.5, 10, 1.33."""
    rounded = round(float(value), decimals)
    if rounded.is_integer():
        return str(int(rounded))
    return f"{rounded:.{decimals}f}".rstrip("0")


def compact(value: Any, limit: int = _VALUE_WIDTH) -> str:
    """A one-line form of an expected/measured JSON value, e.g. ``{min: 0.85}`` → ``≥ 0.85``."""
    text = _one_line(_compact(value), limit=None)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _compact(value: Any) -> str:
    if isinstance(value, dict):
        return _compact_mapping(value)
    if isinstance(value, list | tuple):
        items = list(value)
        if items and all(isinstance(item, dict) and "type" in item for item in items):
            return " → ".join(_compact_mapping(item) for item in items)
        return "[" + ", ".join(_compact(item) for item in items) + "]"
    return _compact_scalar(value)


def _compact_scalar(value: Any) -> str:
    if value is None:
        return NOTHING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _compact_mapping(value: dict[str, Any]) -> str:
    keys = set(value)
    if keys and keys <= {"min", "max"}:
        low, high = value.get("min"), value.get("max")
        if low is not None and high is not None:
            return _compact(low) if low == high else f"{_compact(low)}{NOTHING}{_compact(high)}"
        if low is not None:
            return f"≥ {_compact(low)}"
        if high is not None:
            return f"≤ {_compact(high)}"
    if "type" in value:
        # A layer: Dense(128, relu), the way students write it.
        # Shapes are too long for a table cell; the architecture diff in details has them.
        args = [
            _compact(v)
            for k, v in value.items()
            if k != "type" and v is not None and not isinstance(v, dict | list)
        ]
        return f"{value['type']}({', '.join(args)})" if args else str(value["type"])
    return ", ".join(f"{k}={_compact(v)}" for k, v in value.items())


def _fixed(value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return NOTHING
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
