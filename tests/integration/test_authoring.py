"""From a master notebook to a tested exercise on real kernels: assign (which drafts the
rubric, as ``rubric init``), then ``rubric test`` on the draft and two broken variants,
then the student notebook as handed out.

One batch for the module: 2% of the synthetic stand-in, one epoch.
"""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.cli import main
from autograder.rubric import load_rubric

pytestmark = pytest.mark.kernel

DATA = ["--data", "synthetic", "--fraction", "0.02"]

# Written the way a first-time instructor writes a Colab lab: Spanish, keras via
# tensorflow, the tutorial's model, and the markers nbgrader taught them.
ENUNCIADO = """\
# Laboratorio 2: clasificación de ropa con Fashion-MNIST

Complete las celdas marcadas. No cambie el nombre de la variable `model`.
<!-- BEGIN HIDDEN -->
Nota para mí: con 10 épocas la exactitud de prueba ronda 0.88.
<!-- END HIDDEN -->"""

CARGA = """\
import tensorflow as tf
from tensorflow import keras

(x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
print(x_train.shape, x_test.shape)"""

ESCALADO = """\
# Normalice los píxeles al rango [0, 1]
### BEGIN SOLUTION
x_train = x_train / 255.0
x_test = x_test / 255.0
### END SOLUTION"""

MODELO = """\
### BEGIN SOLUTION
model = keras.Sequential([
    keras.layers.Flatten(input_shape=(28, 28)),
    keras.layers.Dense(128, activation='relu'),
    keras.layers.Dense(10, activation='softmax')
])
### END SOLUTION
model.summary()"""

COMPILAR = """\
model.compile(optimizer='adam',
              loss='sparse_categorical_crossentropy',
              metrics=['accuracy'])"""

ENTRENAR = "history = model.fit(x_train, y_train, epochs=1)"


def _master(path: Path) -> Path:
    compilar = new_code_cell(COMPILAR, metadata={"tags": ["solution"]})
    notebook = new_notebook(
        cells=[
            new_markdown_cell(ENUNCIADO),
            new_code_cell(CARGA),
            new_code_cell(ESCALADO),
            new_code_cell(MODELO),
            new_markdown_cell("Compile el modelo con Adam."),
            compilar,
            new_code_cell(ENTRENAR),
            new_code_cell("test_loss, test_acc = model.evaluate(x_test, y_test, verbose=2)"),
            new_markdown_cell(
                "<!-- BEGIN HIDDEN -->\n## Solución\nVer arriba.\n<!-- END HIDDEN -->"
            ),
        ]
    )
    nbformat.write(notebook, path)
    return path


def _variant(reference: Path, target: Path, old: str, new: str) -> str:
    text = reference.read_text(encoding="utf-8")
    assert json.dumps(old)[1:-1] in text
    target.write_text(text.replace(json.dumps(old)[1:-1], json.dumps(new)[1:-1]), "utf-8")
    return target.name


@dataclass(frozen=True)
class Run:
    lab: Path
    assign_code: int
    test_code: int
    test_out: str
    student: dict[str, object]


def _cli(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(argv)
    return code, out.getvalue()


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("authoring")
    lab = root / "lab2"
    master = _master(root / "master.ipynb")
    assign_code, _ = _cli(
        ["assign", str(master), "--out", str(lab), "--dataset", "fashion_mnist", *DATA]
    )
    reference = lab / "reference.ipynb"
    narrow = _variant(reference, lab / "angosta.ipynb", "Dense(128,", "Dense(32,")
    sgd = _variant(reference, lab / "sgd.ipynb", "optimizer='adam'", "optimizer='sgd'")
    rubric = lab / "rubric.yaml"
    with rubric.open("a", encoding="utf-8") as f:
        f.write(f"  - path: {narrow}\n    expect: {{architecture: fail, parameters: fail}}\n")
        f.write(f"  - path: {sgd}\n    expect: {{architecture: pass, compile: partial}}\n")
    test_code, test_out = _cli(["rubric", "test", str(rubric), *DATA])
    results = root / "results"
    _cli(
        ["grade", str(lab / "student.ipynb"), "--rubric", str(rubric), "--out", str(results), *DATA]
    )
    (student,) = results.rglob("result.json")
    return Run(lab, assign_code, test_code, test_out, json.loads(student.read_text("utf-8")))


def test_assign_drafts_a_rubric_that_validates(run: Run) -> None:
    assert run.assign_code == 0
    rubric = load_rubric(run.lab / "rubric.yaml").rubric
    assert [c.id for c in rubric.checks] == [
        "architecture",
        "parameters",
        "compile",
        "training",
        "test_accuracy",
        "gap",
    ]
    text = (run.lab / "rubric.yaml").read_text(encoding="utf-8")
    assert "# measured: 101,770 trainable, 101,770 total" in text
    assert "epochs: 1" in text


def test_rubric_test_gives_the_reference_full_marks_and_the_variants_their_failures(
    run: Run,
) -> None:
    assert run.test_code == 0, run.test_out
    for name in ("reference.ipynb", "angosta.ipynb", "sgd.ipynb"):
        assert f"{name}: every expected verdict" in run.test_out


def test_the_student_notebook_stops_at_the_first_stub(run: Run) -> None:
    execution = run.student["execution"]
    assert isinstance(execution, dict)
    first = execution["errors"][0]
    # Cell 3 is the scaling exercise: the first stub a student meets.
    assert (first["cell"], first["ename"]) == (3, "NotImplementedError")
    assert run.student["score"] == 0
