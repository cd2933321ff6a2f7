"""Datasets declared in a rubric: deterministic, cut by fraction, served as a file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from autograder.datasets.base import DataOptions
from autograder.datasets.declared import fingerprint, generate
from autograder.grading.grader import prepare_kernel_data
from autograder.grading.options import GradeOptions, evaluator_config
from autograder.measure.data import grader_splits
from autograder.rubric import load_rubric
from autograder.rubric.models import DatasetSpec, DeclaredDataset

ROOT = Path(__file__).resolve().parents[2]
TOY = DeclaredDataset(name="toy", input_shape=[5, 5], classes=2, train_size=400, test_size=200)


def test_same_declaration_same_bytes_and_shapes() -> None:
    first, second = generate(TOY, DataOptions()), generate(TOY, DataOptions())
    assert first.x_train.shape == (400, 5, 5)
    assert first.x_train.dtype == np.uint8
    assert first.y_test.shape == (200,)
    assert set(np.unique(first.y_train)) == {0, 1}
    for a, b in zip(
        (first.x_train, first.y_train, first.x_test, first.y_test),
        (second.x_train, second.y_train, second.x_test, second.y_test),
        strict=True,
    ):
        assert np.array_equal(a, b)


def test_any_change_to_the_declaration_changes_the_data() -> None:
    other = TOY.model_copy(update={"seed": 1})
    assert fingerprint(other) != fingerprint(TOY)
    assert not np.array_equal(
        generate(other, DataOptions()).x_train, generate(TOY, DataOptions()).x_train
    )


def test_a_fraction_is_the_leading_rows() -> None:
    full = generate(TOY, DataOptions())
    tenth = generate(TOY, DataOptions(fraction=0.1))
    assert len(tenth.x_train) == 40
    assert np.array_equal(tenth.x_train, full.x_train[:40])


def test_classes_are_learnable_but_not_perfectly() -> None:
    # Nearest class mean, fitted on train: well above chance, below 100% (label noise).
    data = generate(TOY.model_copy(update={"noise": 96.0}), DataOptions())
    x, xt = data.x_train.reshape(400, -1) / 255, data.x_test.reshape(200, -1) / 255
    means = np.stack([x[data.y_train == c].mean(axis=0) for c in (0, 1)])
    guess = np.argmin(((xt[:, None, :] - means[None]) ** 2).sum(axis=2), axis=1)
    accuracy = float(np.mean(guess == data.y_test))
    assert 0.75 < accuracy < 1.0


@pytest.mark.parametrize(
    "fields",
    [{"name": "declared"}, {"name": "mnist", "declared": TOY}],
)
def test_declared_name_and_block_go_together(fields: dict[str, object]) -> None:
    with pytest.raises(ValidationError, match="go together"):
        DatasetSpec.model_validate(fields)


def test_the_kernels_and_the_evaluator_get_the_same_toy_data(tmp_path: Path) -> None:
    rubric = load_rubric(ROOT / "rubrics" / "toy-dense.yaml")
    options = GradeOptions(data=DataOptions(source="synthetic"))
    kernel = prepare_kernel_data(rubric, options, tmp_path)
    assert kernel.datasets == {}
    ((name, path),) = kernel.work_files.items()
    assert name == "toy_dense.npz"
    # What the evaluator process loads: under `grade` this once failed with
    # "unknown dataset 'declared'".
    config = evaluator_config(rubric, options)
    measured_on = grader_splits(config.dataset, config.data)
    with np.load(path) as served:
        assert np.array_equal(served["x_test"], measured_on.x_test)
        assert np.array_equal(served["y_train"], measured_on.y_train)
