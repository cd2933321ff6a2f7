"""Kernel environments on real kernels: Colab's libraries, a rubric's own packages.

The rubric's package is a wheel written in the test and installed from a local
folder with no index; the second grade runs with uv offline and the wheel gone.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder.datasets.base import DataOptions
from autograder.execution.runner import JobPaths, RunOptions, run_source
from autograder.execution.sandbox import bwrap_problem
from autograder.execution.source import load_source
from autograder.grading.options import GradeOptions
from autograder.grading.session import open_grader
from autograder.results import GradeReport
from autograder.rubric import load_rubric
from autograder.submissions import discover
from tests.tiny_wheel import write_wheel

pytestmark = [
    pytest.mark.kernel,
    pytest.mark.skipif(shutil.which("uv") is None, reason="uv is not on PATH"),
]

SANDBOXED = bwrap_problem() is None


def _notebook(path: Path, cells: list[str]) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Práctica 2: matriz de confusión")]
    nb.cells += [nbformat.v4.new_code_cell(textwrap.dedent(c).strip()) for c in cells]
    nbformat.write(nb, path)
    return path


def test_colab_libraries_import_and_a_missing_module_is_named(tmp_path: Path) -> None:
    # Written for Colab: every import below is preinstalled there.
    path = _notebook(
        tmp_path / "practica.ipynb",
        [
            """
            import numpy as np
            import pandas as pd
            import matplotlib.pyplot as plt
            import seaborn as sns
            import cv2
            from PIL import Image
            from scipy import stats
            from sklearn.metrics import confusion_matrix, classification_report
            import tensorflow as tf
            import tensorflow_datasets as tfds
            """,
            """
            etiquetas = np.array([0, 1, 2, 2, 1, 0, 2])
            predichas = np.array([0, 2, 2, 2, 1, 0, 1])
            matriz = confusion_matrix(etiquetas, predichas)
            assert matriz.shape == (3, 3)
            tabla = pd.DataFrame(matriz, columns=["camiseta", "pantalón", "jersey"])
            sns.heatmap(tabla, annot=True, fmt="d", cmap="Blues")
            plt.title("Matriz de confusión")
            plt.show()
            print(classification_report(etiquetas, predichas, zero_division=0))
            """,
            """
            imagen = np.zeros((28, 28), dtype=np.uint8)
            grande = cv2.resize(imagen, (56, 56), interpolation=cv2.INTER_LINEAR)
            assert grande.shape == (56, 56)
            Image.fromarray(grande).convert("RGB")
            print(stats.mode([1, 1, 2]).mode, tfds.core.__name__)
            """,
            "import xgboost_no_instalado as xgb",
            "sigue = True",
        ],
    )
    job = JobPaths(tmp_path / "job")
    options = RunOptions(cell_timeout_s=240.0, total_timeout_s=400.0, threads=1)
    run = run_source(load_source(path), job, options)
    summary = run.summary
    assert not summary.timed_out
    assert not summary.kernel_died
    (error,) = summary.errors  # only the import that Colab lacks too
    assert error.ename == "ModuleNotFoundError"
    assert error.excerpt == "import xgboost_no_instalado as xgb"
    assert error.module == "xgboost_no_instalado"
    assert summary.environment is not None
    assert summary.environment.name == "default"
    assert run.integrity == []  # honest work: nothing to flag


COURSE_PACKAGE = """\
def normalizar(x):
    return x.astype("float32") / 255.0
"""

RUBRIC = """\
schema_version: 1
id: curso-entorno
title: "Entorno del curso"
dataset:
  name: declared
  declared: {name: mini, input_shape: [5, 5], classes: 2, train_size: 40, test_size: 20}
environment:
  packages: [paquete-curso==0.1.0]
  find_links: [wheels]
timeouts: {cell_s: 120, total_s: 300}
checks:
  - kind: compile
    id: compile
    points: 1
    optimizer: adam
    loss: sparse_categorical_crossentropy
    metrics: [accuracy]
"""

STUDENT = """\
# %%
import numpy as np
import keras
import paquete_curso
from paquete_curso import normalizar

# %%
datos = np.load("mini.npz")
x_train = normalizar(datos["x_train"])
assert x_train.shape == (40, 5, 5)
assert "environments" not in np.__file__  # the grader's numpy, never a copy

# %%
modelo = keras.Sequential([
    keras.layers.Input((5, 5)),
    keras.layers.Flatten(),
    keras.layers.Dense(2, activation="softmax"),
])
modelo.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
modelo.fit(x_train, datos["y_train"], epochs=1, verbose=0)
model = modelo
"""

READ_ONLY = """
# %%
import os
try:
    open(os.path.join(os.path.dirname(paquete_curso.__file__), "trampa.py"), "w")
    escrito = True
except OSError:
    escrito = False
assert not escrito, "the environment must be read-only in the sandbox"
"""


def _grade(tmp_path: Path, name: str) -> GradeReport:
    loaded = load_rubric(tmp_path / "rubric.yaml")
    options = GradeOptions(data=DataOptions(source="synthetic"), threads=1)
    (submission,) = discover(tmp_path / "alumno.py")
    with open_grader(loaded, options) as grader:
        return grader.grade(submission)


def test_rubric_environment_is_built_once_then_used_offline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_wheel(
        tmp_path / "wheels", "paquete-curso", "0.1.0", {"paquete_curso/__init__.py": COURSE_PACKAGE}
    )
    (tmp_path / "rubric.yaml").write_text(RUBRIC, encoding="utf-8")
    (tmp_path / "alumno.py").write_text(STUDENT + (READ_ONLY if SANDBOXED else ""))
    monkeypatch.setenv("UV_NO_INDEX", "1")  # the wheels folder or nothing

    first = _grade(tmp_path, "first")
    assert first.execution is not None
    assert first.execution.errors == []
    assert first.status == "graded"
    assert [(c.id, c.status) for c in first.checks] == [("compile", "pass")]
    assert first.integrity == []
    built = first.execution.environment
    assert built is not None
    assert built.name == "rubric"
    assert built.from_cache is False
    assert built.packages == ["paquete-curso==0.1.0"]
    assert built.installed == ["paquete-curso==0.1.0"]

    # No wheel, no index, no network: only the cache can serve the second grade.
    shutil.rmtree(tmp_path / "wheels")
    monkeypatch.setenv("UV_OFFLINE", "1")
    second = _grade(tmp_path, "second")
    assert second.execution is not None
    assert second.execution.errors == []
    assert [(c.id, c.status) for c in second.checks] == [("compile", "pass")]
    assert second.integrity == []
    cached = second.execution.environment
    assert cached is not None
    assert cached.from_cache is True
    assert cached.key == built.key
    assert np.isclose(second.score, first.score)
