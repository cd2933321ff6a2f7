"""The ``--format`` choices and the writer behind each (one module per format)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal, get_args

from autograder.errors import UsageError
from autograder.i18n import Language
from autograder.reports.canvas_csv import write_canvas_csv
from autograder.reports.csv_report import write_csv_gradebook
from autograder.reports.gradescope import write_gradescope
from autograder.reports.json_report import write_result, write_summary
from autograder.reports.junit import write_junit
from autograder.reports.markdown import write_markdown
from autograder.reports.moodle_csv import write_moodle_csv
from autograder.results import ClassSummary

ExportFormat = Literal[
    "console",
    "json",
    "csv",
    "canvas-csv",
    "moodle-csv",
    "gradescope",
    "junit",
    "markdown",
    "github",  # written by the CLI (stdout + $GITHUB_STEP_SUMMARY), see reports/github.py
]
FORMATS: tuple[str, ...] = get_args(ExportFormat)


def parse_formats(values: list[str]) -> list[str]:
    """``--format a,b --format c`` -> [a, b, c]; unknown names are a usage error."""
    chosen: list[str] = []
    for value in values:
        for name in (v.strip().lower() for v in value.split(",")):
            if not name:
                continue
            if name not in FORMATS:
                raise UsageError(f"unknown --format {name!r}; choose from {', '.join(FORMATS)}")
            if name not in chosen:
                chosen.append(name)
    return chosen


def _json(out_dir: Path, summary: ClassSummary, assignment: str, lang: Language) -> Path:
    for report in summary.submissions:
        write_result(out_dir, report)
    return write_summary(out_dir, summary)


# Each writer gets (out dir, summary, assignment name, language) and uses what it needs.
_WRITERS: dict[str, Callable[[Path, ClassSummary, str, Language], Path]] = {
    "json": _json,
    "csv": lambda out, summary, _, __: write_csv_gradebook(out, summary),
    "canvas-csv": lambda out, summary, assignment, _: write_canvas_csv(out, summary, assignment),
    "moodle-csv": lambda out, summary, _, __: write_moodle_csv(out, summary),
    "gradescope": lambda out, summary, _, __: write_gradescope(out, summary),
    "junit": lambda out, summary, _, __: write_junit(out, summary),
    "markdown": lambda out, summary, _, lang: write_markdown(out, summary, lang),
}


def write_exports(
    out_dir: Path,
    summary: ClassSummary,
    formats: list[str],
    assignment: str,
    lang: Language = "en",
) -> list[Path]:
    """Write each file format in ``formats`` (``console``, ``github``: the caller's)."""
    return [
        _WRITERS[name](out_dir, summary, assignment, lang) for name in formats if name in _WRITERS
    ]
