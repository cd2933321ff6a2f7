"""The experiments table of one submission: every trained model, measured by the grader.

Kept narrow enough for an 80-column terminal: the architecture is summarised (hidden
widths for dense networks, layer counts otherwise) and the gap is left to result.json.
"""

from __future__ import annotations

from collections import Counter

from rich.table import Table
from rich.text import Text

from autograder.results import ExperimentRow

_NOTHING = "\u2013"
_SHORT = {
    "Conv2D": "Conv",
    "MaxPooling2D": "Pool",
    "AveragePooling2D": "AvgPool",
    "BatchNormalization": "BN",
    "Dropout": "Drop",
}
_DENSE_ONLY = {"Flatten", "Dense", "Dropout", "InputLayer"}


def experiments_table(rows: list[ExperimentRow]) -> Table:
    table = Table(
        title="Experiments (every trained model, measured by the grader)",
        title_justify="left",
        box=None,
        collapse_padding=True,
        pad_edge=False,
    )
    table.add_column("Model", no_wrap=True)
    table.add_column("Layers", ratio=1)
    for name in ("Params", "Optimizer", "Ep", "Batch", "Train", "Val", "Test", "Time"):
        table.add_column(name, justify="left" if name == "Optimizer" else "right", no_wrap=True)
    for row in rows:
        table.add_row(
            Text(row.model),
            # Never markup: layer names come from the student's model.
            Text(f"{_layers(row)}: {row.error}" if row.error else _layers(row)),
            _count(row.trainable_params),
            Text(_optimizer(row)),
            str(row.epochs),
            _count(row.batch_size),
            _acc(row.train_accuracy),
            _acc(row.val_accuracy) + ("*" if row.val_source == "test" else ""),
            _acc(row.test_accuracy),
            _NOTHING if row.training_s is None else f"{row.training_s:.1f}s",
        )
    if any(row.val_source == "test" for row in rows):
        table.caption = "* validated on validation_data: the grader's test set is shown"
        table.caption_justify = "left"
    return table


def _layers(row: ExperimentRow) -> str:
    if row.layer_types and set(row.layer_types) <= _DENSE_ONLY:
        activations = set(row.hidden_activations)
        widths = "-".join(str(units) for units in row.hidden_units) or "no hidden"
        extras = ("Dropout" in row.layer_types) * " +Drop" + row.l2 * " +L2"
        if len(activations) == 1:
            return f"{widths} {activations.pop()}{extras}"
        return (
            ", ".join(
                f"{u} {a}" for u, a in zip(row.hidden_units, row.hidden_activations, strict=False)
            )
            + extras
        )
    if not row.layer_types:
        return row.architecture
    counts = Counter(_SHORT.get(t, t) for t in row.layer_types if t != "Flatten")
    return " ".join(f"{name}x{n}" if n > 1 else name for name, n in counts.items())


def _count(value: int | None) -> str:
    return _NOTHING if value is None else f"{value:,}"


def _acc(value: float | None) -> str:
    return _NOTHING if value is None else f"{value:.3f}"


def _optimizer(row: ExperimentRow) -> str:
    if row.optimizer is None:
        return _NOTHING
    if row.learning_rate is None:
        return row.optimizer
    return f"{row.optimizer} {row.learning_rate:.2g}"
