"""``gradebook.csv``: one row per submission, one column per check (a generic gradebook)."""

from __future__ import annotations

from pathlib import Path

from autograder.reports.gradebook import display_name, feedback, points, write_csv
from autograder.results import ClassSummary

FILE = "gradebook.csv"
FIXED_COLUMNS = (
    "submission_id",
    "student_id",
    "display_name",
    "status",
    "late",
    "score",
    "max_score",
    "percent",
    "test_accuracy",
    "overfitting_gap",
)


def check_ids(summary: ClassSummary) -> list[str]:
    """Every check id, in rubric order as first seen."""
    seen: dict[str, None] = {}
    for report in summary.submissions:
        for check in report.checks:
            seen.setdefault(check.id, None)
    return list(seen)


def _metric(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def write_csv_gradebook(out_dir: Path, summary: ClassSummary) -> Path:
    checks = check_ids(summary)
    header = [*FIXED_COLUMNS, *(f"check:{c}" for c in checks), "comments"]
    rows = []
    for report in summary.submissions:
        by_id = {c.id: c for c in report.checks}
        percent = 100 * report.score / report.max_score if report.max_score else 0.0
        rows.append(
            [
                report.submission.id,
                report.submission.student_id or "",
                display_name(report),
                report.status,
                "yes" if report.submission.late else "no",
                points(report.score),
                points(report.max_score),
                f"{percent:.1f}",
                _metric(report.metrics.test_accuracy),
                _metric(report.metrics.overfitting_gap),
                *(points(by_id[c].points) if c in by_id else "" for c in checks),
                feedback(report),
            ]
        )
    return write_csv(out_dir / FILE, header, rows, bom=True)
