"""The experiments check: configurations that some trained model of the notebook shows.

Lab-style exercises ask for sweeps (widths, depths, learning rates...) and each
configuration is a separate model.  The kernel exports every fitted model and the
grader's measure stage measures each one in the evaluator, like the graded model;
:func:`experiment_row` summarises one as an :class:`~autograder.results.ExperimentRow`
(the experiments table).  Each requirement earns its weight when a model matches all
its fields; a sweep (``each_width``) earns the share of widths found.
"""

from __future__ import annotations

import math
from typing import Any

from autograder.artifacts import ExportedModel, RecordedCall
from autograder.checks import weighted
from autograder.checks.architecture import normalise, short_form
from autograder.checks.base import CheckContext, matches, result
from autograder.checks.parameters import expected_text
from autograder.checks.thresholds import resolve
from autograder.checks.training import fit_summary, trained_rows
from autograder.i18n import say
from autograder.measure import Holdout
from autograder.measure.facts import ModelMeasurements
from autograder.results import CheckResult, ExperimentRow
from autograder.rubric.models import ExperimentsCheck, ExperimentSpec

_WEIGHTED = ("Dense", "Conv1D", "Conv2D", "Conv3D", "SeparableConv2D", "DepthwiseConv2D")


def holdout_of(fit: RecordedCall) -> Holdout | None:
    """What the fit call's ``validation_split`` held out, when the kernel recorded it."""
    split = fit.args.get("validation_split")
    # The rows fit trained on: a --fraction cuts the notebook's full x to the grader's split.
    rows = trained_rows(fit)
    if not isinstance(split, (int, float)) or not 0 < split < 1 or rows is None or rows < 0:
        return None
    return Holdout(rows=rows, split=float(split))


def experiment_row(
    model: ExportedModel, fits: list[RecordedCall], measured: ModelMeasurements | str
) -> ExperimentRow:
    """One row of the experiments table; ``measured`` is the measurement or why it failed."""
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
    if isinstance(measured, str):
        return base.model_copy(update={"error": measured})
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


def check_experiments(check: ExperimentsCheck, ctx: CheckContext) -> CheckResult:
    rows = ctx.experiments
    expected = [spec.model_dump(exclude_none=True, exclude={"weight"}) for spec in check.require]
    if not rows:
        return result(check, "fail", say("experiments.none"), expected=expected)
    reference = ctx.reference.test_accuracy if ctx.reference is not None else None
    outcomes = [_requirement(spec, rows, reference) for spec in check.require]
    shares = [(spec.weight, o["met"]) for spec, o in zip(check.require, outcomes, strict=True)]
    status, points = weighted(check, shares)
    found = sum(1 for o in outcomes if o["met"] == 1)
    # What the nearest model lacks is the student's best hint; those reasons are still
    # English phrases built from the spec (a catalog entry per phrase is future work).
    missing = [f"{o['id']} ({o['missing'][0]})" for o in outcomes if o["met"] < 1]
    args = {"found": found, "total": len(outcomes), "models": len(rows)}
    said = (
        say("experiments.missing", **args, missing="; ".join(missing))
        if missing
        else say("experiments.found", **args)
    )
    return result(
        check,
        status,
        said,
        expected=expected,
        measured={o["id"]: o["models"] for o in outcomes},
        points=points,
        details={"requirements": outcomes},
    )


def _requirement(
    spec: ExperimentSpec, rows: list[ExperimentRow], reference: float | None
) -> dict[str, Any]:
    outcome: dict[str, Any] = {"id": spec.id, "description": spec.description}
    threshold = resolve(spec.min_val_accuracy, reference)
    floor = threshold.value if threshold is not None else None
    if threshold is not None:
        outcome["min_val_accuracy"] = threshold.describe()
    if threshold is not None and floor is None:
        outcome.update(models=[], met=0.0, missing=["no reference run for its threshold"])
        return outcome
    if spec.each_width is None:
        hits = [row.model for row in rows if not _problems(spec, row, floor)]
        outcome["models"] = hits
        outcome["met"] = 1.0 if hits else 0.0
        outcome["missing"] = [] if hits else [_closest(spec, rows, floor)]
        return outcome
    found: dict[str, list[str]] = {}
    missing = []
    for width in spec.each_width:
        hits = [
            row.model
            for row in rows
            if row.hidden_units
            and all(units == width for units in row.hidden_units)
            and not _problems(spec, row, floor)
        ]
        if hits:
            found[str(width)] = hits
        else:
            missing.append(f"no model with hidden width {width}")
    outcome["models"] = found
    outcome["met"] = round(len(found) / len(spec.each_width), 4)
    outcome["missing"] = missing
    return outcome


# One flat test per field of the spec: splitting it would only scatter the list.
def _problems(spec: ExperimentSpec, row: ExperimentRow, floor: float | None) -> list[str]:  # noqa: C901
    """Why ``row`` does not show ``spec``; empty when it does."""
    problems = []
    if spec.hidden_layers is not None and not matches(spec.hidden_layers, len(row.hidden_units)):
        problems.append(f"{expected_text(spec.hidden_layers)} hidden Dense layers")
    if spec.hidden_units is not None and row.hidden_units != spec.hidden_units:
        problems.append(f"hidden widths {spec.hidden_units}")
    if spec.hidden_activation is not None and (
        not row.hidden_activations
        or any(a != spec.hidden_activation.lower() for a in row.hidden_activations)
    ):
        problems.append(f"every hidden layer {spec.hidden_activation}")
    if (
        spec.mixed_activations is not None
        and (len(set(row.hidden_activations)) >= 2) != spec.mixed_activations
    ):
        problems.append("mixed activations" if spec.mixed_activations else "one activation")
    for layer_type, count in spec.layers.items():
        have = sum(1 for t in row.layer_types if t.lower() == layer_type.lower())
        if not matches(count, have):
            problems.append(f"{expected_text(count)} {layer_type} layers")
    if spec.optimizer is not None and _bare(row.optimizer) != _bare(spec.optimizer):
        problems.append(f"optimizer {spec.optimizer}")
    if spec.learning_rate is not None and not (
        row.learning_rate is not None
        # Keras stores the rate as float32.
        and math.isclose(row.learning_rate, spec.learning_rate, rel_tol=1e-6)
    ):
        problems.append(f"learning rate {spec.learning_rate:g}")
    if spec.batch_size is not None and (
        row.batch_size is None or not matches(spec.batch_size, row.batch_size)
    ):
        problems.append(f"batch size {expected_text(spec.batch_size)}")
    if spec.l2 is not None and row.l2 != spec.l2:
        problems.append("an L2 regularizer" if spec.l2 else "no L2 regularizer")
    if floor is not None and (row.val_accuracy is None or row.val_accuracy < floor):
        problems.append(f"validation accuracy ≥ {floor:.3g}")
    return problems


def _closest(spec: ExperimentSpec, rows: list[ExperimentRow], floor: float | None) -> str:
    """What the nearest model lacks: the most useful hint for the student."""
    # Ties go to the newest model: notebooks build towards their final configuration.
    best = min(reversed(rows), key=lambda row: len(_problems(spec, row, floor)))
    lacks = _problems(spec, best, floor)
    if len(lacks) == 1:
        return f"closest is {best.model} ({best.architecture}), which lacks {lacks[0]}"
    return "no model with " + " and ".join(lacks)


def _bare(name: str | None) -> str:
    return (name or "").lower().replace("_", "")
