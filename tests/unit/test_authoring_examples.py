"""``rubric test``: declared examples, their expected verdicts and the diff (fake grader)."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.authoring.examples import Difference, compare, diff_lines, run_examples
from autograder.errors import AuthoringError, RubricError
from autograder.results import (
    CheckResult,
    DataInfo,
    GradeReport,
    Metrics,
    RubricInfo,
    SubmissionInfo,
)
from autograder.rubric import load_rubric

RUBRIC = """\
schema_version: 1
id: taller-3
title: Taller 3
dataset: {name: fashion_mnist}
checks:
  - {kind: parameters, id: parametros, points: 2, trainable: 101770}
  - {kind: accuracy, id: exactitud, points: 3, min: 0.8}
"""

EXAMPLES = """\
examples:
  - path: entregas/correcta.ipynb
    expect: {parametros: pass, exactitud: pass, score: 5}
  - path: entregas/sin_escalar.ipynb
    expect: {parametros: pass, exactitud: fail, score: 2}
"""


def _report(name: str, params: str, accuracy: str, *, status: str = "graded") -> GradeReport:
    earned = {"parametros": 2.0 if params == "pass" else 0.0}
    earned["exactitud"] = 3.0 if accuracy == "pass" else 0.0
    checks = [
        CheckResult(
            id="parametros",
            kind="parameters",
            status=params,
            points=earned["parametros"],
            max_points=2.0,
            message="-",
        ),
        CheckResult(
            id="exactitud",
            kind="accuracy",
            status=accuracy,
            points=earned["exactitud"],
            max_points=3.0,
            message="-",
        ),
    ]
    return GradeReport.model_validate(
        {
            "submission": SubmissionInfo(id=name, path=f"{name}.ipynb", sha256=None),
            "rubric": RubricInfo(id="taller-3", sha256="r" * 64),
            "data": DataInfo(source="synthetic", fraction=0.02, dataset="fashion_mnist"),
            "status": status,
            "message": None if status == "graded" else "the kernel died",
            "score": sum(earned.values()),
            "max_score": 5.0,
            "checks": checks if status == "graded" else [],
            "metrics": Metrics(),
        }
    )


def _rubric(tmp_path: Path, examples: str = EXAMPLES) -> Path:
    (tmp_path / "entregas").mkdir()
    for name in ("correcta", "sin_escalar"):
        (tmp_path / "entregas" / f"{name}.ipynb").write_text("{}", encoding="utf-8")
    path = tmp_path / "rubric.yaml"
    path.write_text(RUBRIC + examples, encoding="utf-8")
    return path


def test_matching_verdicts_have_no_differences() -> None:
    expect: dict[str, str | float] = {"parametros": "pass", "exactitud": "fail", "score": 2.0}
    assert compare(expect, _report("x", "pass", "fail")) == []


def test_a_differing_verdict_and_score_are_both_named() -> None:
    expect: dict[str, str | float] = {"parametros": "pass", "exactitud": "fail", "score": 2.0}
    assert compare(expect, _report("x", "pass", "pass")) == [
        Difference("exactitud", "fail", "pass"),
        Difference("score", "2", "5"),
    ]


def test_a_submission_that_could_not_be_graded_is_a_difference() -> None:
    report = _report("x", "pass", "pass", status="error")
    assert compare({"parametros": "pass"}, report) == [
        Difference("status", "graded", "error: the kernel died")
    ]


def test_run_examples_grades_each_declared_file(tmp_path: Path) -> None:
    loaded = load_rubric(_rubric(tmp_path))
    graded: list[Path] = []

    def fake_grade(path: Path) -> GradeReport:
        graded.append(path)
        # The unscaled hand-in passes where the rubric expects it to fail.
        return _report(path.stem, "pass", "pass")

    outcomes = run_examples(loaded, fake_grade)
    assert [p.name for p in graded] == ["correcta.ipynb", "sin_escalar.ipynb"]
    assert [o.ok for o in outcomes] == [True, False]
    lines = diff_lines(outcomes, "en")
    assert lines[0].endswith("correcta.ipynb: every expected verdict")
    assert lines[1].endswith("sin_escalar.ipynb: 2 verdict(s) differ from the rubric's `expect`")
    assert lines[2:] == [
        "  - exactitud: fail",
        "  + exactitud: pass",
        "  - score: 2",
        "  + score: 5",
    ]
    assert "veredicto(s) difieren" in diff_lines(outcomes, "es")[1]


def test_a_rubric_without_examples_is_refused(tmp_path: Path) -> None:
    loaded = load_rubric(_rubric(tmp_path, examples=""))
    with pytest.raises(AuthoringError, match="declares no `examples`"):
        run_examples(loaded, lambda path: _report("x", "pass", "pass"))


def test_a_missing_example_file_is_refused(tmp_path: Path) -> None:
    missing = "examples:\n  - {path: entregas/nadie.ipynb, expect: {score: 0}}\n"
    loaded = load_rubric(_rubric(tmp_path, examples=missing))
    with pytest.raises(AuthoringError, match=r"nadie\.ipynb does not exist"):
        run_examples(loaded, lambda path: _report("x", "pass", "pass"))


@pytest.mark.parametrize(
    ("examples", "problem"),
    [
        ("examples:\n  - {path: a.ipynb, expect: {exactitd: pass}}\n", "does not have: exactitd"),
        ("examples:\n  - {path: a.ipynb, expect: {exactitud: 3}}\n", "must be pass, fail or"),
        ("examples:\n  - {path: a.ipynb, expect: {exactitud: aprobado}}\n", "examples[0]"),
    ],
)
def test_bad_expectations_fail_at_load_time(tmp_path: Path, examples: str, problem: str) -> None:
    with pytest.raises(RubricError) as caught:
        load_rubric(_rubric(tmp_path, examples=examples))
    assert problem in "\n".join(caught.value.problems)
