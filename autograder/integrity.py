"""Integrity flags: where the kernel's account disagrees with what the grader verified.

The kernel is an untrusted producer.  What it records (fit and compile calls,
histories, variable bindings) is information; what earns points is read from the
model file in the confined evaluator.  When the two disagree, or the kernel tampers
with the runner's channel, the result carries a flag for the instructor instead of
believing either side.  Flags never change a score by themselves: the rubric decides.
"""

from __future__ import annotations

import math

from autograder.artifacts import Artifacts, ExportedModel, RecordedCall
from autograder.i18n import text
from autograder.measure.facts import ModelMeasurements
from autograder.results import IntegrityCode, IntegrityFlag

KERAS_DEFAULT_BATCH_SIZE = 32


def flag(code: IntegrityCode, **evidence: str | int | float | bool | None) -> IntegrityFlag:
    """A flag whose detail is the catalog's English sentence (renderers localize by code)."""
    return IntegrityFlag(code=code, detail=text(f"integrity.{code}", "en"), evidence=evidence)


def _cut_to(call: RecordedCall, what: str) -> int | None:
    items = call.args.get("shortened")
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("what") == what and isinstance(item.get("to"), int):
            return int(item["to"])
    return None


def steps_per_epoch(call: RecordedCall) -> int | None:
    """Optimizer steps one epoch of this fit took, as recorded (after ``--fraction``).

    None when the call's size was not recorded as numbers (a tf.data pipeline, a
    generator): no claim, so nothing to count or cross-check.
    """
    steps = _cut_to(call, "steps") or call.args.get("steps_per_epoch")
    if isinstance(steps, int):
        return steps if steps > 0 else None
    shape = call.args.get("x")
    rows = shape.get("shape", [None])[0] if isinstance(shape, dict) and shape.get("shape") else None
    rows = _cut_to(call, "samples") or rows
    batch = call.args.get("batch_size") or KERAS_DEFAULT_BATCH_SIZE
    split = call.args.get("validation_split") or 0.0
    if not isinstance(rows, int) or not isinstance(batch, int) or batch <= 0:
        return None
    if not isinstance(split, (int, float)) or not 0 <= split < 1:
        return None
    train_rows = math.floor(rows * (1.0 - float(split)))
    return max(1, math.ceil(train_rows / batch))


def since_last_compile(artifacts: Artifacts, key: str) -> list[RecordedCall]:
    """The model's fits after its last successful compile (a compile resets the optimizer)."""
    fits: list[RecordedCall] = []
    for call in artifacts.calls:
        if call.model != key:
            continue
        if call.kind == "compile" and call.error is None:
            fits = []
        elif call.kind == "fit":
            fits.append(call)
    return fits


def recorded_steps(fits: list[RecordedCall]) -> int | None:
    """Optimizer steps the recorded fit calls imply (epochs run x steps per epoch)."""
    total = 0
    for call in fits:
        steps = steps_per_epoch(call)
        if steps is None or call.epochs_run is None:
            return None
        total += call.epochs_run * steps
    return total


def training_split_epochs(
    fits: list[RecordedCall], recorded: int, optimizer_iterations: int | None
) -> int:
    """Epochs counted on the training split, capped by what the optimizer verifiably did.

    An epoch on 100 images is not an epoch of the exercise: every fit's steps are
    counted in units of the largest fit's epoch.  The optimizer's iteration count
    (read from the model file) caps the recorded claim, so edited records cannot
    add epochs.  Unknown sizes (pipelines) keep the recorded count.
    """
    steps = [steps_per_epoch(call) for call in fits]
    if not fits or any(s is None for s in steps) or any(c.epochs_run is None for c in fits):
        return 0 if optimizer_iterations == 0 else recorded
    known = [s for s in steps if s is not None]
    full = max(known)
    claimed = sum((c.epochs_run or 0) * s for c, s in zip(fits, known, strict=True))
    if optimizer_iterations is not None:
        claimed = min(claimed, optimizer_iterations)
    return min(recorded, math.floor(claimed / full + 1e-9))


def training_flags(
    artifacts: Artifacts, model: ExportedModel, optimizer_iterations: int | None
) -> list[IntegrityFlag]:
    """Recorded epochs x steps against the optimizer's iteration count in the file."""
    every_fit = artifacts.calls_for(model.key, "fit")
    if optimizer_iterations is None or not every_fit:
        return []
    if optimizer_iterations == 0:
        return [flag("compile_mismatch", optimizer_iterations=0, fit_calls=len(every_fit))]
    claimed = recorded_steps(since_last_compile(artifacts, model.key))
    if claimed is None or claimed == optimizer_iterations:
        return []
    return [
        flag("training_mismatch", recorded_steps=claimed, optimizer_iterations=optimizer_iterations)
    ]


def refused(problems: list[str]) -> list[IntegrityFlag]:
    """Payloads the artifact sink refused (too large, malformed)."""
    return [flag("refused_artifact", problem=p[:300]) for p in problems[:20]]


def assess(
    run_flags: list[IntegrityFlag],
    artifacts: Artifacts,
    chosen: ExportedModel | None,
    model: ModelMeasurements | None,
) -> list[IntegrityFlag]:
    """Every flag for one submission: the runner's, then the graded model's cross-checks."""
    flags = list(run_flags)
    if chosen is not None:
        flags += leakage_flags(artifacts, chosen)
    if chosen is not None and model is not None:
        flags += training_flags(artifacts, chosen, optimizer_iterations(model))
        if not any(f.code == "test_leakage" for f in flags):
            flags += measured_leakage_flags(model)
    return flags


def measured_leakage_flags(model: ModelMeasurements) -> list[IntegrityFlag]:
    """Leakage the model file itself shows (canaries first, then the inverted gap)."""
    if model.canary_matches is not None and model.canary_templates and model.canary_threshold:
        found = canary_flags(model.canary_matches, model.canary_templates, model.canary_threshold)
        if found:
            return found
    return inverted_gap_flags(model, model.train_rows or 0, model.test_rows or 0)


LEAKED_SHARE = 0.05
"""Sampled fit rows that are test rows before the flag is raised (honest work: none)."""


def leakage_flags(artifacts: Artifacts, model: ExportedModel) -> list[IntegrityFlag]:
    """Fits whose input rows are rows of the test split (recorded fingerprint).

    The kernel compares up to 256 rows of each fit's ``x`` with the test split by
    pixel ranking, so scaling and reshaping do not hide them.  Recorded, hence
    informational: training the kernel never saw (``fit.__wrapped__``) escapes it.
    """
    for number, call in enumerate(artifacts.calls_for(model.key, "fit"), start=1):
        overlap = call.args.get("test_overlap")
        if not isinstance(overlap, dict):
            continue
        sampled, leaked = overlap.get("sampled"), overlap.get("test_rows")
        if not isinstance(sampled, int) or not isinstance(leaked, int) or sampled <= 0:
            continue
        if leaked >= max(2, LEAKED_SHARE * sampled):
            return [flag("test_leakage", fit_call=number, sampled=sampled, test_rows=leaked)]
    return []


def optimizer_iterations(model: ModelMeasurements) -> int | None:
    """The saved optimizer's step count, when the evaluator could read one."""
    return model.optimizer_iterations


def penalized(total: float, flags: list[IntegrityFlag], leakage_penalty: float) -> float:
    """The score after the rubric's leakage penalty (never below zero)."""
    if leakage_penalty > 0 and any(f.code == "test_leakage" for f in flags):
        return max(0.0, total - leakage_penalty)
    return total


INVERTED_GAP = 0.03
"""Test accuracy above train accuracy by more than this (3 points) ..."""
INVERTED_Z = 4.0
"""... and by more than this many standard errors, before the flag is raised."""


def inverted_gap_flags(
    model: ModelMeasurements, train_rows: int, test_rows: int
) -> list[IntegrityFlag]:
    """Weights that know the test split better than the split they were trained on.

    Trained at home on the real test set, a model scores above its own training
    accuracy; honest models (measured in inference mode, so dropout and augmentation
    do not lower train accuracy) score at or below it.  A two-proportion z-test keeps
    small, noisy splits (``--fraction``) from tripping it: z > 4 happens by chance
    with probability ~3e-5 even for a model whose two accuracies are truly equal.
    """
    train, test = model.train_accuracy, model.test_accuracy
    if train is None or test is None or train_rows <= 0 or test_rows <= 0:
        return []
    if not (math.isfinite(train) and math.isfinite(test)) or test - train <= INVERTED_GAP:
        return []
    pooled = (train * train_rows + test * test_rows) / (train_rows + test_rows)
    spread = math.sqrt(max(pooled * (1 - pooled), 1e-12) * (1 / train_rows + 1 / test_rows))
    z = (test - train) / spread
    if z <= INVERTED_Z:
        return []
    return [
        flag(
            "test_leakage",
            method="inverted_gap",
            train_accuracy=round(train, 4),
            test_accuracy=round(test, 4),
            z=round(z, 1),
        )
    ]


def canary_flags(matched: int, templates: int, threshold: int) -> list[IntegrityFlag]:
    """The model predicts the secretly planted labels of the test split's canaries.

    ``threshold`` comes from datasets.canaries.threshold: honest work reaches it
    with probability <= 1e-5 (its matches are Binomial(templates, 1/classes)).
    """
    if templates <= 0 or matched < threshold:
        return []
    return [flag("test_leakage", method="canaries", matched=matched, templates=templates)]
