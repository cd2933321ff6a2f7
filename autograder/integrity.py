"""Integrity flags: where the kernel's account disagrees with what the grader verified.

The kernel is an untrusted producer.  What it records (fit and compile calls,
histories, variable bindings) is information; what earns points is read from the
model file in the confined evaluator.  When the two disagree, or the kernel tampers
with the runner's channel, the result carries a flag for the instructor instead of
believing either side.  Flags never change a score by themselves: the rubric decides.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from autograder.artifacts import Artifacts, ExportedModel

IntegrityCode = Literal[
    "forged_channel",
    "refused_artifact",
    "export_failed",
    "training_mismatch",
    "compile_mismatch",
    "test_leakage",
]
Evidence = dict[str, str | int | float | bool | None]


class IntegrityFlag(BaseModel):
    """One reason not to take the kernel's account at its word."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: IntegrityCode = Field(description="What kind of disagreement or tampering.")
    detail: str = Field(
        description="Plain words for the instructor (grader-made, never student text)."
    )
    evidence: Evidence = Field(
        default_factory=dict, description="The numbers or names the flag rests on."
    )


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
        return [
            IntegrityFlag(
                code="compile_mismatch",
                detail="the saved optimizer never stepped although training was recorded "
                "(recompiled after training?)",
                evidence=evidence,
            )
        ]
    return [
        IntegrityFlag(
            code="training_mismatch",
            detail="the recorded training does not match the optimizer's step count",
            evidence=evidence,
        )
    ]


def refused(problems: list[str]) -> list[IntegrityFlag]:
    """Payloads the artifact sink refused (too large, malformed)."""
    return [IntegrityFlag(code="refused_artifact", detail=p[:300]) for p in problems[:20]]
