"""Dask scaling: the same batch on a cluster of 1 worker, then of 2 workers.

Each cluster is real processes on 127.0.0.1 (`dask scheduler`, `dask worker
--nthreads 1`, each worker in its own empty folder, as tests/integration/
test_dask_cluster.py starts them); the batch is graded through the real CLI with
``--executor dask --scheduler ADDRESS``, so the times include the CLI's start,
shipping every submission and each worker building its grader on its first task
(data, evaluators: TensorFlow imports once per worker), not the processes' start::

    uv run python bench/dask_scaling.py                 # 8 notebooks
    uv run python bench/dask_scaling.py --count 2 --fraction 0.01   # smallest

Two workers on a machine with two free cores approach 2x; other processes on the
machine skew the ratio (the load average is printed).  On a real cluster, start the
workers on other machines and pass ``--scheduler`` to ``autograder grade`` directly.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests/dask_procs.py starts the processes

from tests.dask_procs import start  # noqa: E402  # after the path it needs

NOTEBOOK = ROOT / "submissions" / "fashion-mnist" / "correct.ipynb"
# Absolute thresholds, no reference solution: nothing to train before the timed runs.
RUBRIC = ROOT / "tests" / "fixtures" / "rubrics" / "valid.yaml"


def _batch(folder: Path, count: int) -> None:
    folder.mkdir(parents=True)
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    for i in range(count):
        # A different file per student (as in a real class): a comment cell with its name.
        nb["cells"].insert(0, {"cell_type": "markdown", "metadata": {}, "source": f"s{i}"})
        (folder / f"student{i:02d}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
        nb["cells"].pop(0)


def _grade(batch: Path, out: Path, address: str, fraction: float, jobs: int) -> float:
    command = [
        sys.executable, "-m", "autograder", "grade", str(batch), "--rubric", str(RUBRIC),
        "--data", "synthetic", "--fraction", str(fraction), "--out", str(out),
        "--executor", "dask", "--scheduler", address, "--jobs", str(jobs), "--format", "csv",
    ]  # fmt: skip
    start_s = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start_s


def _on_cluster(workdir: Path, batch: Path, workers: int, fraction: float) -> float:
    cluster = start(workdir / f"cluster{workers}", workers=workers)
    try:
        # --jobs: TensorFlow threads per kernel are the client's cores over it.
        return _grade(batch, workdir / f"out{workers}", cluster.address, fraction, workers)
    finally:
        cluster.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=8, help="notebooks in the batch")
    parser.add_argument("--fraction", type=float, default=0.02)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="dask-scaling-") as tmp:
        workdir = Path(tmp)
        batch = workdir / "batch"
        _batch(batch, args.count)
        one = _on_cluster(workdir, batch, 1, args.fraction)
        two = _on_cluster(workdir, batch, 2, args.fraction)
    print(f"{args.count} notebooks, fraction {args.fraction}")
    print(f"1 worker : {one:7.1f} s")
    print(f"2 workers: {two:7.1f} s")
    print(f"speed-up : {one / two:7.2f}x (2 workers over 1)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
