"""Unit-test fixtures: measured models built by hand, and tiny saved Keras models.

The check tests never touch Keras: they build ``ModelMeasurements`` directly with
``build``.  Only the evaluation tests use ``saved_models``, which imports Keras once
per session and saves every model they need in one temporary folder.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from autograder.artifacts import Artifacts, RecordedCall
from autograder.checks.base import CheckContext
from autograder.datasets.base import Splits
from autograder.measure.facts import CompileInfo, LayerInfo, ModelMeasurements
from autograder.rubric.models import AccuracyCheck, DatasetSpec, Rubric


class Build:
    """Factories for the plain data that checks read."""

    @staticmethod
    def layer(
        type_: str,
        units: int | None = None,
        activation: str | None = None,
        shape: Sequence[int | None] | None = None,
        name: str | None = None,
    ) -> LayerInfo:
        return LayerInfo(
            name=name or type_.lower(),
            type=type_,
            units=units,
            activation=activation,
            output_shape=list(shape) if shape is not None else None,
        )

    def fashion_layers(self, output: str = "softmax") -> list[LayerInfo]:
        """The tutorial's model: Flatten -> Dense(128, relu) -> Dense(10, output)."""
        return [
            self.layer("Flatten", shape=(None, 784)),
            self.layer("Dense", 128, "relu", (None, 128), name="dense"),
            self.layer("Dense", 10, output, (None, 10), name="dense_1"),
        ]

    @staticmethod
    def compile_info(**fields: Any) -> CompileInfo:
        defaults: dict[str, Any] = {
            "optimizer": "adam",
            "learning_rate": 0.0010000000474974513,  # 0.001 as Keras stores it (float32)
            "loss": "sparse_categorical_crossentropy",
            "from_logits": False,
            "metrics": ["accuracy"],
        }
        return CompileInfo(**{**defaults, **fields})

    def model(
        self,
        layers: list[LayerInfo] | None = None,
        *,
        compile_info: CompileInfo | None = None,
        uncompiled: bool = False,
        trainable: int = 101_770,
        total: int | None = None,
        test: float | None = 0.8771,
        train: float | None = 0.9102,
        error: str | None = None,
    ) -> ModelMeasurements:
        return ModelMeasurements(
            key="m0",
            layers=self.fashion_layers() if layers is None else layers,
            trainable_params=trainable,
            total_params=trainable if total is None else total,
            compile=None if uncompiled else (compile_info or self.compile_info()),
            test_accuracy=test,
            train_accuracy=train,
            error=error,
        )

    @staticmethod
    def fit(
        epochs_run: int = 10,
        *,
        model: str = "m0",
        **args: Any,
    ) -> RecordedCall:
        defaults: dict[str, Any] = {
            "epochs": epochs_run,
            "batch_size": None,
            "validation_split": 0.0,
            "has_validation_data": False,
            "x": {"shape": [None, 28, 28]},
        }
        return RecordedCall(
            kind="fit", model=model, args={**defaults, **args}, epochs_run=epochs_run
        )

    @staticmethod
    def compile_call(model: str = "m0", **args: Any) -> RecordedCall:
        return RecordedCall(kind="compile", model=model, args=args)

    @staticmethod
    def context(
        model: ModelMeasurements | None,
        calls: Sequence[RecordedCall] = (),
        no_model_reason: str = "",
    ) -> CheckContext:
        rubric = Rubric(
            schema_version=1,
            id="unit",
            title="Unit",
            dataset=DatasetSpec(name="fashion_mnist"),
            checks=[AccuracyCheck(id="acc", points=1, min=0.5)],
        )
        return CheckContext(
            rubric=rubric,
            model=model,
            no_model_reason=no_model_reason,
            artifacts=Artifacts(calls=list(calls)),
            execution=None,
        )


@pytest.fixture
def build() -> Build:
    return Build()


# --- saved Keras models (evaluation tests only) ---------------------------------------


@dataclass(frozen=True)
class SavedModels:
    folder: Path
    fashion: Splits
    cifar: Splits

    def __getitem__(self, name: str) -> Path:
        return self.folder / f"{name}.keras"


def _splits(shape: tuple[int, ...], train: int, test: int, column: bool, seed: int) -> Splits:
    rng = np.random.default_rng(seed)
    label_shape: tuple[int, ...] = (1,) if column else ()
    return Splits(
        x_train=rng.integers(0, 256, (train, *shape), dtype=np.uint8),
        y_train=rng.integers(0, 10, (train, *label_shape), dtype=np.uint8),
        x_test=rng.integers(0, 256, (test, *shape), dtype=np.uint8),
        y_test=rng.integers(0, 10, (test, *label_shape), dtype=np.uint8),
    )


@pytest.fixture(scope="session")
def saved_models(tmp_path_factory: pytest.TempPathFactory) -> SavedModels:
    folder = tmp_path_factory.mktemp("models")
    with warnings.catch_warnings():
        # Flatten(input_shape=...) is what the tutorial writes; Keras 3 warns about it.
        warnings.filterwarnings("ignore", "Do not pass an `input_shape`", UserWarning)
        _save_models(folder)
    return SavedModels(
        folder=folder,
        # CIFAR labels come as a column, like keras.datasets.cifar10 returns them.
        fashion=_splits((28, 28), train=300, test=200, column=False, seed=1),
        cifar=_splits((32, 32, 3), train=120, test=80, column=True, seed=2),
    )


def _save_models(folder: Path) -> None:
    # Lazy: only the evaluation tests pay for importing TensorFlow.
    import keras  # noqa: PLC0415
    import tensorflow as tf  # noqa: PLC0415

    keras.utils.set_random_seed(0)
    layers = keras.layers
    scce = keras.losses.SparseCategoricalCrossentropy

    # Seed 000's answer: a linear output trained with from_logits=True.
    logits = keras.Sequential(
        [keras.Input((28, 28)), layers.Flatten(), layers.Dense(128, "relu"), layers.Dense(10)]
    )
    logits.compile(optimizer="adam", loss=scce(from_logits=True), metrics=["accuracy"])
    # The tutorial's own spelling, TensorFlow functions as activations included.
    softmax = keras.Sequential(
        [
            layers.Flatten(input_shape=(28, 28)),
            layers.Dense(128, activation=tf.nn.relu),
            layers.Dense(10, activation=tf.nn.softmax),
        ]
    )
    softmax.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    activation = keras.Sequential(
        [
            keras.Input((28, 28)),
            layers.Flatten(),
            layers.Dense(128, "relu"),
            layers.Dropout(0.5),
            layers.Dense(10),
            layers.Activation("softmax"),
        ]
    )
    activation.compile(optimizer=keras.optimizers.SGD(0.02), loss=scce(), metrics=["acc"])
    # The same weights in all three, so they must predict exactly the same classes.
    softmax.set_weights(logits.get_weights())
    activation.set_weights(logits.get_weights())

    cifar = keras.Sequential(
        [keras.Input((3072,))]
        + [layers.Dense(32, "relu") for _ in range(3)]
        + [layers.Dense(10, "softmax")]
    )
    cifar.compile(optimizer=keras.optimizers.Adam(0.001), loss="sparse_categorical_crossentropy")

    uncompiled = keras.Sequential([keras.Input((100,)), layers.Dense(10, "softmax")])
    lambda_model = keras.Sequential(
        [
            keras.Input((28, 28)),
            layers.Lambda(lambda x: x * 2.0),
            layers.Flatten(),
            layers.Dense(10),
        ]
    )

    layer_base: Any = layers.Layer

    class Doubler(layer_base):  # type: ignore[misc]  # Keras ships no type information
        def call(self, x: Any) -> Any:
            return x * 2.0

    custom = keras.Sequential(
        [keras.Input((28, 28)), Doubler(), layers.Flatten(), layers.Dense(10)]
    )

    # A compiled model used as a layer: its compile config names a Keras loss function,
    # serialised exactly like a student's own function would be.
    inner = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(4, 3), layers.Flatten()])
    inner.compile(optimizer="adam", loss=keras.losses.sparse_categorical_crossentropy)
    nested = keras.Sequential([keras.Input((28, 28)), layers.Reshape((28, 28, 1)), inner])
    nested.add(layers.Dense(10, "softmax"))

    broken = keras.Sequential(
        [keras.Input((28, 28)), layers.Flatten(), layers.Dense(128, "relu"), layers.Dense(10)]
    )
    weights = softmax.get_weights()
    weights[-1] = np.full_like(weights[-1], np.nan)
    broken.set_weights(weights)

    for name, model in {
        "logits": logits,
        "softmax": softmax,
        "activation": activation,
        "cifar": cifar,
        "uncompiled": uncompiled,
        "lambda": lambda_model,
        "custom": custom,
        "nan": broken,
        "nested": nested,
    }.items():
        model.save(folder / f"{name}.keras")
    (folder / "garbage.keras").write_bytes(b"not a zip file")
