"""Gradescope's autograder ``results.json``, one per submission.

Layout per https://gradescope-autograders.readthedocs.io/en/latest/specs/: top-level
``score``, ``execution_time``, ``output`` and ``tests``; each test has ``name``,
``score``, ``max_score``, ``status`` (passed/failed) and ``output``.  Inside a
Gradescope container, copy ``gradescope/<id>/results.json`` to
``/autograder/results/results.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from autograder.reports.gradebook import feedback
from autograder.reports.json_report import safe_dirname, write_text_atomic
from autograder.results import ClassSummary, GradeReport

FOLDER = "gradescope"
FILE = "results.json"


def gradescope_results(report: GradeReport) -> dict[str, Any]:
    tests = [
        {
            "name": check.id,
            "number": str(index),
            "score": check.points,
            "max_score": check.max_points,
            "status": "passed" if check.status == "pass" else "failed",
            "output": check.message,
            "tags": [check.kind],
            "visibility": "visible",
        }
        for index, check in enumerate(report.checks, start=1)
        if check.status != "skipped"
    ]
    result: dict[str, Any] = {
        "score": report.score,
        "output": feedback(report) or "All checks passed.",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
        "extra_data": {"submission_id": report.submission.id, "status": report.status},
    }
    if report.execution is not None:
        result["execution_time"] = round(report.execution.duration_s)
    return result


def write_gradescope(out_dir: Path, summary: ClassSummary) -> Path:
    folder = out_dir / FOLDER
    for report in summary.submissions:
        path = folder / safe_dirname(report.submission.id) / FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, json.dumps(gradescope_results(report), indent=2) + "\n")
    return folder
