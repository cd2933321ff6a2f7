"""Integrity flags: where the kernel's account disagrees with what the grader verified.

The kernel is an untrusted producer.  What it records (fit and compile calls,
histories, variable bindings) is information; what earns points is read from the
model file in the confined evaluator.  When the two disagree, or the kernel tampers
with the runner's channel, the result carries a flag for the instructor instead of
believing either side.  Flags never change a score by themselves: the rubric decides.
"""

from __future__ import annotations

from autograder.artifacts import Artifacts, ExportedModel
from autograder.i18n import text
from autograder.measurements import ModelMeasurements
from autograder.results import Evidence, IntegrityCode, IntegrityFlag


def flag(code: IntegrityCode, **evidence: str | int | float | bool | None) -> IntegrityFlag:
    """A flag whose detail is the catalog's English sentence (renderers localize by code)."""
    return IntegrityFlag(code=code, detail=text(f"integrity.{code}", "en"), evidence=evidence)


def recorded_steps(artifacts: Artifacts, model: ExportedModel) -> int | None:
    """Optimizer steps the recorded fit calls imply (epochs run x batches per epoch).

    None when a call's input size or batch size was not recorded as a number
    (a tf.data pipeline, a generator): no claim, so nothing to cross-check.
    """
    steps = 0
    for call in artifacts.calls_for(model.key, "fit"):
        shape = call.args.get("x")
        rows = shape.get("shape", [None])[0] if isinstance(shape, dict) else None
        batch = call.args.get("batch_size") or 32
        split = call.args.get("validation_split") or 0.0
        epochs = call.epochs_run
        if not isinstance(rows, int) or not isinstance(batch, int) or epochs is None:
            return None
        if not isinstance(split, (int, float)) or batch <= 0:
            return None
        train_rows = rows - int(rows * float(split))
        steps += epochs * -(-train_rows // batch)
    return steps


def training_flags(
    artifacts: Artifacts, model: ExportedModel, optimizer_iterations: int | None
) -> list[IntegrityFlag]:
    """Recorded epochs x steps against the optimizer's iteration count in the file."""
    if optimizer_iterations is None:
        return []
    claimed = recorded_steps(artifacts, model)
    if claimed is None or claimed == optimizer_iterations:
        return []
    evidence: Evidence = {"recorded_steps": claimed, "optimizer_iterations": optimizer_iterations}
    if optimizer_iterations == 0 and claimed > 0:
        return [flag("compile_mismatch", **evidence)]
    return [flag("training_mismatch", **evidence)]


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
    if chosen is not None and model is not None:
        flags += training_flags(artifacts, chosen, optimizer_iterations(model))
    return flags


def optimizer_iterations(model: ModelMeasurements) -> int | None:
    """The saved optimizer's step count, when the evaluator could read one."""
    value = getattr(model, "optimizer_iterations", None)
    return value if isinstance(value, int) else None
