"""The grader's confusion matrix, on saved Keras models (no kernels)."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.measure.keras_model import measure_model
from autograder.rubric.models import Preprocessing

SCALE = Preprocessing(scale=255)


def test_confusion_matrix_matches_the_measured_accuracy(saved_models) -> None:  # type: ignore[no-untyped-def]
    splits = saved_models.fashion
    measured = measure_model(saved_models["activation"], "m0", splits, SCALE)
    assert measured.confusion is not None
    matrix = np.asarray(measured.confusion)
    assert matrix.shape == (10, 10)
    assert matrix.sum() == len(splits.y_test)
    # Rows are true classes: each row holds that class's examples.
    np.testing.assert_array_equal(matrix.sum(axis=1), np.bincount(splits.y_test, minlength=10))
    assert np.trace(matrix) / matrix.sum() == pytest.approx(measured.test_accuracy)


def test_nan_outputs_fall_outside_the_matrix(saved_models) -> None:  # type: ignore[no-untyped-def]
    measured = measure_model(saved_models["nan"], "m0", saved_models.fashion, SCALE)
    assert measured.confusion is not None
    assert np.trace(np.asarray(measured.confusion)) == 0


def test_unscorable_model_has_no_matrix(saved_models) -> None:  # type: ignore[no-untyped-def]
    measured = measure_model(saved_models["uncompiled"], "m0", saved_models.fashion, SCALE)
    assert measured.confusion is None
