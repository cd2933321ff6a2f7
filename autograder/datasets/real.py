"""The real datasets, through Keras' own downloader and cache (``KERAS_HOME``).

Using ``keras.datasets.<name>.load_data()`` itself means the grader sees exactly
the arrays a student's notebook would, and shares the cache students and CI
already fill.  When the files are missing and cannot be downloaded this raises a
one-line DatasetError; it never substitutes synthetic data.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import struct
import tempfile
from pathlib import Path

import numpy as np

from autograder.datasets.base import Splits
from autograder.datasets.registry import get_info
from autograder.errors import DatasetError

_GCS = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
_FASHION_FILES = (
    "train-labels-idx1-ubyte.gz",
    "train-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
)

# Where each loader in keras/src/datasets keeps its download, relative to
# <keras home>/datasets, and where it downloads it from.
CACHE_FILES: dict[str, tuple[tuple[str, str], ...]] = {
    "mnist": (("mnist.npz", f"{_GCS}mnist.npz"),),
    "fashion_mnist": tuple((f"fashion-mnist/{f}", f"{_GCS}{f}") for f in _FASHION_FILES),
    "cifar10": (
        (
            "cifar-10-batches-py-target_archive",
            "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
        ),
    ),
    "cifar100": (
        (
            "cifar-100-python-target_archive",
            "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz",
        ),
    ),
}


def load(name: str) -> Splits:
    """The full real dataset; raises DatasetError when it cannot be had."""
    info = get_info(name)
    # Imported here: keras pulls in TensorFlow (seconds), and synthetic-only
    # runs and ``--help`` should not pay for it.
    import keras  # noqa: PLC0415

    loader = getattr(keras.datasets, name).load_data
    try:
        # Keras prints download progress; grading stages never print.
        with contextlib.redirect_stdout(io.StringIO()):
            (x_train, y_train), (x_test, y_test) = loader()
    except Exception as exc:
        raise explain_failure(name, exc, cache_dir()) from exc
    splits = Splits(
        x_train=np.asarray(x_train, np.uint8),
        y_train=np.asarray(y_train, np.uint8),
        x_test=np.asarray(x_test, np.uint8),
        y_test=np.asarray(y_test, np.uint8),
    )
    for split, x in (("train", splits.x_train), ("test", splits.x_test)):
        if x.shape[1:] != info.image_shape:
            raise DatasetError(
                f"the cached real {name} {split} images have shape {x.shape[1:]}, expected "
                f"{info.image_shape}; delete them from {cache_dir()} to download them again"
            )
    return splits


def cache_dir() -> Path:
    """``<keras home>/datasets``, resolved the way Keras resolves it."""
    if "KERAS_HOME" in os.environ:
        home = os.environ["KERAS_HOME"]
    else:
        base = os.path.expanduser("~")
        home = os.path.join(base if os.access(base, os.W_OK) else "/tmp", ".keras")  # noqa: S108  # keras' own fallback
    home = os.path.expanduser(home)
    if not os.access(home, os.W_OK):
        # keras.utils.get_file silently moves to a temporary cache in this case.
        home = os.path.join(tempfile.gettempdir(), ".keras")
    return Path(home) / "datasets"


def explain_failure(name: str, exc: BaseException, datasets_dir: Path) -> DatasetError:
    """Turn a Keras loader failure into one line a user can act on."""
    needed = CACHE_FILES[name]
    missing = [(file, url) for file, url in needed if not (datasets_dir / file).exists()]
    reason = " ".join(str(exc).split()) or type(exc).__name__
    offline = "URL fetch failure" in reason
    # "URL fetch failure on <url>: <errno> -- <reason>": the url is named anyway.
    reason = reason.rpartition(" -- ")[2]
    if missing and offline:
        file, url = missing[0]
        return DatasetError(
            f"real {name} data is not in the Keras cache and could not be downloaded: "
            f"{datasets_dir / file} (from {url}) is missing and this machine appears to be "
            f"offline ({reason}); grade with `--data synthetic`, or copy the file there"
        )
    return DatasetError(
        f"cannot load real {name} data from the Keras cache {datasets_dir}: "
        f"{type(exc).__name__}: {reason}; delete the damaged files to download them "
        "again, or grade with `--data synthetic`"
    )


def write_cache(splits: Splits, home: Path) -> Path:
    """Write Fashion-MNIST ``splits`` where Keras' own loader looks under ``home``.

    The inverse of :func:`load`: ``keras.datasets.fashion_mnist.load_data()`` in a
    process started with ``KERAS_HOME=home`` returns these arrays, offline.  For tests
    and benches that run a notebook outside the grader on the grader's data.  Only
    Fashion-MNIST: Keras checks the MNIST and CIFAR downloads against fixed hashes.
    """
    arrays = {
        "x_train": splits.x_train,
        "y_train": splits.y_train,
        "x_test": splits.x_test,
        "y_test": splits.y_test,
    }
    # CACHE_FILES' order: train labels, train images, test labels, test images.
    keys = ("y_train", "x_train", "y_test", "x_test")
    for key, (file, _url) in zip(keys, CACHE_FILES["fashion_mnist"], strict=True):
        array = np.ascontiguousarray(arrays[key], dtype=np.uint8)
        # The IDX header Keras skips: a magic number (0x0801 labels, 0x0803 images), the dims.
        magic = 0x0801 if array.ndim == 1 else 0x0803
        header = struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in array.shape)
        path = home / "datasets" / file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(header + array.tobytes(), mtime=0))
    return home
