"""A model the notebook reloaded from a file it saved is graded as the model it saved.

Students train inside a function, ``model.save("modelo.h5")``, then evaluate
``keras.models.load_model("modelo.h5")``: the graded variable holds a copy that was
never fitted (and, with ``compile=False``, never compiled).  The kernel records which
model saved the file it came from; that link is only believed when the grader finds
the same weights in both exports.  Then the copy takes the original's recorded fits
and compile calls, and whatever compile settings or optimizer state the copy's own
file lost are read from the original's file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from autograder.artifacts import Artifacts, ExportedModel
from autograder.errors import EvaluationError
from autograder.measure.facts import ModelMeasurements

Measure = Callable[[Path, str], ModelMeasurements]


@dataclass(frozen=True)
class Adopted:
    """The artifacts and measurements to grade with, and what the report should say."""

    artifacts: Artifacts
    model: ModelMeasurements
    note: str | None
    """Why the copy was (or was not) linked to its original; None when it is no copy."""


def adopt_original(
    chosen: ExportedModel, measured: ModelMeasurements, artifacts: Artifacts, measure: Measure
) -> Adopted:
    """Link a never-fitted reloaded copy to the model that saved its file, if verified."""
    unchanged = Adopted(artifacts, measured, None)
    source_key = chosen.copy_of
    if source_key is None or artifacts.calls_for(chosen.key, "fit"):
        return unchanged
    source = next((m for m in artifacts.models if m.key == source_key and m.fitted), None)
    if source is None:
        return unchanged
    path = artifacts.model_path(source)
    try:
        if path is None:
            raise EvaluationError("its export is missing")
        original = measure(path, source.key)
    except EvaluationError as exc:
        note = f"loaded from the file {source_key} saved, which could not be verified: {exc}"
        return Adopted(artifacts, measured, note)
    if original.weights_sha256 is None or original.weights_sha256 != measured.weights_sha256:
        note = f"loaded from the file {source_key} saved, but with other weights: not linked"
        return Adopted(artifacts, measured, note)
    inherited = [
        call.model_copy(update={"model": chosen.key})
        for call in artifacts.calls
        if call.model == source_key and call.kind in ("fit", "compile")
    ]
    own_compile = artifacts.calls_for(chosen.key, "compile")
    if own_compile:  # the copy was compiled itself: its own compile calls stand
        inherited = [c for c in inherited if c.kind == "fit"]
    update: dict[str, object] = {}
    if measured.compile is None and original.compile is not None:
        update["compile"] = original.compile
    if measured.optimizer_iterations is None:
        update["optimizer_iterations"] = original.optimizer_iterations
    return Adopted(
        artifacts.model_copy(update={"calls": [*artifacts.calls, *inherited]}),
        measured.model_copy(update=update),
        f"a reloaded copy of {source_key} (identical weights), graded with its training record",
    )
