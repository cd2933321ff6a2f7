"""The training check: epochs, batch size and validation, from the recorded fit calls.

Epochs are the epochs actually run over every fit of the graded model (a student
may call fit twice, or stop early); batch size and validation come from the last
fit, the one that produced the final weights.
"""

from __future__ import annotations

import math
from typing import Any

from autograder.artifacts import RecordedCall
from autograder.checks import no_model, share
from autograder.checks.base import CheckContext, describe, matches, result
from autograder.checks.parameters import expected_text
from autograder.results import CheckResult
from autograder.rubric.models import TrainingCheck

KERAS_DEFAULT_BATCH_SIZE = 32


def fit_summary(fits: list[RecordedCall]) -> dict[str, Any]:
    """What the fits of one model did, as plain data."""
    last = fits[-1].args
    split = last.get("validation_split")
    split = float(split) if isinstance(split, (int, float)) else 0.0
    if last.get("has_validation_data") is True:
        validation = "data"  # Keras ignores validation_split when both are given
    elif split > 0:
        validation = "split"
    else:
        validation = "none"
    return {
        "epochs": sum(_epochs(call) for call in fits),
        "batch_size": _batch_size(last),
        "validation": validation,
        "validation_split": split,
        "fit_calls": len(fits),
    }


def check_training(check: TrainingCheck, ctx: CheckContext) -> CheckResult:
    if ctx.model is None:
        return no_model(check, ctx)
    fits = ctx.fits()
    expected = {
        name: describe(value)
        for name, value in check.model_dump(
            include={"epochs", "batch_size", "validation", "validation_split"}
        ).items()
        if value is not None
    }
    if not fits:
        return result(
            check, "fail", "the model was never trained (no fit call recorded)", expected=expected
        )
    measured = fit_summary(fits)
    failed = _problems(check, measured)
    status, points = share(check, failed, len(expected))
    message = "; ".join(failed) if failed else _summary(measured)
    if status == "partial":
        message += f" ({len(expected) - len(failed)} of {len(expected)} settings match)"
    return result(check, status, message, expected=expected, measured=measured, points=points)


def _epochs(call: RecordedCall) -> int:
    if call.epochs_run is not None:
        return call.epochs_run
    epochs = call.args.get("epochs")
    return epochs if isinstance(epochs, int) else 0


def _batch_size(args: dict[str, Any]) -> int | None:
    size = args.get("batch_size")
    if isinstance(size, int):
        return size
    data = args.get("x")
    if isinstance(data, dict) and "shape" not in data:
        return None  # a tf.data.Dataset or generator: it batches itself
    return KERAS_DEFAULT_BATCH_SIZE


def _problems(check: TrainingCheck, measured: dict[str, Any]) -> list[str]:
    failed = []
    if check.epochs is not None and not matches(check.epochs, measured["epochs"]):
        run = _count(measured["epochs"], "epoch")
        failed.append(f"{run} run (expected {expected_text(check.epochs)})")
    if check.batch_size is not None:
        size = measured["batch_size"]
        if size is None:
            failed.append("batch size set by the dataset passed to fit, not by fit (unknown)")
        elif not matches(check.batch_size, size):
            failed.append(f"batch size {size} (expected {expected_text(check.batch_size)})")
    if check.validation is not None:
        used = measured["validation"]
        accepted = {"split", "data"} if check.validation == "any" else {check.validation}
        if used not in accepted:
            failed.append(f"validation: {_validation_text(used)} (expected {check.validation})")
    if check.validation_split is not None and not math.isclose(
        measured["validation_split"], check.validation_split, abs_tol=1e-9
    ):
        failed.append(
            f"validation_split {measured['validation_split']:g} "
            f"(expected {check.validation_split:g})"
        )
    return failed


def _count(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def _validation_text(used: str) -> str:
    return {"split": "validation_split", "data": "validation_data", "none": "none"}[used]


def _summary(measured: dict[str, Any]) -> str:
    batch = measured["batch_size"]
    parts = [
        _count(measured["epochs"], "epoch"),
        f"batch size {batch if batch is not None else 'set by the dataset'}",
        "validation: " + _validation_text(measured["validation"]),
    ]
    if measured["fit_calls"] > 1:
        parts.append(f"over {measured['fit_calls']} fit calls")
    return "; ".join(parts)
