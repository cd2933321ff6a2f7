"""The pytest plugin without kernels: collection, options and a bad rubric."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUBRIC = ROOT / "rubrics" / "fashion-mnist.yaml"
NOTEBOOK = ROOT / "submissions" / "fashion-mnist" / "correct.ipynb"
FIXTURES = ROOT / "tests" / "fixtures" / "rubrics"


def test_collects_one_item_per_rubric_check(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest(
        "--autograder-rubric", str(RUBRIC), "--collect-only", "-q", str(NOTEBOOK)
    )
    result.stdout.fnmatch_lines(
        [
            "*correct.ipynb::architecture",
            "*correct.ipynb::parameters",
            "*correct.ipynb::compile",
            "*correct.ipynb::training",
            "*correct.ipynb::test-accuracy",
            "*correct.ipynb::gap",
        ]
    )
    assert result.ret == pytest.ExitCode.OK


def test_without_the_option_notebooks_are_not_collected(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--collect-only", "-q", str(NOTEBOOK))
    assert "correct.ipynb::" not in result.stdout.str()


def test_bad_rubric_is_one_usage_error(pytester: pytest.Pytester) -> None:
    bad = FIXTURES / "unknown_kind.yaml"
    result = pytester.runpytest("--autograder-rubric", str(bad), "--collect-only", str(NOTEBOOK))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: --autograder-rubric: {bad}:*"])
    assert "Traceback" not in result.stderr.str()
