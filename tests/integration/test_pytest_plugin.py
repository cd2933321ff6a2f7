"""The pytest plugin on a bundled example submission, through pytester (one kernel run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.rubric import load_rubric
from autograder.selfcheck import DECIDED_IN_QUICK

pytestmark = pytest.mark.kernel

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "submissions" / "fashion-mnist" / "dense500x3.ipynb"
RUBRIC = ROOT / "rubrics" / "fashion-mnist.yaml"


def test_one_item_per_check_with_pass_fail_and_skip(pytester: pytest.Pytester) -> None:
    # A subprocess: in-process pytester restores sys.modules afterwards, which would
    # unload TensorFlow, and TensorFlow's native code cannot be loaded twice.
    result = pytester.runpytest_subprocess(
        "--autograder-rubric",
        str(RUBRIC),
        "--autograder-data",
        "synthetic",
        "--autograder-fraction",
        "0.02",
        "--autograder-quick",
        "--autograder-lang",
        "en",
        "-p",
        "no:cacheprovider",
        "-rA",
        str(NOTEBOOK),
    )
    # Quick mode decides the structure and the written answers: compile passes, the wrong
    # layers fail, the unanswered questions fail (this hand-in has none), the rest skip.
    checks = load_rubric(RUBRIC).rubric.checks
    undecided = [c for c in checks if c.kind not in DECIDED_IN_QUICK]
    assert len(undecided) >= 3
    result.assert_outcomes(passed=1, failed=3, skipped=len(undecided))
    result.stdout.fnmatch_lines(
        [
            "*architecture: fail (0/2): layer 2: expected Dense(128, relu), found Dense(500, relu)",
            "*hint: Compare layer 2 of your model with the statement*",
        ]
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED
