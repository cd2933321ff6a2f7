"""`autograder grade` on a batch, end to end through the CLI with a fake grader (no kernels)."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from pipeline_fakes import FakeKernel, graded_model

from autograder.cli import main
from autograder.grading.grader import Backends

ROOT = Path(__file__).resolve().parents[2]
RUBRIC = ROOT / "rubrics" / "fashion-mnist.yaml"
ZIPS = ROOT / "tests" / "fixtures" / "zips"
OVERRIDES = ROOT / "tests" / "fixtures" / "overrides"
NB = (
    '{"cells": [{"cell_type": "code", "id": "c1", "execution_count": null, "metadata": {}, '
    '"outputs": [], "source": "x = 1"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
)

if TYPE_CHECKING:
    from conftest import Build


@pytest.fixture
def fakes(build: Build) -> Backends:
    """Kernels and evaluator replaced by fakes: every notebook trains the tutorial's model."""
    return graded_model(build.model(test=0.8, train=0.82), [build.fit(10)])


@pytest.fixture
def graded(fakes: Backends) -> list[str]:
    """The students' files the fake kernel ran, in order (a reference run left out:
    whether it runs depends on what the session's cache already holds)."""
    assert isinstance(fakes.runner, FakeKernel)
    return _Students(fakes.runner.ran)


class _Students(list[str]):
    """A live view of a kernel's runs without the reference's."""

    def __init__(self, ran: list[str]) -> None:
        super().__init__()
        self._ran = ran

    def _now(self) -> list[str]:
        return [name for name in self._ran if name != "reference.ipynb"]

    def __len__(self) -> int:
        return len(self._now())

    def __getitem__(self, index: Any) -> Any:
        return self._now()[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self._now())

    def __eq__(self, other: object) -> bool:
        return self._now() == other

    __hash__ = None  # mutable, like the list it stands for


def _batch(tmp_path: Path) -> Path:
    batch = tmp_path / "batch"
    batch.mkdir()
    for name in ("ana", "beto", "carla"):
        (batch / f"{name}.ipynb").write_text(NB)
    with zipfile.ZipFile(batch / "moodle.zip", "w") as zf:
        zf.writestr("Íñigo Çelik_7_assignsubmission_file_/tarea.ipynb", NB)
        zf.writestr("Sin Entrega_8_assignsubmission_file_/notas.txt", "")
    return batch


def _grade(tmp_path: Path, fakes: Backends, *extra: str) -> int:
    return main(
        [
            "grade", str(tmp_path / "batch"), "--rubric", str(RUBRIC), "--data", "synthetic",
            "--fraction", "0.01", "--out", str(tmp_path / "out"), "--jobs", "2", *extra,
        ],
        backends=fakes,
    )  # fmt: skip


def test_batch_grades_reuses_and_forces(
    tmp_path: Path, fakes: Backends, graded: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    _batch(tmp_path)
    assert _grade(tmp_path, fakes, "--format", "csv,markdown", "-f", "junit") == 0
    assert sorted(graded) == ["ana.ipynb", "beto.ipynb", "carla.ipynb", "tarea.ipynb"]
    out = tmp_path / "out"
    for name in ("gradebook.csv", "summary.md", "junit.xml", "summary.json", "results.sqlite"):
        assert (out / name).exists(), name
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    ids = [s["submission"]["id"] for s in summary["submissions"]]
    assert ids == ["ana", "beto", "carla", "Sin Entrega_8", "Íñigo Çelik_7"]
    inigo = summary["submissions"][-1]["submission"]
    assert (inigo["student_id"], inigo["display_name"]) == ("7", "Íñigo Çelik")
    assert summary["submissions"][3]["status"] == "invalid"
    assert "4 graded now, 0 reused" in capsys.readouterr().out

    # OUT/ is rebuilt from the store: a deleted result comes back without regrading.
    (out / "ana" / "result.json").unlink()
    assert _grade(tmp_path, fakes) == 0
    assert len(graded) == 4
    assert (out / "ana" / "result.json").exists()
    assert "0 graded now, 4 reused" in capsys.readouterr().out

    (tmp_path / "batch" / "beto.ipynb").write_text(NB.replace("[]", "[] "))
    assert _grade(tmp_path, fakes) == 0
    assert graded[-1] == "beto.ipynb"
    assert _grade(tmp_path, fakes, "--force") == 0
    assert len(graded) == 9


def test_overrides_show_in_the_exports(tmp_path: Path, fakes: Backends, graded: list[str]) -> None:
    _batch(tmp_path)
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text(
        "overrides:\n  - {student: '7', check: acc, points: 1, comment: Revisado}\n",
        encoding="utf-8",
    )
    # The rubric has no check `acc`: a usage error naming it, nothing exported.
    assert _grade(tmp_path, fakes, "--overrides", str(overrides)) == 2
    overrides.write_text(
        "overrides:\n  - {student: '7', check: answers, points: 0.25, comment: Revisado}\n",
        encoding="utf-8",
    )
    assert _grade(tmp_path, fakes, "--overrides", str(overrides), "-f", "moodle-csv") == 0
    moodle = (tmp_path / "out" / "moodle-grades.csv").read_text("utf-8")
    # 8 of 10 from the checks (the fake notebook answers no question), plus 0.25.
    assert "Participant 7,Íñigo Çelik,,Submitted for grading,8.25,10," in moodle
    assert "override answers: Revisado" in moodle
    stored = json.loads((tmp_path / "out" / "Íñigo Çelik_7" / "result.json").read_text("utf-8"))
    assert stored["overrides"][0]["comment"] == "Revisado"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xls"], "unknown --format 'xls'"),
        (["--scheduler", "tcp://h:8786"], "--scheduler needs --executor dask"),
        (["--overrides", str(OVERRIDES / "missing_comment.yaml")], "missing_comment.yaml:2:"),
    ],
)
def test_bad_batch_options_are_one_line_exit_2(  # noqa: PLR0917  # pytest passes fixtures so
    tmp_path: Path,
    fakes: Backends,
    graded: list[str],
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    _batch(tmp_path)
    assert _grade(tmp_path, fakes, *args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert message in err
    assert graded == []


def test_unsafe_zip_is_refused_naming_it(
    tmp_path: Path, fakes: Backends, graded: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    batch = _batch(tmp_path)
    (batch / "evil.zip").write_bytes((ZIPS / "traversal.zip").read_bytes())
    assert _grade(tmp_path, fakes) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "evil.zip: refused: entry '../../evil.py' escapes the archive" in err
    assert graded == []


def test_grade_help_names_every_format_and_the_dask_extra(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["grade", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    for name in ("canvas-csv", "moodle-csv", "gradescope", "junit", "markdown"):
        assert name in text
    assert "autograder[dask]" in text


def test_grade_takes_several_paths_as_a_shell_glob_gives_them(
    tmp_path: Path, fakes: Backends, graded: list[str]
) -> None:
    batch = _batch(tmp_path)
    extra = tmp_path / "late"
    extra.mkdir()
    (extra / "ana.ipynb").write_text(NB)  # another ana: kept apart, not overwritten
    args = ["grade", str(batch / "ana.ipynb"), str(batch / "beto.ipynb"), str(extra)]
    args += ["--rubric", str(RUBRIC), "--data", "synthetic", "--fraction", "0.01"]
    assert main([*args, "--out", str(tmp_path / "out")], backends=fakes) == 0
    summary = json.loads((tmp_path / "out" / "summary.json").read_text("utf-8"))
    assert [s["submission"]["id"] for s in summary["submissions"]] == ["ana", "beto", "ana-2"]
    assert sorted(graded) == ["ana.ipynb", "ana.ipynb", "beto.ipynb"]
