"""The training check: epochs, batch size and validation, from the recorded fit calls.

Epochs are the epochs actually run over every fit of the graded model (a student
may call fit twice, or stop early); batch size and validation come from the last
fit, the one that produced the final weights.  A tf.data pipeline, a generator or a
keras Sequence sets its own batch size; the kernel reads it from the pipeline.  Under
``--fraction`` the kernel trains a share of each epoch; the result says how much.
"""

from __future__ import annotations

import math
from typing import Any

from autograder.artifacts import RecordedCall
from autograder.checks import no_model, share
from autograder.checks.base import CheckContext, Problem, describe, matches, result
from autograder.checks.parameters import expected_text, neutral_text
from autograder.i18n import Said, say
from autograder.integrity import training_split_epochs
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
        "samples_per_epoch": _samples_per_epoch(last, split),
        "validation": validation,
        "validation_split": split,
        "fit_calls": len(fits),
    }


def shortened(fits: list[RecordedCall]) -> list[dict[str, Any]]:
    """What ``--fraction``/``--quick`` cut from the fits: ``{"what", "from", "to"}`` each."""
    found = []
    for call in fits:
        items = call.args.get("shortened")
        for item in items if isinstance(items, list) else []:
            if (
                isinstance(item, dict)
                and isinstance(item.get("from"), int)
                and isinstance(item.get("to"), int)
            ):
                found.append(
                    {"what": str(item.get("what")), "from": item["from"], "to": item["to"]}
                )
    return found


def trained_rows(fit: RecordedCall) -> int | None:
    """Rows of the array ``x`` that fit actually trained on (after ``--fraction``), if known."""
    data = fit.args.get("x")
    shape = data.get("shape") if isinstance(data, dict) else None
    if not isinstance(shape, list) or not shape or not isinstance(shape[0], int):
        return None
    rows: int = shape[0]
    cuts = fit.args.get("shortened")
    for cut in cuts if isinstance(cuts, list) else []:
        if isinstance(cut, dict) and cut.get("what") == "samples" and cut.get("from") == rows:
            kept = cut.get("to")
            return kept if isinstance(kept, int) else None
    return rows


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
    # Counted on the training split and capped by the file's optimizer step count.
    measured["epochs"] = training_split_epochs(
        fits, measured["epochs"], ctx.model.optimizer_iterations
    )
    problems = _problems(check, measured)
    failed = [p.text for p in problems]
    status, points = share(check, failed, len(expected))
    message = "; ".join(failed) if failed else _summary(measured)
    if status == "partial":
        message += f" ({len(expected) - len(failed)} of {len(expected)} settings match)"
    cut = shortened(fits[-1:])
    said = problems[0].said("training.mismatch") if problems else _pass_said(measured, cut)
    if cut:
        message += "; graded on a shortened run: " + ", ".join(_cut_text(c) for c in cut)
    return result(
        check,
        status,
        message,
        expected=expected,
        measured=measured,
        points=points,
        said=said,
        details={"shortened": cut} if cut else None,
    )


def _pass_said(measured: dict[str, Any], cut: list[dict[str, Any]]) -> Said:
    summary = _summary(measured)
    work = next((c for c in cut if c["what"] in ("samples", "steps")), None)
    if work is None:
        return say("training.pass", summary=summary)
    return say(
        f"training.pass_shortened.{work['what']}",
        summary=summary,
        **{"from": work["from"], "to": work["to"]},
    )


_CUT_UNITS = {
    "samples": "samples per epoch",
    "steps": "steps per epoch",
    "validation_samples": "validation samples",
    "validation_steps": "validation steps",
    "epochs": "epochs",
}


def _cut_text(cut: dict[str, Any]) -> str:
    unit = _CUT_UNITS.get(cut["what"], cut["what"])
    return f"{cut['to']:,} of {cut['from']:,} {unit}"


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
        # A tf.data.Dataset or generator batches itself: the size the kernel read
        # from it, else unknown.
        facts = args.get("dataset")
        batch = facts.get("batch_size") if isinstance(facts, dict) else None
        return batch if isinstance(batch, int) and batch > 0 else None
    return KERAS_DEFAULT_BATCH_SIZE


def _samples_per_epoch(args: dict[str, Any], split: float) -> int | None:
    """Examples one epoch of the last fit goes through, as the notebook wrote it."""
    data, steps = args.get("x"), args.get("steps_per_epoch")
    facts = args.get("dataset") if isinstance(args.get("dataset"), dict) else {}
    batch = _batch_size(args)
    if isinstance(steps, int) and isinstance(batch, int):
        return steps * batch
    if isinstance(data, dict) and isinstance(data.get("shape"), list) and data["shape"]:
        rows = data["shape"][0]
        return math.floor(rows * (1.0 - split)) if isinstance(rows, int) else None
    samples = facts.get("samples") if isinstance(facts, dict) else None
    return samples if isinstance(samples, int) else None


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
