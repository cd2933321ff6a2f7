"""Every model a submission trained, measured by the grader: the experiments table.

Lab-style exercises ask for sweeps (widths, depths, learning rates...) and each
configuration is a separate model.  The kernel exports every fitted model; here each
one is reloaded and measured like the graded model, and summarised as an
:class:`~autograder.results.ExperimentRow` that the ``experiments`` check matches
requirements against.
"""

from __future__ import annotations

import math

from autograder.artifacts import Artifacts, ExportedModel, RecordedCall
from autograder.checks.architecture import normalise, short_form
from autograder.checks.training import fit_summary, trained_rows
from autograder.datasets.base import Splits
from autograder.errors import EvaluationError
from autograder.evaluation import measure_model
from autograder.measurements import ModelMeasurements
from autograder.results import ExperimentRow
from autograder.rubric.models import Preprocessing

_WEIGHTED = ("Dense", "Conv1D", "Conv2D", "Conv3D", "SeparableConv2D", "DepthwiseConv2D")


def experiment_rows(
    artifacts: Artifacts, splits: Splits, preprocessing: Preprocessing
) -> list[ExperimentRow]:
    """One row per trained model, in the order the notebook created them."""
    rows = []
    for model in artifacts.models:
        fits = artifacts.calls_for(model.key, "fit")
        if model.fitted and fits:
            rows.append(_row(model, fits, artifacts, splits, preprocessing))
    return rows


def validation_start(fit: RecordedCall, train_rows: int) -> int | None:
    """First training row that ``validation_split`` held out, when the grader can tell.

    Keras takes the last ``validation_split`` of ``x`` before shuffling; the grader can
    reproduce that only when ``x`` had exactly as many rows as its own training split.
    """
    split = fit.args.get("validation_split")
    # The rows fit trained on: a --fraction cuts the notebook's full x to the grader's split.
    rows = trained_rows(fit)
    if not isinstance(split, (int, float)) or not 0 < split < 1 or rows is None:
        return None
    if rows != train_rows:
        return None
    return math.floor(train_rows * (1.0 - split))


def _row(
    model: ExportedModel,
    fits: list[RecordedCall],
    artifacts: Artifacts,
    splits: Splits,
    preprocessing: Preprocessing,
) -> ExperimentRow:
    summary = fit_summary(fits)
    durations = [f.duration_s for f in fits if f.duration_s is not None]
    base = ExperimentRow(
        model=model.key,
        variables=model.variables,
        architecture="unknown",
        epochs=summary["epochs"],
        batch_size=summary["batch_size"],
        training_s=sum(durations) if durations else None,
    )
    path = artifacts.model_path(model)
    if path is None:
        reason = model.save_error or "the model was never exported"
        return base.model_copy(update={"error": f"could not be exported: {reason}"})
    val_from = validation_start(fits[-1], len(splits.x_train))
    try:
        measured = measure_model(path, model.key, splits, preprocessing, val_from=val_from)
    except EvaluationError as exc:
        return base.model_copy(update={"error": str(exc)})
    return base.model_copy(update=_measured(measured, summary["validation"]))


def _measured(measured: ModelMeasurements, validation: str) -> dict[str, object]:
    logits = bool(measured.compile is not None and measured.compile.from_logits)
    layers = normalise(measured.layers, [], logits).layers
    # Hidden: every layer with weights and an activation, except the output layer.
    hidden = [layer for layer in layers if layer.type in _WEIGHTED][:-1]
    val: float | None
    source: str | None
    if validation == "split" and measured.val_accuracy is not None:
        val, source = measured.val_accuracy, "split"
    elif validation == "data":
        # The grader cannot see what was passed as validation_data; the exercises
        # validate on the test set, which it does measure.
        val, source = measured.test_accuracy, "test"
    else:
        val, source = None, None
    return {
        "architecture": short_form(layers),
        "layer_types": [layer.type for layer in layers],
        "hidden_units": [layer.units for layer in hidden if layer.type == "Dense" and layer.units],
        "hidden_activations": [layer.activation or "linear" for layer in hidden],
        "l2": any(info.l2 for info in measured.layers),
        "trainable_params": measured.trainable_params,
        "optimizer": measured.compile.optimizer if measured.compile else None,
        "learning_rate": measured.compile.learning_rate if measured.compile else None,
        "train_accuracy": measured.train_accuracy,
        "val_accuracy": val,
        "val_source": source,
        "test_accuracy": measured.test_accuracy,
        "gap": measured.overfitting_gap,
        "error": measured.error,
    }
