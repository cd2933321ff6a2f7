"""The shipped exercises: generated files up to date, rubrics valid, every part present."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from autograder.rubric import load_rubric

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = ["fashion-mnist", "cifar10-mlp", "toy-dense", "mnist-experiments"]


def _script(name: str) -> ModuleType:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        # Dataclasses look their module up in sys.modules while the class is made.
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "scripts"))


def test_generated_notebooks_are_up_to_date() -> None:
    # A failure names the notebooks: run `python scripts/build_examples.py` and commit.
    assert _script("build_examples").stale() == []


@pytest.mark.parametrize("exercise", EXERCISES)
def test_each_exercise_has_statement_reference_notes_rubric_and_examples(exercise: str) -> None:
    folder = ROOT / "exercises" / exercise
    for name in ("enunciado.md", "statement.md", "NOTES.md"):
        assert (folder / name).is_file(), name
    assert [p.name for p in folder.glob("reference.*")] in (["reference.ipynb"], ["reference.py"])
    assert load_rubric(ROOT / "rubrics" / f"{exercise}.yaml").rubric.id == exercise
    examples = {p.stem for p in (ROOT / "submissions" / exercise).iterdir()}
    assert "correct" in examples
    assert len(examples) >= 3  # correct, partial and broken
