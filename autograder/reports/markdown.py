"""``summary.md``: a class summary for a CI step summary or an email to the course staff.

A table sorted by score, the score distribution, the checks failed most often, and
the mean/median test accuracy and train/test gap, in the course's language.
"""

from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path

from autograder.i18n import Language, numeral, text
from autograder.reports import inert
from autograder.reports.console import NOTHING
from autograder.reports.gradebook import display_name, points
from autograder.reports.json_report import write_text_atomic
from autograder.results import ClassSummary, GradeReport

FILE = "summary.md"
_BINS = 5


def _table(reports: list[GradeReport], lang: Language) -> list[str]:
    header = [text(f"markdown.col.{c}", lang) for c in ("student", "status", "score", "acc")]
    lines = [
        f"| # | {' | '.join(header)} | {text('markdown.col.gap', lang)} |",
        "|---:|---|---|---:|---:|---:|",
    ]
    ordered = sorted(reports, key=lambda r: (-r.score, display_name(r).casefold()))
    for rank, r in enumerate(ordered, start=1):
        acc, gap = r.metrics.test_accuracy, r.metrics.overfitting_gap
        acc_text = NOTHING if acc is None else numeral(f"{acc:.4f}", lang)
        gap_text = NOTHING if gap is None else numeral(f"{gap:+.4f}", lang)
        name = inert.markdown(display_name(r))
        if r.submission.late:
            name += " " + text("markdown.late", lang)
        if r.overrides:
            name += " ✎"
        score = numeral(f"{points(r.score)}/{points(r.max_score)}", lang)
        status = text(f"submission_status.{r.status}", lang)
        lines.append(f"| {rank} | {name} | {status} | {score} | {acc_text} | {gap_text} |")
    return lines


def _distribution(reports: list[GradeReport], lang: Language) -> list[str]:
    counts = [0] * _BINS
    for r in reports:
        share = r.score / r.max_score if r.max_score else 0.0
        counts[min(_BINS - 1, max(0, int(share * _BINS)))] += 1
    header = text("markdown.col.score", lang), text("markdown.col.submissions", lang)
    lines = [f"| {header[0]} | {header[1]} | |", "|---|---:|---|"]
    width = 100 // _BINS
    for i, count in enumerate(counts):
        upper = "100" if i == _BINS - 1 else f"{(i + 1) * width}"
        bracket = "]" if i == _BINS - 1 else ")"
        lines.append(f"| [{i * width}%, {upper}%{bracket} | {count} | {'█' * count} |")
    return lines


def _most_failed(reports: list[GradeReport], lang: Language) -> list[str]:
    failed = Counter(
        c.id for r in reports for c in r.checks if c.status in ("fail", "partial", "error")
    )
    if not failed:
        return [text("markdown.none_failed", lang)]
    header = text("markdown.col.check", lang), text("markdown.col.failed_in", lang)
    lines = [f"| {header[0]} | {header[1]} |", "|---|---:|"]
    lines += [f"| {inert.markdown(check)} | {n} |" for check, n in failed.most_common()]
    return lines


def _stat(values: list[float], lang: Language) -> str:
    if not values:
        return text("markdown.not_measured", lang, nothing=NOTHING)
    mean = numeral(f"{statistics.fmean(values):.4f}", lang)
    median = numeral(f"{statistics.median(values):.4f}", lang)
    return text("markdown.mean_median", lang, mean=mean, median=median)


def summary_markdown(summary: ClassSummary, lang: Language = "en") -> str:
    reports = summary.submissions
    data = summary.data
    accuracy = [r.metrics.test_accuracy for r in reports if r.metrics.test_accuracy is not None]
    gaps = [r.metrics.overfitting_gap for r in reports if r.metrics.overfitting_gap is not None]
    overridden = [r for r in reports if r.overrides]
    line = text(
        "markdown.data",
        lang,
        count=len(reports),
        dataset=data.dataset,
        source=data.source,
        fraction=data.fraction,
    )
    parts = [
        f"# {text('markdown.title', lang, rubric=inert.markdown(summary.rubric.id))}",
        "",
        line,
        "",
        f"- {text('markdown.accuracy', lang, stat=_stat(accuracy, lang))}",
        f"- {text('markdown.gap', lang, stat=_stat(gaps, lang))}",
        "",
        f"## {text('markdown.scores', lang)}",
        "",
        *_table(reports, lang),
        "",
        f"## {text('markdown.distribution', lang)}",
        "",
        *_distribution(reports, lang),
        "",
        f"## {text('markdown.most_failed', lang)}",
        "",
        *_most_failed(reports, lang),
    ]
    if overridden:
        parts += ["", f"## {text('markdown.overrides', lang)}", ""]
        parts += [
            f"- {inert.markdown(display_name(r))}, {inert.markdown(o.check)}: "
            f"{numeral(points(o.previous_points), lang)} → {numeral(points(o.points), lang)} "
            f"({inert.markdown(o.comment)})"
            for r in overridden
            for o in r.overrides
        ]
    return "\n".join(parts) + "\n"


def write_markdown(out_dir: Path, summary: ClassSummary, lang: Language = "en") -> Path:
    path = out_dir / FILE
    write_text_atomic(path, summary_markdown(summary, lang))
    return path
