"""The dataset provider: registry, synthetic stand-ins, fractions, npz files, real loading.

No training here (see bench/synthetic_learnability.py).  The real-data tests run
Keras in one subprocess, because Keras reads KERAS_HOME when it is imported.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from autograder import datasets
from autograder.datasets import (
    REGISTRY,
    DataOptions,
    describe,
    get_info,
    load_splits,
    real,
    split_rows,
    synthetic,
)
from autograder.errors import DatasetError

ROOT = Path(__file__).resolve().parents[2]
SMALL = DataOptions(source="synthetic", fraction=0.01)


def _digest(splits: datasets.Splits) -> str:
    sha = hashlib.sha256()
    for array in (splits.x_train, splits.y_train, splits.x_test, splits.y_test):
        sha.update(str((array.dtype.str, array.shape)).encode())
        sha.update(array.tobytes())
    return sha.hexdigest()


# ---------------------------------------------------------------- registry


def test_registry_matches_keras_facts() -> None:
    assert set(REGISTRY) == {"mnist", "fashion_mnist", "cifar10", "cifar100"}
    fashion = get_info("fashion_mnist")
    assert (fashion.image_shape, fashion.train_size, fashion.test_size) == ((28, 28), 60000, 10000)
    assert fashion.class_names[0] == "T-shirt/top"
    assert fashion.class_names[-1] == "Ankle boot"
    assert get_info("mnist").class_names == tuple("0123456789")
    assert get_info("cifar10").class_names[:2] == ("airplane", "automobile")
    assert get_info("cifar10").labels_as_column
    cifar100 = get_info("cifar100").class_names
    assert len(set(cifar100)) == 100
    assert cifar100[0] == "apple"
    assert cifar100[-1] == "worm"
    for info in REGISTRY.values():
        assert len(info.class_names) == info.num_classes


def test_unknown_dataset_names_the_known_ones() -> None:
    with pytest.raises(DatasetError, match=r"unknown dataset 'svhn'; known: cifar10, cifar100"):
        get_info("svhn")
    with pytest.raises(DatasetError, match="unknown dataset"):
        load_splits("svhn", SMALL)


@pytest.mark.parametrize(
    ("size", "fraction", "rows"),
    [(60000, 1.0, 60000), (60000, 0.1, 6000), (100, 0.07, 7), (10, 0.01, 1), (10000, 0.333, 3330)],
)
def test_split_rows_is_ceil_of_fraction(size: int, fraction: float, rows: int) -> None:
    assert split_rows(size, fraction) == rows


def test_describe_names_source_and_fraction() -> None:
    assert describe(SMALL.model_copy(update={"fraction": 0.1})) == (
        "synthetic stand-in, 10% of each split"
    )
    assert describe(DataOptions()) == "real (Keras cache), full"
    assert describe(DataOptions(fraction=0.025)) == "real (Keras cache), 2.5% of each split"


# ---------------------------------------------------------------- synthetic


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_synthetic_has_keras_shapes_dtypes_and_label_layout(name: str) -> None:
    info = get_info(name)
    splits = load_splits(name, SMALL)
    train, test = split_rows(info.train_size, 0.01), split_rows(info.test_size, 0.01)
    assert splits.x_train.shape == (train, *info.image_shape)
    assert splits.x_test.shape == (test, *info.image_shape)
    label_tail = (1,) if info.labels_as_column else ()
    assert splits.y_train.shape == (train, *label_tail)
    assert splits.y_test.shape == (test, *label_tail)
    for array in (splits.x_train, splits.y_train, splits.x_test, splits.y_test):
        assert array.dtype == np.uint8
    assert int(splits.y_train.max()) == info.num_classes - 1
    # Images should use the grey range like real photos: dark and bright pixels.
    assert splits.x_train.min() == 0
    assert splits.x_train.max() == 255


def test_synthetic_is_deterministic_bytes() -> None:
    first = synthetic.generate("fashion_mnist", 1500, 500)
    second = synthetic.generate("fashion_mnist", 1500, 500)
    assert _digest(first) == _digest(second)
    assert not np.array_equal(first.x_train[:500], first.x_test)  # splits differ


# Changes only when the generator changes; then bump GENERATOR_VERSION (it is part
# of npz names and reference-cache keys) and update these fingerprints.
GOLDEN = {
    "fashion_mnist": "0e15a4b0a076bfdc8de1311a311a57cb1afcba1167ad8959215503adf21a1b8d",
    "cifar10": "88d2f10714d4cb8fb8da21703aa8b96455022345ebf0b743896672211acf492c",
}


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_synthetic_fingerprint_is_stable(name: str) -> None:
    assert synthetic.GENERATOR_VERSION == 2
    assert _digest(synthetic.generate(name, 1200, 300)) == GOLDEN[name]


def test_fraction_is_a_prefix_of_the_full_split() -> None:
    small = synthetic.generate("mnist", 750, 130)
    large = synthetic.generate("mnist", 2300, 1000)
    assert np.array_equal(small.x_train, large.x_train[:750])
    assert np.array_equal(small.y_train, large.y_train[:750])
    assert np.array_equal(small.x_test, large.x_test[:130])
    assert np.array_equal(small.y_test, large.y_test[:130])


def test_full_synthetic_classes_are_balanced_like_the_real_data() -> None:
    splits = load_splits("fashion_mnist", DataOptions(source="synthetic"))
    assert splits.x_train.shape == (60000, 28, 28)
    assert np.bincount(splits.y_train).tolist() == [6000] * 10
    assert np.bincount(splits.y_test).tolist() == [1000] * 10
    small = synthetic.generate("cifar100", 1000, 0)
    assert np.bincount(small.y_train.ravel(), minlength=100).tolist() == [10] * 100


def test_classes_differ_on_average() -> None:
    splits = synthetic.generate("fashion_mnist", 3000, 0)
    means = np.stack([splits.x_train[splits.y_train == c].mean(axis=0) for c in range(10)])
    distances = np.abs(means[:, None] - means[None, :]).mean(axis=(2, 3))
    assert distances[~np.eye(10, dtype=bool)].min() > 1.0


@pytest.mark.parametrize(
    ("name", "zero_share", "mean"),
    # Real: Fashion-MNIST ~50 % zero pixels, mean 72.9; MNIST ~81 % zero, mean 33.3.
    [("fashion_mnist", (0.4, 0.7), (35, 80)), ("mnist", (0.75, 0.92), (8, 40))],
)
def test_grey_stand_ins_keep_a_black_background_like_the_real_data(
    name: str, zero_share: tuple[float, float], mean: tuple[float, float]
) -> None:
    """Exact-zero background and centred objects are why unscaled Adam still learns."""
    x = synthetic.generate(name, 2000, 0).x_train
    assert zero_share[0] < (x == 0).mean() < zero_share[1]
    assert mean[0] < x.mean() < mean[1]
    # Centred: the corners are background in (nearly) every image.
    assert (x[:, :3, :3] == 0).mean() > 0.97


def test_load_splits_is_memoised_and_read_only() -> None:
    first = load_splits("mnist", SMALL)
    assert load_splits("mnist", DataOptions(source="synthetic", fraction=0.01)) is first
    assert not first.x_train.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        first.x_train[0, 0, 0] = 1


# ---------------------------------------------------------------- npz files


def test_save_npz_round_trips_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / datasets.npz_name("cifar10", SMALL)
    splits = load_splits("cifar10", SMALL)
    datasets.save_npz(splits, path)
    with np.load(path) as data:  # as the kernel-side provider reads it
        assert sorted(data.files) == ["x_test", "x_train", "y_test", "y_train"]
        for key in data.files:
            assert np.array_equal(data[key], getattr(splits, key))
            assert data[key].dtype == np.uint8
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary files left


def test_npz_names_differ_with_options(tmp_path: Path) -> None:
    names = {
        datasets.npz_name("mnist", SMALL),
        datasets.npz_name("mnist", DataOptions(source="synthetic", fraction=0.02)),
        datasets.npz_name("mnist", DataOptions(source="real", fraction=0.01)),
        datasets.npz_name("fashion_mnist", SMALL),
    }
    assert len(names) == 4
    assert datasets.npz_name("mnist", SMALL) == datasets.npz_name("mnist", SMALL)


# ---------------------------------------------------------------- real data


def test_importing_the_provider_does_not_import_keras() -> None:
    code = "import sys, autograder.datasets; print('keras' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"


def test_offline_error_names_the_missing_file(tmp_path: Path) -> None:
    exc = Exception(
        "URL fetch failure on https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
        "mnist.npz: None -- [Errno 111] Connection refused"
    )
    message = str(real.explain_failure("mnist", exc, tmp_path / "datasets"))
    assert "\n" not in message
    assert str(tmp_path / "datasets" / "mnist.npz") in message
    assert "offline" in message
    assert "[Errno 111] Connection refused" in message
    assert "--data synthetic" in message


def test_damaged_cache_error_is_not_called_offline(tmp_path: Path) -> None:
    (tmp_path / "mnist.npz").write_bytes(b"junk")
    message = str(real.explain_failure("mnist", ValueError("bad\nzip"), tmp_path))
    assert "\n" not in message
    assert "offline" not in message
    assert "ValueError: bad zip" in message


def test_cache_dir_follows_keras_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert real.cache_dir() == tmp_path / "datasets"
    # Keras itself falls back to a temporary cache when KERAS_HOME is not writable.
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "missing"))
    assert real.cache_dir().parent.name == ".keras"


KerasHome = Callable[[Path, Mapping[str, Any]], Path]  # the fashion_keras_home fixture

_REAL_SCRIPT = textwrap.dedent(
    """
    import json, sys
    import numpy as np
    from autograder.datasets import DataOptions, load_splits
    from autograder.errors import DatasetError

    out = {}
    full = load_splits("fashion_mnist", DataOptions(source="real"))
    half = load_splits("fashion_mnist", DataOptions(source="real", fraction=0.5))
    np.savez(sys.argv[1], *(getattr(full, k) for k in ("x_train", "y_train", "x_test", "y_test")))
    out["half"] = [list(half.x_train.shape), list(half.y_test.shape)]
    try:
        load_splits("mnist", DataOptions(source="real"))
    except DatasetError as exc:
        out["mnist"] = str(exc)
    print("RESULT " + json.dumps(out))
    """
)


@pytest.fixture(scope="module")
def real_run(
    tmp_path_factory: pytest.TempPathFactory, fashion_keras_home: KerasHome
) -> dict[str, Any]:
    """One Keras subprocess with a private KERAS_HOME holding only fashion-mnist files."""
    rng = np.random.default_rng(0)
    arrays = {
        "x_train": rng.integers(0, 256, (50, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, 50, dtype=np.uint8),
        "x_test": rng.integers(0, 256, (20, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, 20, dtype=np.uint8),
    }
    home = fashion_keras_home(tmp_path_factory.mktemp("keras_home"), arrays)
    # A closed local port: downloads fail at once instead of waiting on a network.
    proxy = "http://127.0.0.1:9"
    env = {
        **os.environ,
        "KERAS_HOME": str(home),
        "TF_CPP_MIN_LOG_LEVEL": "3",
        **dict.fromkeys(("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"), proxy),
        "no_proxy": "",
        "NO_PROXY": "",
    }
    saved = home / "loaded.npz"
    done = subprocess.run(
        [sys.executable, "-c", _REAL_SCRIPT, str(saved)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert len(lines) == 1, f"the provider printed: {done.stdout!r}"
    with np.load(saved) as data:
        loaded = [data[f"arr_{i}"] for i in range(4)]
    result: dict[str, Any] = json.loads(lines[0].removeprefix("RESULT "))
    result.update(arrays=arrays, loaded=loaded, home=home)
    return result


def test_real_fashion_mnist_round_trips_through_keras_cache(real_run: dict[str, Any]) -> None:
    arrays = real_run["arrays"]
    for key, got in zip(
        ("x_train", "y_train", "x_test", "y_test"), real_run["loaded"], strict=True
    ):
        assert got.dtype == np.uint8
        assert np.array_equal(got, arrays[key])
    assert real_run["half"] == [[25, 28, 28], [10]]


def test_real_mnist_offline_raises_one_line_dataset_error(real_run: dict[str, Any]) -> None:
    message = real_run["mnist"]
    assert "\n" not in message
    assert str(Path(real_run["home"]) / "datasets" / "mnist.npz") in message
    assert "offline" in message
    assert "--data synthetic" in message
