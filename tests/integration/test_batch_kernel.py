"""Batch grading on real kernels through the Dask executor (in-process LocalCluster).

Kept to two tiny submissions: the batch logic itself is covered without kernels in
tests/unit/test_batch.py and tests/unit/test_cli_batch.py.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from autograder.cli import main

pytestmark = pytest.mark.kernel

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "submissions" / "fashion-mnist"
# Absolute thresholds and no reference solution: no reference run to train here.
RUBRIC = ROOT / "tests" / "fixtures" / "rubrics" / "valid.yaml"


def test_folder_plus_moodle_zip_on_dask_then_resume(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    shutil.copy(EXAMPLES / "correct.ipynb", batch / "ana.ipynb")
    with zipfile.ZipFile(batch / "moodle.zip", "w") as zf:
        zf.write(EXAMPLES / "logits.ipynb", "María Núñez_101_assignsubmission_file_/tarea.ipynb")
    out = tmp_path / "out"
    args = [
        "grade", str(batch), "--rubric", str(RUBRIC), "--data", "synthetic",
        "--fraction", "0.01", "--out", str(out), "--executor", "dask", "--jobs", "2",
        "--format", "csv",
    ]  # fmt: skip
    assert main(args) == 0
    assert "2 graded now, 0 reused" in capsys.readouterr().out
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    by_id = {s["submission"]["id"]: s for s in summary["submissions"]}
    assert set(by_id) == {"ana", "María Núñez_101"}
    maria = by_id["María Núñez_101"]
    assert maria["submission"]["display_name"] == "María Núñez"
    assert maria["status"] == "graded"
    assert maria["metrics"]["trainable_params"] == 101_770
    assert by_id["ana"]["metrics"]["trainable_params"] == 101_770
    # Honest examples, straight or inside a Moodle zip: no integrity flag.
    assert {i: s["integrity"] for i, s in by_id.items() if s["integrity"]} == {}

    # The second run finds both in the store and starts no kernel.
    assert main(args) == 0
    assert "0 graded now, 2 reused" in capsys.readouterr().out
    assert "María Núñez" in (out / "gradebook.csv").read_text("utf-8-sig")
