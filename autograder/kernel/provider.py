"""Runs INSIDE the student's kernel: the grader's data and the Colab leftovers.

Sent as source text with :mod:`autograder.kernel.bootstrap` (same private namespace),
so it imports nothing from ``autograder``.  It makes ``keras.datasets.<name>.load_data()``
and ``tfds.load(...)`` return the grader's arrays, always with the full shapes of the
real splits (a ``--fraction`` shortens training in the fit wrapper, never the data),
and turns Colab-only calls (``drive.mount``, ``files.upload()``, ``/content`` paths)
into one sentence each.  Every sentence comes from the grader's catalog, rendered in
the student's language and passed in ``config["messages"]``.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import importlib.abc
import os
import sys
import types
from typing import Any

_NAMES = ("mnist", "fashion_mnist", "cifar10", "cifar100")
# The versions tfds' catalog gives these datasets, so `info.full_name` reads as usual.
_TFDS_VERSIONS = {
    "mnist": "3.0.1",
    "fashion_mnist": "3.0.1",
    "cifar10": "3.0.2",
    "cifar100": "3.0.2",
}


class _Provider:
    """The datasets this kernel may load, read once from the grader's .npz files."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.paths = {str(k): str(v) for k, v in dict(config.get("datasets", {})).items()}
        self.info = dict(config.get("dataset_info", {}))
        self.messages = {str(k): str(v) for k, v in dict(config.get("messages", {})).items()}
        self._arrays: dict[str, tuple[Any, Any, Any, Any]] = {}

    def sentence(self, key: str, **args: Any) -> str:
        template = self.messages.get(key, key)
        try:
            return template.format(**args)
        except (KeyError, IndexError, ValueError):
            return template

    def arrays(self, name: str) -> tuple[Any, Any, Any, Any]:
        """x_train, y_train, x_test, y_test as load_data() returns them (full splits)."""
        if name not in self.paths:
            available = ", ".join(sorted(self.paths)) or "-"
            raise RuntimeError(self.sentence("dataset_unavailable", name=name, available=available))
        if name not in self._arrays:
            import numpy as np

            with np.load(self.paths[name]) as data:
                loaded = tuple(data[k] for k in ("x_train", "y_train", "x_test", "y_test"))
            for array in loaded:
                array.flags.writeable = False  # one shared copy; students get copies
            self._arrays[name] = loaded
        return self._arrays[name]

    def load_data(self, name: str) -> Any:
        x_train, y_train, x_test, y_test = self.arrays(name)
        # Copies: a notebook that normalises in place (x /= 255 on a float copy, or
        # x[...] = ...) must not change what the next load_data() call returns.
        return (x_train.copy(), y_train.copy()), (x_test.copy(), y_test.copy())


def _install_keras_loaders(provider: _Provider) -> None:
    """Make every ``*.datasets.<name>.load_data`` return the grader's arrays."""

    def make_loader(name: str) -> Any:
        def load_data(*args: Any, **kwargs: Any) -> Any:
            return provider.load_data(name)

        load_data.__doc__ = f"{name}.load_data, served by the autograder's dataset provider."
        return load_data

    # Patch the implementation modules first so that API modules imported later
    # (``from keras.src.datasets.x import load_data``) pick up the provider too.
    for name in _NAMES:
        with contextlib.suppress(ImportError):
            importlib.import_module(f"keras.src.datasets.{name}")
    try:
        import tensorflow as tf

        for name in _NAMES:
            getattr(tf.keras.datasets, name)  # force the lazy tf.keras aliases to load
    except Exception:  # noqa: BLE001, S110  # tensorflow-less kernels still get keras.datasets
        pass
    for module_name, module in list(sys.modules.items()):
        tail = module_name.rsplit(".", 2)
        if (
            len(tail) >= 2
            and tail[-2] == "datasets"
            and tail[-1] in _NAMES
            and hasattr(module, "load_data")
        ):
            setattr(module, "load_data", make_loader(tail[-1]))  # noqa: B010


# --- tensorflow_datasets ----------------------------------------------------------------


def _tfds_info(tfds: Any, provider: _Provider, name: str) -> Any:
    """A real ``tfds.core.DatasetInfo`` for the served arrays (names, shapes, split sizes)."""
    # tfds ships no type information: one ignore for its package covers both.
    from tensorflow_datasets.core import naming  # type: ignore[import-untyped]
    from tensorflow_datasets.core import splits as splits_lib

    x_train, _, x_test, _ = provider.arrays(name)
    facts = provider.info.get(name, {})
    shape = tuple(x_train.shape[1:]) + ((1,) if x_train.ndim == 3 else ())
    names = [str(n) for n in facts.get("class_names", [])] or None
    features = tfds.features.FeaturesDict(
        {
            "image": tfds.features.Image(shape=shape),
            "label": tfds.features.ClassLabel(names=names)
            if names
            else tfds.features.ClassLabel(num_classes=int(facts.get("num_classes", 10))),
        }
    )
    data_dir = f"/autograder/tensorflow_datasets/{name}"
    # A file template, so that sub-split sizes (`splits['train[:80%]'].num_examples`)
    # resolve the way they do on a prepared dataset; no file is ever read.
    split_infos = [
        splits_lib.SplitInfo(
            name=split,
            shard_lengths=[len(x)],
            num_bytes=0,
            filename_template=naming.ShardedFileTemplate(
                data_dir=data_dir, dataset_name=name, split=split, filetype_suffix="tfrecord"
            ),
        )
        for split, x in (("train", x_train), ("test", x_test))
    ]
    identity = tfds.core.dataset_info.DatasetIdentity(
        name=name,
        version=tfds.core.Version(_TFDS_VERSIONS.get(name, "1.0.0")),
        data_dir=data_dir,
        module_name="autograder",
    )
    info = tfds.core.DatasetInfo(
        builder=identity,
        description=provider.sentence("tfds_description", name=name),
        features=features,
        supervised_keys=("image", "label"),
    )
    info.set_splits(splits_lib.SplitDict(split_infos))
    return info


def _tfds_split(tfds: Any, provider: _Provider, name: str, info: Any, spec: Any, **how: Any) -> Any:
    """One tf.data.Dataset for a split spec such as ``'train[:80%]'`` or ``'train+test'``."""
    import numpy as np
    import tensorflow as tf
    from tensorflow_datasets.core import splits as splits_lib

    x_train, y_train, x_test, y_test = provider.arrays(name)
    by_split = {"train": (x_train, y_train), "test": (x_test, y_test)}
    # tfds' own parser and rounding, so `train[:80%]` holds the rows it holds in Colab.
    pieces = splits_lib.AbstractSplit.from_spec(spec).to_absolute(info.splits)
    xs, ys = [], []
    for piece in pieces:
        if piece.splitname not in by_split:
            known = ", ".join(by_split)
            raise ValueError(provider.sentence("tfds_split", split=piece.splitname, known=known))
        x, y = by_split[piece.splitname]
        xs.append(x[piece.from_ : piece.to])
        ys.append(y[piece.from_ : piece.to])
    x = np.concatenate(xs) if len(xs) > 1 else xs[0]
    if x.ndim == 3:  # tfds gives grey images a channel axis: (28, 28, 1)
        x = x[..., None]
    y = np.concatenate(ys).reshape(-1).astype(np.int64)
    elements: Any = (x, y) if how["as_supervised"] else {"image": x, "label": y}
    batch_size = how.get("batch_size")
    if batch_size == -1:  # tfds: the whole split as tensors, not as a dataset
        return tf.nest.map_structure(tf.convert_to_tensor, elements)
    dataset = tf.data.Dataset.from_tensor_slices(elements)
    if isinstance(batch_size, int) and batch_size > 0:
        dataset = dataset.batch(batch_size)
    return dataset


def _make_tfds_load(tfds: Any, provider: _Provider) -> Any:
    def load(
        name: str,
        *,
        split: Any = None,
        batch_size: int | None = None,
        as_supervised: bool = False,
        with_info: bool = False,
        **ignored: Any,  # data_dir, download, shuffle_files, ...: nothing is read or fetched
    ) -> Any:
        base = str(name).split("/")[0].split(":")[0].strip()
        info = _tfds_info(tfds, provider, base)
        how = {"as_supervised": as_supervised, "batch_size": batch_size}

        def build(node: Any) -> Any:
            if isinstance(node, (list, tuple)):
                return type(node)(build(item) for item in node)
            if isinstance(node, dict):
                return {key: build(value) for key, value in node.items()}
            return _tfds_split(tfds, provider, base, info, node, **how)

        datasets = build(split) if split is not None else build({s: s for s in info.splits})
        return (datasets, info) if with_info else datasets

    load.__doc__ = "tfds.load, served by the autograder's dataset provider (nothing downloads)."
    return load


class _AfterImport(importlib.abc.MetaPathFinder):
    """Runs ``patch(module)`` right after ``name`` is imported, so the import stays lazy."""

    def __init__(self, name: str, patch: Any) -> None:
        self.name = name
        self.patch = patch

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != self.name:
            return None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec = find(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        original = loader.exec_module
        patch = self.patch

        def exec_module(module: types.ModuleType) -> None:
            original(module)
            patch(module)

        loader.exec_module = exec_module
        return spec


def _install_tfds(provider: _Provider) -> None:
    def patch(tfds: Any) -> None:
        load = _make_tfds_load(tfds, provider)
        for module_name in ("tensorflow_datasets", "tensorflow_datasets.public_api"):
            module = sys.modules.get(module_name)
            if module is not None:
                setattr(module, "load", load)  # noqa: B010

    if "tensorflow_datasets" in sys.modules:
        patch(sys.modules["tensorflow_datasets"])
    else:
        sys.meta_path.insert(0, _AfterImport("tensorflow_datasets", patch))


# --- Colab ------------------------------------------------------------------------------


class UploadUnavailableError(KeyError):
    """``uploaded['Data.zip']`` after a ``files.upload()`` that could not upload anything."""

    def __str__(self) -> str:  # KeyError would print the sentence in quotes
        return str(self.args[0]) if self.args else ""


class _Uploaded(dict):  # type: ignore[type-arg]  # holds nothing; only __missing__ matters
    def __init__(self, provider: _Provider) -> None:
        super().__init__()
        self._provider = provider

    def __missing__(self, key: Any) -> Any:
        raise UploadUnavailableError(self._provider.sentence("colab_uploaded_key", name=key))


def _install_colab_stub(provider: _Provider) -> None:
    def mount(mountpoint: str = "/content/drive", *args: Any, **kwargs: Any) -> None:
        print(provider.sentence("colab_drive", mountpoint=mountpoint), file=sys.stderr)

    def flush_and_unmount(*args: Any, **kwargs: Any) -> None:
        print(provider.sentence("colab_unmount"), file=sys.stderr)

    def upload(*args: Any, **kwargs: Any) -> dict[str, bytes]:
        print(provider.sentence("colab_upload"), file=sys.stderr)
        return _Uploaded(provider)

    def download(filename: str, *args: Any, **kwargs: Any) -> None:
        print(provider.sentence("colab_download", name=filename), file=sys.stderr)

    colab = types.ModuleType("google.colab")
    colab.__path__ = []  # a package, so `from google.colab import drive` works
    drive = types.ModuleType("google.colab.drive")
    files = types.ModuleType("google.colab.files")
    # setattr: module attributes created at runtime, which mypy cannot see.
    setattr(drive, "mount", mount)  # noqa: B010
    setattr(drive, "flush_and_unmount", flush_and_unmount)  # noqa: B010
    setattr(files, "upload", upload)  # noqa: B010
    setattr(files, "download", download)  # noqa: B010
    setattr(colab, "drive", drive)  # noqa: B010
    setattr(colab, "files", files)  # noqa: B010
    google = sys.modules.get("google")
    if google is None:
        google = types.ModuleType("google")
        google.__path__ = []
        sys.modules["google"] = google
    setattr(google, "colab", colab)  # noqa: B010
    sys.modules.update(
        {"google.colab": colab, "google.colab.drive": drive, "google.colab.files": files}
    )


_PATH_EVENTS = {"open", "os.listdir", "os.scandir", "os.chdir", "shutil.unpack_archive"}


def _missing_colab_path(provider: _Provider, path: Any) -> FileNotFoundError | None:
    with contextlib.suppress(TypeError, ValueError):
        path = os.fsdecode(path)
    if not isinstance(path, str):
        return None
    if (path == "/content" or path.startswith("/content/")) and not os.path.exists(path):
        sentence = provider.sentence("colab_content", path=path)
        return FileNotFoundError(errno.ENOENT, sentence, path)
    return None


def _install_content_paths(provider: _Provider) -> None:
    """``/content/...`` (Colab's working dir) gets a sentence instead of a bare ENOENT."""

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event in _PATH_EVENTS and args:
            error = _missing_colab_path(provider, args[0])
            if error is not None:
                raise error

    sys.addaudithook(hook)
    # h5py opens files in C, past the audit hook: `model.save('/content/drive/...h5')`
    # and `load_model('/content/...')` are caught at Keras' saving API instead.
    with contextlib.suppress(ImportError):
        from keras.src.saving import saving_api

        for name in ("save_model", "load_model"):
            _guard_keras_path(provider, saving_api, name)


def _guard_keras_path(provider: _Provider, saving_api: Any, name: str) -> None:
    original = getattr(saving_api, name)
    path_index = 1 if name == "save_model" else 0  # save_model(model, filepath, ...)

    def guarded(*args: Any, **kwargs: Any) -> Any:
        path = args[path_index] if len(args) > path_index else kwargs.get("filepath")
        error = _missing_colab_path(provider, path)
        if error is None and name == "save_model" and isinstance(path, (str, os.PathLike)):
            error = _missing_colab_path(provider, os.path.dirname(os.fsdecode(path)))
        if error is not None:
            raise error
        return original(*args, **kwargs)

    guarded.__doc__ = original.__doc__
    guarded.__wrapped__ = original  # type: ignore[attr-defined]  # as functools.wraps
    for module in list(sys.modules.values()):
        with contextlib.suppress(Exception):  # lazy modules may fail on any attribute
            if getattr(module, name, None) is original:
                setattr(module, name, guarded)


def install_provider(config: dict[str, Any]) -> None:
    """Serve the grader's data to keras.datasets and tfds; stub the Colab leftovers."""
    provider = _Provider(config)
    _install_keras_loaders(provider)
    _install_tfds(provider)
    _install_colab_stub(provider)
    _install_content_paths(provider)
