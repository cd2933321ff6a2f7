"""Golden snapshots of every file format, from plain-data results (no kernels).

Refresh with ``pytest --update-snapshots`` and review the diff like code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from test_reports import REPORTS

from autograder.i18n import Language
from autograder.reports.canvas_csv import write_canvas_csv
from autograder.reports.csv_report import write_csv_gradebook
from autograder.reports.github import error_annotations, step_summary
from autograder.reports.gradescope import write_gradescope
from autograder.reports.html import render_dashboard, render_feedback
from autograder.reports.json_report import write_result, write_summary
from autograder.reports.junit import write_junit
from autograder.reports.markdown import summary_markdown
from autograder.reports.moodle_csv import write_moodle_csv
from autograder.results import ClassSummary, GradeReport

Snapshot = Callable[[str, str], None]
LANGUAGES: list[Language] = ["en", "es"]


def _reports() -> list[GradeReport]:
    # Student ids for the LMS layouts, which leave out rows without one.
    reports = []
    for number, make in enumerate(REPORTS.values(), start=101):
        report = make()
        info = report.submission.model_copy(
            update={"student_id": str(number), "display_name": report.submission.id}
        )
        reports.append(report.model_copy(update={"submission": info}))
    return reports


def _summary() -> ClassSummary:
    reports = _reports()
    return ClassSummary(rubric=reports[0].rubric, data=reports[0].data, submissions=reports)


def _html(text: str) -> str:
    # Plots are PNG bytes from matplotlib: their presence matters, not their pixels.
    return re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "data:image/png;base64,<png>", text)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_result_json(name: str, tmp_path: Path, snapshot: Snapshot) -> None:
    report = dict(zip(REPORTS, _reports(), strict=True))[name]
    snapshot(f"formats/result_{name}.json", _read(write_result(tmp_path, report)))


def test_file_exports(tmp_path: Path, snapshot: Snapshot) -> None:
    summary = _summary()
    files = {
        "summary.json": write_summary(tmp_path, summary),
        "gradebook.csv": write_csv_gradebook(tmp_path, summary),
        "canvas-grades.csv": write_canvas_csv(tmp_path, summary, "Taller 3 (42)"),
        "moodle-grades.csv": write_moodle_csv(tmp_path, summary),
        "junit.xml": write_junit(tmp_path, summary),
    }
    for name, path in files.items():
        snapshot(f"formats/{name}", _read(path))
    gradescope = write_gradescope(tmp_path, summary)
    for result in sorted(gradescope.rglob("results.json")):
        folder = re.sub(r"[^A-Za-z0-9_-]+", "_", result.parent.name)
        snapshot(f"formats/gradescope_{folder}.json", _read(result))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_text_exports(lang: Language, snapshot: Snapshot) -> None:
    summary = _summary()
    reports = summary.submissions
    snapshot(f"formats/summary_{lang}.md", summary_markdown(summary, lang))
    snapshot(f"formats/github_summary_{lang}.md", step_summary(reports, lang, title="Taller 3"))
    annotations = "\n".join(error_annotations(reports, lang))
    snapshot(f"formats/github_annotations_{lang}.txt", annotations)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_html_pages(lang: Language, snapshot: Snapshot) -> None:
    reports = _reports()
    feedback = render_feedback(reports[0], lang)
    snapshot(f"formats/feedback_{lang}.html", _html(feedback))
    links = {r.submission.id: f"{r.submission.id}/feedback.html" for r in reports}
    dashboard = render_dashboard(reports, lang, rubric="fashion-mnist", links=links)
    snapshot(f"formats/dashboard_{lang}.html", _html(dashboard))
