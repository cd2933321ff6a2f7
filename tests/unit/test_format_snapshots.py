"""Golden snapshots of every output format, in both languages, from plain-data results.

The input is golden_reports.py's class (no kernels): full marks with curves holding a
NaN epoch, experiments and an override; a failing cell; a formula-and-ANSI attack name;
an invalid notebook; a timeout; a dead kernel.  Refresh with ``pytest
--update-snapshots`` and review the diff like code.  Inline PNG bytes are normalised
away: their presence matters, not matplotlib's pixels.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from golden_reports import REPORTS, golden_class
from rich.console import Console

from autograder.i18n import Language
from autograder.reports.canvas_csv import write_canvas_csv
from autograder.reports.console import render_class_table, render_submission
from autograder.reports.csv_report import write_csv_gradebook
from autograder.reports.github import error_annotations, step_summary
from autograder.reports.gradescope import write_gradescope
from autograder.reports.html import read_summary, render_dashboard, render_feedback
from autograder.reports.json_report import write_result, write_summary
from autograder.reports.junit import write_junit
from autograder.reports.markdown import summary_markdown
from autograder.reports.moodle_csv import write_moodle_csv
from autograder.results import GradeReport

Snapshot = Callable[[str, str], None]
LANGUAGES: list[Language] = ["en", "es"]
_PNG = re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+")
# C0/C1 controls but newline: none may survive from student text into any output.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def _html(text: str) -> str:
    return _PNG.sub("data:image/png;base64,<png>", text)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig")


def _inert(text: str) -> str:
    assert not _CONTROL.search(text.replace("\r\n", "\n")), "a control character got through"
    return text


def _console(lang: Language, report: GradeReport | None = None) -> str:
    console = Console(
        width=120, record=True, color_system=None, force_terminal=False, file=io.StringIO()
    )
    if report is None:
        render_class_table(golden_class().submissions, console, lang)
    else:
        render_submission(report, console, lang)
    return console.export_text()


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_result_json(name: str, tmp_path: Path, snapshot: Snapshot) -> None:
    report = REPORTS[name]()
    text = _read(write_result(tmp_path, report))
    assert GradeReport.model_validate_json(text) == report
    snapshot(f"formats/result_{name}.json", text)


def test_summary_json_round_trips_a_nan_epoch(tmp_path: Path) -> None:
    """The diverged epoch is null in the file and reads back, so `html OUT` still works."""
    path = write_summary(tmp_path, golden_class())
    assert "NaN" not in path.read_text(encoding="utf-8")
    summary = read_summary(tmp_path)
    assert summary == golden_class()
    curves = summary.submissions[0].curves
    assert curves is not None
    assert curves.student["loss"][1] is None
    for report in summary.submissions:
        for lang in LANGUAGES:
            assert render_feedback(report, lang).startswith("<!")


def test_file_exports(tmp_path: Path, snapshot: Snapshot) -> None:
    summary = golden_class()
    files = {
        "summary.json": write_summary(tmp_path, summary),
        "gradebook.csv": write_csv_gradebook(tmp_path, summary),
        "canvas-grades.csv": write_canvas_csv(tmp_path, summary, "Taller 3 (42)"),
        "moodle-grades.csv": write_moodle_csv(tmp_path, summary),
        "junit.xml": write_junit(tmp_path, summary),
    }
    for name, path in files.items():
        text = _read(path)
        if name.endswith(".csv"):
            _inert(text)
            assert not re.search(r'(^|,)"?=HYPERLINK', text, re.MULTILINE)
        snapshot(f"formats/{name}", text)
    gradescope = write_gradescope(tmp_path, summary)
    for result in sorted(gradescope.rglob("results.json")):
        folder = re.sub(r"[^A-Za-z0-9_-]+", "_", result.parent.name)
        snapshot(f"formats/gradescope_{folder}.json", _read(result))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_text_exports(lang: Language, snapshot: Snapshot) -> None:
    summary = golden_class()
    reports = summary.submissions
    snapshot(f"formats/summary_{lang}.md", _inert(summary_markdown(summary, lang)))
    github = step_summary(reports, lang, title="Taller 3")
    snapshot(f"formats/github_summary_{lang}.md", _inert(github))
    annotations = "\n".join(error_annotations(reports, lang))
    snapshot(f"formats/github_annotations_{lang}.txt", _inert(annotations))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_console(lang: Language, snapshot: Snapshot) -> None:
    pages = [_console(lang, REPORTS[name]()) for name in sorted(REPORTS)]
    text = "".join(pages) + _console(lang)
    snapshot(f"formats/console_{lang}.txt", _inert(text))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_html_pages(lang: Language, snapshot: Snapshot) -> None:
    for name in sorted(REPORTS):
        page = _html(render_feedback(REPORTS[name](), lang))
        snapshot(f"formats/feedback_{name}_{lang}.html", page)
    reports = golden_class().submissions
    links = {r.submission.id: f"{r.submission.id}/feedback.html" for r in reports}
    dashboard = render_dashboard(reports, lang, rubric="fashion-mnist", links=links)
    snapshot(f"formats/dashboard_{lang}.html", _html(dashboard))


def test_normalising_drops_only_the_png_bytes() -> None:
    page = render_feedback(REPORTS["full_marks"](), "en")
    assert _PNG.search(page), "the learning curves are embedded as PNG"
    stable = _html(page)
    assert "data:image/png;base64,<png>" in stable
    assert "iVBORw0KGgo" not in stable  # base64 of PNG's signature
    assert len(stable) > 1000
