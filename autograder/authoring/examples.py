"""``autograder rubric test``: CI for a rubric, on the submissions it declares.

Each ``examples`` entry of a rubric names a known submission and the verdicts it must
get.  They are graded by the function the caller passes in (the CLI passes the same
grading path as ``grade``), and every verdict that differs is a :class:`Difference`;
tests pass a fake grader, so comparing is tested without kernels.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import AuthoringError
from autograder.i18n import Language, text
from autograder.results import GradeReport
from autograder.rubric import LoadedRubric

SCORE_TOLERANCE = 0.01
"""Points a total may differ by (a rubric's points are decimal, sums are floats)."""


@dataclass(frozen=True)
class Difference:
    """One expected verdict the grader did not give."""

    check: str
    """A check id, ``score`` for the total, or ``status`` when grading itself failed."""
    expected: str
    got: str


@dataclass(frozen=True)
class ExampleOutcome:
    path: Path
    report: GradeReport
    differences: tuple[Difference, ...]

    @property
    def ok(self) -> bool:
        return not self.differences


def compare(expect: Mapping[str, str | float], report: GradeReport) -> list[Difference]:
    """The expected verdicts ``report`` does not have, in the order ``expect`` lists them."""
    if report.status != "graded":
        return [Difference("status", "graded", f"{report.status}: {report.message or ''}")]
    found = {check.id: check for check in report.checks}
    out: list[Difference] = []
    for key, want in expect.items():
        if key == "score" and isinstance(want, float):  # the rubric model guarantees it
            if abs(report.score - want) > SCORE_TOLERANCE:
                out.append(Difference("score", f"{want:g}", f"{report.score:g}"))
            continue
        check = found.get(key)
        got = "missing" if check is None else check.status
        if got != want:
            out.append(Difference(key, str(want), got))
    return out


def run_examples(
    loaded: LoadedRubric, grade: Callable[[Path], GradeReport]
) -> list[ExampleOutcome]:
    """Grade every example the rubric declares with ``grade`` and compare the verdicts."""
    examples = loaded.rubric.examples
    if not examples:
        raise AuthoringError(
            text("authoring.no_examples", "en", path=loaded.path),
            "authoring.no_examples",
            path=loaded.path,
        )
    outcomes: list[ExampleOutcome] = []
    for example in examples:
        path = (loaded.path.parent / example.path).resolve()
        if not path.is_file():
            raise AuthoringError(
                text("authoring.example_missing", "en", path=loaded.path, example=path),
                "authoring.example_missing",
                path=loaded.path,
                example=path,
            )
        report = grade(path)
        outcomes.append(ExampleOutcome(path, report, tuple(compare(example.expect, report))))
    return outcomes


def diff_lines(outcomes: list[ExampleOutcome], lang: Language) -> list[str]:
    """One line per example, then ``- expected`` / ``+ got`` per differing verdict."""
    lines: list[str] = []
    for outcome in outcomes:
        if outcome.ok:
            lines.append(text("authoring.example_ok", lang, example=outcome.path))
            continue
        count = len(outcome.differences)
        lines.append(text("authoring.example_differs", lang, example=outcome.path, count=count))
        for diff in outcome.differences:
            lines.append(f"  - {diff.check}: {diff.expected}")
            lines.append(f"  + {diff.check}: {diff.got}")
    return lines
