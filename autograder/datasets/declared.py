"""Datasets a rubric declares itself (``dataset: {name: declared, declared: {...}}``).

Small exercises (the toy network of Taller 3) need data no Keras loader has.  The
rubric gives shape, classes and sizes; the arrays follow from that declaration alone,
so every grader, every reference run and every kernel sees the same bytes.  Real and
synthetic sources are the same thing here: the declaration *is* the dataset.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np

from autograder.datasets import split_rows
from autograder.datasets.base import DataOptions, Splits
from autograder.rubric.models import DeclaredDataset

# Bump when the recipe changes, like synthetic.GENERATOR_VERSION.
GENERATOR_VERSION = 1


def generate(spec: DeclaredDataset, options: DataOptions) -> Splits:
    """The declared dataset, cut to ``options.fraction`` of each split."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(_seed(spec))))
    prototypes = rng.uniform(0, 255, size=(spec.classes, *spec.input_shape))
    x_train, y_train = _draw(rng, spec, prototypes, spec.train_size)
    x_test, y_test = _draw(rng, spec, prototypes, spec.test_size)
    train = split_rows(spec.train_size, options.fraction)
    test = split_rows(spec.test_size, options.fraction)
    return Splits(
        x_train=x_train[:train], y_train=y_train[:train], x_test=x_test[:test], y_test=y_test[:test]
    )


def fingerprint(spec: DeclaredDataset) -> str:
    """Changes whenever the generated arrays could."""
    return hashlib.sha256(f"{GENERATOR_VERSION}:{_canonical(spec)}".encode()).hexdigest()[:12]


def _canonical(spec: DeclaredDataset) -> str:
    return json.dumps(spec.model_dump(mode="json"), sort_keys=True)


def _seed(spec: DeclaredDataset) -> list[int]:
    # Every field feeds the seed: editing the declaration gives new data, never stale data.
    text = f"autograder-declared-v{GENERATOR_VERSION}:{_canonical(spec)}"
    digest = hashlib.sha256(text.encode())
    return [int.from_bytes(digest.digest()[:8], "little"), spec.seed]


def _draw(
    rng: np.random.Generator, spec: DeclaredDataset, prototypes: np.ndarray, rows: int
) -> tuple[np.ndarray, np.ndarray]:
    labels = rng.integers(0, spec.classes, rows)
    drawn = labels.copy()
    wrong = rng.random(rows) < spec.label_noise
    # The image comes from another class: a wrong label, as in hand-labelled data.
    drawn[wrong] = (labels[wrong] + rng.integers(1, spec.classes, int(wrong.sum()))) % spec.classes
    x = prototypes[drawn] + rng.normal(0.0, spec.noise, size=(rows, *spec.input_shape))
    return np.clip(np.rint(x), 0, 255).astype(np.uint8), labels.astype(np.uint8)
