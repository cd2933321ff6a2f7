"""Sandbox pieces without kernels: argv wrapping, degradation, caps, the launcher."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from autograder.execution import sandbox
from autograder.execution.guard import Guard, disk_usage
from autograder.execution.limits import Limits
from autograder.execution.outputs import CappedLog, cap_outputs, output_size
from autograder.execution.runner import RunOptions, _kernel_env
from autograder.execution.sandbox import Mounts, open_sandbox, python_roots

REPO = Path(__file__).resolve().parents[2]


def _mounts(tmp_path: Path) -> Mounts:
    work, artifacts, data = tmp_path / "work", tmp_path / "artifacts", tmp_path / "d.npz"
    return Mounts(writable=[work, artifacts], readonly=[data], workdir=work)


def _pairs(argv: list[str], flag: str) -> list[str]:
    return [argv[i + 1] for i, a in enumerate(argv) if a == flag]


def test_wrapped_argv_binds_only_the_job_and_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sandbox, "bwrap_problem", lambda: None)
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/bwrap")
    box = open_sandbox(Limits(tmp_mb=32), _mounts(tmp_path))
    try:
        argv = box.wrap(["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"])
    finally:
        box.close()
    assert argv[:4] == [sys.executable, "-I", "-m", "autograder.execution.confine"]
    config = json.loads(argv[4])
    assert config["rlimits"]["FSIZE"] == Limits().file_size_mb * 1024 * 1024
    assert argv[argv.index("--", 5) + 1] == "/usr/bin/bwrap"
    assert argv[-5:] == ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    for flag in ("--unshare-net", "--unshare-pid", "--die-with-parent", "--new-session"):
        assert flag in argv
    assert _pairs(argv, "--bind") == [str(tmp_path / "work"), str(tmp_path / "artifacts")]
    assert str(tmp_path / "d.npz") in _pairs(argv, "--ro-bind")
    assert str(32 * 1024 * 1024) in _pairs(argv, "--size")
    # Nothing binds the repository (rubrics/, exercises/) or the whole root.
    bound = _pairs(argv, "--ro-bind") + _pairs(argv, "--bind")
    assert "/" not in bound
    assert str(REPO) not in bound
    assert "/etc" not in bound
    assert "/etc/passwd" not in _pairs(argv, "--ro-bind-try")


def test_missing_bwrap_is_recorded_not_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sandbox, "bwrap_problem", lambda: "bubblewrap (bwrap) is not installed")
    box = open_sandbox(Limits(), _mounts(tmp_path))
    try:
        argv = box.wrap(["python", "k.py"])
    finally:
        box.close()
    assert "/usr/bin/bwrap" not in argv
    assert argv[-2:] == ["python", "k.py"]
    inactive = {p.name: p.detail for p in box.protections if not p.active}
    assert inactive["network"] == "bubblewrap (bwrap) is not installed"
    assert "filesystem" in inactive
    assert {p.name for p in box.protections} >= {"memory", "processes", "file-size"}


def test_disabled_sandbox_says_so(tmp_path: Path) -> None:
    box = open_sandbox(Limits(sandbox=False), _mounts(tmp_path))
    box.close()
    network = next(p for p in box.protections if p.name == "network")
    assert not network.active
    assert "disabled" in network.detail


def test_memory_falls_back_to_rlimit_data_without_cgroups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sandbox, "_cgroups_v2", lambda name, limits: ([], set()))
    monkeypatch.setattr(sandbox, "_cgroups_v1", lambda name, limits: ([], set()))
    box = open_sandbox(Limits(memory_mb=300, sandbox=False), _mounts(tmp_path))
    assert box.rlimits["DATA"] == 300 * 1024 * 1024
    assert "NPROC" in box.rlimits
    assert "AS" not in box.rlimits  # RLIMIT_AS breaks TensorFlow's address-space reservations
    memory = next(p for p in box.protections if p.name == "memory")
    assert "RLIMIT_DATA" in memory.detail


def test_python_roots_do_not_nest() -> None:
    roots = python_roots()
    assert sys.prefix in roots or any(sys.prefix.startswith(r + "/") for r in roots)
    for a in roots:
        for b in roots:
            assert a == b or not a.startswith(b.rstrip("/") + "/")


def test_launcher_sets_limits_then_execs(tmp_path: Path) -> None:
    config = json.dumps({"rlimits": {"FSIZE": 4096, "CORE": 0}})
    probe = (
        "import resource, signal;"
        "print(resource.getrlimit(resource.RLIMIT_FSIZE)[0],"
        " signal.getsignal(signal.SIGXFSZ) == signal.SIG_IGN);"
        "open('big', 'wb').write(b'x' * 10000)"
    )
    python = [sys.executable, "-c", probe]
    done = subprocess.run(
        [sys.executable, "-I", "-m", "autograder.execution.confine", config, "--", *python],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.stdout.split() == ["4096", "True"]
    # Past RLIMIT_FSIZE the write fails with EFBIG instead of killing the process.
    assert "File too large" in done.stderr
    assert (tmp_path / "big").stat().st_size == 4096


def test_launcher_rejects_a_bad_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-I", "-m", "autograder.execution.confine", "{}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "usage" in done.stderr


# --- output caps -------------------------------------------------------------------------


def _stream(text: str) -> dict[str, Any]:
    return {"output_type": "stream", "name": "stdout", "text": text}


def test_cap_outputs_keeps_the_head_and_marks_the_cut() -> None:
    outputs: list[Any] = [_stream("a" * 60), _stream("b" * 60), _stream("c" * 60)]
    used, cut = cap_outputs(outputs, 100)
    assert cut
    assert used == 100
    assert outputs[0]["text"] == "a" * 60
    assert outputs[1]["text"] == "b" * 40
    assert "truncated at 100 bytes" in outputs[-1]["text"]
    assert len(outputs) == 3
    # Trimming again (the guard runs every tick) neither grows nor duplicates the marker.
    used_again, _ = cap_outputs(outputs, 100)
    assert used_again == 100
    assert sum("truncated" in o["text"] for o in outputs) == 1


def test_cap_outputs_keeps_errors_and_leaves_small_outputs_alone() -> None:
    error = {"output_type": "error", "ename": "E", "evalue": "v", "traceback": ["t" * 50] * 9}
    outputs: list[Any] = [_stream("x" * 90), error]
    cap_outputs(outputs, 100)
    assert outputs[1]["output_type"] == "error"
    assert len(outputs[1]["traceback"]) == 3
    small: list[Any] = [_stream("ok")]
    assert cap_outputs(small, 100) == (2, False)
    assert small == [_stream("ok")]


def test_output_size_counts_rich_data_and_multibyte_text() -> None:
    assert output_size(_stream("é")) == 2
    assert output_size({"output_type": "display_data", "data": {"image/png": "A" * 10}}) == 10


def test_capped_log_keeps_the_limit_and_drops_the_rest(tmp_path: Path) -> None:
    log = CappedLog(tmp_path / "kernel.log", limit=1000)
    writer = subprocess.Popen(
        [sys.executable, "-c", "import os; [os.write(1, b'y' * 4096) for _ in range(100)]"],
        stdout=log.write_fd,
    )
    log.close_writer()
    writer.wait()
    log.join(timeout=10)
    text = (tmp_path / "kernel.log").read_text()
    assert text.startswith("y" * 1000)
    assert "truncated at 1000 bytes" in text
    assert len(text) < 1200
    assert log.dropped == 409_600 - 1000


# --- guard ---------------------------------------------------------------------------------


def test_disk_usage_counts_allocated_blocks(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "data").write_bytes(os.urandom(200_000))
    with (tmp_path / "sparse").open("wb") as fh:
        fh.truncate(10**9)  # a sparse gigabyte uses (almost) no disk
    used = disk_usage([tmp_path])
    assert 200_000 <= used < 1_000_000


def test_guard_kills_when_the_job_dir_outgrows_its_budget(tmp_path: Path) -> None:
    (tmp_path / "blob").write_bytes(os.urandom(2 * 1024 * 1024))
    killed: list[float] = []

    async def kill() -> None:
        killed.append(time.monotonic())

    async def scenario() -> None:
        guard = Guard(Limits(disk_mb=1), [tmp_path])
        guard.watch([], kill)
        task = asyncio.ensure_future(guard.run())
        await asyncio.sleep(2.0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert guard.events() == ["disk budget of 1 MiB for the job dir exceeded"]

    asyncio.run(scenario())
    assert len(killed) == 1


def test_guard_counts_every_cell_against_the_notebook_cap() -> None:
    guard = Guard(Limits(cell_output_kb=1, notebook_output_kb=2), [])
    for _ in range(3):
        outputs: list[Any] = [_stream("z" * 900)]
        guard.finish_cell(outputs)
    assert guard.notebook_used == 2048
    assert guard.truncated
    assert outputs[0]["text"] == "z" * 248


def test_kernel_env_drops_the_graders_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "s3cret")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    env = _kernel_env(RunOptions(cell_timeout_s=1, total_timeout_s=1, seed=3))
    assert "GITHUB_TOKEN" not in env
    assert env["LC_ALL"] == "C.UTF-8"
    assert env["PYTHONHASHSEED"] == "3"
    assert "PATH" in env


def test_limit_events_are_read_from_the_cgroup_counters(tmp_path: Path) -> None:
    memory, pids = tmp_path / "memory", tmp_path / "pids"
    memory.mkdir()
    pids.mkdir()
    (memory / "memory.oom_control").write_text("oom_kill_disable 0\nunder_oom 0\noom_kill 2\n")
    (pids / "pids.events").write_text("max 17\n")
    box = sandbox.Sandbox(limits=Limits(memory_mb=512, pids=100), mounts=_mounts(tmp_path))
    box.cgroups = [sandbox._Cgroup(memory, 1), sandbox._Cgroup(pids, 1)]
    assert box.events() == [
        "memory limit of 512 MiB reached",
        "process/thread limit of 100 reached",
    ]
    (pids / "pids.events").write_text("max 0\n")
    assert box.events() == ["memory limit of 512 MiB reached"]


_FAILED_START = """
import sys
from pathlib import Path
from autograder.execution import runner, sandbox
from autograder.execution.source import load_source

sandbox.Sandbox.wrap = lambda self, argv: [sys.executable, "-c", "raise SystemExit(3)"]
job = runner.JobPaths(Path(sys.argv[1]) / "job")
script = Path(sys.argv[1]) / "s.py"
script.write_text("x = 1\\n")
options = runner.RunOptions(cell_timeout_s=5, total_timeout_s=30)
print(runner.run_source(load_source(script), job, options).summary.message)
"""


def test_a_kernel_that_cannot_start_is_a_result_without_a_traceback(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _FAILED_START, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("could not run the kernel: ")
    assert "Traceback" not in done.stderr
