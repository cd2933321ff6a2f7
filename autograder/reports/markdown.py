"""``summary.md``: a class summary for a CI step summary or an email to the course staff.

A table sorted by score, the score distribution, the checks failed most often, and
the mean/median test accuracy and train/test gap.
"""

from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path

from autograder.reports import inert
from autograder.reports.console import NOTHING
from autograder.reports.gradebook import display_name, points
from autograder.reports.json_report import write_text_atomic
from autograder.results import ClassSummary, GradeReport

FILE = "summary.md"
_BINS = 5


def _table(reports: list[GradeReport]) -> list[str]:
    lines = [
        "| # | Student | Status | Score | Test accuracy | Gap |",
        "|---:|---|---|---:|---:|---:|",
    ]
    ordered = sorted(reports, key=lambda r: (-r.score, display_name(r).casefold()))
    for rank, r in enumerate(ordered, start=1):
        acc, gap = r.metrics.test_accuracy, r.metrics.overfitting_gap
        acc_text = NOTHING if acc is None else f"{acc:.4f}"
        gap_text = NOTHING if gap is None else f"{gap:+.4f}"
        name = display_name(r) + (" (late)" if r.submission.late else "")
        if r.overrides:
            name += " ✎"
        lines.append(
            f"| {rank} | {inert.markdown(name)} | {r.status} "
            f"| {points(r.score)}/{points(r.max_score)} | {acc_text} | {gap_text} |"
        )
    return lines


def _distribution(reports: list[GradeReport]) -> list[str]:
    counts = [0] * _BINS
    for r in reports:
        share = r.score / r.max_score if r.max_score else 0.0
        counts[min(_BINS - 1, max(0, int(share * _BINS)))] += 1
    lines = ["| Score | Submissions | |", "|---|---:|---|"]
    width = 100 // _BINS
    for i, count in enumerate(counts):
        upper = "100" if i == _BINS - 1 else f"{(i + 1) * width}"
        bracket = "]" if i == _BINS - 1 else ")"
        lines.append(f"| [{i * width}%, {upper}%{bracket} | {count} | {'█' * count} |")
    return lines


def _most_failed(reports: list[GradeReport]) -> list[str]:
    failed = Counter(
        c.id for r in reports for c in r.checks if c.status in ("fail", "partial", "error")
    )
    if not failed:
        return ["No check failed."]
    lines = ["| Check | Failed in |", "|---|---:|"]
    lines += [f"| {inert.markdown(check)} | {n} |" for check, n in failed.most_common()]
    return lines


def _stat(values: list[float]) -> str:
    if not values:
        return f"{NOTHING} (not measured)"
    return f"mean {statistics.fmean(values):.4f}, median {statistics.median(values):.4f}"


def summary_markdown(summary: ClassSummary) -> str:
    reports = summary.submissions
    data = summary.data
    accuracy = [r.metrics.test_accuracy for r in reports if r.metrics.test_accuracy is not None]
    gaps = [r.metrics.overfitting_gap for r in reports if r.metrics.overfitting_gap is not None]
    overridden = [r for r in reports if r.overrides]
    parts = [
        f"# {summary.rubric.id}: class summary",
        "",
        f"{len(reports)} submissions · data: {data.dataset}, {data.source}, "
        f"fraction {data.fraction:g}",
        "",
        f"- Test accuracy: {_stat(accuracy)}",
        f"- Train/test gap: {_stat(gaps)}",
        "",
        "## Scores",
        "",
        *_table(reports),
        "",
        "## Score distribution",
        "",
        *_distribution(reports),
        "",
        "## Checks failed most often",
        "",
        *_most_failed(reports),
    ]
    if overridden:
        parts += ["", "## Manual overrides (✎)", ""]
        parts += [
            f"- {inert.markdown(display_name(r))}, {o.check}: {points(o.previous_points)} → "
            f"{points(o.points)} ({inert.markdown(o.comment)})"
            for r in overridden
            for o in r.overrides
        ]
    return "\n".join(parts) + "\n"


def write_markdown(out_dir: Path, summary: ClassSummary) -> Path:
    path = out_dir / FILE
    write_text_atomic(path, summary_markdown(summary))
    return path
