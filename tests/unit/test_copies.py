"""A reloaded copy is graded as the model that saved its file, only with identical weights."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.artifacts import Artifacts, ExportedModel, RecordedCall
from autograder.copies import adopt_original
from autograder.errors import EvaluationError
from autograder.measure.facts import CompileInfo, ModelMeasurements

ADAM = CompileInfo(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])


def _artifacts(tmp_path: Path) -> Artifacts:
    (tmp_path / "m0.keras").write_bytes(b"export of the trained model")
    return Artifacts(
        models=[
            ExportedModel(key="m0", file="m0.keras", fitted=True, compiled=True),
            ExportedModel(key="m1", file="m1.keras", variables=["model"], copy_of="m0"),
        ],
        calls=[
            RecordedCall(kind="compile", model="m0", args={"optimizer": "adam"}),
            RecordedCall(kind="fit", model="m0", args={"epochs": 10}, epochs_run=10),
        ],
        directory=tmp_path,
    )


def _measured(key: str, digest: str, compile_info: CompileInfo | None) -> ModelMeasurements:
    return ModelMeasurements(
        key=key,
        trainable_params=101_770,
        total_params=101_770,
        compile=compile_info,
        weights_sha256=digest,
        optimizer_iterations=18_750 if compile_info else None,
    )


def _measure_as(original: ModelMeasurements):  # type: ignore[no-untyped-def]
    def measure(path: Path, key: str) -> ModelMeasurements:
        assert (path.name, key) == ("m0.keras", "m0")
        return original

    return measure


def test_same_weights_take_the_originals_fits_and_file_facts(tmp_path: Path) -> None:
    artifacts = _artifacts(tmp_path)
    copy = _measured("m1", "same", None)  # load_model(..., compile=False)
    adopted = adopt_original(
        artifacts.models[1], copy, artifacts, _measure_as(_measured("m0", "same", ADAM))
    )
    fits = adopted.artifacts.calls_for("m1", "fit")
    assert [f.epochs_run for f in fits] == [10]
    assert adopted.artifacts.calls_for("m1", "compile")[0].args == {"optimizer": "adam"}
    assert adopted.model.compile == ADAM  # from the original's file, not the recorded call
    assert adopted.model.optimizer_iterations == 18_750
    assert adopted.note is not None
    assert "identical weights" in adopted.note


def test_other_weights_are_not_linked(tmp_path: Path) -> None:
    artifacts = _artifacts(tmp_path)
    copy = _measured("m1", "retrained", None)
    adopted = adopt_original(
        artifacts.models[1], copy, artifacts, _measure_as(_measured("m0", "same", ADAM))
    )
    assert adopted.artifacts.calls_for("m1", "fit") == []
    assert adopted.model is copy
    assert adopted.note is not None
    assert "other weights" in adopted.note


def test_an_unverifiable_original_links_nothing(tmp_path: Path) -> None:
    artifacts = _artifacts(tmp_path)

    def broken(path: Path, key: str) -> ModelMeasurements:
        raise EvaluationError("m0.keras: could not be loaded")

    adopted = adopt_original(artifacts.models[1], _measured("m1", "x", None), artifacts, broken)
    assert adopted.artifacts.calls_for("m1", "fit") == []
    assert adopted.note is not None
    assert "could not be verified" in adopted.note


@pytest.mark.parametrize("case", ["no link", "fitted itself"])
def test_models_that_are_no_unfitted_copy_are_left_alone(tmp_path: Path, case: str) -> None:
    artifacts = _artifacts(tmp_path)
    chosen = artifacts.models[1]
    if case == "no link":
        chosen = chosen.model_copy(update={"copy_of": None})
    else:
        extra = RecordedCall(kind="fit", model="m1", args={"epochs": 2}, epochs_run=2)
        artifacts = artifacts.model_copy(update={"calls": [*artifacts.calls, extra]})

    def never(path: Path, key: str) -> ModelMeasurements:
        raise AssertionError("nothing to verify")

    copy = _measured("m1", "same", None)
    adopted = adopt_original(chosen, copy, artifacts, never)
    assert (adopted.artifacts, adopted.model, adopted.note) == (artifacts, copy, None)
