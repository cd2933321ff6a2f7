"""``rubric init`` and ``assign --dataset`` through the CLI, with a fake kernel and evaluator.

Everything but the two backends is the real pipeline: the reference is executed,
extracted and measured by a Grader, the draft is written and loaded back, and the
reference is then graded against it by ``rubric test``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from pipeline_fakes import FakeKernel, graded_model

from autograder.cli import main
from autograder.grading.grader import Backends
from autograder.results import CellError
from autograder.rubric import load_rubric
from autograder.rubric.models import (
    AccuracyCheck,
    ParametersCheck,
    ReferenceBound,
    TrainingCheck,
)

if TYPE_CHECKING:
    from conftest import Build

MODELO = """\
model = keras.Sequential([
    keras.Input(shape=(28, 28)),
    keras.layers.Flatten(),
    keras.layers.Dense(128, activation='relu'),
    keras.layers.Dense(10, activation='softmax'),
])
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])"""


def _notebook(path: Path, *, master: bool = False) -> Path:
    escalado = "x_entreno = x_entreno / 255.0"
    if master:
        escalado = f"### BEGIN SOLUTION\n{escalado}\n### END SOLUTION"
    cells = [
        new_markdown_cell("# Taller 3: prendas (solución)\n\nEntrene una red densa."),
        new_code_cell(
            "from tensorflow import keras\n(x_entreno, y_entreno), _ = "
            "keras.datasets.fashion_mnist.load_data()"
        ),
        new_code_cell(escalado),
        new_code_cell(MODELO),
        new_code_cell(
            "historia = model.fit(x_entreno, y_entreno, epochs=10, batch_size=64,"
            " validation_split=0.1)"
        ),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(new_notebook(cells=cells), path)
    return path


@pytest.fixture
def fakes(build: Build) -> Backends:
    fit = build.fit(10, batch_size=64, validation_split=0.1)
    return graded_model(build.model(test=0.85, train=0.88), [fit])


def test_the_draft_validates_and_the_reference_earns_full_marks(
    fakes: Backends, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reference = _notebook(tmp_path / "taller-3" / "referencia.ipynb")
    argv = ["rubric", "init", str(reference), "--dataset", "fashion_mnist", "--data", "synthetic"]
    assert main(argv, backends=fakes) == 0
    out = tmp_path / "taller-3" / "rubric.yaml"
    assert f"wrote {out}: 6 checks, 6 points" in capsys.readouterr().out
    rubric = load_rubric(out).rubric
    assert (rubric.id, rubric.title) == ("taller-3", "Taller 3: prendas")
    assert rubric.reference is not None
    assert rubric.reference.path == "referencia.ipynb"
    training = next(c for c in rubric.checks if isinstance(c, TrainingCheck))
    assert (training.epochs, training.batch_size, training.validation) == (10, 64, "split")
    params = next(c for c in rubric.checks if isinstance(c, ParametersCheck))
    assert (params.trainable, params.total) == (101_770, 101_770)
    accuracy = next(c for c in rubric.checks if isinstance(c, AccuracyCheck))
    assert accuracy.min == ReferenceBound(reference=-0.03)
    # The draft declares its reference as an example worth full marks, so `rubric test`
    # grades it right away, through the same Grader as `grade`.
    assert [(e.path, e.expect) for e in rubric.examples] == [("referencia.ipynb", {"score": 6.0})]
    test_argv = ["rubric", "test", str(out), "--data", "synthetic"]
    assert main(test_argv, backends=fakes) == 0
    assert "referencia.ipynb: every expected verdict" in capsys.readouterr().out


def test_an_existing_rubric_is_replaced_only_with_force(
    fakes: Backends, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reference = _notebook(tmp_path / "lab" / "reference.ipynb")
    out = tmp_path / "lab" / "rubric.yaml"
    out.write_text("# editado a mano\n", encoding="utf-8")
    argv = ["rubric", "init", str(reference), "--dataset", "mnist", "--data", "synthetic"]
    assert main(argv, backends=fakes) == 2
    assert "pass --force to replace it" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "# editado a mano\n"
    assert isinstance(fakes.runner, FakeKernel)
    assert fakes.runner.ran == []  # refused before the reference ran
    assert main([*argv, "--force"], backends=fakes) == 0
    assert load_rubric(out).rubric.dataset.name == "mnist"


@pytest.mark.parametrize(
    ("locale", "start"),
    [
        ("en_US.UTF-8", "error: unknown dataset 'fashion-mnist'; --dataset takes one of: mnist,"),
        ("es_ES.UTF-8", "error: conjunto de datos desconocido 'fashion-mnist'; --dataset acepta"),
    ],
)
def test_an_unknown_dataset_is_one_line_in_the_reader_language(
    fakes: Backends,
    *,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    locale: str,
    start: str,
) -> None:
    monkeypatch.setenv("LC_ALL", locale)
    reference = _notebook(tmp_path / "reference.ipynb")
    argv = ["rubric", "init", str(reference), "--dataset", "fashion-mnist"]
    assert main(argv, backends=fakes) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(start)
    assert "\n" not in err


def test_a_reference_that_raises_drafts_nothing(
    build: Build, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fakes = graded_model(build.model(), [build.fit(10)])
    assert isinstance(fakes.runner, FakeKernel)
    fakes.runner.errors["reference.ipynb"] = [
        CellError(cell=4, ename="NameError", evalue="name 'modelo' is not defined")
    ]
    reference = _notebook(tmp_path / "reference.ipynb")
    argv = ["rubric", "init", str(reference), "--dataset", "fashion_mnist", "--data", "synthetic"]
    assert main(argv, backends=fakes) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {reference}: the reference raised NameError at cell 4:")
    assert not (tmp_path / "rubric.yaml").exists()


def test_a_reference_without_a_model_drafts_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reference = _notebook(tmp_path / "reference.ipynb")
    argv = ["rubric", "init", str(reference), "--dataset", "fashion_mnist", "--data", "synthetic"]
    assert main(argv, backends=graded_model(None, [])) == 2
    assert "no model to measure in the reference" in capsys.readouterr().err
    missing = ["rubric", "init", str(tmp_path / "nada.ipynb"), "--dataset", "mnist"]
    assert main(missing, backends=graded_model(None, [])) == 2
    assert "no such reference notebook or script" in capsys.readouterr().err


def test_assign_with_a_dataset_drafts_the_rubric_that_check_then_finds(
    fakes: Backends, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    master = _notebook(tmp_path / "master.ipynb", master=True)
    lab = tmp_path / "taller-3"
    argv = ["assign", str(master), "--out", str(lab), "--dataset", "fashion_mnist"]
    assert main([*argv, "--data", "synthetic"], backends=fakes) == 0
    assert f"wrote {lab / 'rubric.yaml'}: 6 checks" in capsys.readouterr().out
    # The reference that ran is the one assign wrote, markers removed.
    assert isinstance(fakes.runner, FakeKernel)
    assert fakes.runner.ran == ["reference.ipynb"]
    student = json.loads((lab / "student.ipynb").read_text(encoding="utf-8"))
    assert student["metadata"]["autograder"] == {"rubric": "rubric.yaml"}
    # `check` with no --rubric grades against the drafted rubric named in the metadata.
    assert main(["check", str(lab / "student.ipynb"), "--quick"], backends=fakes) == 0
    assert "Taller 3: prendas" in capsys.readouterr().out
    assert fakes.runner.ran[-1] == "student.ipynb"
