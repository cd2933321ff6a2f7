"""A Spanish reader sees no English sentence: console, HTML, Markdown and GitHub output.

The English sentences are taken from en.py itself (every literal run of words between
placeholders), so a new catalog entry is covered the day it is written.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from html import unescape
from pathlib import Path

import pytest
from rich.console import Console

from autograder.checks.base import result
from autograder.i18n import Language, Said, en, es, say
from autograder.reports.console import render_class_table, render_submission
from autograder.reports.github import error_annotations, step_summary
from autograder.reports.html import render_dashboard, render_feedback
from autograder.reports.markdown import summary_markdown
from autograder.results import (
    CellError,
    ClassSummary,
    DataInfo,
    ExecutionSummary,
    GradeReport,
    Metrics,
    OverrideApplied,
    Protection,
    ReferenceSummary,
    RubricInfo,
    SkippedCell,
    SubmissionInfo,
)
from autograder.rubric import load_rubric

RUBRIC = Path(__file__).parents[2] / "rubrics" / "fashion-mnist.yaml"
# Kinds whose messages are not in the catalog yet (the answers family: issue 14).
NOT_YET = {"answers"}


# Whole words (accented letters too), so "fallida parameters" never yields "a parameters".
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f'-]*")


def _english_sentences() -> set[str]:
    """Every run of two words that en.py writes and es.py does not."""
    # Code that both catalogs quote (model.compile, validation_split) is not English prose.
    spanish = " " + " ".join(_WORD.findall(" ".join(es.MESSAGES.values()))).casefold() + " "
    runs: set[str] = set()
    for template in en.MESSAGES.values():
        for literal in re.split(r"\{[^{}]*\}", template):
            words = _WORD.findall(literal)
            for start in range(len(words) - 1):
                run = " ".join(words[start : start + 2])
                if f" {run.casefold()} " not in spanish:
                    runs.add(run)
    return runs


ENGLISH = _english_sentences()


def _checks_by_kind() -> dict[str, Said]:
    return {
        "architecture": say(
            "architecture.mismatch",
            position=2,
            expected="Dense(128, relu)",
            found="Dense(500, relu)",
        ),
        "parameters": say("parameters.mismatch", which="trainable", found=392510, expected=101770),
        "compile": say("compile.mismatch", setting="optimizer", found="sgd", expected="adam"),
        "training": say("training.mismatch", setting="epochs", found=5, expected=10),
        "accuracy": say("accuracy.low", split="test", value=0.6812, bound=0.83),
        "overfitting_gap": say("gap.high", gap=0.1532, bound=0.08, train=0.9, test=0.7468),
        "claims": say("claims.synthetic"),
    }


def _report() -> GradeReport:
    rubric = load_rubric(RUBRIC).rubric
    said = _checks_by_kind()
    checks = [
        result(check, "fail", said[check.kind])
        for check in rubric.checks
        if check.kind not in NOT_YET
    ]
    execution = ExecutionSummary(
        duration_s=12.5,
        errors=[CellError(cell=5, ename="ValueError", evalue="forma incorrecta", excerpt="x")],
        skipped_cells=[SkippedCell(cell=2, reason="!pip")],
        timed_out=True,
        protections=[
            Protection(name="network", active=True, detail="bwrap"),
            Protection(name="memory", active=False, detail="cgroup"),
        ],
    )
    reference = ReferenceSummary(
        test_accuracy=0.8741,
        train_accuracy=0.9012,
        overfitting_gap=0.0271,
        trainable_params=101770,
        total_params=101770,
        weights_sha256="a" * 64,
        duration_s=30.0,
        cache_key="k",
    )
    override = OverrideApplied(
        check="compile", points=1.0, previous_points=0.0, comment="revisado a mano"
    )
    return GradeReport(
        submission=SubmissionInfo(
            id="María Núñez_12345",
            path="entregas/maria.ipynb",
            sha256="c" * 64,
            display_name="María Núñez",
            late=True,
        ),
        rubric=RubricInfo(id="fashion-mnist", sha256="r" * 64),
        data=DataInfo(source="synthetic", fraction=0.05, dataset="fashion_mnist"),
        status="timeout",
        score=sum(c.points for c in checks),
        max_score=sum(c.max_points for c in checks),
        checks=checks,
        metrics=Metrics(
            test_accuracy=0.6812,
            train_accuracy=0.9,
            overfitting_gap=0.2188,
            trainable_params=392510,
            total_params=392510,
        ),
        execution=execution,
        reference=reference,
        overrides=[override],
    )


def _leaks(rendered: str) -> list[str]:
    flat = " ".join(unescape(re.sub(r"<[^>]+>", " ", rendered)).split())
    for check in load_rubric(RUBRIC).rubric.checks:  # ids are identifiers, not prose
        flat = flat.replace(check.id, " ")
    words = " " + " ".join(_WORD.findall(flat)) + " "
    return sorted(run for run in ENGLISH if f" {run} " in words)


def _console(draw: Callable[[Console], None]) -> str:
    buffer = io.StringIO()
    draw(Console(file=buffer, width=400, color_system=None))
    return buffer.getvalue()


def test_the_english_sentence_list_is_not_empty() -> None:
    # A broken extraction would make every assertion below pass vacuously.
    assert len(ENGLISH) > 200
    assert "the model" in ENGLISH


def _markdown(report: GradeReport, lang: Language) -> str:
    summary = ClassSummary(rubric=report.rubric, data=report.data, submissions=[report])
    return summary_markdown(summary, lang)


Renderer = Callable[[GradeReport, Language], str]
RENDERERS: dict[str, Renderer] = {
    "console-submission": lambda r, lang: _console(lambda c: render_submission(r, c, lang)),
    "console-class": lambda r, lang: _console(lambda c: render_class_table([r], c, lang)),
    "html-feedback": render_feedback,
    "html-dashboard": lambda r, lang: render_dashboard([r], lang, rubric="t", links={}),
    "markdown": _markdown,
    "github-summary": lambda r, lang: step_summary([r], lang, title="Taller 3"),
    "github-annotations": lambda r, lang: "\n".join(error_annotations([r], lang)),
}


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_spanish_output_has_no_english_sentence(name: str) -> None:
    assert _leaks(RENDERERS[name](_report(), "es")) == []


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_the_same_output_in_english_is_caught(name: str) -> None:
    # The detector works: the English rendering of the same result is full of them.
    assert _leaks(RENDERERS[name](_report(), "en"))


def test_spanish_numbers_use_the_spanish_separators() -> None:
    rendered = RENDERERS["console-submission"](_report(), "es")
    assert "0,6812" in rendered
    assert "392.510" in rendered
    assert "0.6812" not in rendered
