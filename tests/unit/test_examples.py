"""The percent-format reader behind scripts/build_examples.py, and its staleness check."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def build() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_examples", ROOT / "scripts" / "build_examples.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Dataclasses look their module up in sys.modules while the class is made.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


SOURCE = """\
# %% [markdown]
# # Taller 3
#
# Texto.

# %%
import keras

# %% tags=["skip-grading"]
!pip install foo


# %%
"""


def test_percent_source_reads_into_cells(build: ModuleType) -> None:
    cells = build.parse_percent(SOURCE)
    assert [(c.kind, c.source, c.tags) for c in cells] == [
        ("markdown", "# Taller 3\n\nTexto.", ()),
        ("code", "import keras", ()),
        ("code", "!pip install foo", ("skip-grading",)),
        ("code", "", ()),
    ]
    assert build.parse_percent(build.percent_text(cells)) == cells


def test_notebook_has_stable_ids_and_tags(build: ModuleType) -> None:
    notebook = nbformat.reads(build.notebook_text(build.parse_percent(SOURCE)), as_version=4)
    assert [c.id for c in notebook.cells] == ["cell-01", "cell-02", "cell-03", "cell-04"]
    assert notebook.cells[2].metadata["tags"] == ["skip-grading"]
    assert all("outputs" not in c or c.outputs == [] for c in notebook.cells)


def test_empty_source_is_a_notebook_without_cells(build: ModuleType) -> None:
    assert nbformat.reads(build.notebook_text(build.parse_percent("")), as_version=4).cells == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param("x = 1\n# %%\n", "s.py:1: text before the first '# %%' marker", id="preamble"),
        pytest.param("# %% [markdown]\nTitle\n", "s.py:2: a markdown line must start", id="md"),
        pytest.param("# %% tags=[skip]\nx = 1\n", "s.py:1: tags must be a JSON list", id="tags"),
    ],
)
def test_bad_sources_name_the_line(build: ModuleType, text: str, problem: str) -> None:
    with pytest.raises(build.SourceError, match=problem):
        build.parse_percent(text, "s.py")


def test_stale_names_edited_and_missing_notebooks(build: ModuleType, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples" / "submissions" / "cifar10-mlp", tmp_path / "examples" / "x")
    assert len(build.stale(tmp_path)) == 3  # nothing generated yet
    (tmp_path / "x").mkdir()
    for path, text in build.targets(tmp_path).items():
        (tmp_path / path).write_text(text, encoding="utf-8")
    assert build.stale(tmp_path) == []
    source = tmp_path / "examples" / "x" / "correct.py"
    source.write_text(source.read_text(encoding="utf-8") + "\n# %%\nprint(1)\n", encoding="utf-8")
    assert build.stale(tmp_path) == [Path("x/correct.ipynb")]
