"""Batch grading speed: ``--jobs 2`` vs ``--jobs 1``, and re-grading an unchanged batch.

Targets (issue 5): on 2 cores, ``--jobs 2`` grades 8 short notebooks at least 1.4x
faster than ``--jobs 1``; re-running on the unchanged batch (every result already in
OUT/results.sqlite) takes under 5 s.  Measured as ratios within one run of this
script, through the real CLI in a subprocess, so the numbers include start-up::

    uv run python bench/batch_speedup.py
    uv run python bench/batch_speedup.py --count 8 --fraction 0.02 --jobs 2

Other processes on the machine skew the ratio; note the load average it prints.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._common import warm_reference

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "submissions" / "fashion-mnist" / "correct.ipynb"
RUBRIC = ROOT / "rubrics" / "fashion-mnist.yaml"


def _batch(folder: Path, count: int) -> None:
    folder.mkdir(parents=True)
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    for i in range(count):
        # A different file per student (as in a real class): a comment cell with its name.
        nb["cells"].insert(0, {"cell_type": "markdown", "metadata": {}, "source": f"s{i}"})
        (folder / f"student{i:02d}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
        nb["cells"].pop(0)


def _grade(batch: Path, out: Path, jobs: int, fraction: float) -> float:
    command = [
        sys.executable, "-m", "autograder", "grade", str(batch), "--rubric", str(RUBRIC),
        "--data", "synthetic", "--fraction", str(fraction), "--out", str(out),
        "--jobs", str(jobs), "--format", "csv",
    ]  # fmt: skip
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=8, help="notebooks in the batch")
    parser.add_argument("--jobs", type=int, default=2, help="parallel jobs to compare with 1")
    parser.add_argument("--fraction", type=float, default=0.02, help="data fraction")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        root = Path(tmp)
        _batch(root / "batch", args.count)
        warm_reference(args.fraction)
        print(f"cores: {os.cpu_count()}, load average before: {os.getloadavg()}")
        serial = _grade(root / "batch", root / "out1", 1, args.fraction)
        print(f"--jobs 1: {serial:.1f} s")
        parallel = _grade(root / "batch", root / "out2", args.jobs, args.fraction)
        print(f"--jobs {args.jobs}: {parallel:.1f} s")
        again = _grade(root / "batch", root / "out2", args.jobs, args.fraction)
        print(f"re-grade unchanged batch: {again:.1f} s (target < 5 s)")
        print(f"speed-up --jobs {args.jobs} vs 1: {serial / parallel:.2f}x (target >= 1.4x)")
        print(f"load average after: {os.getloadavg()}")
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
