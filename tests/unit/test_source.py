"""Reading submissions into cells: formats, filters and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from autograder.errors import InvalidSubmissionError
from autograder.execution.source import SourceCell, load_source, skip_reason, strip_filtered_lines


def _notebook(path: Path, cells: list[nbformat.NotebookNode]) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    nbformat.write(nb, path)
    return path


def test_notebook_cells_keep_their_positions(tmp_path: Path) -> None:
    path = _notebook(
        tmp_path / "a.ipynb",
        [
            nbformat.v4.new_markdown_cell("# Title"),
            nbformat.v4.new_code_cell("x = 1"),
            nbformat.v4.new_code_cell("!pip install foo"),
            nbformat.v4.new_code_cell("y = 2", metadata={"tags": ["skip-grading"]}),
            nbformat.v4.new_code_cell("%pip install bar\n!ls"),
        ],
    )
    source = load_source(path)
    assert [c.index for c in source.cells] == [1, 2, 3, 4, 5]
    assert [c.index for c in source.runnable] == [2]
    assert dict(source.skipped) == {
        3: "shell command (!)",
        4: "tagged skip-grading",
        5: "package installation (%pip/%conda)",
    }


def test_script_splits_on_percent_markers(tmp_path: Path) -> None:
    path = tmp_path / "s.py"
    path.write_text("import os\n# %%\nx = 1\n# %% [markdown]\n# text\n# %%\ny = 2\n")
    source = load_source(path)
    assert source.kind == "script"
    assert [c.index for c in source.cells] == [1, 2, 3, 4]
    assert source.cells[1].excerpt == "x = 1"


def test_inline_shell_lines_are_neutralised() -> None:
    out = strip_filtered_lines("a = 1\n  !pip install x\n%conda install y\nb = 2")
    assert out.splitlines()[1] == "  pass  # autograder skipped: !pip install x"
    assert out.splitlines()[2].startswith("pass  # autograder skipped")
    assert skip_reason(SourceCell(1, "code", "a = 1\n!ls")) is None


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("broken.ipynb", '{"cells": [', "invalid JSON at line 1"),
        ("list.ipynb", "[1, 2]", "no 'cells' list"),
        ("latin.ipynb", b'{"cells": [], "x": "\xe9"}', "not UTF-8"),
        ("bad.py", "x = 1\ny = 2\ndef (:\n", "bad.py:3: syntax error"),
        ("empty.py", "\n# just a comment\n", "empty script"),
        ("notes.txt", "hello", "not a notebook (.ipynb) or script (.py)"),
    ],
)
def test_bad_input_is_one_line_naming_the_file(
    tmp_path: Path, name: str, content: str | bytes, problem: str
) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    with pytest.raises(InvalidSubmissionError) as info:
        load_source(path)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    assert problem in message


def test_empty_notebook_is_invalid(tmp_path: Path) -> None:
    path = _notebook(tmp_path / "e.ipynb", [nbformat.v4.new_markdown_cell("only words")])
    with pytest.raises(InvalidSubmissionError, match="empty notebook"):
        load_source(path)


def test_nbformat_v3_is_upgraded(tmp_path: Path) -> None:
    v3 = {
        "nbformat": 3,
        "nbformat_minor": 0,
        "metadata": {},
        "worksheets": [
            {
                "cells": [
                    {
                        "cell_type": "code",
                        "input": "x = 1",
                        "language": "python",
                        "outputs": [],
                        "metadata": {},
                    }
                ]
            }
        ],
    }
    path = tmp_path / "old.ipynb"
    path.write_text(json.dumps(v3))
    assert [c.source for c in load_source(path).runnable] == ["x = 1"]
