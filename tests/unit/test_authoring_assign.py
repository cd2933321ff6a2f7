"""``autograder assign``: master notebooks as a new Spanish-speaking instructor writes them."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.authoring.assign import (
    ANSWER_STUB,
    CODE_STUB,
    RAISE_STUB,
    assign,
    write_assignment,
)
from autograder.cli import main
from autograder.errors import AuthoringError
from autograder.selfcheck import rubric_from_metadata

CARGA = """\
import tensorflow as tf
from tensorflow import keras
(imagenes_entreno, etiquetas_entreno), (imagenes_prueba, etiquetas_prueba) = (
    keras.datasets.fashion_mnist.load_data()
)
assert imagenes_entreno.shape == (60000, 28, 28)"""

ESCALADO = """\
### BEGIN SOLUTION
imagenes_entreno = imagenes_entreno / 255.0
imagenes_prueba = imagenes_prueba / 255.0
### END SOLUTION"""

MODELO = """\
def construir_modelo():
    ### BEGIN SOLUTION
    modelo = keras.Sequential([
        keras.layers.Flatten(input_shape=(28, 28)),
        keras.layers.Dense(128, activation='relu'),
        keras.layers.Dense(10, activation='softmax'),
    ])
    return modelo
    ### END SOLUTION

model = construir_modelo()
model.summary()"""

ENTRENO = """\
!pip install -q tensorflow-datasets
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
historia = model.fit(imagenes_entreno, etiquetas_entreno, epochs=10)"""

ENUNCIADO = """\
# Taller 3: clasificación de prendas

Entrene una red densa sobre Fashion-MNIST.
<!-- BEGIN HIDDEN -->
Nota para el profesor: la exactitud esperada ronda 0.877.
<!-- END HIDDEN -->
Responda las preguntas al final."""


def _master() -> nbformat.NotebookNode:
    respuesta = new_markdown_cell(
        "El modelo se sobreajusta: la exactitud de entrenamiento supera a la de prueba.",
        metadata={"tags": ["solution", "answer:q1"]},
    )
    evaluacion = new_code_cell(
        "perdida, exactitud = model.evaluate(imagenes_prueba, etiquetas_prueba, verbose=2)",
        metadata={"tags": ["solution"]},
    )
    evaluacion.outputs = [nbformat.v4.new_output("stream", text="exactitud: 0.8771\n")]
    evaluacion.execution_count = 7
    solo_profesor = new_markdown_cell(
        "<!-- BEGIN HIDDEN -->\n## Solución comentada\nVer NOTES.md\n<!-- END HIDDEN -->"
    )
    notebook: nbformat.NotebookNode = new_notebook(
        cells=[
            new_markdown_cell(ENUNCIADO),
            new_code_cell(CARGA),
            new_code_cell(ESCALADO),
            new_code_cell(MODELO),
            new_code_cell(ENTRENO),
            evaluacion,
            solo_profesor,
            new_markdown_cell("**Pregunta 1.** ¿Por qué difieren entreno y prueba?"),
            respuesta,
        ]
    )
    return notebook


def _sources(nb: nbformat.NotebookNode) -> str:
    return "\n".join(cell.source for cell in nb.cells)


def test_the_student_notebook_hides_every_solution() -> None:
    done = assign(_master(), source="master.ipynb", rubric="../../rubrics/taller3.yaml")
    text = _sources(done.student)
    for secret in ("/ 255.0", "Dense(128", "model.evaluate", "0.877", "sobreajusta", "NOTES.md"):
        assert secret not in text, secret
    assert "BEGIN SOLUTION" not in text
    assert "HIDDEN" not in text
    assert (done.stubs, done.hidden) == (4, 2)
    # The instructor's given code stays as written.
    assert CARGA in text
    assert "historia = model.fit(" in text
    assert "Responda las preguntas al final." in text


def test_a_region_that_empties_a_cell_or_a_function_gets_a_raise() -> None:
    cells = assign(_master(), source="m.ipynb", rubric=None).student.cells
    assert cells[2].source == f"{CODE_STUB}\n{RAISE_STUB}"
    modelo = cells[3].source.splitlines()
    assert modelo[:3] == ["def construir_modelo():", f"    {CODE_STUB}", f"    {RAISE_STUB}"]
    assert modelo[-2:] == ["model = construir_modelo()", "model.summary()"]


def test_a_region_among_other_code_needs_no_raise() -> None:
    cell = new_code_cell("x = 1\n### BEGIN SOLUTION\ny = x * 2\n### END SOLUTION\nprint(x)")
    done = assign(new_notebook(cells=[cell]), source="m.ipynb", rubric=None)
    assert done.student.cells[0].source == f"x = 1\n{CODE_STUB}\nprint(x)"


def test_solution_tagged_cells_become_stubs_and_lose_their_outputs() -> None:
    cells = assign(_master(), source="m.ipynb", rubric=None).student.cells
    evaluacion = cells[5]
    assert evaluacion.source == f"{CODE_STUB}\n{RAISE_STUB}"
    assert evaluacion.outputs == []
    assert evaluacion.execution_count is None
    respuesta = cells[-1]
    assert respuesta.source == ANSWER_STUB
    # The answer's tag still tells the grader where the answer is; `solution` goes.
    assert respuesta.metadata["tags"] == ["answer:q1"]


def test_a_markdown_cell_with_only_hidden_text_is_dropped() -> None:
    master = _master()
    done = assign(master, source="m.ipynb", rubric=None)
    assert len(done.student.cells) == len(master.cells) - 1
    assert len(done.reference.cells) == len(master.cells)


def test_the_reference_is_the_master_without_markers() -> None:
    done = assign(_master(), source="m.ipynb", rubric=None)
    text = _sources(done.reference)
    assert "BEGIN SOLUTION" not in text
    assert "END HIDDEN" not in text
    assert "imagenes_entreno = imagenes_entreno / 255.0" in text
    assert "Nota para el profesor" in text
    assert "model.evaluate" in text
    assert all("solution" not in c.metadata.get("tags", []) for c in done.reference.cells)
    assert all(c.outputs == [] for c in done.reference.cells if c.cell_type == "code")


def test_the_rubric_goes_into_the_student_metadata(tmp_path: Path) -> None:
    master = tmp_path / "labs" / "taller3" / "master.ipynb"
    master.parent.mkdir(parents=True)
    nbformat.write(_master(), master)
    rubric = tmp_path / "rubrics" / "taller3.yaml"
    student, reference, _ = write_assignment(master, master.parent, rubric=rubric)
    assert json.loads(student.read_text("utf-8"))["metadata"]["autograder"] == {
        "rubric": "../../rubrics/taller3.yaml"
    }
    assert rubric_from_metadata(student) == rubric.resolve()
    assert "autograder" not in json.loads(reference.read_text("utf-8"))["metadata"]
    nbformat.validate(nbformat.read(student, as_version=4))


def test_writing_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    master = tmp_path / "master.ipynb"
    nbformat.write(_master(), master)
    first, _, _ = write_assignment(master, tmp_path / "a", rubric=None)
    second, _, _ = write_assignment(master, tmp_path / "b", rubric=None)
    assert first.read_bytes() == second.read_bytes()


def _refused(*cells: nbformat.NotebookNode) -> AuthoringError:
    with pytest.raises(AuthoringError) as caught:
        assign(new_notebook(cells=list(cells)), source="lab.ipynb", rubric=None)
    return caught.value


def test_a_master_without_markers_is_refused() -> None:
    error = _refused(
        new_markdown_cell(ENUNCIADO.split("<!--", maxsplit=1)[0]), new_code_cell(CARGA)
    )
    assert error.message_id == "authoring.no_markers"
    assert str(error).startswith("lab.ipynb: no solution markers")


def test_a_region_that_breaks_the_cell_names_the_cell() -> None:
    # The markers sit at the loop's indentation but enclose its body: the stub cannot
    # stand in for the body, so the student's cell would not even parse.
    broken = "for epoca in range(3):\n### BEGIN SOLUTION\n    model.fit(x, y, epochs=1)\n"
    broken += "### END SOLUTION\nprint('listo')"
    error = _refused(new_markdown_cell("# Lab"), new_code_cell(broken))
    assert error.message_id == "authoring.unparsable"
    assert str(error).startswith("lab.ipynb: cell 2: without its solution region")


@pytest.mark.parametrize(
    ("source", "key"),
    [
        ("### BEGIN SOLUTION\nx = 1", "authoring.unclosed"),
        ("x = 1\n### END SOLUTION", "authoring.unopened"),
        ("### BEGIN SOLUTION\n### BEGIN SOLUTION\nx = 1\n### END SOLUTION", "authoring.nested"),
    ],
)
def test_unbalanced_markers_are_refused(source: str, key: str) -> None:
    assert _refused(new_code_cell(source)).message_id == key


def test_the_cli_speaks_the_reader_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    master = tmp_path / "master.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(CARGA)]), master)
    monkeypatch.setenv("LC_ALL", "es_ES.UTF-8")
    assert main(["assign", str(master), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {master}: no hay marcas de solución")
    assert "\n" not in err
    assert "Traceback" not in err


def test_the_cli_writes_both_notebooks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    master = tmp_path / "master.ipynb"
    nbformat.write(_master(), master)
    assert main(["assign", str(master), "--out", str(tmp_path / "lab")]) == 0
    assert (tmp_path / "lab" / "student.ipynb").is_file()
    assert (tmp_path / "lab" / "reference.ipynb").is_file()
    assert (
        rubric_from_metadata(tmp_path / "lab" / "student.ipynb")
        == (tmp_path / "lab" / "rubric.yaml").resolve()
    )
    assert "student.ipynb" in capsys.readouterr().out


def test_the_shipped_exercise_is_what_assign_writes_now(tmp_path: Path) -> None:
    # The same folder layout as the repository's, so the recorded rubric path matches.
    root = Path(__file__).resolve().parents[2]
    exercise = root / "exercises" / "fashion-mnist"
    out = tmp_path / "exercises" / "fashion-mnist"
    rubric = tmp_path / "rubrics" / "fashion-mnist.yaml"
    student, reference, done = write_assignment(exercise / "master.ipynb", out, rubric=rubric)
    # A failure: run `python scripts/build_examples.py` (it runs assign) and commit.
    assert student.read_bytes() == (exercise / "student.ipynb").read_bytes()
    assert reference.read_bytes() == (exercise / "reference.ipynb").read_bytes()
    assert done.stubs >= 4
    assert done.hidden >= 2
    assert rubric_from_metadata(exercise / "student.ipynb") == (
        root / "rubrics" / "fashion-mnist.yaml"
    )
