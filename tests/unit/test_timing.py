"""AUTOGRADER_TIMINGS: the stage timestamps bench/overhead.py reads (no kernel: fakes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pipeline_fakes import graded_model

from autograder import timing
from autograder.cli import main

if TYPE_CHECKING:
    from conftest import Build

ROOT = Path(__file__).resolve().parents[2]
RUBRIC = ROOT / "rubrics" / "fashion-mnist.yaml"
NOTEBOOK = ROOT / "submissions" / "fashion-mnist" / "correct.ipynb"


def test_mark_writes_nothing_unless_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(timing.ENV, raising=False)
    timing.mark("cli.main")
    assert list(tmp_path.iterdir()) == []


def test_a_grade_marks_its_stages_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, build: Build
) -> None:
    marks = tmp_path / "timings.jsonl"
    monkeypatch.setenv(timing.ENV, str(marks))
    fakes = graded_model(build.model(test=0.8, train=0.82), [build.fit(10)])
    argv = [
        "grade", str(NOTEBOOK), "--rubric", str(RUBRIC), "--data", "synthetic",
        "--fraction", "0.01", "--out", str(tmp_path / "out"), "--format", "csv",
    ]  # fmt: skip
    assert main(argv, backends=fakes) == 0
    records = [json.loads(line) for line in marks.read_text(encoding="utf-8").splitlines()]
    events = [r["event"] for r in records]
    # The last grade is the student's (a reference run, when one trains, comes first).
    last = len(events) - 1 - events[::-1].index("data.ready")
    assert events[0] == "cli.main"
    assert events[last:] == ["data.ready", "measured", "checked"]
    times = [r["t"] for r in records]
    assert times == sorted(times)
