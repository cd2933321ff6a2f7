"""Confusion matrix and per-class precision, recall and F1, computed by the grader.

Pure NumPy on the predictions the grader made itself on its test split; the
results are plain data for the HTML feedback and any other renderer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:  # results.py imports this module; NumPy stays out of light commands
    import numpy as np
    import numpy.typing as npt


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ClassMetrics(_Data):
    name: str = Field(description="Class name, e.g. Ankle boot.")
    precision: float | None = Field(description="Null when the model never predicts the class.")
    recall: float | None = Field(description="Null when the split has no example of the class.")
    f1: float | None = Field(description="Null when precision or recall is null or both are 0.")
    support: int = Field(description="Examples of the class in the test split.")


class Classification(_Data):
    """How the graded model's test predictions fall, class by class."""

    class_names: list[str]
    matrix: list[list[int]] = Field(description="matrix[true][predicted], test split.")
    per_class: list[ClassMetrics]


def confusion_matrix(
    predicted: npt.NDArray[np.int64], labels: npt.NDArray[np.int64], classes: int
) -> list[list[int]]:
    """Counts of (true, predicted); predictions outside 0..classes-1 (NaN rows) are dropped."""
    import numpy as np  # noqa: PLC0415  # see the TYPE_CHECKING import

    valid = (predicted >= 0) & (predicted < classes) & (labels >= 0) & (labels < classes)
    flat = labels[valid] * classes + predicted[valid]
    counts = np.bincount(flat, minlength=classes * classes).reshape(classes, classes)
    return [[int(v) for v in row] for row in counts]


def classification(matrix: list[list[int]], class_names: list[str]) -> Classification:
    """Per-class precision/recall/F1 from a confusion matrix."""
    import numpy as np  # noqa: PLC0415  # see the TYPE_CHECKING import

    counts = np.asarray(matrix, dtype=np.int64)
    names = list(class_names) + [str(i) for i in range(len(class_names), len(counts))]
    rows = []
    for index in range(len(counts)):
        hits = int(counts[index, index])
        predicted = int(counts[:, index].sum())
        support = int(counts[index, :].sum())
        precision = hits / predicted if predicted else None
        recall = hits / support if support else None
        f1 = (
            2 * precision * recall / (precision + recall)
            if precision is not None and recall is not None and precision + recall > 0
            else None
        )
        rows.append(
            ClassMetrics(
                name=names[index], precision=precision, recall=recall, f1=f1, support=support
            )
        )
    return Classification(class_names=names[: len(counts)], matrix=matrix, per_class=rows)
