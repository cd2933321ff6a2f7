"""``autograder rubric init``: a rubric drafted from the reference as the grader measured it.

The draft asks for what the reference shows, measured, not what its source says: the
layers (type, units, activation, output shape), the exact parameter counts, the
compile settings, the training settings of its fits, and an accuracy bar and a gap
limit relative to the reference, so that they follow whatever data and machine
grade.  Every measured value is named in a YAML comment, the points are split
evenly, and the text validates with :func:`autograder.rubric.load_rubric`: an
instructor edits it, never starts from a blank page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from autograder.artifacts import RecordedCall
from autograder.checks.training import fit_summary
from autograder.measure.facts import LayerInfo, ModelMeasurements
from autograder.rubric.models import DatasetName

ACCURACY_MARGIN = 0.03
"""Below the reference by this much still passes (one seed)."""
SPREAD_SDS = 3
"""With several seeds: the bar is the mean minus this many standard deviations."""
GAP_MARGIN = 0.05
"""The gap may exceed the reference's by this much."""
_LAYER_FIELDS = ("units", "activation", "filters", "kernel_size", "pool_size", "rate")
_NOT_A_LAYER = {"InputLayer"}


@dataclass(frozen=True)
class Draft:
    """What ``rubric init`` needs to know besides the measurements."""

    id: str
    title: str
    dataset: DatasetName
    reference: str
    """The reference's path relative to the rubric file."""
    model_variable: str = "model"
    seeds: int = 1
    points: float | None = None
    """Total points, split evenly; None: one point per check."""
    reference_example: bool = True
    """Declare the reference as an example expected to earn full marks (``rubric test``)."""


def _scalar(value: Any) -> str:
    # JSON scalars are YAML flow scalars; this quotes what YAML would misread.
    return json.dumps(value, ensure_ascii=False)


def _layer(layer: LayerInfo) -> list[str]:
    fields: dict[str, Any] = {"type": layer.type}
    fields |= {name: getattr(layer, name) for name in _LAYER_FIELDS if getattr(layer, name)}
    if layer.output_shape is not None:
        fields["output_shape"] = layer.output_shape
    body = ", ".join(f"{key}: {_scalar(value)}" for key, value in fields.items())
    return [f"      - {{{body}}}  # {layer.name}: {layer.params:,} parameters"]


def draft_rubric(model: ModelMeasurements, fits: list[RecordedCall], draft: Draft) -> str:
    """The rubric YAML text for a reference measured as ``model``, trained by ``fits``."""
    checks: list[list[str]] = []
    layers = [layer for layer in model.layers if layer.type not in _NOT_A_LAYER]
    if layers:
        lines = ["  - kind: architecture", "    id: architecture", "    layers:"]
        lines[2:2] = [f"    # measured: {len(layers)} layers, in order"]
        for layer in layers:
            lines += _layer(layer)
        checks.append(lines)
    checks.append(
        [
            "  - kind: parameters",
            "    id: parameters",
            f"    # measured: {model.trainable_params:,} trainable, {model.total_params:,} total",
            f"    trainable: {model.trainable_params}",
            f"    total: {model.total_params}",
        ]
    )
    if model.compile is not None and (model.compile.optimizer or model.compile.loss):
        info = model.compile
        lines = ["  - kind: compile", "    id: compile"]
        lr = "?" if info.learning_rate is None else f"{info.learning_rate:.6g}"
        lines.append(
            f"    # measured: optimizer {info.optimizer}, learning rate {lr}, "
            f"loss {info.loss}, from_logits {info.from_logits}"
        )
        lines.append("    # from_logits is left out: logits plus from_logits=True is equivalent")
        if info.optimizer:
            lines.append(f"    optimizer: {_scalar(info.optimizer)}")
        if info.loss:
            lines.append(f"    loss: {_scalar(info.loss)}")
        if info.metrics:
            lines.append(f"    metrics: {_scalar(info.metrics)}")
        checks.append(lines)
    if fits:
        fit = fit_summary(fits)
        lines = ["  - kind: training", "    id: training"]
        lines.append(
            f"    # measured: {fit['epochs']} epochs over {fit['fit_calls']} fit call(s), "
            f"batch size {fit['batch_size']}, validation {fit['validation']}"
        )
        lines.append(f"    epochs: {fit['epochs']}")
        if fit["batch_size"] is not None:
            lines.append(f"    batch_size: {fit['batch_size']}")
        lines.append(f"    validation: {fit['validation']}")
        if fit["validation"] == "split":
            lines.append(f"    validation_split: {fit['validation_split']:g}")
        checks.append(lines)
    checks.append(_accuracy(model, draft.seeds))
    checks.append(_gap(model))
    body = "\n".join(_with_points(checks, draft.points)) + "\n"
    total = float(len(checks)) if draft.points is None else draft.points
    examples = _examples(draft, total) if draft.reference_example else ""
    return _header(draft, model) + body + examples


def _examples(draft: Draft, total: float) -> str:
    return (
        "examples:\n"
        "  # `autograder rubric test` grades these: the reference must earn full marks.\n"
        "  # Add known submissions (a broken one, an equivalent one) with their verdicts.\n"
        f"  - path: {_scalar(draft.reference)}\n"
        f"    expect: {{score: {total:.12g}}}\n"
    )


def _accuracy(model: ModelMeasurements, seeds: int) -> list[str]:
    measured = "?" if model.test_accuracy is None else f"{model.test_accuracy:.4f}"
    if seeds > 1:
        why = f"    # the mean of the {seeds} seeded runs minus {SPREAD_SDS} standard deviations"
        bound = f"    min: {{reference: {{sd: -{SPREAD_SDS}}}}}"
    else:
        why = f"    # {ACCURACY_MARGIN} below the reference, on whatever data and machine grade"
        bound = f"    min: {{reference: -{ACCURACY_MARGIN}}}"
    return [
        "  - kind: accuracy",
        "    id: test_accuracy",
        f"    # measured: reference test accuracy {measured}",
        why,
        "    split: test",
        bound,
    ]


def _gap(model: ModelMeasurements) -> list[str]:
    train, test = model.train_accuracy, model.test_accuracy
    gap = "?" if train is None or test is None else f"{train - test:.4f}"
    return [
        "  - kind: overfitting_gap",
        "    id: gap",
        f"    # measured: reference train - test accuracy {gap}",
        f"    # at most {GAP_MARGIN} more than the reference's own gap",
        f"    max: {{reference: {GAP_MARGIN}}}",
    ]


def _with_points(checks: list[list[str]], total: float | None) -> list[str]:
    each = 1.0 if total is None else total / len(checks)
    out = ["checks:"]
    for lines in checks:
        out += [*lines[:2], f"    points: {each:.12g}", *lines[2:], ""]
    return out[:-1]


def _header(draft: Draft, model: ModelMeasurements) -> str:
    seeds = f"\n  seeds: {draft.seeds}" if draft.seeds > 1 else ""
    return (
        f"# Drafted by `autograder rubric init` from the measured reference (model {model.key}).\n"
        "# Every bound below comes from a measured value named in its comment; points are\n"
        "# split evenly. Edit freely, then `autograder rubric validate` and `rubric test`.\n"
        "schema_version: 1\n"
        f"id: {_scalar(draft.id)}\n"
        f"title: {_scalar(draft.title)}\n"
        "dataset:\n"
        f"  name: {draft.dataset}\n"
        f"model_variable: {draft.model_variable}\n"
        "reference:\n"
        f"  path: {_scalar(draft.reference)}{seeds}\n"
    )
