"""The architecture check on CNN-era layers: Conv2D, pooling, BN, Dropout, L2, initializers.

The layers are real Keras layers built in-process (no kernel, nothing saved), read the
way the evaluator reads a reloaded model.
"""

from __future__ import annotations

from typing import Any

import pytest

from autograder.checks.architecture import check_architecture
from autograder.measure.facts import LayerInfo
from autograder.measure.keras_model import _layer_info
from autograder.rubric.models import ArchitectureCheck, LayerSpec


def _cnn_layers(l2: float = 0.001, rate: float = 0.3, init: str = "he_normal") -> list[LayerInfo]:
    import keras  # noqa: PLC0415  # lazy: only this module pays for TensorFlow

    layers = keras.layers
    reg = keras.regularizers.L2(l2) if l2 else None
    model = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(
                32, 3, activation="relu", kernel_initializer=init, kernel_regularizer=reg
            ),
            layers.BatchNormalization(),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, (5, 5), activation="relu"),
            layers.Flatten(),
            layers.Dropout(rate),
            layers.Dense(10, "softmax"),
        ]
    )
    return [_layer_info(layer) for layer in model.layers]


def _spec(**conv: Any) -> ArchitectureCheck:
    first = {"type": "Conv2D", "filters": 32, "kernel_size": [3, 3], "activation": "relu"}
    return ArchitectureCheck(
        id="cnn",
        points=3,
        layers=[
            LayerSpec(**{**first, **conv}),
            LayerSpec(type="BatchNormalization"),
            LayerSpec(type="MaxPooling2D", pool_size=[2, 2]),
            LayerSpec(type="Conv2D", filters=64, kernel_size=[5, 5]),
            LayerSpec(type="Flatten"),
            LayerSpec(type="Dropout", rate=0.3),
            LayerSpec(type="Dense", units=10, activation="softmax", l2=0),
        ],
    )


@pytest.fixture(scope="module")
def cnn() -> list[LayerInfo]:
    return _cnn_layers()


def test_layer_info_reads_conv_pool_dropout_regularizer_and_initializer(
    cnn: list[LayerInfo],
) -> None:
    conv, _, pool, _, _, dropout, dense = cnn
    assert (conv.filters, conv.kernel_size, conv.initializer) == (32, [3, 3], "he_normal")
    assert conv.l2 == pytest.approx(0.001)
    assert pool.pool_size == [2, 2]
    assert dropout.rate == pytest.approx(0.3)
    assert dense.l2 is None
    assert dense.initializer == "glorot_uniform"


def test_a_matching_cnn_passes(build: Any, cnn: list[LayerInfo]) -> None:
    outcome = check_architecture(
        _spec(l2=0.001, initializer="HeNormal"), build.context(build.model(cnn))
    )
    assert outcome.status == "pass", outcome.message
    assert outcome.measured[0]["kernel_size"] == [3, 3]


@pytest.mark.parametrize(
    ("field", "wanted", "problem"),
    [
        ("filters", 16, "filters: expected 16, found 32"),
        ("kernel_size", [5, 5], "kernel_size: expected [5, 5], found [3, 3]"),
        ("l2", 0.01, "l2: expected 0.01, found 0.001"),
        ("initializer", "glorot_uniform", "initializer: expected glorot_uniform, found he_normal"),
    ],
)
def test_each_conv_setting_is_compared(
    build: Any, cnn: list[LayerInfo], field: str, wanted: Any, problem: str
) -> None:
    outcome = check_architecture(_spec(**{field: wanted}), build.context(build.model(cnn)))
    assert outcome.status == "fail"
    assert outcome.details is not None
    assert problem in outcome.details["diff"][0]["problems"]


def test_dropout_rate_and_missing_regularizer_are_compared(build: Any) -> None:
    layers = _cnn_layers(l2=0, rate=0.5)
    outcome = check_architecture(_spec(l2=0.001), build.context(build.model(layers)))
    assert outcome.details is not None
    diff = outcome.details["diff"]
    assert outcome.status == "fail"
    assert "l2: expected 0.001, found None" in diff[0]["problems"]
    assert "rate: expected 0.3, found 0.5" in diff[5]["problems"]
