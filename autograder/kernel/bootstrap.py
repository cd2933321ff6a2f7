"""Code that runs INSIDE the student's kernel, before cell 1 and after the last cell.

The runner sends this file's text to the kernel as a silent execution, in a private
namespace, so nothing here shows up in the student's globals or cell numbering.  It
must import nothing from the rest of ``autograder`` (the kernel is untrusted ground)
and what it records is handed to the runner by :mod:`autograder.kernel.probe`, over
the Jupyter channel (never through a file the grader reads).

Recording never changes results: the wrappers call the original methods with the
original arguments; the only addition is a callback that copies each epoch's logs.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
import types
from typing import Any

STATE_MODULE = "_autograder_state"


class _State:
    """Recorded calls and tracked models; lives in sys.modules[STATE_MODULE]."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.models: list[Any] = []
        self.keys: dict[int, str] = {}
        self.compiled: set[str] = set()
        self.fitted: set[str] = set()
        self.calls: list[dict[str, Any]] = []
        self.save_errors: dict[str, str] = {}
        self.files: dict[str, str] = {}
        # Trained since the runner's last checkpoint (kernel/probe.py exports them).
        self.dirty: set[str] = set()

    def key(self, model: Any) -> str:
        ident = id(model)
        if ident not in self.keys:
            self.keys[ident] = f"m{len(self.models)}"
            self.models.append(model)
        return self.keys[ident]


def _state() -> _State:
    state: _State = getattr(sys.modules[STATE_MODULE], "state")  # noqa: B009
    return state


def _jsonable(value: Any) -> Any:
    """A small, JSON-safe description of an argument (never the data itself)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    shape = getattr(value, "shape", None)
    if shape is not None:
        return {"shape": [None if d is None else int(d) for d in shape]}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value[:20]]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in list(value.items())[:20]}
    return {"class_name": type(value).__name__}


def _describe_optimizer(opt: Any) -> Any:
    if isinstance(opt, str):
        return opt
    lr = getattr(opt, "learning_rate", None)
    try:
        lr = float(lr) if lr is not None else None
    except (TypeError, ValueError):
        lr = None
    return {"class_name": type(opt).__name__, "learning_rate": lr}


def _describe_loss(loss: Any) -> Any:
    if isinstance(loss, str) or loss is None:
        return loss
    if callable(loss) and not hasattr(loss, "get_config"):
        return getattr(loss, "__name__", type(loss).__name__)
    return {"class_name": type(loss).__name__, "from_logits": getattr(loss, "from_logits", None)}


def _describe_metrics(metrics: Any) -> Any:
    if metrics is None:
        return []
    if not isinstance(metrics, (list, tuple)):
        metrics = [metrics]
    return [m if isinstance(m, str) else getattr(m, "name", type(m).__name__) for m in metrics]


def _install_seeds(seed: int) -> None:
    import random

    import numpy as np

    random.seed(seed)
    np.random.seed(seed)
    import keras

    keras.utils.set_random_seed(seed)
    try:
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()
        threads = int(os.environ.get("AUTOGRADER_THREADS", "0"))
        if threads > 0:
            tf.config.threading.set_intra_op_parallelism_threads(threads)
            tf.config.threading.set_inter_op_parallelism_threads(max(1, min(2, threads)))
    except Exception as exc:  # noqa: BLE001  # an unusual TF build should not stop grading
        print(f"autograder: could not configure TensorFlow determinism: {exc}", file=sys.stderr)


def _install_datasets(provided: dict[str, str]) -> None:
    """Make every ``*.datasets.<name>.load_data`` return the grader's arrays."""
    import importlib

    import numpy as np

    def make_loader(name: str) -> Any:
        def load_data(*args: Any, **kwargs: Any) -> Any:
            path = provided.get(name)
            if path is None:
                available = ", ".join(sorted(provided)) or "none"
                raise RuntimeError(
                    f"autograder: dataset {name!r} is not part of this exercise "
                    f"(available while grading: {available})"
                )
            with np.load(path) as data:
                return (data["x_train"], data["y_train"]), (data["x_test"], data["y_test"])

        load_data.__doc__ = f"{name}.load_data, served by the autograder's dataset provider."
        return load_data

    names = ("mnist", "fashion_mnist", "cifar10", "cifar100")
    # Patch the implementation modules first so that API modules imported later
    # (``from keras.src.datasets.x import load_data``) pick up the provider too.
    for name in names:
        with contextlib.suppress(ImportError):
            importlib.import_module(f"keras.src.datasets.{name}")
    try:
        import tensorflow as tf

        for name in names:
            getattr(tf.keras.datasets, name)  # force the lazy tf.keras aliases to load
    except Exception:  # noqa: BLE001, S110  # tensorflow-less kernels still get keras.datasets
        pass
    for module_name, module in list(sys.modules.items()):
        tail = module_name.rsplit(".", 2)
        if (
            len(tail) >= 2
            and tail[-2] == "datasets"
            and tail[-1] in names
            and hasattr(module, "load_data")
        ):
            setattr(module, "load_data", make_loader(tail[-1]))  # noqa: B010


def _install_colab_stub() -> None:
    def mount(mountpoint: str = "/content/drive", *args: Any, **kwargs: Any) -> None:
        print(
            f"autograder: google.colab.drive.mount({mountpoint!r}) is unavailable while "
            "grading; files from Google Drive cannot be read.",
            file=sys.stderr,
        )

    def upload(*args: Any, **kwargs: Any) -> dict[str, bytes]:
        print(
            "autograder: google.colab.files.upload() is unavailable while grading; "
            "no files were uploaded.",
            file=sys.stderr,
        )
        return {}

    def download(filename: str, *args: Any, **kwargs: Any) -> None:
        print(f"autograder: google.colab.files.download({filename!r}) skipped.", file=sys.stderr)

    colab = types.ModuleType("google.colab")
    colab.__path__ = []  # a package, so `from google.colab import drive` works
    drive = types.ModuleType("google.colab.drive")
    files = types.ModuleType("google.colab.files")
    # setattr: module attributes created at runtime, which mypy cannot see.
    setattr(drive, "mount", mount)  # noqa: B010
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


def _make_compile(original: Any) -> Any:
    def compile(self: Any, *args: Any, **kwargs: Any) -> Any:
        state = _state()
        bound = dict(zip(("optimizer", "loss", "loss_weights", "metrics"), args, strict=False))
        bound.update(kwargs)
        record: dict[str, Any] = {
            "kind": "compile",
            "model": state.key(self),
            "args": {
                "optimizer": _describe_optimizer(bound.get("optimizer", "rmsprop")),
                "loss": _describe_loss(bound.get("loss")),
                "metrics": _describe_metrics(bound.get("metrics")),
            },
        }
        try:
            return original(self, *args, **kwargs)
        except Exception as exc:
            record["error"] = f"{type(exc).__name__}: {exc}"[:500]
            raise
        finally:
            state.compiled.add(state.key(self))
            state.calls.append(record)

    return compile


def _cap_epochs(
    cap: Any, bound: dict[str, Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[tuple[Any, ...], dict[str, Any], int | None]:
    """Quick mode (``autograder check --quick``): train at most ``cap`` epochs per fit.

    Returns the arguments to call fit with and the epochs actually allowed (None when
    nothing was capped); the recorded ``epochs`` stays what the student asked for.
    """
    epochs = bound.get("epochs", 1)
    if not isinstance(cap, int) or not isinstance(epochs, int):
        return args, kwargs, None
    initial = bound.get("initial_epoch", 0)
    allowed = (initial if isinstance(initial, int) else 0) + cap
    if epochs <= allowed:
        return args, kwargs, None
    if len(args) > 3:  # fit(x, y, batch_size, epochs, ...)
        return (*args[:3], allowed, *args[4:]), kwargs, allowed
    return args, {**kwargs, "epochs": allowed}, allowed


def _make_fit(original: Any, callback_base: type) -> Any:
    def fit(self: Any, *args: Any, **kwargs: Any) -> Any:
        state = _state()
        key = state.key(self)
        names = ("x", "y", "batch_size", "epochs", "verbose", "callbacks", "validation_split")
        bound = dict(zip(names, args, strict=False))
        bound.update(kwargs)
        args, kwargs, capped = _cap_epochs(state.config.get("epoch_cap"), bound, args, kwargs)
        history: dict[str, list[float]] = {}
        record: dict[str, Any] = {
            "kind": "fit",
            "model": key,
            "args": {
                "epochs": bound.get("epochs", 1),
                "batch_size": bound.get("batch_size"),
                "validation_split": bound.get("validation_split", 0.0),
                "has_validation_data": bound.get("validation_data") is not None,
                "initial_epoch": bound.get("initial_epoch", 0),
                "x": _jsonable(bound.get("x")),
                "callbacks": _describe_metrics(bound.get("callbacks")),
            },
            "epochs_run": 0,
            "history": history,
        }
        if capped is not None:
            record["epoch_cap"] = capped

        class _EpochRecorder(callback_base):  # type: ignore[misc]  # keras is untyped
            def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
                for name, value in (logs or {}).items():
                    try:
                        history.setdefault(str(name), []).append(float(value))
                    except (TypeError, ValueError):
                        continue
                record["epochs_run"] = int(record["epochs_run"]) + 1

        # First in the list, so a student's callback that raises at the end of an
        # epoch cannot hide that the epoch was trained.
        callbacks = [_EpochRecorder(), *(bound.get("callbacks") or [])]
        if len(args) > 5:
            args = (*args[:5], callbacks, *args[6:])
        else:
            kwargs["callbacks"] = callbacks
        started = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        except BaseException as exc:
            record["error"] = f"{type(exc).__name__}: {exc}"[:500]
            raise
        finally:
            record["duration_s"] = time.perf_counter() - started
            state.fitted.add(key)
            state.calls.append(record)
            # Exported at the runner's next checkpoint: a later crash must not lose it.
            state.dirty.add(key)

    return fit


def _make_timed(kind: str, original: Any) -> Any:
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        state = _state()
        record: dict[str, Any] = {
            "kind": kind,
            "model": state.key(self),
            "args": {"x": _jsonable(args[0] if args else kwargs.get("x"))},
        }
        started = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        except BaseException as exc:
            record["error"] = f"{type(exc).__name__}: {exc}"[:500]
            raise
        finally:
            record["duration_s"] = time.perf_counter() - started
            state.calls.append(record)

    wrapper.__name__ = kind
    return wrapper


def _install_keras_hooks() -> None:
    import keras

    model_cls = keras.Model
    for name in ("compile", "fit", "evaluate", "predict"):
        original = getattr(model_cls, name)
        if name == "compile":
            fn = _make_compile(original)
        elif name == "fit":
            fn = _make_fit(original, keras.callbacks.Callback)
        else:
            fn = _make_timed(name, original)
        fn.__doc__ = original.__doc__
        fn.__wrapped__ = original
        setattr(model_cls, name, fn)


def install(config: dict[str, Any]) -> None:
    """Prepare the kernel: seeds, datasets, colab stub and keras recording."""
    state_module = types.ModuleType(STATE_MODULE)
    setattr(state_module, "state", _State(config))  # noqa: B010
    sys.modules[STATE_MODULE] = state_module
    os.environ["MPLBACKEND"] = "Agg"
    _install_seeds(int(config["seed"]))
    _install_datasets({str(k): str(v) for k, v in dict(config["datasets"]).items()})
    _install_colab_stub()
    _install_keras_hooks()
