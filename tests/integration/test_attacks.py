"""The attack corpus (tests/fixtures/attacks), graded as one batch under a memory cap.

Each attack notebook does the same real work as its honest twin and then tries to
raise its score: rewrite what the kernel recorded, plant FIFOs and /dev/zero links
where the grader used to read, forge the runner's channel, train on the test split,
or inject control characters, markup and formulas into the reports, hide an answer's
keywords in an HTML comment, hand the evaluator a model that takes minutes to measure or
a 46 MB "experiment".  The grader runs in a subprocess with RLIMIT_DATA, so a regression
that reads /dev/zero fails this test instead of taking the machine down, and its own
peak memory is watched, so a model measured outside the evaluator shows.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.execution.sandbox import bwrap_problem
from autograder.results import GradeReport

pytestmark = [
    pytest.mark.kernel,
    pytest.mark.hostile,
    pytest.mark.skipif(
        bwrap_problem() is not None, reason=f"no usable bubblewrap: {bwrap_problem()}"
    ),
]

ROOT = Path(__file__).resolve().parents[2]
ATTACKS = ROOT / "tests" / "fixtures" / "attacks"
RUBRIC = ROOT / "tests" / "fixtures" / "rubrics" / "attacks.yaml"
GRADER_MEMORY = 6 * 1024**3
"""RLIMIT_DATA of the grading process (and what it starts): reading /dev/zero hits it."""
TOTAL_TIMEOUT_S = 90
"""The rubric's total per notebook (attacks.yaml)."""
EVALUATION_S = 30
"""The evaluator's limit per model: the slow model hits it, every honest model is far below."""
MARGIN_S = 240
"""Start-up, evaluator start and reports on top of the notebooks' own time limits."""
GRADER_PEAK = 1024**3
"""The grading process's own peak RSS: it never loads TensorFlow or a model (405 MiB measured);
measuring the 46 MB experiment in-process would import TensorFlow and pass this."""

ONE, THREE, SGD, NO_SE = "honesto_1_epoca", "honesto_3_epocas", "honesto_sgd", "honesto_no_se"
SLOW, HUGE, HIDDEN = "ataque_modelo_lento", "ataque_experimento_enorme", "ataque_comentario_oculto"
# Attack -> honest twin, from the corpus table (tests/unit/test_attack_corpus.py proves
# each attack is its twin plus `# %% ATAQUE` cells).
TWINS: dict[str, str] = {
    name: entry["twin"]
    for name, entry in json.loads((ATTACKS / "corpus.json").read_text("utf-8"))["attacks"].items()
}
HONEST = {ONE, THREE, SGD, NO_SE}
# Fits on test rows the kernel recorded (fingerprinted by pixel ranking)...
LEAKAGE = {"ataque_test_9_epocas", "ataque_train_mas_test"}
# ...and training the recorder never saw (fit.__wrapped__, weights set from elsewhere).
UNRECORDED_LEAKAGE = {"ataque_pesos_de_casa", "ataque_fit_wrapped_en_test"}
# Channel and recorder tampering the grader can see for itself.
FLAGGED = {
    "ataque_canal_falso": "forged_channel",
    "ataque_registro_sys_modules": "training_mismatch",
    "ataque_registro_gc": "training_mismatch",
    "ataque_sonda_reemplazada": "training_mismatch",
    "ataque_fit_wrapped_en_test": "training_mismatch",
    "ataque_recompilar_adam": "compile_mismatch",
}
_NUMBER = re.compile(r"[-+]?[0-9]+([.,][0-9]+)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x9b]")


@dataclass(frozen=True)
class Batch:
    code: int
    seconds: float
    console: str
    out: Path
    reports: dict[str, GradeReport]
    peak_rss: int
    """VmHWM of the grading process, last read before it exited."""


def _wait_watching_memory(process: subprocess.Popen[bytes], timeout: float) -> int:
    """Peak RSS of ``process``, which is waited for; /proc's high-water mark only grows,
    so the last reading before exit is the peak up to then (the reports come last)."""
    status = Path(f"/proc/{process.pid}/status")
    peak, deadline = 0, time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines())
            peak = max(peak, int(fields.get("VmHWM", "0 kB").split()[0]) * 1024)
        except (OSError, ValueError):
            pass  # exiting: the zombie has no memory fields left
        time.sleep(0.25)
    process.wait(timeout=max(deadline - time.monotonic(), 1))
    return peak


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    cases = tmp_path_factory.mktemp("attack-cases")
    for path in ATTACKS.iterdir():
        if path.suffix in (".py", ".ipynb"):
            shutil.copy2(path, cases / path.name)
    out = tmp_path_factory.mktemp("attack-out")
    confine = json.dumps({"rlimits": {"DATA": GRADER_MEMORY, "CORE": 0}})
    argv = [sys.executable, "-m", "autograder.execution.confine", confine, "--"]
    argv += [sys.executable, "-m", "autograder", "grade", str(cases), "--rubric", str(RUBRIC)]
    argv += ["--data", "synthetic", "--fraction", "0.02", "--memory-mb", "1536"]
    argv += ["--evaluation-timeout", str(EVALUATION_S)]
    argv += ["--jobs", "2", "--format", "console,markdown,csv", "--out", str(out)]
    env = {**os.environ, "COLUMNS": "160", "TMPDIR": str(tmp_path_factory.mktemp("tmp"))}
    started = time.monotonic()
    # A file, not a pipe: nobody reads a pipe while the memory is watched, and a full
    # one would stall the grader.
    console_path = tmp_path_factory.mktemp("console") / "console.txt"
    with console_path.open("wb") as console_file:
        process = subprocess.Popen(  # our own interpreter and module, no shell
            argv, stdout=console_file, stderr=subprocess.STDOUT, env=env
        )
        try:
            peak = _wait_watching_memory(process, len(TWINS) * TOTAL_TIMEOUT_S + MARGIN_S)
        finally:
            process.kill()
    seconds = time.monotonic() - started
    console = console_path.read_text("utf-8", errors="replace")
    reports = {
        p.parent.name: GradeReport.model_validate_json(p.read_text("utf-8"))
        for p in out.glob("*/result.json")
    }
    by_submission = {r.submission.id: r for r in reports.values()}
    return Batch(process.returncode, seconds, console, out, by_submission, peak)


def test_every_notebook_has_a_result_within_the_timeouts_plus_margin(batch: Batch) -> None:
    assert set(batch.reports) == set(TWINS) | HONEST, batch.console[-3000:]
    # Two workers: half the notebooks' worst case, plus the margin.
    assert batch.seconds < len(batch.reports) / 2 * TOTAL_TIMEOUT_S + MARGIN_S
    assert "MemoryError" not in batch.console


def test_no_attack_scores_above_its_honest_twin(batch: Batch) -> None:
    above = {
        attack: (batch.reports[attack].score, batch.reports[twin].score)
        for attack, twin in TWINS.items()
        if batch.reports[attack].score > batch.reports[twin].score + 1e-9
    }
    assert above == {}


def test_honest_twins_are_graded_and_never_flagged(batch: Batch) -> None:
    for name in HONEST:
        report = batch.reports[name]
        assert report.status == "graded", report.message
        assert report.integrity == [], (name, report.integrity)
    assert batch.reports[THREE].score > batch.reports[ONE].score  # the training check can pass


def test_tampering_the_grader_can_see_is_flagged(batch: Batch) -> None:
    found = {name: {f.code for f in batch.reports[name].integrity} for name in FLAGGED}
    assert {name: code in found[name] for name, code in FLAGGED.items()} == dict.fromkeys(
        FLAGGED, True
    )


def test_kernel_made_files_leave_the_trained_model_graded(batch: Batch) -> None:
    for name in ("ataque_fifo", "ataque_dev_zero", "ataque_enlaces_simbolicos"):
        report, twin = batch.reports[name], batch.reports[ONE]
        assert report.status == "graded", report.message
        assert report.metrics.test_accuracy == pytest.approx(twin.metrics.test_accuracy, abs=1e-6)


def _leaked(batch: Batch, names: set[str]) -> set[str]:
    return {n for n in names if any(f.code == "test_leakage" for f in batch.reports[n].integrity)}


def test_recorded_fits_on_the_test_split_are_flagged(batch: Batch) -> None:
    assert _leaked(batch, LEAKAGE) == LEAKAGE


def test_unrecorded_training_on_the_test_split_is_flagged(batch: Batch) -> None:
    assert _leaked(batch, UNRECORDED_LEAKAGE) == UNRECORDED_LEAKAGE


def test_reports_carry_no_control_characters_markup_or_formulas(batch: Batch) -> None:
    assert not _CONTROL.search(batch.console.replace("\n", "").replace("\t", ""))
    markdown = (batch.out / "summary.md").read_text("utf-8")
    assert "<b>" not in markdown
    assert not _CONTROL.search(markdown.replace("\n", ""))
    with (batch.out / "gradebook.csv").open(encoding="utf-8-sig", newline="") as fh:
        cells = [cell for row in csv.reader(fh) for cell in row]
    # OWASP: a text cell must not start like a formula (numbers such as -0.01 may).
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@") and not _NUMBER.fullmatch(c)]
    assert not [c for c in cells if _CONTROL.search(c)]


def test_a_slow_model_costs_only_its_own_submission(batch: Batch) -> None:
    slow = batch.reports[SLOW]
    assert f"longer than {EVALUATION_S:g} s" in slow.model_dump_json(), slow.message
    # Everyone else was measured: no honest model waited behind the slow one past its limit.
    for name, report in batch.reports.items():
        if name != SLOW:
            assert report.metrics.test_accuracy is not None, (name, report.message)


def test_a_huge_experiment_is_measured_in_the_evaluator_not_the_grader(batch: Batch) -> None:
    rows = {v: row for row in batch.reports[HUGE].experiments for v in row.variables}
    assert rows["enorme"].error is None, rows["enorme"]
    assert rows["enorme"].test_accuracy is not None
    assert 0 < batch.peak_rss < GRADER_PEAK, f"grader peak {batch.peak_rss / 1024**2:.0f} MiB"


def test_keywords_hidden_in_a_comment_earn_nothing(batch: Batch) -> None:
    def answers(name: str) -> float:
        (check,) = (c for c in batch.reports[name].checks if c.id == "answers")
        return check.points

    assert answers(HIDDEN) == answers(NO_SE) == 0
