"""Shared helpers for the gradebook exports (CSV, LMS, Gradescope, JUnit, Markdown).

Every export reads the same frozen results; these helpers only phrase them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from autograder.reports import inert
from autograder.reports.json_report import write_text_atomic
from autograder.results import GradeReport


def points(value: float) -> str:
    """Points as an LMS expects them: no trailing zeros, at most 2 decimals."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def display_name(report: GradeReport) -> str:
    return report.submission.display_name or report.submission.id


def feedback(report: GradeReport) -> str:
    """One line for an LMS comment box: status, failed checks and any overrides."""
    parts: list[str] = []
    if report.status != "graded":
        parts.append(f"{report.status}: {report.message or 'not graded'}")
    missed = [c.id for c in report.checks if c.status in ("fail", "partial", "error")]
    if missed:
        parts.append("points lost on: " + ", ".join(missed))
    parts.extend(f"override {o.check}: {o.comment}" for o in report.overrides)
    return "; ".join(parts)


def write_csv(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[str]], *, bom: bool = False
) -> Path:
    """Write a CSV atomically; ``bom`` makes Excel read UTF-8 names (María) correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    # Every cell, ours included: a file name or display name can start a formula.
    writer.writerows([inert.csv_cell(cell) for cell in row] for row in rows)
    text = ("\ufeff" if bom else "") + buffer.getvalue()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, text)
    return path
