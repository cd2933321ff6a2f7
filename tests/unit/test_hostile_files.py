"""Hostile corpus cases that need no kernel to check (the rest: integration/test_hostile.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.errors import InvalidSubmissionError
from autograder.execution.source import load_source

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"


def test_nbformat_v3_is_converted_to_the_same_code_as_v4() -> None:
    v3 = load_source(HOSTILE / "nbformat_v3.ipynb")
    honest = load_source(HOSTILE / "honest.py")
    (cell,) = v3.runnable
    assert (
        cell.source.strip()
        == "\n".join(c.source for c in honest.runnable).replace("# %%\n", "").strip()
    )


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("invalid_json.ipynb", "invalid JSON at line"),
        ("empty.ipynb", "empty notebook"),
        ("latin1.ipynb", "not UTF-8 text (byte"),
    ],
)
def test_malformed_files_are_refused_before_any_kernel(name: str, words: str) -> None:
    with pytest.raises(InvalidSubmissionError) as caught:
        load_source(HOSTILE / name)
    message = str(caught.value)
    assert words in message
    assert name in message
    assert "\n" not in message
