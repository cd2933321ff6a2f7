"""Discovery: which files are submissions, and their ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.errors import UsageError
from autograder.submissions import discover


def test_folder_of_files_and_student_folders(tmp_path: Path) -> None:
    (tmp_path / "ana.ipynb").write_text("{}")
    (tmp_path / "ana.py").write_text("")
    (tmp_path / "README.md").write_text("")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "x.ipynb").write_text("{}")
    student = tmp_path / "José Núñez"
    student.mkdir()
    (student / "b.ipynb").write_text("{}")
    (student / "a.ipynb").write_text("{}")
    (tmp_path / "empty_folder").mkdir()

    subs = discover(tmp_path)
    assert [s.id for s in subs] == ["ana", "ana-2", "José Núñez"]
    folder = subs[2]
    assert folder.path.name == "a.ipynb"
    assert folder.root == student
    assert [p.name for p in folder.files] == ["a.ipynb", "b.ipynb"]  # one hand-in, both run
    assert folder.note is None


def test_single_file(tmp_path: Path) -> None:
    path = tmp_path / "x.py"
    path.write_text("")
    (sub,) = discover(path)
    assert sub.id == "x"
    assert sub.root is None
    assert sub.sha256 is not None


@pytest.mark.parametrize("name", ["missing", "empty"])
def test_nothing_to_grade_is_a_usage_error(tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    if name == "empty":
        target.mkdir()
    with pytest.raises(UsageError):
        discover(target)
