"""What grading one notebook costs over running it: grade vs bare script vs nbconvert.

Times, interleaved over ``--rounds`` rounds, (a) ``autograder grade`` on the notebook
(offline synthetic data, as the README's grade command runs), (b) its code cells as one
``python`` script in the same venv, and (c) ``jupyter nbconvert --execute`` of it; (b)
and (c) read the same synthetic arrays from a fake Keras cache (bench/_common.py).
Then it prints where one grade run's time went, from the grader's own timestamps
(``AUTOGRADER_TIMINGS``, autograder/timing.py).

Targets (issue 15): grade <= 1.15x the bare script for a notebook whose bare run takes
about 20 s (``--fraction 0.15`` on an idle 2-core machine), <= 1.05x at about 60 s
(``--fraction 1``, where nothing is shortened and every contender does the same work;
the bare median printed says where a fraction lands)::

    uv run python bench/overhead.py                    # 3 rounds at --fraction 0.15
    uv run python bench/overhead.py --fraction 1
    uv run python bench/overhead.py --fraction 0.01 --rounds 1   # does it work?

nbconvert is installed into a throw-away venv on top of the project's (uv, PyPI).
Absolute seconds mean little on a shared machine: read the ratios and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.timing import ENV
from bench._common import (
    NOTEBOOK,
    grade_command,
    interleaved,
    keras_home,
    load_line,
    print_medians,
    require_graded,
    script_of,
    timed,
    tool_env,
    tool_venv,
    warm_reference,
)

# (phase, the event it starts at, the event it ends at); "launch" and "exit" are the
# bench's own clock around the CLI process, the others autograder.timing.mark()s.
PHASES = (
    ("CLI import", "launch", "cli.main"),
    ("rubric, reference, grader's data", "cli.main", "data.ready"),
    ("until the kernel starts", "data.ready", "kernel.start"),
    ("kernel start", "kernel.start", "kernel.ready"),
    ("bootstrap", "kernel.ready", "bootstrap.done"),
    ("student cells", "bootstrap.done", "cells.done"),
    ("model export", "cells.done", "probe.done"),
    ("evaluator start (may overlap)", "evaluator.start", "evaluator.ready"),
    ("measure (incl. evaluator wait)", "probe.done", "measured"),
    ("checks", "measured", "checked"),
    ("reports and exit", "checked", "exit"),
)


@dataclass(frozen=True)
class GradeRun:
    seconds: float
    events: list[tuple[str, float]]
    """(event, seconds after launch), in the order written."""


def _grade_once(notebook: Path, work: Path, fraction: float) -> GradeRun:
    work.mkdir(parents=True)
    marks = work / "timings.jsonl"
    out = work / "out"
    env = {**os.environ, ENV: str(marks)}
    launch = time.time()
    seconds = timed(grade_command([notebook], out, fraction), env=env)
    require_graded(out, 1)
    events = [("launch", 0.0)]
    for line in marks.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        events.append((str(record["event"]), float(record["t"]) - launch))
    events.append(("exit", seconds))
    return GradeRun(seconds, events)


def _span(events: list[tuple[str, float]], start: str, end: str) -> tuple[float, float] | None:
    """The first ``end``, and the latest ``start`` before it (a batch marks some twice)."""
    ends = [t for name, t in events if name == end]
    if not ends:
        return None
    starts = [t for name, t in events if name == start and t <= ends[0]]
    return (starts[-1], ends[0]) if starts else None


def _phase_table(run: GradeRun) -> None:
    print(f"\nwhere one grade run's {run.seconds:.1f} s went (seconds after launch):")
    print(f"{'phase':<34} {'from':>6} {'to':>6} {'took':>6}")
    for phase, start, end in PHASES:
        span = _span(run.events, start, end)
        if span is None:
            print(f"{phase:<34} {'-':>6} {'-':>6} {'-':>6}")
            continue
        print(f"{phase:<34} {span[0]:6.1f} {span[1]:6.1f} {span[1] - span[0]:6.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebook", type=Path, default=NOTEBOOK, help="the notebook to time")
    parser.add_argument("--fraction", type=float, default=0.15, help="training data fraction")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    args = parser.parse_args()
    notebook = args.notebook.resolve()
    with tempfile.TemporaryDirectory(prefix="bench-overhead-") as tmp:
        root = Path(tmp)
        home = keras_home(root / "keras", args.fraction)
        script = root / "bare" / "script.py"
        script.parent.mkdir()
        script.write_text(script_of(notebook), encoding="utf-8")
        tools = tool_venv(root / "venv", ["nbconvert"])
        warm_reference(args.fraction)
        grades: list[GradeRun] = []

        def grade(index: int) -> float:
            grades.append(_grade_once(notebook, root / f"grade{index}", args.fraction))
            return grades[-1].seconds

        def bare(index: int) -> float:
            return timed([sys.executable, str(script)], cwd=script.parent, env=tool_env(home))

        def nbconvert(index: int) -> float:
            out = root / f"nbconvert{index}"
            command = [
                str(tools / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
                str(notebook), "--output-dir", str(out), "--output", "executed",
                "--ExecutePreprocessor.timeout=-1", "--ExecutePreprocessor.kernel_name=python3",
            ]  # fmt: skip
            return timed(command, cwd=root, env=tool_env(home, tools))

        print(f"{notebook.name}, --fraction {args.fraction}; before: {load_line()}")
        runners = {"grade": grade, "bare script": bare, "nbconvert": nbconvert}
        times = interleaved(runners, args.rounds)
        print()
        print_medians(times, [("grade", "bare script"), ("grade", "nbconvert")])
        middle = statistics.median_low(run.seconds for run in grades)
        _phase_table(next(run for run in grades if run.seconds == middle))
        print(f"\nafter: {load_line()}")


if __name__ == "__main__":
    main()
