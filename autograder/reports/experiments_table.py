"""The experiments table of one submission: every trained model, measured by the grader."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from autograder.results import ExperimentRow

_NOTHING = "\u2013"


def experiments_table(rows: list[ExperimentRow]) -> Table:
    table = Table(title="Experiments (measured by the grader)", title_justify="left", box=None)
    for name in ("Model", "Architecture", "Params", "Optimizer", "Epochs", "Batch"):
        table.add_column(name, justify="right" if name in ("Params", "Epochs", "Batch") else "left")
    for name in ("Train", "Val", "Test", "Gap", "Time"):
        table.add_column(name, justify="right")
    for row in rows:
        label = row.model + (f" ({', '.join(row.variables)})" if row.variables else "")
        table.add_row(
            Text(label),
            # Student-given names may appear in the architecture: never markup.
            Text((row.error and f"{row.architecture}: {row.error}") or row.architecture),
            _count(row.trainable_params),
            Text(_optimizer(row)),
            str(row.epochs),
            _count(row.batch_size),
            _acc(row.train_accuracy),
            _acc(row.val_accuracy) + ("ᵗ" if row.val_source == "test" else ""),
            _acc(row.test_accuracy),
            _NOTHING if row.gap is None else f"{row.gap:+.3f}",
            _NOTHING if row.training_s is None else f"{row.training_s:.1f} s",
        )
    if any(row.val_source == "test" for row in rows):
        table.caption = "ᵗ validated on validation_data: the grader's test set is shown"
        table.caption_justify = "left"
    return table


def _count(value: int | None) -> str:
    return _NOTHING if value is None else f"{value:,}"


def _acc(value: float | None) -> str:
    return _NOTHING if value is None else f"{value:.3f}"


def _optimizer(row: ExperimentRow) -> str:
    if row.optimizer is None:
        return _NOTHING
    if row.learning_rate is None:
        return row.optimizer
    return f"{row.optimizer} (lr {row.learning_rate:.4g})"
