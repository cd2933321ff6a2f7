"""The grader-side artifact sink and bounded reader: what the kernel sends is untrusted."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import numpy as np
import pytest

from autograder.artifacts import MANIFEST, ArtifactSink, read_artifacts, read_bounded
from autograder.integrity import (
    assess,
    leakage_flags,
    penalized,
    recorded_steps,
    training_flags,
    training_split_epochs,
)
from autograder.kernel import probe
from autograder.results import IntegrityFlag


def _model(key: str, data: bytes) -> str:
    return json.dumps({"kind": "model", "key": key, "data": base64.b64encode(data).decode()})


def _manifest(epochs_run: int = 2, rows: int = 600, batch: int = 64) -> str:
    return json.dumps(
        {
            "kind": "manifest",
            "models": [{"key": "m0", "file": "../../etc/passwd", "fitted": True}],
            "calls": [
                {
                    "kind": "fit",
                    "model": "m0",
                    "args": {"epochs": 10, "batch_size": batch, "x": {"shape": [rows, 28, 28]}},
                    "epochs_run": epochs_run,
                    "history": {"loss": [float("nan"), 0.5]},
                }
            ],
        }
    )


def test_sink_writes_files_itself_and_ignores_the_kernels_file_name(tmp_path: Path) -> None:
    sink = ArtifactSink(tmp_path)
    sink.accept(_model("m0", b"PK-model-bytes"))
    sink.accept(_manifest())
    artifacts = read_artifacts(tmp_path)
    (model,) = artifacts.models
    assert artifacts.model_path(model) == tmp_path / "m0.keras"
    assert (tmp_path / "m0.keras").read_bytes() == b"PK-model-bytes"
    assert sink.problems == []
    # NaN in a history survives the grader's own round trip instead of voiding the manifest.
    (call,) = artifacts.calls
    assert call.history["loss"][1] == pytest.approx(0.5)


@pytest.mark.parametrize(
    "payload",
    [
        "not json",
        json.dumps({"kind": "model", "key": "../m0", "data": ""}),
        json.dumps({"kind": "model", "key": "m0", "data": "***"}),
        json.dumps({"kind": "shell"}),
        json.dumps({"kind": "manifest", "models": "all of them"}),
        42,
    ],
    ids=["not-json", "path-key", "not-base64", "unknown-kind", "bad-manifest", "not-text"],
)
def test_sink_refuses_malformed_payloads_with_a_problem(tmp_path: Path, payload: object) -> None:
    sink = ArtifactSink(tmp_path)
    sink.accept(payload)
    assert len(sink.problems) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_sink_caps_each_model_and_the_total(tmp_path: Path) -> None:
    sink = ArtifactSink(tmp_path, model_cap=100, total_cap=150)
    sink.accept(_model("m0", b"x" * 101))
    sink.accept(_model("m1", b"x" * 100))
    sink.accept(_model("m2", b"x" * 60))
    sink.accept(_model("m1", b"x" * 40))  # a re-export replaces, so it fits again
    assert [p for p in sink.problems if "m0" in p]
    assert [p for p in sink.problems if "m2" in p]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m1.keras"]
    assert (tmp_path / "m1.keras").stat().st_size == 40


def test_sink_never_writes_through_a_planted_link(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep")
    out = tmp_path / "out"
    out.mkdir()
    (out / "m0.keras.partial").symlink_to(victim)
    ArtifactSink(out).accept(_model("m0", b"model"))
    assert victim.read_text() == "keep"
    assert not (out / "m0.keras").is_symlink()


def test_reader_refuses_fifo_device_links_and_oversized_files(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "zero").symlink_to("/dev/zero")
    (tmp_path / "big").write_bytes(b"x" * 11)
    (tmp_path / "ok").write_bytes(b"x" * 10)
    # Each of these returns at once: a FIFO would block an ordinary open, /dev/zero never ends.
    assert read_bounded(tmp_path / "fifo", 10) is None
    assert read_bounded(tmp_path / "zero", 10) is None
    assert read_bounded(Path("/dev/zero"), 10) is None
    assert read_bounded(tmp_path / "big", 10) is None
    assert read_bounded(tmp_path / "ok", 10) == b"x" * 10


def test_manifest_as_fifo_or_dev_zero_reads_as_nothing_captured(tmp_path: Path) -> None:
    fifo_dir, zero_dir = tmp_path / "fifo", tmp_path / "zero"
    fifo_dir.mkdir()
    zero_dir.mkdir()
    os.mkfifo(fifo_dir / MANIFEST)
    (zero_dir / MANIFEST).symlink_to("/dev/zero")
    (zero_dir / "m0.keras").symlink_to("/dev/zero")
    assert read_artifacts(fifo_dir).models == []
    assert read_artifacts(zero_dir).models == []


def test_recorded_steps_count_batches_on_what_fit_received(tmp_path: Path) -> None:
    sink = ArtifactSink(tmp_path)
    sink.accept(_manifest(epochs_run=2, rows=600, batch=64))
    artifacts = read_artifacts(tmp_path)
    assert recorded_steps(artifacts.calls) == 2 * 10  # ceil(600 / 64) = 10


def test_training_cross_check_flags_disagreement_and_recompiles(tmp_path: Path) -> None:
    sink = ArtifactSink(tmp_path)
    sink.accept(_manifest(epochs_run=2, rows=600, batch=64))
    artifacts = read_artifacts(tmp_path)
    (model,) = artifacts.models
    assert training_flags(artifacts, model, 20) == []
    assert training_flags(artifacts, model, None) == []
    (mismatch,) = training_flags(artifacts, model, 7)
    assert mismatch.code == "training_mismatch"
    assert mismatch.evidence == {"recorded_steps": 20, "optimizer_iterations": 7}
    (recompiled,) = training_flags(artifacts, model, 0)
    assert training_split_epochs(artifacts.calls, 2, 20) == 2
    assert training_split_epochs(artifacts.calls, 2, 7) == 0  # 7 steps: not one epoch
    assert recompiled.code == "compile_mismatch"
    assert assess([], artifacts, None, None) == []


def test_epochs_on_a_hundred_images_are_not_epochs_of_the_exercise(tmp_path: Path) -> None:
    def fit(rows: int, epochs: int) -> dict[str, object]:
        return {
            "kind": "fit",
            "model": "m0",
            "args": {"batch_size": 64, "x": {"shape": [rows, 28, 28]}},
            "epochs_run": epochs,
        }

    sink = ArtifactSink(tmp_path)
    payload = {"kind": "manifest", "models": [{"key": "m0"}], "calls": [fit(6400, 1), fit(100, 9)]}
    sink.accept(json.dumps(payload))
    calls = read_artifacts(tmp_path).calls
    # 100 steps + 9 x 2 steps = 1.18 epochs of the 6,400-row training split.
    assert training_split_epochs(calls, 10, None) == 1
    assert training_split_epochs(calls, 10, 118) == 1


def test_pixel_ranking_survives_scaling_and_reshape_and_tells_images_apart() -> None:
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, size=(28, 28), dtype=np.uint8)
    other = rng.integers(0, 256, size=(28, 28), dtype=np.uint8)
    signature = probe.signature(image)
    assert signature is not None
    assert probe.signature(image / 255.0) == signature
    assert probe.signature(((image / 255.0) - 0.3) / 0.2) == signature
    assert probe.signature(image.reshape(784, 1)) == signature
    assert probe.signature(other) != signature
    assert probe.signature(np.zeros((28, 28))) is None  # blank images rank alike


def test_fits_on_test_rows_are_flagged_with_their_evidence(tmp_path: Path) -> None:
    def manifest(leaked: int) -> str:
        call = {
            "kind": "fit",
            "model": "m0",
            "args": {
                "x": {"shape": [600, 28, 28]},
                "test_overlap": {"sampled": 256, "test_rows": leaked},
            },
            "epochs_run": 1,
        }
        return json.dumps({"kind": "manifest", "models": [{"key": "m0"}], "calls": [call]})

    honest, leaked = tmp_path / "honest", tmp_path / "leaked"
    for where, count in ((honest, 0), (leaked, 256)):
        where.mkdir()
        ArtifactSink(where).accept(manifest(count))
    clean = read_artifacts(honest)
    assert leakage_flags(clean, clean.models[0]) == []
    dirty = read_artifacts(leaked)
    (found,) = leakage_flags(dirty, dirty.models[0])
    assert found.code == "test_leakage"
    assert found.evidence == {"fit_call": 1, "sampled": 256, "test_rows": 256}


def test_the_rubric_decides_what_leakage_costs() -> None:
    leak = [IntegrityFlag(code="test_leakage", detail="d")]
    other = [IntegrityFlag(code="forged_channel", detail="d")]
    assert penalized(3.0, leak, 1.0) == pytest.approx(2.0)
    assert penalized(0.5, leak, 1.0) == 0.0
    assert penalized(3.0, leak, 0.0) == pytest.approx(3.0)  # the default only flags
    assert penalized(3.0, other, 1.0) == pytest.approx(3.0)
