"""The console panel lists the sandbox layers a kernel ran under, gaps in red."""

from __future__ import annotations

import io

from rich.console import Console

from autograder.reports.console import render_submission
from autograder.results import (
    DataInfo,
    ExecutionSummary,
    GradeReport,
    Protection,
    RubricInfo,
    SubmissionInfo,
)


def _report(protections: list[Protection]) -> GradeReport:
    return GradeReport(
        submission=SubmissionInfo(id="ana", path="ana.ipynb", sha256=None),
        rubric=RubricInfo(id="r", sha256="0" * 64),
        data=DataInfo(source="synthetic", fraction=0.1, dataset="fashion_mnist"),
        status="graded",
        score=1,
        max_score=2,
        execution=ExecutionSummary(duration_s=3.0, protections=protections),
    )


def _render(report: GradeReport) -> str:
    console = Console(file=io.StringIO(), width=120, color_system=None, record=True)
    render_submission(report, console)
    return console.export_text()


def test_sandbox_row_names_active_layers_and_gaps() -> None:
    text = _render(
        _report(
            [
                Protection(name="memory", active=True, detail="4096 MiB (cgroup v1)"),
                Protection(name="timeouts", active=True, detail="cell 600 s"),
                Protection(name="network", active=False, detail="bubblewrap is not installed"),
            ]
        )
    )
    line = next(line for line in text.splitlines() if "Sandbox:" in line)
    assert "memory, timeouts" in line
    assert "no network: bubblewrap is not installed" in line


def test_no_sandbox_row_without_a_kernel_run() -> None:
    assert "Sandbox:" not in _render(_report([]))
