"""Train the exercises' models on synthetic data and print what they reach.

The synthetic stand-ins must behave like the real data: the reference model lands
at a realistic, non-perfect accuracy, a much bigger model overfits more, and
unscaled pixels with plain SGD train badly.  This script is the evidence::

    .venv/bin/python bench/synthetic_learnability.py fashion_mnist
    .venv/bin/python bench/synthetic_learnability.py cifar10 --models cifar_mlp
    .venv/bin/python bench/synthetic_learnability.py mnist --fraction 0.2 --epochs 5

Train accuracy is measured with ``evaluate`` after training (as the grader does),
not the running average ``fit`` reports.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np

from autograder.datasets import DataOptions, get_info, load_splits

Builder = Callable[[tuple[int, ...], int], keras.Model]


def _dense_stack(units: tuple[int, ...]) -> Builder:
    def build(shape: tuple[int, ...], classes: int) -> keras.Model:
        layers: list[Any] = [keras.Input(shape), keras.layers.Flatten()]
        layers += [keras.layers.Dense(u, activation="relu") for u in units]
        layers.append(keras.layers.Dense(classes, activation="softmax"))
        return keras.Sequential(layers)

    return build


# name -> (builder, optimizer factory, scale pixels by 1/255, default epochs, batch size)
MODELS: dict[str, tuple[Builder, Callable[[], Any], bool, int, int]] = {
    # Fashion-MNIST exercise: the tutorial's model and the "three Dense(500)" variant.
    "reference": (_dense_stack((128,)), lambda: "adam", True, 10, 32),
    "big": (_dense_stack((500, 500, 500)), lambda: "adam", True, 10, 32),
    # A grading example: forgetting `/ 255.0` with plain SGD should train badly.
    "unscaled_sgd": (
        _dense_stack((128,)),
        lambda: keras.optimizers.SGD(learning_rate=0.01),
        False,
        5,
        32,
    ),
    # CIFAR-10 exercise: three Dense(32), Adam 1e-3, 5 epochs, batch 128.
    "cifar_mlp": (
        _dense_stack((32, 32, 32)),
        lambda: keras.optimizers.Adam(learning_rate=1e-3),
        True,
        5,
        128,
    ),
}


def run(dataset: str, fraction: float, model_name: str, epochs: int | None, seed: int) -> None:
    build, optimizer, scale, default_epochs, batch = MODELS[model_name]
    info = get_info(dataset)
    splits = load_splits(dataset, DataOptions(source="synthetic", fraction=fraction))
    divisor = 255.0 if scale else 1.0
    x_train = splits.x_train.astype("float32") / divisor
    x_test = splits.x_test.astype("float32") / divisor
    keras.utils.set_random_seed(seed)
    model = build(info.image_shape, info.num_classes)
    model.compile(
        optimizer=optimizer(), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    start = time.perf_counter()
    model.fit(x_train, splits.y_train, epochs=epochs or default_epochs, batch_size=batch, verbose=0)
    seconds = time.perf_counter() - start
    _, train_acc = model.evaluate(x_train, splits.y_train, batch_size=1024, verbose=0)
    _, test_acc = model.evaluate(x_test, splits.y_test, batch_size=1024, verbose=0)
    print(
        f"{dataset:14s} {model_name:13s} params={model.count_params():>7d} "
        f"test={test_acc:.4f} train={train_acc:.4f} gap={train_acc - test_acc:+.4f} "
        f"fit={seconds:.0f}s",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", choices=["mnist", "fashion_mnist", "cifar10", "cifar100"])
    parser.add_argument("--fraction", type=float, default=1.0)
    parser.add_argument("--models", nargs="+", default=["reference", "big"], choices=MODELS)
    parser.add_argument("--epochs", type=int, default=None, help="default: the exercise's")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    np.set_printoptions(precision=4)
    for model_name in args.models:
        run(args.dataset, args.fraction, model_name, args.epochs, args.seed)


if __name__ == "__main__":
    main()
