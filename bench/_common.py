"""What bench/overhead.py and bench/vs_nbgrader.py share: the same notebook, the same data.

Both set the grader against other ways of running the notebook (a bare ``python``
script, ``jupyter nbconvert --execute``, ``nbgrader autograde``), so all of them must
load the same arrays.  The grader serves its synthetic Fashion-MNIST inside the
kernel; the others get it from a fake Keras cache (``KERAS_HOME``) that
:func:`keras_home` writes with the project's own generator and cache writer.  What
the cache holds is what the graded kernel works on, or less: the first ``ceil(F * n)``
rows of each split.  A graded ``fit`` trains on those training rows and a graded
``evaluate`` runs on those test rows at ``--fraction F``; a graded ``predict`` still
sees the whole test split, so at a fraction the grader does a little more work than
the runs it is compared with, never less.  At ``--fraction 1`` the work is the same.

The other tools are installed into a throw-away venv layered on the project's
(:func:`tool_venv`): TensorFlow is reused, not downloaded again.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path

from autograder.datasets import get_info, real, split_rows, synthetic
from autograder.execution.source import load_source, strip_filtered_lines
from autograder.results import ClassSummary

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "submissions" / "fashion-mnist" / "correct.ipynb"
RUBRIC = ROOT / "rubrics" / "fashion-mnist.yaml"


def keras_home(home: Path, fraction: float) -> Path:
    """A ``KERAS_HOME`` whose Fashion-MNIST is the grader's synthetic data (see the top).

    The grader also plants a few canary rows in its kernel's test split; those are
    left out here, as they are the grader's own.
    """
    info = get_info("fashion_mnist")
    splits = synthetic.generate(
        info.name, split_rows(info.train_size, fraction), split_rows(info.test_size, fraction)
    )
    return real.write_cache(splits, home)


def tool_env(home: Path, tools: Path | None = None) -> dict[str, str]:
    """The environment of a run outside the grader: the fake cache, no display.

    ``tools``: a :func:`tool_venv`'s ``bin``, put first on PATH as activating it would
    (nbgrader runs its ``alembic`` from PATH).
    """
    env = {**os.environ, "KERAS_HOME": str(home), "MPLBACKEND": "Agg"}
    if tools is not None:
        env["PATH"] = os.pathsep.join([str(tools), env.get("PATH", "")])
    return env


def script_of(notebook: Path) -> str:
    """The notebook's code cells as one script, filtered as the grader filters them."""
    source = load_source(notebook)
    return "\n\n".join(strip_filtered_lines(cell.source) for cell in source.runnable) + "\n"


def tool_venv(where: Path, requirements: Sequence[str]) -> Path:
    """A throw-away venv at ``where`` with ``requirements``, on top of the project's venv.

    A ``.pth`` file adds the project's site-packages after the venv's own, so
    TensorFlow and Keras come from the project and only the tool is installed (with
    uv, from PyPI).  Returns the venv's ``bin`` directory.
    """
    uv = shutil.which("uv")
    if uv is None:
        raise SystemExit("this bench installs its tools with uv: https://docs.astral.sh/uv/")
    subprocess.run([uv, "venv", "--quiet", str(where), "--python", sys.executable], check=True)
    bin_dir = where / "bin"
    site = subprocess.run(
        [
            str(bin_dir / "python"),
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    project_site = sysconfig.get_paths()["purelib"]
    # addsitedir, not a bare path line: the project's own .pth files (the editable
    # autograder install) are processed too.
    line = f"import site; site.addsitedir({project_site!r})\n"
    Path(site, "_project_venv.pth").write_text(line, encoding="utf-8")
    subprocess.run(
        [uv, "pip", "install", "--quiet", "--python", str(bin_dir / "python"), *requirements],
        check=True,
    )
    return bin_dir


def grade_command(paths: Sequence[Path], out: Path, fraction: float, *extra: str) -> list[str]:
    """``autograder grade`` as the README runs it: offline, on the synthetic data."""
    return [
        sys.executable, "-m", "autograder", "grade", *map(str, paths), "--rubric", str(RUBRIC),
        "--data", "synthetic", "--fraction", str(fraction), "--out", str(out), *extra,
    ]  # fmt: skip


def require_graded(out: Path, count: int) -> None:
    """Stop the bench unless ``out/summary.json`` has ``count`` graded submissions."""
    summary = ClassSummary.model_validate_json((out / "summary.json").read_text(encoding="utf-8"))
    statuses = [report.status for report in summary.submissions]
    if statuses != ["graded"] * count:
        raise SystemExit(f"expected {count} graded submissions, got {statuses} (see {out})")


def warm_reference(fraction: float) -> None:
    """Train (or find) the rubric's reference first, so no timed grade pays for it."""
    command = [
        sys.executable, "-m", "autograder", "reference", "--rubric", str(RUBRIC),
        "--data", "synthetic", "--fraction", str(fraction),
    ]  # fmt: skip
    timed(command)


def timed(
    command: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    ok_codes: Collection[int] = (0,),
) -> float:
    """Seconds ``command`` took, start-up included; its output is shown only if it fails
    (exits with a code outside ``ok_codes``: ``check`` exits 1 for a failed check)."""
    started = time.perf_counter()
    done = subprocess.run(
        list(command),
        cwd=cwd,
        env=dict(env) if env is not None else None,
        capture_output=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode not in ok_codes:
        tail = (done.stdout + done.stderr).decode("utf-8", "replace")[-3000:]
        raise SystemExit(f"{command[0]} ... failed (exit {done.returncode}):\n{tail}")
    return elapsed


Runner = Callable[[int], float]
"""Runs one contender for round ``i``; returns its seconds."""


def interleaved(runners: Mapping[str, Runner], rounds: int) -> dict[str, list[float]]:
    """Every contender once per round, in an order rotated each round.

    Interleaving spreads a change in the machine's load over all contenders alike,
    where running one contender's rounds back to back would charge it to one.
    """
    names = list(runners)
    times: dict[str, list[float]] = {name: [] for name in names}
    for index in range(rounds):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            seconds = runners[name](index)
            times[name].append(seconds)
            print(f"  round {index + 1}/{rounds}: {name}: {seconds:.1f} s", flush=True)
    return times


def print_medians(times: Mapping[str, Sequence[float]], ratios: Sequence[tuple[str, str]]) -> None:
    """Median (and range) of each contender, then ``a / b`` for each pair of ``ratios``."""
    medians = {name: statistics.median(values) for name, values in times.items()}
    width = max(map(len, times))
    for name, values in times.items():
        print(
            f"{name:<{width}}  median {medians[name]:6.1f} s  "
            f"(min {min(values):.1f}, max {max(values):.1f}, {len(values)} rounds)"
        )
    for a, b in ratios:
        print(f"{a} / {b}: {medians[a] / medians[b]:.2f}x")


def load_line() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (5 min {five:.2f}) on {os.cpu_count()} CPUs"
