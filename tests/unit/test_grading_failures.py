"""The pipeline's pure parts: model selection and the batch's safety net (no kernel)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from autograder.artifacts import Artifacts, ExportedModel
from autograder.datasets.base import DataOptions, Splits
from autograder.execution.runner import JobPaths
from autograder.grading import pipeline as grading
from autograder.grading.pipeline import GradeOptions, Prepared, grade_submission, select_model
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


def test_the_named_variable_wins_over_later_models() -> None:
    artifacts = Artifacts(
        models=[
            ExportedModel(key="m0", variables=["model"], fitted=True, class_name="Sequential"),
            ExportedModel(key="m1", variables=["big"], fitted=True),
        ]
    )
    chosen, why = select_model(artifacts, "model")
    assert chosen is not None
    assert chosen.key == "m0"
    assert "`model`" in why


def test_falls_back_to_the_last_trained_model_and_says_so() -> None:
    artifacts = Artifacts(
        models=[ExportedModel(key="m0", fitted=True), ExportedModel(key="m1", fitted=True)]
    )
    chosen, why = select_model(artifacts, "model")
    assert chosen is not None
    assert chosen.key == "m1"
    assert "last trained model" in why
    assert select_model(Artifacts(), "model")[0] is None


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
