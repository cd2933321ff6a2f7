"""Measure an exported model in the grader's own process, on the grader's data.

Nothing the student's kernel computed is trusted: the ``.keras`` file is reloaded
with ``safe_mode=True`` after its config has been screened for code (Lambda layers,
custom classes and functions), and every number is computed here with NumPy from
the model's raw outputs.  Keras and TensorFlow are imported lazily so that the rest
of the package (reports, rubric tooling) starts fast.
"""

from __future__ import annotations

import hashlib
import json
import math
import warnings
import zipfile
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from autograder.classification import confusion_matrix
from autograder.datasets import canaries
from autograder.datasets.base import Splits
from autograder.datasets.canaries import Canaries
from autograder.errors import EvaluationError
from autograder.measure import Holdout
from autograder.measure.facts import CompileInfo, LayerInfo, ModelMeasurements, OutputKind
from autograder.rubric.models import Preprocessing
from autograder.text import snake_case

BATCH_SIZE = 1024
_MAX_CONFIG_BYTES = 64 * 1024 * 1024
# Keras clips probabilities with its backend epsilon before taking logs.
_EPSILON = 1e-7
_LOSS_ALIASES = {
    "bce": "binary_crossentropy",
    "kld": "kl_divergence",
    "mae": "mean_absolute_error",
    "mse": "mean_squared_error",
    "mape": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error",
}
PROBABILITY_ACTIVATIONS = {"softmax", "sigmoid"}
# TensorFlow functions that Keras saves under TensorFlow's internal names (the
# tutorial's `activation=tf.nn.softmax` is saved as "softmax_v2") and cannot reload by
# itself; each is swapped for the Keras activation that computes the same thing.
_TF_FUNCTIONS = {"softmax_v2": "softmax", "log_softmax_v2": "log_softmax", "swish": "silu"}


def canonical_loss(name: str) -> str:
    """One spelling per loss, whether given as a string, an alias or a class name."""
    snake = snake_case(name.strip())
    return _LOSS_ALIASES.get(snake, snake)


def validation_start(holdout: Holdout | None, train_rows: int) -> int | None:
    """First training row that ``validation_split`` held out, when the grader can tell.

    Keras takes the last ``validation_split`` of ``x`` before shuffling; the grader can
    reproduce that only when ``x`` had exactly as many rows as its own training split.
    """
    if holdout is None or holdout.rows != train_rows:
        return None
    return math.floor(train_rows * (1.0 - holdout.split))


def measure_model(
    path: Path,
    key: str,
    splits: Splits,
    preprocessing: Preprocessing,
    *,
    val_from: int | None = None,
    planted: Canaries | None = None,
) -> ModelMeasurements:
    """Reload ``path`` safely and measure it; raises EvaluationError if it cannot be loaded.

    ``planted``: the canaries of the kernel's test copy, counted on grader-made variants.

    ``val_from``: the training rows from this index on are what ``validation_split``
    held out; their accuracy becomes ``val_accuracy`` (no extra predictions needed).
    """
    config = _read_config(path)
    _refuse_code(path, config)
    model = _load(path)
    layers = [_layer_info(layer) for layer in model.layers if type(layer).__name__ != "InputLayer"]
    compile_info = compile_info_from_config(config.get("compile_config"))
    scores = _score(model, splits, preprocessing, compile_info, layers, val_from=val_from)
    matched = None
    if planted is not None and scores.test_accuracy is not None:
        target = _input_shape(model, splits.x_test.shape[1:])
        matched = canary_matches(model, planted, target, preprocessing.scale)
    return ModelMeasurements(
        key=key,
        layers=layers,
        # Counted from the weights themselves, never from anything the model reports.
        trainable_params=_size(model.trainable_weights),
        total_params=_size(model.weights),
        output_kind=scores.output_kind,
        compile=compile_info,
        test_accuracy=scores.test_accuracy,
        test_loss=scores.test_loss,
        train_accuracy=scores.train_accuracy,
        train_loss=scores.train_loss,
        weights_sha256=_weights_digest(model),
        optimizer_iterations=optimizer_iterations(path),
        val_accuracy=scores.val_accuracy,
        error=scores.error,
        confusion=scores.confusion,
        canary_matches=matched,
        canary_templates=None if matched is None or planted is None else len(planted.labels),
        canary_threshold=None if matched is None or planted is None else planted.threshold,
        train_rows=len(splits.x_train),
        test_rows=len(splits.x_test),
    )


def _weights_digest(model: Any) -> str:
    """Bit-level identity of the trained weights (the .keras zip also holds a save date)."""
    import keras  # noqa: PLC0415  # lazy, see _load

    digest = hashlib.sha256()
    for weight in model.weights:
        array = np.ascontiguousarray(keras.ops.convert_to_numpy(weight))
        digest.update(f"{weight.path}:{array.dtype}:{array.shape};".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def optimizer_iterations(path: Path) -> int | None:
    """The optimizer's step counter as saved in the .keras file, or None.

    Keras 3 stores the optimizer's variables in ``model.weights.h5`` under
    ``optimizer/vars``, its ``iterations`` counter first (a scalar integer).  Only that
    one scalar is read; a file laid out otherwise yields None, not a guess.
    """
    # A Keras dependency, lazy like Keras itself, and untyped.
    import h5py  # type: ignore[import-untyped]  # noqa: PLC0415

    try:
        with (
            zipfile.ZipFile(path) as archive,
            archive.open("model.weights.h5") as stream,
            h5py.File(stream, "r") as weights,
        ):
            counter = weights.get("optimizer/vars/0")
            if not isinstance(counter, h5py.Dataset) or counter.shape != ():
                return None
            if counter.dtype.kind not in "iu":
                return None
            value = int(counter[()])
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None
    return value if value >= 0 else None


# --- loading ---------------------------------------------------------------------------


def _read_config(path: Path) -> dict[str, Any]:
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("config.json")
            if info.file_size > _MAX_CONFIG_BYTES:
                raise EvaluationError(f"{path.name}: config.json is implausibly large")
            raw: Any = json.loads(archive.read(info))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise EvaluationError(f"{path.name}: not a readable .keras file ({exc})") from exc
    if not isinstance(raw, dict):
        raise EvaluationError(f"{path.name}: config.json does not describe a model")
    return raw


def _refuse_code(path: Path, node: Any) -> None:
    """Reject configs that would need student code to rebuild, with a readable reason.

    safe_mode refuses them too, but with a page-long message; this names the culprit.
    """
    for item in _walk(node):
        if item.get("class_name") == "Lambda":
            raise EvaluationError(
                f"{path.name}: model uses a Lambda layer, which the grader cannot load safely"
            )
        if "module" not in item:
            continue
        module = item.get("module")
        if isinstance(module, str) and module.startswith("keras"):
            continue
        if item.get("class_name") == "function" and item.get("config") in _TF_FUNCTIONS:
            continue
        if item.get("class_name") == "function":
            what = f"a custom function `{item.get('config')}`"
        else:
            what = f"a custom class `{item.get('class_name')}`"
        raise EvaluationError(
            f"{path.name}: model uses {what}, which the grader cannot load safely"
        )


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every serialised object in a model config, compile settings left out.

    Keras serialises its own loss functions exactly like a student's function, so
    compile configs (also those of nested models) cannot be screened this way; they
    are only ever read as data.
    """
    queue = deque([node])  # breadth first: the outermost culprit is named first
    while queue:
        current = queue.popleft()
        if isinstance(current, dict):
            if "class_name" in current:
                yield current
            queue.extend(v for k, v in current.items() if k != "compile_config")
        elif isinstance(current, list):
            queue.extend(current)


def _load(path: Path) -> Any:
    import keras  # noqa: PLC0415  # lazy: importing TensorFlow costs seconds

    try:
        # The warnings (optimizer variables skipped, unbuilt layers) concern the
        # student's file, not the grader; the numbers below are what matters.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # compile=False: the compile settings are read from config.json instead,
            # which also works when a custom loss could not be rebuilt.
            return keras.saving.load_model(
                path,
                compile=False,
                safe_mode=True,
                custom_objects={
                    name: keras.activations.get(same) for name, same in _TF_FUNCTIONS.items()
                },
            )
    except Exception as exc:  # any failure of untrusted input is a result, not a crash
        raise EvaluationError(f"{path.name}: could not be loaded: {_innermost(exc)}") from exc


def _innermost(exc: BaseException) -> str:
    """Keras nests deserialisation errors; the last one names the actual problem."""
    text = str(exc).rsplit("Exception encountered:", 1)[-1].strip()
    line = text.splitlines()[0] if text else type(exc).__name__
    return line if len(line) <= 240 else line[:237] + "..."


# --- structure ---------------------------------------------------------------------------


def _size(weights: Any) -> int:
    return sum(math.prod(int(d) for d in w.shape) for w in weights)


def _layer_info(layer: Any) -> LayerInfo:
    kernel_size = getattr(layer, "kernel_size", None)
    units, filters, rate = (getattr(layer, a, None) for a in ("units", "filters", "rate"))
    return LayerInfo(
        name=str(layer.name),
        type=type(layer).__name__,
        units=units if isinstance(units, int) else None,
        activation=_activation_name(getattr(layer, "activation", None)),
        output_shape=_output_shape(layer),
        params=_size(layer.weights),
        trainable_params=_size(layer.trainable_weights),
        rate=float(rate) if isinstance(rate, (int, float)) else None,
        filters=filters if isinstance(filters, int) else None,
        kernel_size=[int(k) for k in kernel_size] if isinstance(kernel_size, tuple) else None,
        pool_size=_int_list(getattr(layer, "pool_size", None)),
        l1=_factor(getattr(layer, "kernel_regularizer", None), "l1"),
        l2=_factor(getattr(layer, "kernel_regularizer", None), "l2"),
        initializer=_initializer(getattr(layer, "kernel_initializer", None)),
    )


def _int_list(value: Any) -> list[int] | None:
    if isinstance(value, (tuple, list)) and all(isinstance(v, int) for v in value):
        return [int(v) for v in value]
    return None


def _factor(regularizer: Any, name: str) -> float | None:
    """The l1/l2 factor of a kernel regularizer (L2, L1, L1L2), None when absent or 0."""
    value = getattr(regularizer, name, None)
    if isinstance(value, (int, float, np.floating)) and float(value) > 0:
        return float(value)
    return None


def _initializer(initializer: Any) -> str | None:
    return snake_case(type(initializer).__name__) if initializer is not None else None


def _activation_name(activation: Any) -> str | None:
    if activation is None:
        return None
    import keras  # noqa: PLC0415  # lazy, see _load

    try:
        # tf.nn.relu and keras.activations.relu both serialise to "relu".
        name: Any = keras.activations.serialize(activation)
    except Exception:  # noqa: BLE001  # an unserialisable activation is reported by name instead
        name = getattr(activation, "__name__", type(activation).__name__)
    if isinstance(name, dict):
        name = name.get("config") if isinstance(name.get("config"), str) else name.get("class_name")
    return str(name).lower() if name is not None else None


def _output_shape(layer: Any) -> list[int | None] | None:
    try:
        shape = layer.output.shape
    except Exception:  # noqa: BLE001  # layers with several or no symbolic outputs have no single shape
        return None
    return [None if d is None else int(d) for d in shape]


def compile_info_from_config(config: Any) -> CompileInfo | None:
    """Read Keras' serialised compile config (``model.get_compile_config()``)."""
    if not isinstance(config, dict) or not config:
        return None
    optimizer, learning_rate = _optimizer(config.get("optimizer"))
    loss, from_logits = _loss(config.get("loss"))
    return CompileInfo(
        optimizer=optimizer,
        learning_rate=learning_rate,
        loss=loss,
        from_logits=from_logits,
        metrics=_metric_names(config.get("metrics")),
    )


def _optimizer(spec: Any) -> tuple[str | None, float | None]:
    if isinstance(spec, str):
        return spec.lower(), None
    if not isinstance(spec, dict):
        return None, None
    rate = _config(spec).get("learning_rate")
    if isinstance(rate, dict):  # a schedule: report where it starts
        rate = _config(rate).get("initial_learning_rate")
    number = float(rate) if isinstance(rate, (int, float)) else None
    return str(spec.get("class_name", "")).lower() or None, number


def _config(spec: dict[str, Any]) -> dict[str, Any]:
    settings = spec.get("config")
    return settings if isinstance(settings, dict) else {}


def _loss(spec: Any) -> tuple[str | None, bool | None]:
    if isinstance(spec, dict) and spec.get("class_name") == "function":
        spec = spec.get("config")
    if isinstance(spec, str):
        name = canonical_loss(spec)
        # String and function losses take Keras' default, from_logits=False.
        return name, (False if name.endswith("crossentropy") else None)
    if isinstance(spec, dict) and isinstance(spec.get("class_name"), str):
        logits = _config(spec).get("from_logits")
        return canonical_loss(spec["class_name"]), logits if isinstance(logits, bool) else None
    return None, None  # several outputs, each with its own loss: not graded here


def _metric_names(spec: Any) -> list[str]:
    names: list[str] = []
    for item in _walk_metrics(spec):
        if isinstance(item, str):
            names.append(item.lower())
        elif item.get("class_name") == "function":
            names.append(str(item.get("config")).lower())
        else:
            names.append(snake_case(str(item.get("class_name"))))
    return names


def _walk_metrics(spec: Any) -> Iterator[str | dict[str, Any]]:
    if isinstance(spec, str) or (isinstance(spec, dict) and "class_name" in spec):
        yield spec
    elif isinstance(spec, dict):  # per-output metrics
        for value in spec.values():
            yield from _walk_metrics(value)
    elif isinstance(spec, list):
        for value in spec:
            yield from _walk_metrics(value)


def canary_matches(
    model: Any, planted: Canaries, target: tuple[int, ...] | None, scale: float
) -> int | None:
    """Templates whose majority class, over grader-made variants, is the planted label.

    Predicted on the grader's own variants of the templates (datasets.canaries), never
    on rows the kernel holds, so the grader's test accuracy stays on the real split.
    None when the model cannot be run on them (scoring reports why).
    """
    count = 5
    try:
        outputs = _outputs(model, canaries.variants(planted, count=count), target, scale)
    except _Unscorable:
        return None
    predicted = np.argmax(outputs, axis=1).astype(np.int64).reshape(len(planted.labels), count)
    return canaries.matches(predicted, planted)


# --- scoring -----------------------------------------------------------------------------


@dataclass
class _Scores:
    output_kind: OutputKind | None = None
    test_accuracy: float | None = None
    test_loss: float | None = None
    train_accuracy: float | None = None
    train_loss: float | None = None
    val_accuracy: float | None = None
    error: str | None = None
    confusion: list[list[int]] | None = None


class _Unscorable(Exception):
    """The model cannot be run on the grader's data; the message says why."""


def _score(
    model: Any,
    splits: Splits,
    preprocessing: Preprocessing,
    compile_info: CompileInfo | None,
    layers: list[LayerInfo],
    *,
    val_from: int | None = None,
) -> _Scores:
    scores = _Scores()
    try:
        target = _input_shape(model, splits.x_test.shape[1:])
        test = _outputs(model, splits.x_test, target, preprocessing.scale)
        train = _outputs(model, splits.x_train, target, preprocessing.scale)
    except _Unscorable as exc:
        scores.error = str(exc)
        return scores
    kind = _output_kind(compile_info, layers, test)
    scores.output_kind = kind
    problems: list[str] = []
    scores.test_accuracy, scores.test_loss = _accuracy_and_loss(test, splits.y_test, kind, problems)
    scores.train_accuracy, scores.train_loss = _accuracy_and_loss(
        train, splits.y_train, kind, problems
    )
    if val_from is not None and 0 <= val_from < len(train):
        scores.val_accuracy, _ = _accuracy_and_loss(
            train[val_from:], splits.y_train[val_from:], kind, []
        )
    scores.error = problems[0] if problems else None
    scores.confusion = _confusion(test, splits.y_test)
    return scores


def _confusion(outputs: npt.NDArray[np.float64], labels: npt.NDArray[np.uint8]) -> list[list[int]]:
    finite = np.asarray(np.isfinite(outputs).all(axis=1), dtype=bool)
    predicted = np.where(finite, np.argmax(np.where(finite[:, None], outputs, 0.0), axis=1), -1)
    y = labels.reshape(-1).astype(np.int64)
    classes = max(outputs.shape[1], int(y.max()) + 1 if len(y) else 0)
    return confusion_matrix(predicted.astype(np.int64), y, classes)


def _input_shape(model: Any, sample: tuple[int, ...]) -> tuple[int, ...] | None:
    """The per-sample shape to reshape the data to, or None when it already fits."""
    try:
        inputs = list(model.inputs)
    except Exception as exc:  # an unbuilt Sequential has no inputs at all
        raise _Unscorable("the model was never built, so it has no input shape") from exc
    if len(inputs) != 1:
        raise _Unscorable(f"the model has {len(inputs)} inputs; the grader feeds one")
    expected = tuple(inputs[0].shape)[1:]
    if len(expected) == len(sample) and all(
        e is None or e == s for e, s in zip(expected, sample, strict=True)
    ):
        return None
    if None not in expected and math.prod(expected) == math.prod(sample):
        return tuple(int(e) for e in expected)  # e.g. a CIFAR MLP that flattens to (3072,)
    shown = "(" + ", ".join(str(d) for d in (None, *expected)) + ")"
    raise _Unscorable(f"model expects input {shown} but the data is {tuple(sample)}")


def _outputs(
    model: Any, x: npt.NDArray[np.uint8], target: tuple[int, ...] | None, scale: float
) -> npt.NDArray[np.float64]:
    if len(x) == 0:
        raise _Unscorable("the grader's data split is empty")
    chunks = []
    for start in range(0, len(x), BATCH_SIZE):
        batch = x[start : start + BATCH_SIZE].astype(np.float32) / np.float32(scale)
        if target is not None:
            batch = batch.reshape((len(batch), *target))
        try:
            out = model.predict_on_batch(batch)  # inference mode: Dropout off, BN frozen
        except Exception as exc:  # a model that breaks on valid input is a result
            raise _Unscorable(f"the model failed on the grader's data: {_innermost(exc)}") from exc
        if isinstance(out, (list, tuple, dict)):
            raise _Unscorable("the model has several outputs; the grader scores one")
        chunks.append(np.asarray(out, dtype=np.float64))
    outputs = np.concatenate(chunks)
    if outputs.ndim != 2 or outputs.shape[1] < 2:
        shown = "(None, " + ", ".join(str(d) for d in outputs.shape[1:]) + ")"
        raise _Unscorable(f"model output {shown} is not one score per class")
    return outputs


def _output_kind(
    compile_info: CompileInfo | None, layers: list[LayerInfo], outputs: npt.NDArray[np.float64]
) -> OutputKind:
    if compile_info is not None and compile_info.from_logits:
        return "logits"
    last = layers[-1] if layers else None
    if last is not None and (last.activation in PROBABILITY_ACTIVATIONS or last.type == "Softmax"):
        return "probabilities"
    finite = outputs[np.isfinite(outputs).all(axis=1)]
    if len(finite) and (finite >= 0).all() and np.allclose(finite.sum(axis=1), 1.0, atol=1e-3):
        return "probabilities"
    return "logits"


def _accuracy_and_loss(
    outputs: npt.NDArray[np.float64],
    labels: npt.NDArray[np.uint8],
    kind: OutputKind,
    problems: list[str],
) -> tuple[float, float | None]:
    y = labels.reshape(-1).astype(np.int64)
    finite = np.asarray(np.isfinite(outputs).all(axis=1), dtype=bool)
    predicted = np.where(finite, np.argmax(np.where(finite[:, None], outputs, 0.0), axis=1), -1)
    accuracy = float(np.mean(predicted == y))
    if not finite.all():
        problems.append("the model outputs NaN or infinite values; loss not computed")
        return accuracy, None
    classes = outputs.shape[1]
    if len(y) and int(y.max()) >= classes:
        problems.append(f"the model outputs {classes} classes but the labels go up to {y.max()}")
        return accuracy, None
    return accuracy, _cross_entropy(outputs, y, kind)


def _cross_entropy(
    outputs: npt.NDArray[np.float64], y: npt.NDArray[np.int64], kind: OutputKind
) -> float:
    """Sparse categorical cross-entropy as Keras defines it, computed in float64."""
    rows = np.arange(len(y))
    if kind == "logits":
        shifted = outputs - outputs.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        return float(-log_p[rows, y].mean())
    with np.errstate(divide="ignore", invalid="ignore"):
        p = outputs / outputs.sum(axis=1, keepdims=True)
    p = np.clip(np.nan_to_num(p, nan=0.0), _EPSILON, 1.0 - _EPSILON)
    return float(-np.log(p[rows, y]).mean())
