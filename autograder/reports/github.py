"""GitHub Actions output: a Markdown step summary and ``::error`` annotations.

The summary is appended to the file named by ``$GITHUB_STEP_SUMMARY`` (GitHub shows
it on the run's page); annotations are workflow commands on stdout, shown on the
file in the pull request.  Outside Actions the summary goes to stdout instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from autograder.i18n import Language, hint, localized, text
from autograder.reports import inert
from autograder.results import GradeReport

_GLYPHS = {"pass": "✅", "fail": "❌", "partial": "🟡", "error": "❗", "skipped": "⏭"}
FAILING = ("fail", "error", "partial")


def step_summary(reports: Sequence[GradeReport], lang: Language, *, title: str) -> str:
    """The Markdown summary: one table of checks per submission."""
    lines = [f"## {text('github.title', lang, rubric=title)}", ""]
    for report in reports:
        total = text("github.total", lang, score=report.score, max=report.max_score)
        lines.append(f"### {inert.markdown(report.submission.id)} — {total}")
        lines.append("")
        if report.message:
            lines.extend([f"> {inert.markdown(report.message)}", ""])
        if report.checks:
            header = [text(k, lang) for k in ("html.check", "html.status", "html.points")]
            lines.append(
                f"| {header[0]} | {header[1]} | {header[2]} | {text('html.message', lang)} |"
            )
            lines.append("|---|---|---:|---|")
            for check in report.checks:
                status = f"{_GLYPHS[check.status]} {text(f'status.{check.status}', lang)}"
                message = inert.markdown(localized(check, lang))
                advice = hint(check, lang)
                if advice:
                    message += f" — *{inert.markdown(advice)}*"
                points = f"{check.points:g}/{check.max_points:g}"
                # A rubric's id, inside a code span where backslash escapes do not work.
                code = check.id.replace("`", "")
                lines.append(f"| `{code}` | {status} | {points} | {message} |")
            lines.append("")
    return "\n".join(lines) + "\n"


def error_annotations(reports: Sequence[GradeReport], lang: Language) -> list[str]:
    """One ``::error`` per failing check (and per submission that could not be graded)."""
    out = []
    for report in reports:
        where = f"file={inert.workflow_property(report.submission.path)}"
        if report.status != "graded":
            title = inert.workflow_property(f"{report.submission.id}: {report.status}")
            out.append(
                f"::error {where},title={title}::{inert.workflow_data(report.message or '')}"
            )
        for check in report.checks:
            if check.status not in FAILING:
                continue
            message = localized(check, lang)
            advice = hint(check, lang)
            if advice:
                message += f"\n{text('report.hint', lang)}: {advice}"
            title = inert.workflow_property(f"{check.id} ({check.points:g}/{check.max_points:g})")
            out.append(f"::error {where},title={title}::{inert.workflow_data(message)}")
    return out


def write_github(
    reports: Sequence[GradeReport],
    lang: Language,
    *,
    title: str,
    stdout: TextIO,
    environ: Mapping[str, str],
) -> Path | None:
    """Annotations to ``stdout``; the summary to $GITHUB_STEP_SUMMARY (returned) or stdout."""
    for line in error_annotations(reports, lang):
        stdout.write(line + "\n")
    summary = step_summary(reports, lang, title=title)
    target = environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        stdout.write(summary)
        return None
    path = Path(target)
    with path.open("a", encoding="utf-8") as sink:
        sink.write(summary)
    return path
