"""The grader's copy of the data: real (Keras cache) or synthetic, whole or a fraction.

``load_splits`` feeds the grader's own measurements; ``save_npz`` puts splits in a
file that the kernel-side provider serves to the student's
``keras.datasets.<name>.load_data()``.  Nothing here falls back from real to
synthetic data: the caller picks the source and the reports name it.
"""

from __future__ import annotations

import hashlib
import math
import os
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

from autograder.datasets import real, synthetic
from autograder.datasets.base import DataOptions, DatasetInfo, Splits
from autograder.datasets.registry import REGISTRY, get_info

__all__ = [
    "REGISTRY",
    "DataOptions",
    "DatasetInfo",
    "Splits",
    "describe",
    "get_info",
    "load_splits",
    "save_npz",
    "split_rows",
]

# A batch grades one dataset, a reference run maybe a second; full CIFAR is
# ~180 MB, so a couple of entries is plenty.
_CACHE_SIZE = 3
_cache: OrderedDict[tuple[str, DataOptions], Splits] = OrderedDict()
# Held while loading too: two threads asking for the same data load it once.
_lock = threading.Lock()


def split_rows(size: int, fraction: float) -> int:
    """How many leading rows of a split of ``size`` a ``fraction`` keeps (at least one)."""
    # The epsilon keeps 0.07 * 100 = 7.000000000000001 from becoming 8.
    return max(1, min(size, math.ceil(size * fraction - 1e-9)))


def load_splits(name: str, options: DataOptions) -> Splits:
    """Raw uint8 arrays as ``keras.datasets.<name>.load_data()`` returns them.

    Each split is cut to its first ``ceil(n * fraction)`` rows.  Results are
    memoised and read-only, since every submission of a batch shares them.
    Raises DatasetError for unknown names and real data that cannot be loaded.
    """
    info = get_info(name)
    key = (name, options)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
        splits = _load(info, options)
        for array in (splits.x_train, splits.y_train, splits.x_test, splits.y_test):
            array.flags.writeable = False
        _cache[key] = splits
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
        return splits


def _load(info: DatasetInfo, options: DataOptions) -> Splits:
    if options.source == "synthetic":
        return synthetic.generate(
            info.name,
            split_rows(info.train_size, options.fraction),
            split_rows(info.test_size, options.fraction),
        )
    full = real.load(info.name)
    # Cut by what the cache holds: the registry's sizes are what it should hold.
    train = split_rows(len(full.x_train), options.fraction)
    test = split_rows(len(full.x_test), options.fraction)
    # Copies, so a fraction does not keep the whole dataset alive in the cache.
    return Splits(
        x_train=full.x_train[:train].copy(),
        y_train=full.y_train[:train].copy(),
        x_test=full.x_test[:test].copy(),
        y_test=full.y_test[:test].copy(),
    )


def npz_name(name: str, options: DataOptions) -> str:
    """A file name that changes whenever the arrays could."""
    tag = f"{options.source}-{options.fraction!r}"
    if options.source == "synthetic":
        tag += f"-v{synthetic.GENERATOR_VERSION}"
    digest = hashlib.sha256(tag.encode()).hexdigest()[:12]
    return f"{name}-{options.source}-{digest}.npz"


def save_npz(splits: Splits, path: Path) -> None:
    """Write ``splits`` as the kernel-side provider reads them, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write then rename, so a parallel grader never reads a half-written file.
    handle, temp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".npz", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            np.savez(
                stream,
                x_train=splits.x_train,
                y_train=splits.y_train,
                x_test=splits.x_test,
                y_test=splits.y_test,
            )
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def describe(options: DataOptions) -> str:
    """One line for reports, e.g. ``synthetic stand-in, 10% of each split``."""
    source = "synthetic stand-in" if options.source == "synthetic" else "real (Keras cache)"
    if options.fraction >= 1:
        return f"{source}, full"
    return f"{source}, {options.fraction * 100:.4g}% of each split"
