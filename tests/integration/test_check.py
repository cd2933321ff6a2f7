"""`autograder check --quick` on a real kernel: the student's one command (issue 7)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from autograder.cli import main
from autograder.i18n import text

pytestmark = pytest.mark.kernel

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "submissions" / "fashion-mnist"
RUBRIC = ROOT / "rubrics" / "fashion-mnist.yaml"


def test_quick_check_of_a_wrong_architecture_exits_1_with_spanish_hints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The rubric comes from the notebook's metadata, as a course would ship it.
    notebook = tmp_path / "dense500x3.ipynb"
    raw = json.loads((EXAMPLES / "dense500x3.ipynb").read_text(encoding="utf-8"))
    raw["metadata"]["autograder"] = {"rubric": "rubric.yaml"}
    notebook.write_text(json.dumps(raw), encoding="utf-8")
    shutil.copy(RUBRIC, tmp_path / "rubric.yaml")

    code = main(["check", str(notebook), "--quick", "--lang", "es"])

    out = capsys.readouterr().out
    assert code == 1
    assert "Autoevaluación" in out
    assert "capa 2: se esperaba Dense(128, relu), se encontró Dense(500, relu)" in out
    assert "pista: Compara la capa 2" in out
    assert "se encontraron 898,510, se esperaban 101,770" in out
    # Compile is structural and decided; accuracy and epochs need the full run.
    assert "✔ compile" in out
    assert "No decididas en modo --quick: training, test-accuracy, gap" in out
    assert "fallaron: architecture, parameters" in out
    assert text("integrity.heading", "es") not in out  # honest work: no integrity section
