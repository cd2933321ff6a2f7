"""Student text is inert in every output: terminal, Markdown, CSV, GitHub, HTML after a NaN."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from pathlib import Path

import pytest
from batch_fakes import report_for
from rich.console import Console

from autograder.cli import main
from autograder.reports import inert
from autograder.reports.canvas_csv import write_canvas_csv
from autograder.reports.console import render_class_table, render_submission
from autograder.reports.csv_report import write_csv_gradebook
from autograder.reports.github import error_annotations, step_summary
from autograder.reports.json_report import write_summary
from autograder.reports.markdown import summary_markdown
from autograder.reports.moodle_csv import write_moodle_csv
from autograder.reports.student import render_self_check
from autograder.results import (
    CellError,
    ClassSummary,
    ExecutionSummary,
    GradeReport,
    LearningCurves,
)
from autograder.submissions import Submission

# One named string per attack; each is what a student controls (a file name, an
# exception's text, a cell).
ATTACKS = {
    "clear_screen_fake_score": "\x1b[2J\x1b[H\x1b[1;32mScore: 10 / 10\x1b[0m",
    "osc_hyperlink": "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",
    "window_title": "\x1b]0;pwned\x07",
    "c1_csi": "\x9b31mred",
    "backspace_overwrite": "0/10\x08\x08\x08\x0810/10",
    "bidi_override": "resultado\u202egnp.exe",
    "markdown_link": "[full marks](https://evil.example)",
    "markdown_image": "![x](https://evil.example/track.png)",
    "html_tag": "<img src=x onerror=alert(1)>",
    "table_break": "a | b |\n| injected | row |",
    "formula_hyperlink": '=HYPERLINK("https://evil.example","ver nota")',
    "formula_plus": "+cmd|' /C calc'!A0",
    "formula_minus": "-2+3",
    "formula_at": "@SUM(1+1)",
    "formula_tab": "\t=1+1",
    "workflow_newline": "ok\n::error file=x::fake",
}
_RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _hostile(tmp_path: Path, name: str, text: str) -> GradeReport:
    sub = Submission(id=text, path=tmp_path / f"{name}.ipynb", student_id="4242", display_name=text)
    report = report_for(sub, points=0.0, status="error")
    error = CellError(cell=3, ename=text, evalue=text, excerpt=text)
    execution = ExecutionSummary(duration_s=1.0, errors=[error], message=text)
    return report.model_copy(
        update={
            "message": text,
            "graded_model": text,
            "execution": execution,
            "submission": report.submission.model_copy(update={"display_name": text}),
        }
    )


def _console_text(draw: object, *args: object) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, color_system="truecolor", width=200)
    draw(*args, console)  # type: ignore[operator]
    return buffer.getvalue()


def _without_our_styles(rendered: str) -> str:
    # Rich's own SGR codes are ours; anything else that looks like an escape is not.
    return re.sub(r"\x1b\[[0-9;]*m", "", rendered)


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_terminal_output_carries_no_student_escape(tmp_path: Path, name: str) -> None:
    report = _hostile(tmp_path, name, ATTACKS[name])
    for rendered in (
        _console_text(render_submission, report),
        _console_text(render_class_table, [report]),
        _console_text(
            lambda r, c: render_self_check(
                r, c, lang="es", title="t", hidden=0, quick_epochs=None, failed=[]
            ),
            report,
        ),
    ):
        plain = _without_our_styles(rendered)
        assert not _RAW_CONTROL.search(plain.replace("\n", "").replace("\t", "")), repr(plain)
        assert "\x1b" not in plain


def test_fake_score_text_survives_only_as_plain_text() -> None:
    cleaned = inert.terminal(ATTACKS["clear_screen_fake_score"])
    assert cleaned == "Score: 10 / 10"
    assert inert.terminal(ATTACKS["backspace_overwrite"]) == "0/1010/10"


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_markdown_shows_student_text_literally(tmp_path: Path, name: str) -> None:
    report = _hostile(tmp_path, name, ATTACKS[name])
    summary = ClassSummary(rubric=report.rubric, data=report.data, submissions=[report])
    for rendered in (summary_markdown(summary), step_summary([report], "es", title="t")):
        assert "<img" not in rendered
        assert "](https://" not in rendered.replace("\\](https://", "")
        assert "\n| injected | row |" not in rendered
        assert not _RAW_CONTROL.search(rendered.replace("\n", ""))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[x](y)", "\\[x\\](y)"),
        ("<b>", "&lt;b&gt;"),
        ("a|b", "a\\|b"),
        ("*bold* _it_", "\\*bold\\* \\_it\\_"),
        ("María (tarde)", "María (tarde)"),
        ("línea 1\nlínea 2", "línea 1 línea 2"),
    ],
)
def test_markdown_escaping(text: str, expected: str) -> None:
    assert inert.markdown(text) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("u","t")', '\'=HYPERLINK("u","t")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("-0.0312", "-0.0312"),
        ("+5", "+5"),
        ("María Núñez", "María Núñez"),
    ],
)
def test_csv_cells_never_start_a_formula(cell: str, expected: str) -> None:
    assert inert.csv_cell(cell) == expected


def _cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


@pytest.mark.parametrize("name", [n for n in sorted(ATTACKS) if n.startswith("formula")])
def test_every_csv_export_neutralises_formulas(tmp_path: Path, name: str) -> None:
    report = _hostile(tmp_path, name, ATTACKS[name])
    summary = ClassSummary(rubric=report.rubric, data=report.data, submissions=[report])
    paths = [
        write_csv_gradebook(tmp_path, summary),
        write_canvas_csv(tmp_path, summary, "Taller 3"),
        write_moodle_csv(tmp_path, summary),
    ]
    for path in paths:
        for cell in _cells(path):
            assert not cell.startswith(("=", "+", "@", "\t", "\r")) or cell == "+5", (path, cell)
            if cell.startswith("-"):
                float(cell)  # only a plain negative number may start with a minus


def test_workflow_commands_cannot_be_forged(tmp_path: Path) -> None:
    report = _hostile(tmp_path, "workflow", ATTACKS["workflow_newline"])
    lines = error_annotations([report], "en")
    assert all(line.startswith("::error ") for line in lines)
    assert all("\n" not in line for line in lines)
    # The forged command is data of the real one: its line break is encoded away.
    assert any("ok%0A::error file=x::fake" in line for line in lines)


def test_a_nan_in_a_history_round_trips_and_every_report_renders(tmp_path: Path) -> None:
    sub = Submission(id="nan_historia", path=tmp_path / "nan_historia.ipynb")
    report = report_for(sub)
    curves = LearningCurves(
        student={"loss": [0.9, math.nan, math.inf], "accuracy": [0.5, 0.6, 0.7]}
    )
    report = report.model_copy(update={"curves": curves})
    summary = ClassSummary(rubric=report.rubric, data=report.data, submissions=[report])
    out = tmp_path / "out"
    write_summary(out, summary)
    reread = ClassSummary.model_validate(json.loads((out / "summary.json").read_text("utf-8")))
    reread_curves = reread.submissions[0].curves
    assert reread_curves is not None
    assert reread_curves.student["loss"] == [0.9, None, None]
    assert main(["html", str(out), "--lang", "es"]) == 0
    assert (out / "dashboard.html").is_file()
    assert summary_markdown(reread)
    assert _console_text(render_submission, reread.submissions[0])
