"""How long `autograder reference` takes cold (trains) and warm (cache), in one run.

Target (issues 3 and 13): the second call with the same settings answers in under 2 s,
because it imports neither TensorFlow nor nbclient and loads no data; with ``--seeds N``
every seed is its own cache entry, so the second call trains none of them. Each call is
a fresh process, as a user would type it; the cache lives in a throw-away
XDG_CACHE_HOME::

    .venv/bin/python bench/reference_cache.py
    .venv/bin/python bench/reference_cache.py --fraction 0.2 --warm-runs 5
    .venv/bin/python bench/reference_cache.py --seeds 5 --rubric rubrics/toy-dense.yaml --fraction 1
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "autograder", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"autograder {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rubric", default=str(ROOT / "rubrics" / "fashion-mnist.yaml"))
    parser.add_argument("--fraction", type=float, default=0.05)
    parser.add_argument("--warm-runs", type=int, default=3)
    parser.add_argument("--seeds", type=int, default=1, help="reference --seeds N")
    options = parser.parse_args()
    args = ["reference", "--rubric", options.rubric, "--data", "synthetic"]
    args += ["--fraction", str(options.fraction), "--seeds", str(options.seeds)]
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "XDG_CACHE_HOME": cache}
        cold = _timed(args, env)
        warm = [_timed(args, env) for _ in range(options.warm_runs)]
    median = statistics.median(warm)
    print(f"cold (trains the reference, {options.seeds} seed(s)): {cold:6.2f} s")
    print(f"warm (cache), median of {len(warm)}: {median:6.2f} s  (max {max(warm):.2f} s)")
    verdict = "met" if median < 2 else "MISSED"
    print(f"cold / warm: {cold / median:.0f}x; target warm < 2 s: {verdict}")


if __name__ == "__main__":
    main()
