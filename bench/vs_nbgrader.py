"""A class: ``nbgrader autograde`` against ``autograder grade --jobs 1`` and ``--jobs N``.

Builds an nbgrader course (``--students`` students, default 8) whose assignment is the
bundled correct Fashion-MNIST notebook plus one autograded test cell, releases it
(``nbgrader generate_assignment``), hands each student a copy in
``submitted/<student>/ps1/taller.ipynb`` (each with its own first cell, so no two
files are equal), and times, interleaved over ``--rounds`` rounds,
``nbgrader autograde ps1 --force`` and ``autograder grade`` on the same files with
``--jobs 1`` and ``--jobs N``.  nbgrader reads the grader's synthetic data from a fake
Keras cache (bench/_common.py); nbgrader 0.9 goes into a throw-away venv on top of
the project's (TensorFlow reused, nbgrader from PyPI with uv).

Target (issue 15): ``--jobs 2`` at least 1.9x faster than nbgrader on 8 notebooks on
2 cores::

    uv run python bench/vs_nbgrader.py                          # 8 students, 3 rounds
    uv run python bench/vs_nbgrader.py --students 2 --rounds 1 --fraction 0.01  # smoke

Other processes on the machine skew the ratios; note the load average it prints.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

from bench._common import (
    NOTEBOOK,
    Runner,
    grade_command,
    interleaved,
    keras_home,
    load_line,
    print_medians,
    require_graded,
    timed,
    tool_env,
    tool_venv,
    warm_reference,
)

ASSIGNMENT = "ps1"
FILE = "taller.ipynb"
NBGRADER = "nbgrader>=0.9,<0.10"

# nbgrader's default is 30 s per cell, less than a fit takes at larger fractions.
_CONFIG = """\
c = get_config()
c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = "bench"
c.Execute.timeout = 3600
"""

# What nbgrader scores; cheap, so both tools do the same work: run the notebook.
_TEST_CELL = """\
# Pruebas automáticas
assert model.count_params() == 101770
assert 0.0 <= test_acc <= 1.0
"""


def _source_notebook() -> dict[str, Any]:
    """The student notebook with one autograded (locked, 1 point) test cell appended."""
    nb: dict[str, Any] = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    nbgrader = {
        "grade": True,
        "grade_id": "pruebas",
        "locked": True,
        "points": 1,
        "schema_version": 3,
        "solution": False,
        "task": False,
    }
    nb["cells"].append(
        {
            "cell_type": "code",
            "id": "pruebas",
            "execution_count": None,
            "metadata": {"nbgrader": nbgrader},
            "outputs": [],
            "source": _TEST_CELL,
        }
    )
    return nb


def _course(root: Path, students: list[str], nbgrader: Path, env: dict[str, str]) -> Path:
    """The nbgrader course, released and submitted; returns the folder of the submissions."""
    root.mkdir()
    (root / "nbgrader_config.py").write_text(_CONFIG.format(root=str(root)), encoding="utf-8")
    source = root / "source" / ASSIGNMENT / FILE
    source.parent.mkdir(parents=True)
    source.write_text(json.dumps(_source_notebook()), encoding="utf-8")
    roster = root / "students.csv"
    roster.write_text("id\n" + "".join(f"{s}\n" for s in students), encoding="utf-8")
    for command in (
        ["db", "student", "import", str(roster)],
        ["db", "assignment", "add", ASSIGNMENT],
        ["generate_assignment", ASSIGNMENT, "--force"],
    ):
        timed([str(nbgrader), *command], cwd=root, env=env)
    released = json.loads((root / "release" / ASSIGNMENT / FILE).read_text(encoding="utf-8"))
    batch = root.parent / "batch"
    batch.mkdir()
    for student in students:
        # A different file per student (as in a real class): a first cell with its name.
        first = {"cell_type": "markdown", "id": student, "metadata": {}, "source": student}
        released["cells"].insert(0, first)
        text = json.dumps(released)
        released["cells"].pop(0)
        handed_in = root / "submitted" / student / ASSIGNMENT / FILE
        handed_in.parent.mkdir(parents=True)
        handed_in.write_text(text, encoding="utf-8")
        (batch / f"{student}.ipynb").write_text(text, encoding="utf-8")
    return batch


def _require_clean_runs(course: Path, students: list[str]) -> None:
    """Stop unless nbgrader ran every notebook to the end without an error.

    ``autograde`` goes on past a failing cell, so its exit code alone would time a run
    that stopped early (e.g. at a ``load_data()`` that found no data).
    """
    for student in students:
        path = course / "autograded" / student / ASSIGNMENT / FILE
        if not path.exists():
            raise SystemExit(f"nbgrader did not autograde {student}'s notebook")
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        errors = [
            output.get("ename")
            for cell in cells
            for output in cell.get("outputs", [])
            if output.get("output_type") == "error"
        ]
        if errors:
            raise SystemExit(f"nbgrader's run of {student}'s notebook raised {errors} ({path})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=8, help="notebooks in the class")
    parser.add_argument("--jobs", type=int, default=2, help="parallel jobs to compare with 1")
    parser.add_argument("--fraction", type=float, default=0.02, help="training data fraction")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    args = parser.parse_args()
    students = [f"s{i:02d}" for i in range(args.students)]
    with tempfile.TemporaryDirectory(prefix="bench-nbgrader-") as tmp:
        root = Path(tmp)
        tools = tool_venv(root / "venv", [NBGRADER])
        nbgrader = tools / "nbgrader"
        env = tool_env(keras_home(root / "keras", args.fraction), tools)
        course = root / "course"
        batch = _course(course, students, nbgrader, env)
        warm_reference(args.fraction)

        def autograde(index: int) -> float:
            seconds = timed(
                [str(nbgrader), "autograde", ASSIGNMENT, "--force"], cwd=course, env=env
            )
            _require_clean_runs(course, students)
            return seconds

        def grade(jobs: int) -> Runner:
            def run(index: int) -> float:
                out = root / f"out-jobs{jobs}-{index}"
                seconds = timed(grade_command([batch], out, args.fraction, "--jobs", str(jobs)))
                require_graded(out, len(students))
                return seconds

            return run

        print(f"{len(students)} notebooks, --fraction {args.fraction}; before: {load_line()}")
        runners = {
            "nbgrader autograde": autograde,
            "grade --jobs 1": grade(1),
            f"grade --jobs {args.jobs}": grade(args.jobs),
        }
        times = interleaved(runners, args.rounds)
        print()
        print_medians(
            times,
            [
                ("nbgrader autograde", "grade --jobs 1"),
                ("nbgrader autograde", f"grade --jobs {args.jobs}"),
                ("grade --jobs 1", f"grade --jobs {args.jobs}"),
            ],
        )
        print(f"\nafter: {load_line()}")


if __name__ == "__main__":
    main()
