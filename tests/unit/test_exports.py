"""Every --format export against its spec (column names, JSON keys, XML), no kernels."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from batch_fakes import report_for

from autograder.batch.runner import with_identity
from autograder.errors import UsageError
from autograder.overrides import apply_overrides, load_overrides
from autograder.reports.canvas_csv import write_canvas_csv
from autograder.reports.csv_report import write_csv_gradebook
from autograder.reports.exports import FORMATS, parse_formats, write_exports
from autograder.reports.gradescope import write_gradescope
from autograder.reports.junit import write_junit
from autograder.reports.markdown import summary_markdown
from autograder.reports.moodle_csv import write_moodle_csv
from autograder.results import ClassSummary, GradeReport, Metrics
from autograder.submissions import Submission

OVERRIDES = Path(__file__).parent.parent / "fixtures" / "overrides" / "valid.yaml"
FIXTURE = Path(__file__)
Snapshot = Callable[[str, str], None]


def _summary() -> ClassSummary:
    maria = Submission(
        id="María Peña_12345",
        path=FIXTURE,
        student_id="12345",
        display_name="María Peña",
        late=True,
    )
    s01 = Submission(id="s01", path=FIXTURE, display_name="s01")
    luis = Submission(id="Luis|Ç_777", path=FIXTURE, student_id="777", display_name="Luis|Ç")
    reports: list[GradeReport] = [
        with_identity(report_for(maria), maria),
        with_identity(report_for(s01, points=0.0), s01),
        with_identity(report_for(luis, points=0.0, status="timeout"), luis).model_copy(
            update={"message": "ran past 60 s", "checks": [], "metrics": Metrics()}
        ),
    ]
    reports = apply_overrides(load_overrides(OVERRIDES), reports)
    first = reports[0]
    return ClassSummary(rubric=first.rubric, data=first.data, submissions=reports)


def _rows(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


def test_generic_csv(tmp_path: Path) -> None:
    path = write_csv_gradebook(tmp_path, _summary())
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel needs the BOM for UTF-8
    rows = _rows(path, "utf-8-sig")
    assert list(rows[0]) == [
        "submission_id", "student_id", "display_name", "status", "late", "score",
        "max_score", "percent", "test_accuracy", "overfitting_gap", "check:acc",
        "check:gap", "comments",
    ]  # fmt: skip
    maria = rows[0]
    assert (maria["display_name"], maria["student_id"], maria["late"]) == (
        "María Peña",
        "12345",
        "yes",
    )
    assert (maria["score"], maria["check:acc"], maria["percent"]) == ("0.5", "0.5", "25.0")
    assert "override acc: Copied the model" in maria["comments"]
    assert rows[2]["status"] == "timeout"
    assert rows[2]["check:acc"] == ""


def test_canvas_csv_layout(tmp_path: Path) -> None:
    rows = _rows(write_canvas_csv(tmp_path, _summary(), "Taller 3 (4242)"))
    assert list(rows[0]) == [
        "Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Taller 3 (4242)"
    ]  # fmt: skip
    assert rows[0]["Student"] == "Points Possible"
    assert rows[0]["Taller 3 (4242)"] == "2"
    # Only students Canvas can match (with an id); overrides are in the score.
    assert [(r["Student"], r["ID"], r["Taller 3 (4242)"]) for r in rows[1:]] == [
        ("María Peña", "12345", "0.5"),
        ("Luis|Ç", "777", "0"),
    ]


def test_moodle_worksheet_layout(tmp_path: Path) -> None:
    rows = _rows(write_moodle_csv(tmp_path, _summary()))
    assert list(rows[0]) == [
        "Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade",
        "Grade can be changed", "Last modified (submission)", "Last modified (grade)",
        "Feedback comments",
    ]  # fmt: skip
    assert [r["Identifier"] for r in rows] == ["Participant 12345", "Participant 777"]
    assert rows[0]["Grade"] == "0.5"
    assert "override acc" in rows[0]["Feedback comments"]
    assert "timeout: ran past 60 s" in rows[1]["Feedback comments"]


def test_gradescope_results_json(tmp_path: Path) -> None:
    folder = write_gradescope(tmp_path, _summary())
    results = json.loads((folder / "María Peña_12345" / "results.json").read_text("utf-8"))
    assert {"score", "output", "tests", "visibility", "stdout_visibility"} <= set(results)
    assert results["score"] == pytest.approx(0.5)
    for test in results["tests"]:
        assert {"name", "score", "max_score", "status", "output"} <= set(test)
        assert test["status"] in ("passed", "failed")
    acc = results["tests"][0]
    assert (acc["name"], acc["score"], acc["status"]) == ("acc", 0.5, "failed")
    assert "[override:" in acc["output"]
    timed_out = json.loads((folder / "Luis%7CÇ_777" / "results.json").read_text("utf-8"))
    assert timed_out["tests"] == []
    assert "timeout" in timed_out["output"]


def test_junit_one_testcase_per_check(tmp_path: Path) -> None:
    root = ET.parse(write_junit(tmp_path, _summary())).getroot()
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["María Peña_12345", "s01", "Luis|Ç_777"]
    maria = suites[0]
    assert [c.get("name") for c in maria.findall("testcase")] == ["acc", "gap"]
    assert (maria.get("tests"), maria.get("failures"), maria.get("errors")) == ("2", "2", "0")
    failure = maria.find("testcase/failure")
    assert failure is not None
    assert "override" in (failure.get("message") or "")
    timeout_case = suites[2].find("testcase/error")
    assert timeout_case is not None
    assert timeout_case.get("type") == "timeout"
    assert root.get("tests") == "5"


def test_markdown_summary(snapshot: Snapshot) -> None:
    text = summary_markdown(_summary())
    lines = text.splitlines()
    table = [line for line in lines if line.startswith("| 1 |") or line.startswith("| 2 |")]
    # Sorted by score: s01 (1 point after its override) before María (0.5).
    assert "s01" in table[0]
    assert "María Peña (late) ✎" in table[1]
    assert "Luis\\|Ç" in text  # a | in a name does not break the table
    assert "mean 0.8000, median 0.8000" in text
    assert "| gap | 1 |" in text
    snapshot("markdown_summary.md", text)


def test_parse_formats() -> None:
    assert parse_formats(["csv,junit", "csv", " markdown "]) == ["csv", "junit", "markdown"]
    with pytest.raises(UsageError, match="unknown --format 'xls'"):
        parse_formats(["xls"])


def test_write_exports_writes_every_file_format(tmp_path: Path) -> None:
    paths = write_exports(tmp_path, _summary(), list(FORMATS), "Taller 3")
    assert sorted(p.name for p in paths) == sorted(
        [
            "summary.json", "gradebook.csv", "canvas-grades.csv", "moodle-grades.csv",
            "gradescope", "junit.xml", "summary.md",
        ]
    )  # fmt: skip
    assert (tmp_path / "s01" / "result.json").exists()
