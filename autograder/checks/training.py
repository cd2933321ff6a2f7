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
from autograder.checks.base import CheckContext, Problem, describe, matches, result
from autograder.checks.parameters import expected_text, neutral_text
from autograder.i18n import say
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
            check,
            "fail",
            "the model was never trained (no fit call recorded)",
            expected=expected,
            said=say("training.no_fit"),
        )
    measured = fit_summary(fits)
    problems = _problems(check, measured)
    failed = [p.text for p in problems]
    status, points = share(check, failed, len(expected))
    message = "; ".join(failed) if failed else _summary(measured)
    if status == "partial":
        message += f" ({len(expected) - len(failed)} of {len(expected)} settings match)"
    said = (
        problems[0].said("training.mismatch")
        if problems
        else say("training.pass", summary=_summary(measured))
    )
    return result(
        check, status, message, expected=expected, measured=measured, points=points, said=said
    )


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


def _problems(check: TrainingCheck, measured: dict[str, Any]) -> list[Problem]:
    failed = []
    if check.epochs is not None and not matches(check.epochs, measured["epochs"]):
        run = _count(measured["epochs"], "epoch")
        text = f"{run} run (expected {expected_text(check.epochs)})"
        failed.append(Problem("epochs", measured["epochs"], neutral_text(check.epochs), text))
    if check.batch_size is not None:
        size = measured["batch_size"]
        wanted = neutral_text(check.batch_size)
        if size is None:
            text = "batch size set by the dataset passed to fit, not by fit (unknown)"
            failed.append(Problem("batch_size", "?", wanted, text))
        elif not matches(check.batch_size, size):
            text = f"batch size {size} (expected {expected_text(check.batch_size)})"
            failed.append(Problem("batch_size", size, wanted, text))
    if check.validation is not None:
        used = measured["validation"]
        accepted = {"split", "data"} if check.validation == "any" else {check.validation}
        if used not in accepted:
            text = f"validation: {_validation_text(used)} (expected {check.validation})"
            failed.append(Problem("validation", _validation_text(used), check.validation, text))
    if check.validation_split is not None and not math.isclose(
        measured["validation_split"], check.validation_split, abs_tol=1e-9
    ):
        found, wanted = f"{measured['validation_split']:g}", f"{check.validation_split:g}"
        text = f"validation_split {found} (expected {wanted})"
        failed.append(Problem("validation_split", found, wanted, text))
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
