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
from autograder.i18n import Language, localized, numeral, text
from autograder.reports import inert
from autograder.reports.experiments_table import experiments_table
from autograder.results import CellError, CheckStatus, GradeReport, SubmissionStatus

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


def render_submission(report: GradeReport, console: Console, lang: Language = "en") -> None:
    """Print one submission's checks, score, data source and execution problems."""
    report = inert.for_terminal(report)
    parts: list[RenderableType] = []
    if report.status != "graded" or report.message:
        label = text(f"console.label.{report.status}", lang)
        said = report.message or text("console.no_details", lang)
        parts.append(Text(f"⚠ {label}: {said}", style=SUBMISSION_STYLES[report.status]))
        parts.append(Text(""))
    if report.checks:
        parts.append(_checks(report, lang))
    else:
        parts.append(Text(text("console.no_checks", lang), style="dim"))
    parts.append(Text(""))
    parts.append(_summary(report, lang))
    if report.integrity:
        parts.extend([Text(""), _integrity(report, lang)])
    if report.experiments:
        parts.extend([Text(""), experiments_table(report.experiments)])
    title = Text.assemble(
        (report.submission.id, "bold"),
        " · ",
        (text(f"submission_status.{report.status}", lang), SUBMISSION_STYLES[report.status]),
    )
    console.print(
        Panel(
            Group(*parts),
            title=title,
            title_align="left",
            border_style=SUBMISSION_STYLES[report.status],
        )
    )


def render_class_table(reports: list[GradeReport], console: Console, lang: Language = "en") -> None:
    """Print one row per submission and a footer with the mean score."""
    reports = [inert.for_terminal(report) for report in reports]
    if not reports:
        console.print(Text(text("console.no_submissions", lang), style="dim"))
        return
    columns = (
        _Column(text("console.col.submission", lang), cap=_MAX_SUBMISSION_ID),
        _Column(text("console.col.status", lang)),
        _Column(text("console.col.score", lang), justify="right"),
        _Column(text("console.col.test_acc", lang), justify="right"),
        _Column(text("console.col.train_acc", lang), justify="right"),
        _Column(text("console.col.gap", lang), justify="right"),
        _Column(text("console.col.params", lang), justify="right"),
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
            below.append(Text.assemble((text("console.failed_prefix", lang), "dim"), failed))
        cells = (
            Text(report.submission.id),
            Text(
                text(f"submission_status.{report.status}", lang),
                style=SUBMISSION_STYLES[report.status],
            ),
            Text(f"{number(report.score, lang=lang)}/{number(report.max_score, lang=lang)}"),
            Text(_fixed(metrics.test_accuracy, lang)),
            Text(_fixed(metrics.train_accuracy, lang)),
            Text(_fixed(metrics.overfitting_gap, lang, signed=True)),
            Text(compact(params, lang=lang)),
        )
        rows.append(_Row(cells, inline=Text(failed or NOTHING), below=tuple(below)))
    longest_failed = max((len(c) for r in reports for c in _failed(r)), default=0)
    console.print(_data_title(reports, lang))
    console.print()
    console.print(
        _Rows(
            columns,
            rows,
            last_header=text("console.col.failed", lang),
            # Failed checks wrap after a comma, never inside a check id.
            min_inline=max(20, longest_failed + 2),
            indent=2,
            expand=False,
        )
    )
    console.print()
    console.print(_class_footer(reports, lang))


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

    def __init__(self, expected: str, measured: str, lang: Language) -> None:
        self.lines = (
            text("console.expected", lang, value=expected),
            text("console.measured_value", lang, value=measured),
        )
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


def _checks(report: GradeReport, lang: Language) -> _Rows:
    columns = (
        _Column(""),
        _Column(text("console.col.check", lang), cap=_MAX_CHECK_ID),
        _Column(text("console.col.points", lang), justify="right"),
    )
    rows: list[_Row] = []
    for check in report.checks:
        glyph, style = CHECK_GLYPHS[check.status]
        points = (
            NOTHING
            if check.status == "skipped"
            else f"{number(check.points, lang=lang)}/{number(check.max_points, lang=lang)}"
        )
        said = _one_line(localized(check, lang), limit=None)
        details: list[RenderableType] = [Text(said)]
        if check.expected is not None or check.measured is not None:
            details.append(
                _ExpectedMeasured(
                    compact(check.expected, _DETAIL_WIDTH, lang),
                    compact(check.measured, _DETAIL_WIDTH, lang),
                    lang,
                )
            )
        status = text(f"status.{check.status}", lang)
        rows.append(
            _Row(
                (Text(f"{glyph} {status}", style=style), Text(check.id), Text(points)),
                inline=Group(*details),
                below=tuple(details),
            )
        )
    return _Rows(
        columns,
        rows,
        last_header=text("console.col.message", lang),
        min_inline=_MIN_MESSAGE_WIDTH,
    )


def _summary(report: GradeReport, lang: Language) -> Table:
    """Labelled lines; a long value wraps under itself, not under its label."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column()
    percent = (
        " " + text("console.percent", lang, percent=round(100 * report.score / report.max_score))
        if report.max_score > 0
        else ""
    )
    score = f"{number(report.score, lang=lang)} / {number(report.max_score, lang=lang)}"
    grid.add_row(text("console.score", lang), Text.assemble((score, "bold"), percent))
    grid.add_row(text("console.data", lang), Text(_data_line(report, lang)))
    measured = _metrics_phrase(report, lang)
    if measured:
        grid.add_row(text("console.measured", lang), Text(measured))
    if report.reference is not None:
        grid.add_row(text("console.reference", lang), Text(_reference_phrase(report, lang)))
    if report.graded_model:
        grid.add_row(text("console.model", lang), Text(_one_line(report.graded_model)))
    execution = _execution(report, lang)
    if execution is not None:
        grid.add_row(text("console.execution", lang), execution)
    sandbox = _protections(report, lang)
    if sandbox is not None:
        grid.add_row(text("console.sandbox", lang), sandbox)
    device = report.execution.device if report.execution is not None else "cpu"
    if device != "cpu":  # like the default environment, CPU goes unsaid
        grid.add_row(text("console.device", lang), Text(_one_line(device)))
    environment = report.execution.environment if report.execution is not None else None
    if environment is not None and environment.name == "rubric":  # the default goes unsaid
        added = ", ".join(environment.installed) or text("console.env_default", lang)
        built = "" if environment.from_cache else text("console.env_built", lang)
        grid.add_row(text("console.environment", lang), Text(f"{environment.key}: {added}{built}"))
    return grid


def _integrity(report: GradeReport, lang: Language) -> Text:
    """Integrity flags (a minimal hook; styling is the reports' owner's): sentence, evidence."""
    lines = Text(text("integrity.heading", lang) + ":", style="bold yellow")
    for flag in report.integrity:
        evidence = ", ".join(f"{k}={_one_line(str(v), 60)}" for k, v in flag.evidence.items())
        lines.append(f"\n  ⚑ {text(f'integrity.{flag.code}', lang)}", style="yellow")
        if evidence:
            lines.append(f" ({evidence})", style="dim")
    return lines


def _data_line(report: GradeReport, lang: Language) -> str:
    data = report.data
    fraction = number(data.fraction, 4, lang=lang)
    return text(
        "console.data_line", lang, dataset=data.dataset, source=data.source, fraction=fraction
    )


def _protections(report: GradeReport, lang: Language) -> Text | None:
    """Active layers by name; unavailable ones in red with the reason."""
    layers = report.execution.protections if report.execution is not None else []
    if not layers:
        return None
    shown = Text(", ".join(p.name for p in layers if p.active))
    for gap in (p for p in layers if not p.active):
        missing = text("console.layer_missing", lang, name=gap.name, detail=_one_line(gap.detail))
        shown.append(missing, style="red")
    return shown


def _metrics_phrase(report: GradeReport, lang: Language) -> str:
    m = report.metrics
    parts = []
    if m.test_accuracy is not None:
        parts.append(text("console.test_acc", lang, value=_fixed(m.test_accuracy, lang)))
    if m.train_accuracy is not None:
        parts.append(text("console.train_acc", lang, value=_fixed(m.train_accuracy, lang)))
    if m.overfitting_gap is not None:
        gap = _fixed(m.overfitting_gap, lang, signed=True)
        parts.append(text("console.gap", lang, value=gap))
    if m.total_params is not None or m.trainable_params is not None:
        trainable, total = (
            compact(m.trainable_params, lang=lang),
            compact(m.total_params, lang=lang),
        )
        parts.append(text("console.params", lang, trainable=trainable, total=total))
    return " · ".join(parts)


def _reference_phrase(report: GradeReport, lang: Language) -> str:
    ref = report.reference
    if ref is None:
        return ""
    parts = [
        text(key, lang, value=_fixed(value, lang, signed=signed))
        for key, value, signed in (
            ("console.test_acc", ref.test_accuracy, False),
            ("console.train_acc", ref.train_accuracy, False),
            ("console.gap", ref.overfitting_gap, True),
        )
        if value is not None
    ]
    return " · ".join(parts) or text("console.no_measurement", lang)


def _cell_error(error: CellError, lang: Language) -> str:
    line = text(
        "console.cell_error",
        lang,
        cell=error.cell,
        ename=error.ename,
        evalue=_one_line(error.evalue),
    )
    if error.file:  # a submission of several files: say whose cell
        line = f"{_one_line(error.file)}: {line}"
    if error.excerpt:
        line += text("console.excerpt", lang, excerpt=_one_line(error.excerpt))
    return line


def _execution(report: GradeReport, lang: Language) -> RenderableType | None:
    execution = report.execution
    if execution is None:
        return None
    problems: list[str] = []
    for error in execution.errors:
        missing = missing_module_args(error)
        if missing:  # the fix is the instructor's: say which package the rubric needs
            problems.append(text("report.missing_module", lang, **missing))
            continue
        problems.append(_cell_error(error, lang))
    if execution.timed_out:
        problems.append(text("console.timed_out", lang))
    if execution.kernel_died:
        problems.append(text("console.kernel_died", lang))
    problems.extend(
        text("console.skipped_cell", lang, cell=skipped.cell, reason=skipped.reason)
        for skipped in execution.skipped_cells
    )
    if execution.message and execution.message != report.message:
        problems.append(_one_line(execution.message))
    duration = numeral(f"{execution.duration_s:.1f}", lang)
    if not problems:
        return Text(text("console.no_problems", lang, duration=duration))
    bullets = Table.grid(padding=(0, 1, 0, 0))
    bullets.add_column(no_wrap=True)
    bullets.add_column(style="red")
    for problem in problems:
        bullets.add_row("•", Text(problem))
    return Group(Text(text("console.problems", lang, duration=duration), style="bold"), bullets)


# --- the class table -----------------------------------------------------------------


def _failed(report: GradeReport) -> list[str]:
    return [c.id for c in report.checks if c.status in ("fail", "error", "partial")]


def _data_title(reports: list[GradeReport], lang: Language) -> Text:
    rubrics = dict.fromkeys(r.rubric.id for r in reports)
    sources = dict.fromkeys(_data_line(r, lang) for r in reports)
    return Text(f"{', '.join(rubrics)} — {'; '.join(sources)}")


def _class_footer(reports: list[GradeReport], lang: Language) -> Text:
    count = len(reports)
    mean = sum(r.score for r in reports) / count
    maxima = {r.max_score for r in reports}
    if len(maxima) == 1 and (top := maxima.pop()) > 0:
        score = text(
            "console.mean_score",
            lang,
            mean=number(mean, lang=lang),
            top=number(top, lang=lang),
            percent=round(100 * mean / top),
        )
    else:
        # Reports graded with different rubric versions only compare as percentages.
        ratios = [r.score / r.max_score for r in reports if r.max_score > 0]
        score = (
            text("console.mean_percent", lang, percent=round(100 * sum(ratios) / len(ratios)))
            if ratios
            else text("console.no_points", lang)
        )
    statuses = Counter(r.status for r in reports)
    by_status = ", ".join(f"{status} {n}" for status, n in sorted(statuses.items()))
    key = "console.submissions.one" if count == 1 else "console.submissions.many"
    return Text(f"{text(key, lang, count=count)} · {score} · {by_status}")


# --- compact values ------------------------------------------------------------------


def number(value: float, decimals: int = 2, *, lang: Language = "en") -> str:
    """Points without float noise, at most ``decimals`` places: 7.5, 10, 1.33 (es: 1,33)."""
    rounded = round(float(value), decimals)
    if rounded.is_integer():
        return str(int(rounded))
    return numeral(f"{rounded:.{decimals}f}".rstrip("0"), lang)


def compact(value: Any, limit: int = _VALUE_WIDTH, lang: Language = "en") -> str:
    """A one-line form of an expected/measured JSON value, e.g. ``{min: 0.85}`` → ``≥ 0.85``."""
    shown = _one_line(_compact(value, lang), limit=None)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _compact(value: Any, lang: Language) -> str:
    if isinstance(value, dict):
        return _compact_mapping(value, lang)
    if isinstance(value, list | tuple):
        items = list(value)
        if items and all(isinstance(item, dict) and "type" in item for item in items):
            return " → ".join(_compact_mapping(item, lang) for item in items)
        return "[" + ", ".join(_compact(item, lang) for item in items) + "]"
    return _compact_scalar(value, lang)


def _compact_scalar(value: Any, lang: Language) -> str:
    if value is None:
        return NOTHING
    if isinstance(value, bool):
        return text("console.yes" if value else "console.no", lang)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, int):
        return numeral(f"{value:,}", lang)
    if isinstance(value, float):
        return numeral(f"{value:.4g}", lang)
    return str(value)


def _compact_mapping(value: dict[str, Any], lang: Language) -> str:
    keys = set(value)
    if keys and keys <= {"min", "max"}:
        low, high = value.get("min"), value.get("max")
        if low is not None and high is not None:
            if low == high:
                return _compact(low, lang)
            return f"{_compact(low, lang)}{NOTHING}{_compact(high, lang)}"
        if low is not None:
            return f"≥ {_compact(low, lang)}"
        if high is not None:
            return f"≤ {_compact(high, lang)}"
    if "type" in value:
        # A layer: Dense(128, relu), the way students write it.
        # Shapes are too long for a table cell; the architecture diff in details has them.
        args = [
            _compact(v, lang)
            for k, v in value.items()
            if k != "type" and v is not None and not isinstance(v, dict | list)
        ]
        return f"{value['type']}({', '.join(args)})" if args else str(value["type"])
    return ", ".join(f"{k}={_compact(v, lang)}" for k, v in value.items())


def _fixed(value: float | None, lang: Language = "en", *, signed: bool = False) -> str:
    if value is None:
        return NOTHING
    return numeral(f"{value:+.4f}" if signed else f"{value:.4f}", lang)


def _one_line(text: str, limit: int | None = _LINE_WIDTH) -> str:
    lines = text.strip().splitlines()
    first = lines[0].rstrip() if lines else ""
    if len(lines) > 1:
        # A traceback or a multi-line message would break the row; its first line names it.
        first += " …"
    if limit is not None and len(first) > limit:
        first = first[: limit - 1] + "…"
    return first
