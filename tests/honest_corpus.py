"""Which honest hand-ins are graded by which kernel test that asserts they carry no flag.

Issue 12 promises zero integrity flags on honest work.  Every notebook, script and zip
under tests/fixtures and submissions/ is either graded by a kernel test that asserts
``integrity == []`` (COVERED) or excluded here with its reason (EXCLUDED);
tests/unit/test_honest_corpus.py walks the disk so a new fixture cannot slip by
unclaimed.  The kernel tests read their file lists from COVERED, so the table and
what is graded cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from autograder.results import GradeReport, IntegrityFlag

ROOT = Path(__file__).resolve().parents[1]
HAND_IN_SUFFIXES = (".ipynb", ".py", ".zip")
WALKED = ("tests/fixtures", "submissions")

_GRADING = "tests/integration/test_grading.py"
_EXERCISES = "tests/integration/test_exercises.py"
_PATTERNS = "tests/integration/test_real_patterns.py"
_HOSTILE = "tests/integration/test_hostile.py"
_REFERENCE = "tests/integration/test_reference.py"

COVERED: dict[str, str] = {
    **{f"submissions/fashion-mnist/{n}.ipynb": _GRADING for n in (
        "correct", "logits", "crash_halfway", "dense500x3", "unscaled_sgd")},
    **{f"submissions/cifar10-mlp/{n}.ipynb": _EXERCISES for n in (
        "correct", "wide64", "not_trained")},
    **{f"submissions/mnist-experiments/{n}.ipynb": _EXERCISES for n in (
        "correct", "no_cnn", "widths_only")},
    **{f"submissions/toy-dense/{n}.py": _EXERCISES for n in (
        "correct", "no_extension", "sigmoid16")},
    **{f"tests/fixtures/real_patterns/{n}": _PATTERNS for n in (
        "azar_mezcla_imagenes.ipynb", "colab_drive_upload.ipynb", "formas_completas.ipynb",
        "laboratorio_dos_notebooks/1-5.ipynb", "laboratorio_dos_notebooks/12.ipynb",
        "model_nn_y_model_cnn.ipynb", "pandas_sklearn_seaborn_cv2.ipynb",
        "practica_create_model.py", "reshape_784.ipynb", "sin_normalizar_adam.ipynb",
        "tfdata_asserts.ipynb", "tfds_repeat_steps.ipynb")},
    # The bad-input batch: honest work that fails or stops, never tampering.
    **{f"tests/fixtures/notebooks/{n}": _GRADING for n in (
        "no_model.ipynb", "exit_midway.ipynb", "cell_error.ipynb", "script_ok.py",
        "shell_and_magic.ipynb")},
    "tests/fixtures/notebooks/false_claim.ipynb": _REFERENCE,
    "tests/fixtures/hostile/honest.py": _HOSTILE,
}  # fmt: skip

EXCLUDED: dict[str, str] = {
    "tests/fixtures/attacks/": "score attacks; test_attacks.py asserts their honest twins "
    "carry no flag",
    "tests/fixtures/zips/": "unsafe archives (traversal, links, bombs) refused before any "
    "kernel runs (tests/unit/test_lms.py)",
    "tests/fixtures/notebooks/invalid_json.ipynb": "truncated JSON: invalid, never runs",
    "tests/fixtures/notebooks/empty.ipynb": "zero cells: invalid, never runs",
    "tests/fixtures/notebooks/syntax_error.py": "syntax error: invalid, never runs",
    "tests/fixtures/notebooks/infinite_loop.ipynb": "hostile: loops until the 600 s cell "
    "timeout, too slow for CI; the timeout path is test_hostile.py's print_loop",
    "tests/fixtures/notebooks/fake_print.ipynb": "forges printed scores and result files; "
    "test_grading.py grades its honest twin",
    "tests/fixtures/notebooks/override_methods.ipynb": "patches count_params/evaluate; "
    "test_grading.py grades its honest twin",
    "tests/fixtures/hostile/": "hostile on purpose (exits, bombs, forged output, patched "
    "kernel, escapes): export_failed or forged_channel is the right verdict for several; "
    "honest.py is the batch's honest baseline",
}


def covered_by(test: str, under: str) -> list[Path]:
    """The honest files under ``under`` (relative to the root) the given test grades."""
    prefix = under.rstrip("/") + "/"
    return sorted(ROOT / p for p, t in COVERED.items() if t == test and p.startswith(prefix))


def submission_ids(test: str, under: str) -> set[str]:
    """Submission ids discover() gives those files: a folder's name, else the file's stem."""
    root = ROOT / under
    ids = set()
    for path in covered_by(test, under):
        parts = path.relative_to(root).parts
        ids.add(parts[0] if len(parts) > 1 else path.stem)
    return ids


def _shown(flags: list[IntegrityFlag]) -> list[dict[str, object]]:
    return [{"code": f.code, **f.evidence} for f in flags]


def flagged(reports: Mapping[str, GradeReport], ids: set[str]) -> dict[str, object]:
    """The flags on the named reports (empty when honest work stays unflagged)."""
    missing = sorted(ids - set(reports))
    found: dict[str, object] = {i: _shown(reports[i].integrity) for i in sorted(ids & set(reports))}
    return {**dict.fromkeys(missing, "no result"), **{i: f for i, f in found.items() if f}}
