"""The grader's own copy of the data, for a built-in or a rubric-declared dataset.

One function for both, so the evaluator process, the kernels' copy and the reports
can never disagree about which data a rubric means.
"""

from __future__ import annotations

from autograder import datasets
from autograder.datasets import declared
from autograder.datasets.base import DataOptions, Splits
from autograder.rubric.models import DatasetSpec


def grader_splits(spec: DatasetSpec, data: DataOptions) -> Splits:
    """The splits the grader measures on; raises DatasetError."""
    if spec.declared is not None:
        return declared.generate(spec.declared, data)
    return datasets.load_splits(spec.name, data)


def class_names(spec: DatasetSpec) -> list[str]:
    """Names of the classes, in label order (a declared dataset's have none: 0, 1, ...)."""
    if spec.declared is not None:
        return [str(label) for label in range(spec.declared.classes)]
    return list(datasets.get_info(spec.name).class_names)
