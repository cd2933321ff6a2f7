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
import math
import os
import sys
import tempfile
import time
import types
from typing import Any

STATE_MODULE = "_autograder_state"


class _State:
    """Recorded calls and tracked models; lives in sys.modules[STATE_MODULE]."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        # Kernel-private scratch for kernel/probe.py's exports; the grader never reads it.
        self.artifacts = tempfile.mkdtemp(prefix="autograder-export-")
        self.models: list[Any] = []
        self.keys: dict[int, str] = {}
        self.compiled: set[str] = set()
        self.fitted: set[str] = set()
        self.calls: list[dict[str, Any]] = []
        self.save_errors: dict[str, str] = {}
        self.files: dict[str, str] = {}
        # Trained since the runner's last checkpoint (kernel/probe.py exports them).
        self.dirty: set[str] = set()
        self.saved: dict[str, str] = {}
        """Absolute path -> key of the model the notebook last saved there."""
        self.copies: dict[str, str] = {}
        """Key of a model loaded from such a file -> key of the model that saved it."""

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


_FIT_PARAMS = (
    "x",
    "y",
    "batch_size",
    "epochs",
    "verbose",
    "callbacks",
    "validation_split",
    "validation_data",
    "shuffle",
    "class_weight",
    "sample_weight",
    "initial_epoch",
    "steps_per_epoch",
    "validation_steps",
    "validation_batch_size",
    "validation_freq",
)
_EVALUATE_PARAMS = ("x", "y", "batch_size", "verbose", "sample_weight", "steps")


def _cap_epochs(cap: Any, bound: dict[str, Any]) -> tuple[dict[str, Any], int | None]:
    """Quick mode (``autograder check --quick``): train at most ``cap`` epochs per fit.

    Returns the arguments to call fit with and the epochs actually allowed (None when
    nothing was capped); the recorded ``epochs`` stays what the student asked for.
    """
    epochs = bound.get("epochs", 1)
    if not isinstance(cap, int) or not isinstance(epochs, int):
        return bound, None
    initial = bound.get("initial_epoch", 0)
    allowed = (initial if isinstance(initial, int) else 0) + cap
    if epochs <= allowed:
        return bound, None
    return {**bound, "epochs": allowed}, allowed


def _part(count: int, fraction: float) -> int:
    """The rows or steps a fraction keeps: ceil, at least one (as the grader's split_rows)."""
    return max(1, min(count, math.ceil(count * fraction - 1e-9)))


def _rows(value: Any) -> int | None:
    """Rows of an array-like fit input (arrays, tensors, DataFrames, lists/dicts of them)."""
    if isinstance(value, dict):
        value = next(iter(value.values()), None)
    elif isinstance(value, (list, tuple)) and value and hasattr(value[0], "shape"):
        value = value[0]
    shape = getattr(value, "shape", None)
    if shape is None or len(shape) == 0 or shape[0] is None:
        return None
    try:
        return int(shape[0])
    except (TypeError, ValueError):
        return None


def _head(value: Any, rows: int) -> Any:
    if value is None:
        return None
    if isinstance(value, dict):
        return {k: _head(v, rows) for k, v in value.items()}
    if isinstance(value, (list, tuple)) and value and hasattr(value[0], "shape"):
        return type(value)(_head(v, rows) for v in value)
    iloc = getattr(value, "iloc", None)  # pandas: by position, whatever the index
    if iloc is not None:
        return iloc[:rows]
    return value[:rows]


def _is_dataset(value: Any) -> bool:
    return any(c.__name__ == "DatasetV2" for c in type(value).__mro__)


def _cardinality(dataset: Any) -> int | None:
    """Finite batches per pass; None for infinite (``repeat()``) or unknown (``filter``)."""
    try:
        count = int(dataset.cardinality())
    except Exception:  # noqa: BLE001  # any pipeline the kernel cannot read is "unknown"
        return None
    return count if count >= 0 else None


def _dataset_facts(dataset: Any) -> dict[str, Any]:
    """Batch size and examples of a tf.data pipeline, read from its structure.

    Nothing is iterated: pulling a batch would advance the student's shuffle and
    change the result.  The walk follows tf.data's (private) input links, outermost
    first; a pipeline it cannot read leaves the facts unknown.
    """
    batch: int | None = None
    samples: int | None = None
    node, depth = dataset, 0
    while node is not None and depth < 100:
        size = getattr(node, "_batch_size", None)
        if batch is None and size is not None:
            with contextlib.suppress(Exception):
                batch = int(size)
        elif batch is not None and samples is None:
            samples = _cardinality(node)
        node, depth = getattr(node, "_input_dataset", None), depth + 1
    if batch is None:  # unbatched: every element is one example
        samples = _cardinality(dataset)
    return {"batch_size": batch, "samples": samples, "steps": _cardinality(dataset)}


def _input_facts(value: Any) -> dict[str, Any] | None:
    """What a dataset, generator or keras Sequence passed to fit holds, when readable."""
    if _is_dataset(value):
        return _dataset_facts(value)
    batch = getattr(value, "batch_size", None)  # ImageDataGenerator.flow, PyDataset subclasses
    samples = getattr(value, "n", None)
    steps = None
    with contextlib.suppress(Exception):
        steps = len(value) if hasattr(value, "__len__") and _rows(value) is None else None
    if not any(isinstance(v, int) for v in (batch, samples, steps)):
        return None
    return {
        "batch_size": batch if isinstance(batch, int) else None,
        "samples": samples if isinstance(samples, int) else None,
        "steps": steps,
    }


def _shorten(fraction: Any, bound: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """``--fraction``: a fraction of the training work, never of the data a notebook sees.

    Arrays train on their first rows, datasets on their first batches (``take``), and
    ``steps_per_epoch`` / ``validation_steps`` shrink in proportion.  Returns the fit
    arguments and what was shortened, ``{"what", "from", "to"}`` each.
    """
    cut, shortened = _cutter(fraction)
    if cut is None:
        return bound, []
    bound = {**bound, **_shorten_training(bound, cut), **_shorten_validation(bound, cut)}
    return bound, shortened


def _cutter(fraction: Any) -> tuple[Any, list[dict[str, Any]]]:
    """``cut(what, count)``: the part of ``count`` the fraction keeps (None: all of it),
    noted in the list; ``cut`` is None when there is no fraction."""
    shortened: list[dict[str, Any]] = []
    if not isinstance(fraction, (int, float)) or fraction >= 1 or fraction <= 0:
        return None, shortened

    def cut(what: str, count: int | None) -> int | None:
        if count is None or count <= 1:
            return None
        kept = _part(count, float(fraction))
        if kept >= count:
            return None
        shortened.append({"what": what, "from": count, "to": kept})
        return kept

    return cut, shortened


def _shorten_evaluation(
    fraction: Any, bound: dict[str, Any]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """``--fraction`` for the notebook's own ``evaluate``: its first rows or batches.

    Its numbers are the student's, printed and never graded (the evaluator measures
    the model), and they mean little after a shortened fit; a full pass over the test
    split per model is most of a short lab's time.  ``predict`` keeps every row: its
    output's shape is the notebook's to use.
    """
    cut, shortened = _cutter(fraction)
    if cut is None:
        return bound, []
    x: Any = bound.get("x")
    steps = bound.get("steps")
    update: dict[str, Any] = {}
    if isinstance(steps, int):
        kept = cut("evaluate_steps", steps)
        update = {} if kept is None else {"steps": kept}
    elif _rows(x) is not None:
        kept = cut("evaluate_samples", _rows(x))
        if kept is not None:
            update = {name: _head(bound.get(name), kept) for name in ("x", "y", "sample_weight")}
    elif _is_dataset(x):
        kept = cut("evaluate_steps", _cardinality(x))
        update = {} if kept is None else {"x": x.take(kept)}
    return {**bound, **update}, shortened


def _shorten_training(bound: dict[str, Any], cut: Any) -> dict[str, Any]:
    x: Any = bound.get("x")
    steps = bound.get("steps_per_epoch")
    if isinstance(steps, int):
        kept = cut("steps", steps)
        return {} if kept is None else {"steps_per_epoch": kept}
    if _rows(x) is not None:
        kept = cut("samples", _rows(x))
        if kept is None:
            return {}
        return {name: _head(bound.get(name), kept) for name in ("x", "y", "sample_weight")}
    if _is_dataset(x):
        kept = cut("steps", _cardinality(x))
        return {} if kept is None else {"x": x.take(kept)}
    # A keras PyDataset / ImageDataGenerator.flow knows its batches per epoch, and
    # Keras continues it across epochs under steps_per_epoch.
    facts = _input_facts(x) if x is not None and hasattr(x, "__getitem__") else None
    if facts is not None and isinstance(facts.get("steps"), int):
        kept = cut("steps", facts["steps"])
        return {} if kept is None else {"steps_per_epoch": kept}
    return {}


def _shorten_validation(bound: dict[str, Any], cut: Any) -> dict[str, Any]:
    validation: Any = bound.get("validation_data")
    steps = bound.get("validation_steps")
    if isinstance(steps, int):
        kept = cut("validation_steps", steps)
        return {} if kept is None else {"validation_steps": kept}
    if isinstance(validation, (tuple, list)) and validation and _rows(validation[0]) is not None:
        kept = cut("validation_samples", _rows(validation[0]))
        if kept is None:
            return {}
        return {"validation_data": type(validation)(_head(v, kept) for v in validation)}
    if _is_dataset(validation):
        kept = cut("validation_steps", _cardinality(validation))
        return {} if kept is None else {"validation_data": validation.take(kept)}
    return {}


def _fit_record(key: str, bound: dict[str, Any], history: dict[str, Any]) -> dict[str, Any]:
    """The recorded summary of one fit call, before it runs (what the notebook asked for)."""
    record: dict[str, Any] = {
        "kind": "fit",
        "model": key,
        "args": {
            "epochs": bound.get("epochs", 1),
            "batch_size": bound.get("batch_size"),
            "validation_split": bound.get("validation_split", 0.0),
            "has_validation_data": bound.get("validation_data") is not None,
            "initial_epoch": bound.get("initial_epoch", 0),
            "steps_per_epoch": _jsonable(bound.get("steps_per_epoch")),
            "x": _jsonable(bound.get("x")),
            "callbacks": _describe_metrics(bound.get("callbacks")),
        },
        "epochs_run": 0,
        "history": history,
    }
    with contextlib.suppress(Exception):  # describing never stops the student's fit
        for name, arg in (("dataset", "x"), ("validation_dataset", "validation_data")):
            facts = _input_facts(bound.get(arg))
            if facts is not None:
                record["args"][name] = facts
    with contextlib.suppress(Exception):  # kernel/probe.py, same namespace: test rows in x
        record["args"]["test_overlap"] = globals()["test_overlap"](bound.get("x"))
    return record


def _plan_fit(config: dict[str, Any], bound: dict[str, Any], record: dict[str, Any]) -> Any:
    """The arguments fit runs with: quick mode's epoch cap, then the training fraction."""
    bound, capped = _cap_epochs(config.get("epoch_cap"), bound)
    if capped is not None:
        record["epoch_cap"] = capped
    bound, shortened = _shorten(config.get("train_fraction"), bound)
    if capped is not None:
        shortened.append({"what": "epochs", "from": record["args"]["epochs"], "to": capped})
    if shortened:  # with the arguments: the grader reads them as one summary
        record["args"]["shortened"] = shortened
    return bound


def _make_fit(original: Any, callback_base: type) -> Any:
    def fit(self: Any, *args: Any, **kwargs: Any) -> Any:
        state = _state()
        key = state.key(self)
        if len(args) > len(_FIT_PARAMS):  # not a valid call: let Keras say so
            return original(self, *args, **kwargs)
        history: dict[str, list[float]] = {}
        asked = {**dict(zip(_FIT_PARAMS, args, strict=False)), **kwargs}
        record = _fit_record(key, asked, history)
        bound = _plan_fit(state.config, asked, record)

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
        bound["callbacks"] = [_EpochRecorder(), *(bound.get("callbacks") or [])]
        started = time.perf_counter()
        try:
            return original(self, **bound)
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
        positional, named = args, kwargs
        if kind == "evaluate" and len(args) <= len(_EVALUATE_PARAMS):
            asked = {**dict(zip(_EVALUATE_PARAMS, args, strict=False)), **kwargs}
            with contextlib.suppress(Exception):  # shortening never stops the student's call
                bound, shortened = _shorten_evaluation(state.config.get("train_fraction"), asked)
                if shortened:
                    record["args"]["shortened"] = shortened
                    positional, named = (), bound
        started = time.perf_counter()
        try:
            return original(self, *positional, **named)
        except BaseException as exc:
            record["error"] = f"{type(exc).__name__}: {exc}"[:500]
            raise
        finally:
            record["duration_s"] = time.perf_counter() - started
            state.calls.append(record)

    wrapper.__name__ = kind
    return wrapper


def _install_save_load_hooks() -> None:
    """Remember which model saved which file, so a reloaded copy is linked to it.

    ``model.save`` and ``keras.saving.save_model`` both go through ``saving_api``;
    ``keras.models.load_model`` and ``tf.keras.models.load_model`` are the same function
    re-exported, so every module holding it gets the wrapper.
    """
    from keras.src.saving import saving_api

    save_original, load_original = saving_api.save_model, saving_api.load_model

    def save_model(model: Any, filepath: Any, *args: Any, **kwargs: Any) -> Any:
        # Keras' legacy .h5 writer pops "optimizer" from the model's live compile
        # config, so every later .keras export (ours) would lose the optimizer; it is
        # put back, which changes nothing the student's code can observe otherwise.
        live = getattr(getattr(model, "_compile_config", None), "config", None)
        optimizer = live.get("optimizer") if isinstance(live, dict) else None
        try:
            result = save_original(model, filepath, *args, **kwargs)
        finally:
            if isinstance(live, dict) and optimizer is not None:
                live.setdefault("optimizer", optimizer)
        with contextlib.suppress(Exception):  # recording never breaks the student's save
            state = _state()
            path = os.path.abspath(os.fspath(filepath))
            if not path.startswith(os.path.abspath(state.artifacts) + os.sep):  # our exports
                state.saved[path] = state.key(model)
        return result

    def load_model(filepath: Any, *args: Any, **kwargs: Any) -> Any:
        model = load_original(filepath, *args, **kwargs)
        with contextlib.suppress(Exception):
            state = _state()
            source = state.saved.get(os.path.abspath(os.fspath(filepath)))
            if source is not None and source != state.key(model):
                state.copies[state.key(model)] = source
        return model

    wrappers: dict[str, tuple[Any, Any]] = {
        "save_model": (save_model, save_original),
        "load_model": (load_model, load_original),
    }
    for name, (wrapper, original) in wrappers.items():
        wrapper.__doc__ = original.__doc__
        wrapper.__wrapped__ = original
        for module in list(sys.modules.values()):
            with contextlib.suppress(Exception):  # lazy modules may fail on any attribute
                if getattr(module, name, None) is original:
                    setattr(module, name, wrapper)


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
    _install_save_load_hooks()


def install(config: dict[str, Any]) -> None:
    """Prepare the kernel: seeds and keras recording (the data: provider.py)."""
    state_module = types.ModuleType(STATE_MODULE)
    setattr(state_module, "state", _State(config))  # noqa: B010
    sys.modules[STATE_MODULE] = state_module
    os.environ["MPLBACKEND"] = "Agg"
    _install_seeds(int(config["seed"]))
    _install_keras_hooks()
