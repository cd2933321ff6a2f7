"""A Dask cluster of real processes on 127.0.0.1: `dask scheduler` and `dask worker`s.

Each worker runs in its own empty folder (its cwd, its TMPDIR and its
``--local-directory``) and is told nothing but the scheduler's address, so it can
grade only what a task carries.  Shared by tests/integration/test_dask_cluster.py and
bench/dask_scaling.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

DASK = Path(sys.executable).parent / "dask"
"""The venv's own CLI: the workers run the installed package, nothing else."""


def descendants(pid: int) -> list[int]:
    """Every live process below ``pid`` (read from /proc), children first."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        # The command name may hold spaces and parentheses: ppid follows the last ')'.
        fields = stat.rsplit(")", 1)[-1].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: list[int] = []
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill_tree(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL a process, its group and everything below it, as a machine that dies."""
    below = descendants(process.pid)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    for pid in [process.pid, *below]:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


@dataclass
class ProcessCluster:
    """Started by :func:`start`; :meth:`close` (idempotent) kills every process."""

    folder: Path
    address: str = ""
    scheduler: subprocess.Popen[bytes] | None = None
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def add_worker(self, name: str) -> subprocess.Popen[bytes]:
        home = self.folder / name
        (home / "tmp").mkdir(parents=True)
        env = {**os.environ, "TMPDIR": str(home / "tmp")}
        command = [
            str(DASK), "worker", self.address, "--name", name, "--nthreads", "1",
            "--no-nanny", "--no-dashboard", "--host", "127.0.0.1", "--memory-limit", "0",
            "--local-directory", str(home / "dask"), "--death-timeout", "60",
        ]  # fmt: skip
        worker = self._spawn(command, home, env)
        self.workers.append(worker)
        return worker

    def wait_for_workers(self, count: int, timeout_s: float = 120) -> None:
        from distributed import Client  # noqa: PLC0415  # the dask extra, tests and bench only

        with Client(self.address, timeout=timeout_s) as client:
            client.wait_for_workers(count, timeout=timeout_s)

    def processing(self, name: str) -> list[str]:
        """The keys of the tasks the scheduler has given worker ``name`` (running or next)."""
        from distributed import Client  # noqa: PLC0415  # the dask extra, tests and bench only

        with Client(self.address, timeout=30) as client:
            workers = client.scheduler_info()["workers"]
            address = next(a for a, info in workers.items() if info["name"] == name)
            return [str(key) for key in client.processing([address]).get(address, ())]

    def close(self) -> None:
        for process in [*self.workers, *([self.scheduler] if self.scheduler else [])]:
            kill_tree(process)

    def _spawn(self, command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = (cwd / "log.txt").open("wb")
        try:
            # Its own session: one killpg ends the worker and what it started.
            return subprocess.Popen(
                command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        finally:
            log.close()


def _address(scheduler: subprocess.Popen[bytes], info: Path, deadline: float) -> str:
    """The address the scheduler wrote to its file (written once it listens)."""
    while True:
        with contextlib.suppress(OSError, ValueError, KeyError):
            return str(json.loads(info.read_text(encoding="utf-8"))["address"])
        if scheduler.poll() is not None or time.monotonic() > deadline:
            log = (info.parent / "log.txt").read_text(encoding="utf-8", errors="replace")
            raise RuntimeError(f"the Dask scheduler did not start:\n{log[-2000:]}")
        time.sleep(0.2)


def start(folder: Path, workers: int, timeout_s: float = 120) -> ProcessCluster:
    """A scheduler on a free port of 127.0.0.1 and ``workers`` one-thread workers.

    Closes what it started when anything fails; the caller closes it otherwise.
    """
    cluster = ProcessCluster(folder)
    home = folder / "scheduler"
    home.mkdir(parents=True)
    info = home / "scheduler.json"
    command = [
        str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
        "--scheduler-file", str(info),
    ]  # fmt: skip
    try:
        cluster.scheduler = cluster._spawn(command, home, dict(os.environ))
        cluster.address = _address(cluster.scheduler, info, time.monotonic() + timeout_s)
        for i in range(workers):
            cluster.add_worker(f"worker{i}")
        cluster.wait_for_workers(workers, timeout_s)
    except BaseException:
        cluster.close()
        raise
    return cluster
