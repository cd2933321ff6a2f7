"""The hostile corpus, graded as one batch through the CLI, one assertion set per case.

Every case must end with a clear status and message, leave the grader running and
the rest of the batch graded, never score above the honest run of the same model,
and leave the machine clean.  One batch keeps the kernel time down: each case is one
kernel start (most of them train a 7,850-parameter model for one epoch).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.cli import main
from autograder.datasets.canaries import secret_key_path
from autograder.execution.sandbox import bwrap_problem
from autograder.results import GradeReport
from tests.honest_corpus import flagged, submission_ids

pytestmark = [
    pytest.mark.kernel,
    pytest.mark.hostile,
    pytest.mark.skipif(
        bwrap_problem() is not None, reason=f"no usable bubblewrap: {bwrap_problem()}"
    ),
]

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
RUBRIC = ROOT / "tests" / "fixtures" / "rubrics" / "hostile.yaml"
TINY_PARAMS = 7_850
MEMORY_MB = 1536
# Checked without a kernel (tests/unit/test_hostile_files.py): same code as honest.py.
NO_KERNEL_NEEDED = {"nbformat_v3.ipynb"}


@dataclass(frozen=True)
class Batch:
    code: int
    out: Path
    console: str
    reports: dict[str, GradeReport]
    tmp_before: frozenset[str]
    scratch: Path
    """The batch's TMPDIR: job dirs and the data copy live here, and must be gone after."""


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _cmdlines() -> list[str]:
    lines = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                lines.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
            except OSError:
                continue
    return lines


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    out = tmp_path_factory.mktemp("hostile-out")
    cases = tmp_path_factory.mktemp("hostile-cases")
    for path in HOSTILE.iterdir():
        if path.suffix in (".py", ".ipynb") and path.name not in NO_KERNEL_NEEDED:
            shutil.copy2(path, cases / path.name)
    scratch = tmp_path_factory.mktemp("hostile-tmp")
    tmp_before = frozenset(os.listdir("/tmp"))
    capture = pytest.MonkeyPatch()
    buffer = io.StringIO()
    capture.setattr(sys, "stdout", buffer)
    capture.setattr(tempfile, "tempdir", str(scratch))
    try:
        code = main(
            [
                "grade",
                str(cases),
                "--rubric",
                str(RUBRIC),
                "--data",
                "synthetic",
                "--fraction",
                "0.02",
                "--memory-mb",
                str(MEMORY_MB),
                # Two kernels at once: the looping cases mostly wait on their timeouts.
                "--jobs",
                "2",
                "--out",
                str(out),
            ]
        )
    finally:
        capture.undo()
    reports = {
        p.parent.name: GradeReport.model_validate_json(p.read_text())
        for p in out.glob("*/result.json")
    }
    return Batch(code, out, buffer.getvalue(), reports, tmp_before, scratch)


def _report(batch: Batch, case: str) -> GradeReport:
    assert case in batch.reports, f"{case} has no result.json"
    return batch.reports[case]


def _errors(report: GradeReport) -> list[tuple[int, str]]:
    assert report.execution is not None
    return [(e.cell, e.ename) for e in report.execution.errors]


def _same_credit_as_honest(batch: Batch, case: str) -> None:
    """The trained model before the hostile cell earns exactly the honest credit."""
    report, honest = _report(batch, case), _report(batch, "honest")
    assert report.metrics.trainable_params == TINY_PARAMS
    assert report.score == pytest.approx(honest.score)
    assert report.metrics.test_accuracy == pytest.approx(honest.metrics.test_accuracy, abs=1e-6)


# --- the whole batch ---------------------------------------------------------------------


def test_every_case_has_a_result_and_the_batch_completes(batch: Batch) -> None:
    cases = {
        p.stem
        for p in HOSTILE.iterdir()
        if p.suffix in (".py", ".ipynb") and p.name not in NO_KERNEL_NEEDED
    }
    assert batch.code == 0
    assert set(batch.reports) == cases
    summary = json.loads((batch.out / "summary.json").read_text())
    assert len(summary["submissions"]) == len(cases)
    for report in batch.reports.values():
        assert report.status == "invalid" or report.execution is not None
        if report.status != "graded":
            assert report.message, f"{report.submission.id}: {report.status} without a message"


def test_no_case_scores_above_the_honest_run(batch: Batch) -> None:
    honest = _report(batch, "honest")
    assert honest.status == "graded"
    assert honest.metrics.trainable_params == TINY_PARAMS
    # The rubric asks for 101,770 params and 0.95 accuracy, which only a forgery could get.
    assert honest.score == pytest.approx(3.0)
    baseline = submission_ids("tests/integration/test_hostile.py", "tests/fixtures/hostile")
    assert baseline == {"honest"}
    assert flagged(batch.reports, baseline) == {}
    for case, report in batch.reports.items():
        assert report.score <= honest.score + 1e-9, case
        assert report.metrics.trainable_params in (None, TINY_PARAMS), case


def test_every_kernel_run_lists_its_protections(batch: Batch) -> None:
    for case, report in batch.reports.items():
        if report.execution is None:
            continue
        active = {p.name for p in report.execution.protections if p.active}
        expected = {
            "network",
            "filesystem",
            "memory",
            "processes",
            "timeouts",
            "output",
            "evaluator",
        }
        assert expected <= active, case


def test_machine_is_left_clean(batch: Batch) -> None:
    # Only the grader's own evaluator may outlive the batch (it serves this process).
    left = [_cmdline(pid) for pid in _descendants(os.getpid())]
    assert [c for c in left if "autograder.measure.evaluator" not in c] == []
    assert not [c for c in _cmdlines() if "sleep 3600" in c or "sleep 3601" in c]
    # Every job dir is gone; the grader's data copy lives until the process exits.
    left = [p.name for p in batch.scratch.iterdir()]
    assert [name for name in left if not name.startswith("autograder-data-")] == []
    assert not (set(os.listdir("/tmp")) - batch.tmp_before) & {"fill", "result.json"}
    assert not Path("/dev/shm/fill").exists()
    for controller in ("memory", "pids"):
        base = Path("/sys/fs/cgroup") / controller
        if base.is_dir():
            stray = [p for p in base.rglob(f"autograder-{os.getpid()}-*") if p.is_dir()]
            assert stray == []


def test_kernel_output_never_reaches_the_console(batch: Batch) -> None:
    assert "x" * 1000 not in batch.console
    assert "spam spam" not in batch.console
    assert '"score": 10.0' not in batch.console
    assert "Traceback" not in batch.console
    assert sum(p.stat().st_size for p in batch.out.rglob("*.json")) < 2_000_000


# --- malformed files -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("invalid_json", "invalid JSON at line"),
        ("empty", "empty notebook"),
        ("latin1", "not UTF-8"),
    ],
)
def test_malformed_file_is_invalid_with_a_reason(batch: Batch, case: str, words: str) -> None:
    report = _report(batch, case)
    assert report.status == "invalid"
    assert report.message is not None
    assert words in report.message
    assert report.score == 0


# --- exits ---------------------------------------------------------------------------------


def test_os_exit_is_an_error_that_keeps_the_trained_model(batch: Batch) -> None:
    report = _report(batch, "os_exit")
    assert report.status == "error"
    assert "died" in (report.message or "")
    assert _errors(report) == [(2, "KernelDied")]
    _same_credit_as_honest(batch, "os_exit")


def test_sys_exit_is_caught_and_the_notebook_goes_on(batch: Batch) -> None:
    report = _report(batch, "sys_exit")
    assert report.status == "graded"
    assert (2, "SystemExit") in _errors(report)
    _same_credit_as_honest(batch, "sys_exit")


# --- exhaustion ----------------------------------------------------------------------------


def test_loop_ignoring_sigint_is_killed_and_keeps_its_credit(batch: Batch) -> None:
    report = _report(batch, "ignore_sigint_loop")
    assert report.status == "timeout"
    assert "ignored the interrupt" in (report.message or "")
    _same_credit_as_honest(batch, "ignore_sigint_loop")


def test_memory_bomb_hits_the_cap_and_keeps_its_credit(batch: Batch) -> None:
    report = _report(batch, "memory_bomb")
    assert report.status == "error"
    assert f"memory limit of {MEMORY_MB} MiB reached" in (report.message or "")
    _same_credit_as_honest(batch, "memory_bomb")


@pytest.mark.parametrize("case", ["fork_bomb", "thread_bomb"])
def test_process_and_thread_bombs_hit_the_cap(batch: Batch, case: str) -> None:
    report = _report(batch, case)
    assert report.execution is not None
    assert report.status in ("graded", "error", "timeout")
    blocked = [e for e in report.execution.errors if e.cell == 1]
    assert blocked or "limit" in (report.message or ""), case
    assert report.score <= _report(batch, "honest").score + 1e-9


def test_huge_print_is_truncated_and_the_next_cell_runs(batch: Batch) -> None:
    report = _report(batch, "print_200mb")
    assert report.status == "graded"
    assert _errors(report) == []


def test_endless_print_times_out_with_capped_output(batch: Batch) -> None:
    report = _report(batch, "print_loop")
    assert report.status == "timeout"
    assert _errors(report)[0] == (1, "Timeout")
    # The interrupt reached the sandboxed kernel (interrupt_mode "message"): no kill needed.
    assert report.execution is not None
    assert not report.execution.kernel_died


# --- forged results ------------------------------------------------------------------------


def test_forged_json_on_stdout_changes_nothing(batch: Batch) -> None:
    _same_credit_as_honest(batch, "forged_stdout")


def test_forged_result_files_stay_in_the_working_copy(batch: Batch) -> None:
    _same_credit_as_honest(batch, "forged_result_files")
    written = {p.parent.name for p in batch.out.glob("*/result.json")}
    assert "forged" not in written
    assert not (batch.out / "result.json").exists()
    assert not Path("/tmp/result.json").exists() or "/tmp/result.json" in batch.tmp_before


# --- patched grading -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "case", ["patch_ipython_traceback", "patch_do_execute", "override_methods"]
)
def test_patched_kernel_or_model_methods_change_nothing(batch: Batch, case: str) -> None:
    _same_credit_as_honest(batch, case)


@pytest.mark.parametrize(
    ("case", "words"),
    [("model_subclass", "custom class `Cheat`"), ("lambda_layer", "Lambda layer")],
)
def test_code_in_the_model_file_is_refused(batch: Batch, case: str, words: str) -> None:
    report = _report(batch, case)
    assert report.metrics.test_accuracy is None
    accuracy = next(c for c in report.checks if c.id == "test-accuracy")
    assert words in accuracy.message
    assert "safely" in accuracy.message


# --- escapes -------------------------------------------------------------------------------


def test_network_is_unreachable_by_name_and_by_address(batch: Batch) -> None:
    assert _errors(_report(batch, "network")) == [(1, "gaierror"), (2, "OSError")]


def test_system_and_grader_files_are_invisible(batch: Batch) -> None:
    # Cells 2 and 3 raise PermissionError if any rubric, exercise or result file, or the
    # installation's canary key (which this batch used), is visible.
    assert secret_key_path().is_file()
    assert _errors(_report(batch, "read_secrets")) == [(1, "FileNotFoundError")]


def test_tmp_and_shm_are_small_private_tmpfs(batch: Batch) -> None:
    assert _errors(_report(batch, "fill_tmp_and_shm")) == [(1, "OSError"), (2, "OSError")]


def test_orphaned_background_processes_die_with_the_kernel(batch: Batch) -> None:
    assert _report(batch, "orphan_process").status == "graded"
    assert not [c for c in _cmdlines() if "sleep 3600" in c or "sleep 3601" in c]
