"""The kernel's fit and evaluate wrappers under --fraction: they shorten the work, never
the data.

These run the kernel-side helpers directly on NumPy and pandas inputs (no Keras);
tf.data pipelines are covered by the real-pattern kernel tests.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd  # type: ignore[import-untyped]  # no pandas-stubs in the env
import pytest

from autograder.kernel.bootstrap import _input_facts, _shorten, _shorten_evaluation


def _arrays(rows: int = 60_000) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros((rows, 28, 28), np.uint8), np.arange(rows) % 10


def test_arrays_train_on_their_first_rows() -> None:
    x, y = _arrays()
    bound, cut = _shorten(0.1, {"x": x, "y": y, "epochs": 10})
    assert bound["x"].shape == (6_000, 28, 28)
    assert np.array_equal(bound["y"], y[:6_000])
    assert bound["epochs"] == 10
    assert cut == [{"what": "samples", "from": 60_000, "to": 6_000}]
    assert x.shape == (60_000, 28, 28)  # the notebook's own array is untouched


def test_validation_arrays_and_sample_weights_shrink_alike() -> None:
    x, y = _arrays()
    xv, yv = _arrays(10_000)
    weights = np.ones(60_000)
    bound, cut = _shorten(
        0.02, {"x": x, "y": y, "sample_weight": weights, "validation_data": (xv, yv)}
    )
    assert len(bound["sample_weight"]) == 1_200
    assert isinstance(bound["validation_data"], tuple)
    assert [len(v) for v in bound["validation_data"]] == [200, 200]
    assert cut == [
        {"what": "samples", "from": 60_000, "to": 1_200},
        {"what": "validation_samples", "from": 10_000, "to": 200},
    ]


def test_pandas_inputs_are_cut_by_position() -> None:
    frame = pd.DataFrame({"a": range(100)}, index=range(1000, 1100))
    labels = pd.Series(range(100), index=range(1000, 1100))
    bound, _ = _shorten(0.1, {"x": frame, "y": labels})
    assert list(bound["x"]["a"]) == list(range(10))
    assert list(bound["y"]) == list(range(10))


def test_steps_per_epoch_shrinks_for_repeated_inputs() -> None:
    generator: Any = iter(())  # a generator: only steps can be cut
    bound, cut = _shorten(0.1, {"x": generator, "steps_per_epoch": 1875, "validation_steps": 313})
    assert bound["steps_per_epoch"] == 188
    assert bound["validation_steps"] == 32
    assert [c["what"] for c in cut] == ["steps", "validation_steps"]


@pytest.mark.parametrize("fraction", [1.0, None, 0])
def test_no_fraction_changes_nothing(fraction: float | None) -> None:
    x, y = _arrays(10)
    bound = {"x": x, "y": y}
    assert _shorten(fraction, bound) == (bound, [])


def test_a_fraction_keeps_at_least_one_sample() -> None:
    x, y = _arrays(5)
    bound, cut = _shorten(0.01, {"x": x, "y": y})
    assert len(bound["x"]) == 1
    assert cut == [{"what": "samples", "from": 5, "to": 1}]


class _Flow:
    """As ImageDataGenerator.flow: batch_size, n and len; __getitem__ must not run."""

    batch_size = 64
    n = 60_000

    def __len__(self) -> int:
        return 938

    def __getitem__(self, index: int) -> Any:
        raise AssertionError("describing a Sequence must not draw a batch")


def test_a_keras_sequence_reports_its_batch_size_without_being_iterated() -> None:
    assert _input_facts(_Flow()) == {"batch_size": 64, "samples": 60_000, "steps": 938}
    assert _input_facts(np.zeros((3, 2))) is None


def test_a_keras_sequence_trains_a_fraction_of_its_batches() -> None:
    bound, cut = _shorten(0.1, {"x": _Flow(), "epochs": 10})
    assert bound["steps_per_epoch"] == 94
    assert cut == [{"what": "steps", "from": 938, "to": 94}]


def test_the_notebooks_evaluate_runs_on_the_fraction_of_its_rows() -> None:
    x, y = _arrays(10_000)
    bound, cut = _shorten_evaluation(0.01, {"x": x, "y": y, "verbose": 0})
    assert bound["x"].shape == (100, 28, 28)
    assert np.array_equal(bound["y"], y[:100])
    assert bound["verbose"] == 0
    assert cut == [{"what": "evaluate_samples", "from": 10_000, "to": 100}]
    assert x.shape == (10_000, 28, 28)


def test_evaluate_steps_shrink_for_generators() -> None:
    generator: Any = iter(())
    bound, cut = _shorten_evaluation(0.1, {"x": generator, "steps": 313})
    assert bound["steps"] == 32
    assert cut == [{"what": "evaluate_steps", "from": 313, "to": 32}]


@pytest.mark.parametrize("fraction", [1.0, None, 0])
def test_no_fraction_leaves_evaluate_alone(fraction: float | None) -> None:
    x, y = _arrays(10)
    bound = {"x": x, "y": y}
    assert _shorten_evaluation(fraction, bound) == (bound, [])
