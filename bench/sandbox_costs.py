"""What the sandbox and the evaluator process cost, as ratios measured in one run.

1. Evaluator reuse: measuring N models with one long-lived evaluator process versus a
   fresh process per model (each start imports TensorFlow). Target (issue 4): reuse
   is what makes the separate process affordable, so N models should cost far less
   than N starts.
2. Sandbox overhead: one kernel run of a tiny script under bubblewrap + cgroups versus
   the same run with ``sandbox=False`` (cgroups and rlimits stay). Target: within 10%.

    .venv/bin/python bench/sandbox_costs.py
    .venv/bin/python bench/sandbox_costs.py --models 8 --kernels 3
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import textwrap
import time
from pathlib import Path

from autograder.datasets.base import DataOptions
from autograder.execution.limits import Limits
from autograder.execution.runner import JobPaths, RunOptions, run_source
from autograder.execution.sandbox import bwrap_problem
from autograder.execution.source import load_source
from autograder.measure.evaluator import Evaluator, EvaluatorConfig
from autograder.rubric.models import DatasetSpec

CONFIG = EvaluatorConfig(
    dataset=DatasetSpec(name="fashion_mnist"),
    data=DataOptions(source="synthetic", fraction=0.05),
)


def _model(folder: Path) -> Path:
    import keras  # noqa: PLC0415  # only the bench pays for TensorFlow here

    model = keras.Sequential(
        [keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10, "softmax")]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    path = folder / "m0.keras"
    model.save(path)
    return path


def _evaluator(path: Path, models: int) -> None:
    start = time.perf_counter()
    with Evaluator(CONFIG, Limits()) as shared:
        for _ in range(models):
            shared.measure(path, "m0")
    reused = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(models):
        with Evaluator(CONFIG, Limits()) as fresh:
            fresh.measure(path, "m0")
    per_model = time.perf_counter() - start
    print(f"evaluator, {models} models: reused {reused:6.2f} s, fresh each {per_model:6.2f} s")
    print(f"  fresh / reused: {per_model / reused:.1f}x")


def _kernel(folder: Path, sandbox: bool, runs: int) -> float:
    script = folder / "tiny.py"
    script.write_text(textwrap.dedent("# %%\nx = sum(range(1000))\n"))
    times = []
    for index in range(runs):
        job = JobPaths(folder / f"job-{sandbox}-{index}")
        options = RunOptions(
            cell_timeout_s=120, total_timeout_s=300, threads=1, limits=Limits(sandbox=sandbox)
        )
        start = time.perf_counter()
        record = run_source(load_source(script), job, options)
        times.append(time.perf_counter() - start)
        if record.summary.kernel_died:
            raise SystemExit(f"kernel run failed: {record.summary.message}")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=5)
    parser.add_argument("--kernels", type=int, default=2)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        _evaluator(_model(folder), options.models)
        if bwrap_problem() is not None:
            print(f"sandbox overhead: skipped ({bwrap_problem()})")
            return
        plain = _kernel(folder, sandbox=False, runs=options.kernels)
        boxed = _kernel(folder, sandbox=True, runs=options.kernels)
        print(
            f"kernel run, median of {options.kernels}: "
            f"plain {plain:6.2f} s, sandboxed {boxed:6.2f} s"
        )
        verdict = "met" if boxed / plain <= 1.10 else "MISSED"
        print(f"  sandboxed / plain: {boxed / plain:.2f}x; target <= 1.10x: {verdict}")


if __name__ == "__main__":
    main()
