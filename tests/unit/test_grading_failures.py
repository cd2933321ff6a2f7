"""The pipeline's pure parts: model selection and the batch's safety net (no kernel)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from autograder import grading
from autograder.datasets.base import DataOptions, Splits
from autograder.execution.runner import JobPaths
from autograder.grading import GradeOptions, Prepared, grade_submission
from autograder.rubric import load_rubric
from autograder.submissions import Submission

RUBRIC = Path(__file__).resolve().parents[2] / "rubrics" / "fashion-mnist.yaml"


def _prepared() -> Prepared:
    empty = np.zeros((1, 28, 28), dtype=np.uint8)
    labels = np.zeros(1, dtype=np.uint8)
    return Prepared(
        rubric=load_rubric(RUBRIC),
        options=GradeOptions(data=DataOptions(source="synthetic", fraction=0.01)),
        splits=Splits(empty, labels, empty, labels),
        kernel_data={},
    )


def test_a_grader_failure_is_an_error_result_not_a_lost_batch(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def boom(submission: Submission, prepared: Prepared, job: JobPaths) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(grading, "execute", boom)
    path = tmp_path / "a.py"
    path.write_text("x = 1\n")
    report = grade_submission(Submission(id="a", path=path), _prepared())
    assert report.status == "error"
    assert report.message is not None
    assert report.message.startswith("PermissionError")
    assert report.score == 0


def test_invalid_file_is_reported_without_a_kernel(tmp_path: Path) -> None:
    path = tmp_path / "broken.ipynb"
    path.write_text('{"cells": [')
    report = grade_submission(Submission(id="broken", path=path), _prepared())
    assert report.status == "invalid"
    assert report.message is not None
    assert str(path) in report.message
    assert report.max_score == 10
