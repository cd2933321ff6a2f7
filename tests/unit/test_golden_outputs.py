"""Golden snapshots of every output format, rendered from one plain-data class.

Refresh after an intended change with ``pytest --update-snapshots`` and review the diff.
Volatile parts are normalised away before comparing: inline PNG bytes (they depend on
matplotlib's version and fonts) and the temporary output folder.
"""

from __future__ import annotations

import io
import json
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
from autograder.reports.gradescope import gradescope_results
from autograder.reports.html import render_dashboard, render_feedback
from autograder.reports.json_report import write_result, write_summary
from autograder.reports.junit import junit_xml
from autograder.reports.markdown import summary_markdown
from autograder.reports.moodle_csv import write_moodle_csv
from autograder.results import ClassSummary, GradeReport

Snapshot = Callable[[str, str], None]

_PNG = re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+")
# Control characters other than newline and tab must never survive into a snapshot.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _stable(text: str, *, tmp: Path | None = None) -> str:
    text = _PNG.sub("data:image/png;base64,<PNG>", text)
    if tmp is not None:
        text = text.replace(str(tmp), "<OUT>")
    return text


def _console(report: GradeReport | None, reports: list[GradeReport]) -> str:
    console = Console(
        width=120, record=True, color_system=None, force_terminal=False, file=io.StringIO()
    )
    if report is None:
        render_class_table(reports, console)
    else:
        render_submission(report, console)
    return console.export_text()


@pytest.mark.parametrize("name", list(REPORTS))
def test_result_json(name: str, tmp_path: Path, snapshot: Snapshot) -> None:
    path = write_result(tmp_path, REPORTS[name]())
    text = path.read_text(encoding="utf-8")
    assert GradeReport.model_validate_json(text) == REPORTS[name]()
    snapshot(f"golden/result_{name}.json", text)


def test_summary_json_round_trips(tmp_path: Path, snapshot: Snapshot) -> None:
    """The NaN epoch is null in the file, and the file reads back as the same class."""
    text = write_summary(tmp_path, golden_class()).read_text(encoding="utf-8")
    assert ClassSummary.model_validate_json(text) == golden_class()
    assert "NaN" not in text
    snapshot("golden/summary.json", text)


def test_junit(snapshot: Snapshot) -> None:
    snapshot("golden/junit.xml", junit_xml(golden_class()))


@pytest.mark.parametrize("name", list(REPORTS))
def test_gradescope(name: str, snapshot: Snapshot) -> None:
    text = json.dumps(gradescope_results(REPORTS[name]()), indent=2, ensure_ascii=False)
    snapshot(f"golden/gradescope_{name}.json", text)


@pytest.mark.parametrize("fmt", ["gradebook", "canvas", "moodle"])
def test_csv(fmt: str, tmp_path: Path, snapshot: Snapshot) -> None:
    summary = golden_class()
    if fmt == "gradebook":
        path = write_csv_gradebook(tmp_path, summary)
    elif fmt == "canvas":
        path = write_canvas_csv(tmp_path, summary, "Taller 3")
    else:
        path = write_moodle_csv(tmp_path, summary)
    raw = path.read_bytes()
    # Moodle and Canvas may choose their own encodings; decode the way each is written.
    text = raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("utf-8")
    assert not _CONTROL.search(text.replace("\r\n", "\n"))
    snapshot(f"golden/{fmt}.csv", text)


def test_markdown(snapshot: Snapshot) -> None:
    text = summary_markdown(golden_class())
    assert not _CONTROL.search(text)
    snapshot("golden/summary.md", text)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_github(lang: Language, snapshot: Snapshot) -> None:
    reports = golden_class().submissions
    annotations = error_annotations(reports, lang)
    summary = step_summary(reports, lang, title="Taller 3")
    text = "\n".join(annotations) + "\n--- step summary ---\n" + summary
    assert not _CONTROL.search(text)
    snapshot(f"golden/github_{lang}.txt", text)


@pytest.mark.parametrize("name", list(REPORTS))
def test_console(name: str, snapshot: Snapshot) -> None:
    text = _console(REPORTS[name](), [])
    assert not _CONTROL.search(text)
    snapshot(f"golden/console_{name}.txt", text)


def test_console_class_table(snapshot: Snapshot) -> None:
    snapshot("golden/console_class.txt", _console(None, golden_class().submissions))


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("name", list(REPORTS))
def test_html_feedback(name: str, lang: Language, snapshot: Snapshot) -> None:
    snapshot(f"golden/feedback_{name}_{lang}.html", _stable(render_feedback(REPORTS[name](), lang)))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_html_dashboard(lang: Language, snapshot: Snapshot) -> None:
    reports = golden_class().submissions
    links = {r.submission.id: f"{r.submission.id}/feedback.html" for r in reports}
    page = render_dashboard(reports, lang, rubric="fashion-mnist", links=links)
    snapshot(f"golden/dashboard_{lang}.html", _stable(page))


def test_normalising_keeps_the_page_but_not_the_png_bytes() -> None:
    page = render_feedback(REPORTS["full_marks"](), "en")
    assert _PNG.search(page), "the curves are embedded as PNG"
    stable = _stable(page)
    assert "data:image/png;base64,<PNG>" in stable
    assert "iVBORw0KGgo" not in stable  # the base64 of PNG's signature
    assert "Ana García" in stable or "ana-garcia" in stable
