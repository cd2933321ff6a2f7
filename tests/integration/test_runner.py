"""The kernel runner on real kernels: bootstrap, recording, filters, timeouts, death."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import numpy as np
import pytest

from autograder.artifacts import read_artifacts
from autograder.execution.runner import JobPaths, RunOptions, run_source
from autograder.execution.source import load_source

pytestmark = pytest.mark.kernel


def _script(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "submission.py"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def _npz(tmp_path: Path) -> Path:
    rng = np.random.default_rng(0)
    path = tmp_path / "fashion.npz"
    np.savez(
        path,
        x_train=rng.integers(0, 256, (120, 28, 28), dtype=np.uint8),
        y_train=rng.integers(0, 10, 120, dtype=np.uint8),
        x_test=rng.integers(0, 256, (40, 28, 28), dtype=np.uint8),
        y_test=rng.integers(0, 10, 40, dtype=np.uint8),
    )
    return path


def _run(tmp_path: Path, source: Path, **overrides: float) -> tuple[JobPaths, object]:
    job = JobPaths(tmp_path / "job")
    options = RunOptions(
        cell_timeout_s=overrides.get("cell", 120.0),
        total_timeout_s=overrides.get("total", 240.0),
        datasets={"fashion_mnist": _npz(tmp_path)},
        threads=1,
    )
    return job, run_source(load_source(source), job, options)


def test_bootstrap_records_and_exports_without_touching_numbering(tmp_path: Path) -> None:
    source = _script(
        tmp_path,
        """\
        # %%
        import numpy as np, keras, tensorflow as tf
        (a, b), (c, d) = keras.datasets.fashion_mnist.load_data()
        (a2, _), _ = tf.keras.datasets.fashion_mnist.load_data()
        assert a.shape == (120, 28, 28) and a.dtype == np.uint8 and (a == a2).all()
        from google.colab import drive, files
        drive.mount("/content/drive")
        assert files.upload() == {}
        # %%
        import os
        print(os.environ["CUDA_VISIBLE_DEVICES"], os.environ["TF_FORCE_GPU_ALLOW_GROWTH"],
              tf.config.list_physical_devices("GPU"))
        # %%
        model = keras.Sequential([
            keras.Input((28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer=keras.optimizers.Adam(0.01),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        # %%
        model.fit(a / 255.0, b, epochs=2, batch_size=16, validation_split=0.25, verbose=0)
        missing_name
        # %%
        model.evaluate(c / 255.0, d, verbose=0)
        """,
    )
    job, record = _run(tmp_path, source)
    summary = record.summary  # type: ignore[attr-defined]
    assert not summary.timed_out
    assert not summary.kernel_died
    assert [(e.cell, e.ename) for e in summary.errors] == [(4, "NameError")]
    assert summary.skipped_cells == []
    assert record.integrity == []  # type: ignore[attr-defined]
    artifacts = read_artifacts(job.artifacts)
    (exported,) = artifacts.models
    assert exported.variables == ["model"]
    assert exported.fitted
    assert artifacts.model_path(exported) is not None
    (fit,) = artifacts.calls_for(exported.key, "fit")
    assert fit.epochs_run == 2
    assert fit.args["batch_size"] == 16
    assert fit.args["validation_split"] == 0.25
    assert set(fit.history) >= {"loss", "val_loss", "accuracy"}
    (compiled,) = artifacts.calls_for(exported.key, "compile")
    assert compiled.args["optimizer"]["class_name"] == "Adam"
    assert artifacts.calls_for(exported.key, "evaluate")
    # The colab stub explains itself in the cell's own output, where a student looks.
    streams = "".join(o.get("text", "") for o in record.outputs[1])  # type: ignore[attr-defined]
    assert "Google Drive (/content/drive) is not available while grading" in streams
    # No GPU assigned: the kernel is hidden from every GPU, memory growth on regardless.
    cell2 = record.outputs[2]  # type: ignore[attr-defined]
    seen = "".join(o.get("text", "") for o in cell2 if o.get("name") == "stdout")
    assert seen.split() == ["-1", "true", "[]"]


def test_cell_ignoring_interrupt_is_killed_and_trained_model_kept(tmp_path: Path) -> None:
    source = _script(
        tmp_path,
        """\
        # %%
        import keras
        (a, b), _ = keras.datasets.fashion_mnist.load_data()
        model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(),
                                  keras.layers.Dense(10, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(a, b, epochs=1, verbose=0)
        # %%
        import signal
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        while True:
            pass
        """,
    )
    job, record = _run(tmp_path, source, cell=4.0)
    summary = record.summary  # type: ignore[attr-defined]
    assert summary.timed_out
    assert summary.kernel_died
    assert summary.errors[-1].cell == 2
    assert summary.errors[-1].ename == "Timeout"
    manifest = json.loads((job.artifacts / "manifest.json").read_text())
    assert manifest["models"][0]["file"] == "m0.keras"
    assert (job.artifacts / "m0.keras").is_file()


def test_os_exit_is_recorded_as_kernel_death(tmp_path: Path) -> None:
    source = _script(tmp_path, "# %%\nx = 1\n# %%\nimport os\nos._exit(3)\n# %%\nprint(1)\n")
    _, record = _run(tmp_path, source)
    summary = record.summary  # type: ignore[attr-defined]
    assert summary.kernel_died
    assert not summary.timed_out
    assert [(e.cell, e.ename) for e in summary.errors] == [(2, "KernelDied")]
