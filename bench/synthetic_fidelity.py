"""Do the synthetic stand-ins fail where the real data fails, and only there?

Offline grading is only trustworthy if the usual student mistakes cost on the
synthetic data what they cost on the real data: forgetting ``/ 255.0`` with Adam
still learns on real Fashion-MNIST, so it must on the stand-in too.  This script
trains each variant on the synthetic data and prints a table next to the accuracy
known on the real data, with where that figure comes from::

    .venv/bin/python bench/synthetic_fidelity.py                 # all, ~4 min on 2 cores
    .venv/bin/python bench/synthetic_fidelity.py --only mnist --fraction 0.1

The real figures cannot be measured here (no network for data): each one is cited
from a published source or a real hand-in (``/work/shared/seeds``), and labelled so.
Runs use a fraction of the training split.  Where the number of optimizer steps is
what the real figure measures, the run keeps the real run's: ``batch_size=10000`` is
scaled by the fraction (the real run's 6 steps per epoch), and the slow learners
(all sigmoid, learning rate 1e-4) train for epochs / fraction.
The test split is always used whole.
"""

from __future__ import annotations

import argparse
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np

from autograder.datasets import get_info, synthetic

TF_TUTORIAL = (
    "TensorFlow 'Basic classification' tutorial (tensorflow.org/tutorials/keras/"
    "classification): test accuracy ~0.88 after 10 epochs; hand-in seed 004: 0.8771"
)
ISSUE_16 = (
    "issue 16 (an instructor's run on real Fashion-MNIST, not reproducible here); "
    "runs vary: datascience.stackexchange.com/q/39929 reports 0.10 with TF 1.x"
)
SAME_LOSS = (
    "same optimisation as the reference: categorical_crossentropy on one-hot labels is "
    "sparse_categorical_crossentropy on integers (keras.io/api/losses)"
)
LAB_2 = "MNIST lab hand-in (seed 002, 'Laboratorio 2')"
PRACTICA_8 = "CIFAR-10 hand-in (seed 003, 'Práctica 8'): train 0.511, test 0.466"
LAB_DEEP = (520, 300, 250, 130, 60)
"""The lab's best deep network, which its later exercises modify."""


@dataclass(frozen=True)
class Variant:
    dataset: str
    name: str
    real: float
    """Test accuracy known on the real data."""
    source: str
    units: tuple[int, ...] = (128,)
    activations: tuple[str, ...] = ("relu",)
    """One per hidden layer; a single entry applies to all of them."""
    scale: bool = True
    one_hot: bool = False
    optimizer: Callable[[], Any] = field(default=lambda: keras.optimizers.Adam(1e-3))
    epochs: int = 10
    batch_size: int = 32
    scale_batch: bool = False
    """Scale ``batch_size`` by the fraction (a whole-split batch count, see above)."""
    keep_steps: bool = False
    """Multiply the epochs by 1/fraction: slow learners (sigmoid, a tiny learning
    rate) are limited by the number of optimizer steps, which must be the real run's."""


def _adam(rate: float) -> Callable[[], Any]:
    return lambda: keras.optimizers.Adam(rate)


MIXED = ("relu", "tanh", "sigmoid", "sigmoid", "sigmoid")

VARIANTS: tuple[Variant, ...] = (
    # Fashion-MNIST, the tutorial's model: Flatten -> Dense(128, relu) -> Dense(10).
    Variant("fashion_mnist", "reference", 0.88, TF_TUTORIAL),
    Variant("fashion_mnist", "unscaled pixels, Adam", 0.80, ISSUE_16, scale=False),
    Variant("fashion_mnist", "one-hot + categorical CE", 0.88, SAME_LOSS, one_hot=True),
    # MNIST lab: Dense(300) baseline, then the deep network's variants; 5 epochs, batch 100.
    Variant(
        "mnist", "Dense(300), batch 100", 0.9788, LAB_2 + " §1", (300,), epochs=5, batch_size=100
    ),
    Variant(
        "mnist",
        "5 layers, all sigmoid",
        0.9578,
        LAB_2 + " §4",
        LAB_DEEP,
        ("sigmoid",),
        epochs=5,
        batch_size=100,
        keep_steps=True,
    ),
    Variant(
        "mnist",
        "5 layers mixed, batch 10,000",
        0.6422,
        LAB_2 + " §6 (its table also lists 0.7951)",
        LAB_DEEP,
        MIXED,
        epochs=5,
        batch_size=10_000,
        scale_batch=True,
    ),
    Variant(
        "mnist",
        "5 layers mixed, lr 1e-4",
        0.9150,
        LAB_2 + " §7",
        LAB_DEEP,
        MIXED,
        optimizer=_adam(1e-4),
        epochs=5,
        batch_size=100,
        keep_steps=True,
    ),
    Variant(
        "mnist",
        "5 layers mixed, lr 0.02",
        0.9774,
        LAB_2 + " §7 table",
        LAB_DEEP,
        MIXED,
        optimizer=_adam(0.02),
        epochs=5,
        batch_size=100,
    ),
    # CIFAR-10 MLP: 3 x Dense(32, relu), Adam 1e-3, 5 epochs, batch 128.
    Variant("cifar10", "3 x Dense(32)", 0.466, PRACTICA_8, (32, 32, 32), epochs=5, batch_size=128),
)


def _model(variant: Variant, shape: tuple[int, ...], classes: int) -> keras.Model:
    acts = variant.activations * len(variant.units) if len(variant.activations) == 1 else None
    layers: list[Any] = [keras.Input(shape), keras.layers.Flatten()]
    for units, act in zip(variant.units, acts or variant.activations, strict=True):
        layers.append(keras.layers.Dense(units, activation=act))
    layers.append(keras.layers.Dense(classes, activation="softmax"))
    return keras.Sequential(layers)


def run(variant: Variant, fraction: float, seed: int) -> tuple[float, float, float]:
    """Test accuracy, train accuracy and seconds of one variant on synthetic data."""
    info = get_info(variant.dataset)
    data = synthetic.generate(
        variant.dataset, math.ceil(fraction * info.train_size), info.test_size
    )
    divisor = np.float32(255 if variant.scale else 1)
    x_train = data.x_train.astype(np.float32) / divisor
    x_test = data.x_test.astype(np.float32) / divisor
    y_train, y_test = data.y_train.reshape(-1), data.y_test.reshape(-1)
    loss = "sparse_categorical_crossentropy"
    if variant.one_hot:
        loss = "categorical_crossentropy"
        y_train = keras.utils.to_categorical(y_train, info.num_classes)
        y_test = keras.utils.to_categorical(y_test, info.num_classes)
    batch = variant.batch_size
    if variant.scale_batch:
        batch = max(1, round(batch * len(x_train) / info.train_size))
    epochs = variant.epochs
    if variant.keep_steps:
        epochs = max(epochs, round(epochs * info.train_size / len(x_train)))
    keras.utils.set_random_seed(seed)
    model = _model(variant, info.image_shape, info.num_classes)
    model.compile(optimizer=variant.optimizer(), loss=loss, metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(x_train, y_train, epochs=epochs, batch_size=batch, verbose=0)
    seconds = time.perf_counter() - start
    _, train_acc = model.evaluate(x_train, y_train, batch_size=1024, verbose=0)
    _, test_acc = model.evaluate(x_test, y_test, batch_size=1024, verbose=0)
    return float(test_acc), float(train_acc), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fraction", type=float, default=0.2, help="of each training split")
    parser.add_argument("--only", choices=sorted({v.dataset for v in VARIANTS}), default=None)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(
        f"synthetic: {args.fraction:g} of each training split, whole test split, seed {args.seed}"
    )
    print(
        "| dataset | variant | real test acc. | synthetic test acc. (train) | fit s "
        "| source of the real figure |"
    )
    print("|---|---|---|---|---|---|")
    for variant in VARIANTS:
        if args.only and variant.dataset != args.only:
            continue
        test, train, seconds = run(variant, args.fraction, args.seed)
        print(
            f"| {variant.dataset} | {variant.name} | {variant.real:.3f} | "
            f"{test:.3f} ({train:.3f}) | {seconds:.0f} | {variant.source} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
