"""Fake grade functions and report builders for batch tests (no kernels, no TensorFlow).

Also importable by the child process of the kill -9 test.
"""

from __future__ import annotations

import time
from pathlib import Path

from autograder.datasets.base import DataOptions
from autograder.grading.options import GradeOptions, RunIdentity
from autograder.results import (
    CheckResult,
    DataInfo,
    GradeReport,
    Metrics,
    RubricInfo,
    SubmissionInfo,
)
from autograder.submissions import Submission

IDENTITY = RunIdentity(
    rubric_sha256="r" * 64,
    options=GradeOptions(data=DataOptions(source="synthetic", fraction=0.01)).model_dump(
        mode="json"
    ),
    grader_version="test",
)


def report_for(sub: Submission, *, points: float = 1.0, status: str = "graded") -> GradeReport:
    """A graded report whose score is read from the submission's file size (deterministic)."""
    return GradeReport.model_validate(
        {
            "submission": SubmissionInfo(id=sub.id, path=str(sub.path), sha256=sub.sha256),
            "rubric": RubricInfo(id="fashion-mnist", sha256="r" * 64),
            "data": DataInfo(source="synthetic", fraction=0.01, dataset="fashion_mnist"),
            "status": status,
            "score": points,
            "max_score": 2.0,
            "checks": [
                CheckResult(
                    id="acc",
                    kind="accuracy",
                    status="pass",
                    points=points,
                    max_points=1.0,
                    message="ok",
                ),
                CheckResult(
                    id="gap",
                    kind="overfitting_gap",
                    status="fail",
                    points=0.0,
                    max_points=1.0,
                    message="too big",
                ),
            ],
            "metrics": Metrics(test_accuracy=0.8, overfitting_gap=0.05),
        }
    )


def failed_report(sub: Submission, message: str) -> GradeReport:
    return report_for(sub, points=0.0, status="error").model_copy(
        update={"message": message, "checks": []}
    )


class RecordingGrade:
    """Grades instantly (or after ``delay_s``) and logs each submission id to a file."""

    def __init__(self, log: Path, delay_s: float = 0.0) -> None:
        self.log = log
        self.delay_s = delay_s

    def __call__(self, sub: Submission) -> GradeReport:
        time.sleep(self.delay_s)
        with self.log.open("a", encoding="utf-8") as handle:
            handle.write(sub.id + "\n")
        return report_for(sub)

    def graded(self) -> list[str]:
        if not self.log.exists():
            return []
        return self.log.read_text(encoding="utf-8").split()


def make_batch(folder: Path, count: int) -> list[Submission]:
    folder.mkdir(parents=True, exist_ok=True)
    subs = []
    for i in range(count):
        path = folder / f"s{i:02d}.py"
        path.write_text(f"x = {i}\n")
        subs.append(Submission(id=path.stem, path=path, display_name=path.stem))
    return subs
