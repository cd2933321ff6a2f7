"""Canaries: test rows of the kernel's copy whose labels only the grader knows.

The kernel gets the labelled test split (students evaluate on it), so a fit on
``x_test`` cannot be prevented, and a fit the recorder never saw
(``fit.__wrapped__``, weights trained at home) cannot be fingerprinted.  Instead a
few dozen test rows of the kernel's copy are replaced by secret random templates,
each with a uniformly random label.  A model that trained on those rows learns the
planted labels; a model that did not predicts them at chance.

Shapes never change, and the share of replaced rows stays under ``MAX_SHARE`` so a
student's own test numbers move by less than half a point.  The grader's copy of
the test split (which it measures on) has no canaries.  The secret is a random key
in the grader's cache dir, created once, so grading stays deterministic per
installation and the sandboxed kernel (which cannot read the cache dir) cannot
recompute the templates or their labels.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import platformdirs

from autograder.datasets import split_rows
from autograder.datasets.base import Splits
from autograder.datasets.registry import get_info
from autograder.rubric.models import DatasetSpec

COPIES = 3
"""Rows per template: a fit that sees them learns the label, a handful of rows only."""
MAX_SHARE = 0.004
"""Most of the kernel's test rows that may be canaries (moves test accuracy < 0.5 point)."""
FALSE_ALARM = 1e-5
"""Largest chance that honest work reaches the threshold (see ``threshold``)."""


@dataclass(frozen=True)
class Canaries:
    """The secret templates and their planted labels (the same for every copy of a dataset)."""

    templates: npt.NDArray[np.uint8]
    """(K, *image_shape): the rows, exactly as planted."""
    labels: npt.NDArray[np.int64]
    """(K,): the planted label of each template."""
    num_classes: int
    seed: int
    """Derived from the key: where the rows go is as secret as what they hold."""

    @property
    def threshold(self) -> int:
        return threshold(len(self.labels), self.num_classes)


def templates_for(num_classes: int) -> int:
    """How many templates make a false alarm rarer than FALSE_ALARM (more when few classes)."""
    count = 8
    while threshold(count, num_classes) > count:
        count += 2
    return count


def threshold(templates: int, num_classes: int) -> int:
    """Smallest match count an honest model reaches with probability <= FALSE_ALARM.

    An honest model's predictions on the templates do not depend on the planted
    labels, which are uniform and independent, so its matches are exactly
    Binomial(K, 1/C) whatever it predicts.  For K=8, C=10 the threshold is 7:
    P(X >= 7) = 8 * 0.1^7 * 0.9 + 0.1^8 = 7.3e-7.  Returns K+1 when no count is rare enough.
    """
    p = 1.0 / num_classes
    tail = 0.0
    for k in range(templates, -1, -1):
        tail += math.comb(templates, k) * p**k * (1 - p) ** (templates - k)
        if tail > FALSE_ALARM:
            return k + 1
    return 0


def secret_key_path(directory: Path | None = None) -> Path:
    """Where this installation's canary key lives: the grader's user cache dir, which
    no kernel sandbox mounts."""
    directory = directory or platformdirs.user_cache_path("autograder", appauthor=False)
    return directory / "canary.key"


def secret_key(directory: Path | None = None) -> bytes:
    """This installation's canary key, created once (0600) in the user cache dir."""
    path = secret_key_path(directory)
    directory = path.parent
    if not path.is_file():
        directory.mkdir(parents=True, exist_ok=True)
        # Written whole, then linked into place: threads and evaluator processes
        # racing on a first run all end up reading the one key that won.
        fd, staged = tempfile.mkstemp(dir=directory, prefix=".canary-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(32))
            with contextlib.suppress(FileExistsError):
                os.link(staged, path)
        finally:
            os.unlink(staged)
    with path.open("rb") as handle:
        key = handle.read(64)
    if len(key) < 16:
        raise ValueError(f"{path}: canary key too short; delete it to make a new one")
    return key


def plan(key: bytes, *, dataset: str, image_shape: tuple[int, ...], num_classes: int) -> Canaries:
    """The canaries of one dataset: both the kernel-copy writer and the evaluator derive them."""
    count = templates_for(num_classes)
    digest = hashlib.sha256(key + f"|{dataset}|{image_shape}|{num_classes}".encode()).digest()
    seed = int.from_bytes(digest[:16], "big")
    rng = np.random.default_rng(seed)
    templates = rng.integers(0, 256, size=(count, *image_shape), dtype=np.uint8)
    labels = rng.integers(0, num_classes, size=count).astype(np.int64)
    return Canaries(templates, labels, num_classes, seed)


def positions(canaries: Canaries, test_rows: int, fraction: float) -> npt.NDArray[np.int64] | None:
    """(K, COPIES) test-row indices of the copies; None when the split is too small.

    They lie inside the leading ``split_rows(test_rows, fraction)`` rows, the ones a
    fit shortened by ``--fraction`` still sees.
    """
    count = len(canaries.labels)
    rows = count * COPIES
    leading = split_rows(test_rows, fraction)
    if rows > MAX_SHARE * test_rows or rows > leading:
        return None
    rng = np.random.default_rng([canaries.seed, test_rows, leading])
    return rng.choice(leading, size=rows, replace=False).astype(np.int64).reshape(count, COPIES)


def plant(splits: Splits, canaries: Canaries, fraction: float) -> Splits:
    """The kernel's copy: the same arrays, with the canary rows replaced (when it has room)."""
    where = positions(canaries, len(splits.x_test), fraction)
    if where is None or splits.x_test.shape[1:] != canaries.templates.shape[1:]:
        return splits
    x_test, y_test = splits.x_test.copy(), splits.y_test.copy()
    for index, rows in enumerate(where):
        x_test[rows] = canaries.templates[index]
        y_test[rows] = canaries.labels[index].astype(y_test.dtype)
    return Splits(splits.x_train, splits.y_train, x_test, y_test)


def matches(predicted: npt.NDArray[np.int64], canaries: Canaries) -> int:
    """Templates whose (majority) predicted class is the planted label.

    ``predicted`` is (K, V): the model's class for V grader-side variants of each
    template (the template itself, light noise); the majority vote makes one
    template one Bernoulli(1/C) trial for honest work.
    """
    votes = [np.bincount(row, minlength=canaries.num_classes).argmax() for row in predicted]
    return int(np.sum(np.asarray(votes) == canaries.labels))


def variants(canaries: Canaries, count: int = 5, noise: float = 4.0) -> npt.NDArray[np.uint8]:
    """(K * count, *shape): each template and noisy copies only the grader makes."""
    rng = np.random.default_rng(0)
    base = np.repeat(canaries.templates.astype(np.float64), count, axis=0)
    jitter = rng.normal(0.0, noise, size=base.shape)
    jitter[::count] = 0.0
    return np.clip(np.rint(base + jitter), 0, 255).astype(np.uint8)


def for_spec(spec: DatasetSpec, key: bytes | None = None) -> Canaries:
    """The canaries of a rubric's dataset, under this installation's key."""
    key = key if key is not None else secret_key()
    if spec.declared is not None:
        shape, classes = tuple(spec.declared.input_shape), spec.declared.classes
        return plan(key, dataset=spec.declared.name, image_shape=shape, num_classes=classes)
    info = get_info(spec.name)
    return plan(key, dataset=spec.name, image_shape=info.image_shape, num_classes=info.num_classes)
