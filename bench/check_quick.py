"""How long a student waits for ``autograder check --quick`` (target: under 20 s on 2 cores).

Runs the command as a student would (a fresh process each time) and, in the same
run, the floor it cannot beat: a fresh Python importing TensorFlow. The ratio says
how much the check adds on top of that import, whatever the machine's speed::

    .venv/bin/python bench/check_quick.py
    .venv/bin/python bench/check_quick.py --repeat 5 submissions/fashion-mnist/logits.ipynb

The load average is printed too: on a shared machine the absolute seconds mean
little without it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _timed(command: list[str]) -> tuple[float, int]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
    return time.perf_counter() - started, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "notebooks",
        nargs="*",
        type=Path,
        default=[
            ROOT / "submissions/fashion-mnist/correct.ipynb",
            ROOT / "submissions/fashion-mnist/dense500x3.ipynb",
        ],
    )
    parser.add_argument("--rubric", type=Path, default=ROOT / "rubrics/fashion-mnist.yaml")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    env_note = f"load average before: {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)"
    print(env_note)
    floor = [_timed([sys.executable, "-c", "import tensorflow"])[0] for _ in range(args.repeat)]
    tf_import = statistics.median(floor)
    print(f"fresh `import tensorflow`: median {tf_import:.1f} s")
    for notebook in args.notebooks:
        command = [
            sys.executable,
            "-m",
            "autograder",
            "check",
            str(notebook),
            "--rubric",
            str(args.rubric),
            "--quick",
        ]
        runs = [_timed(command) for _ in range(args.repeat)]
        median = statistics.median(t for t, _ in runs)
        codes = sorted({code for _, code in runs})
        print(
            f"{notebook.name}: check --quick median {median:.1f} s "
            f"(min {min(t for t, _ in runs):.1f}, exit {codes}); "
            f"{median / tf_import:.1f}x a TensorFlow import"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
