"""Layered limits for one kernel: bubblewrap, cgroups, rlimits; every layer is recorded.

The kernel command (``python -m ipykernel_launcher ...``) is wrapped, never patched:

    python -I -m autograder.execution.confine CONFIG -- bwrap OPTIONS -- KERNEL...

``confine`` joins the job's cgroups and sets rlimits, then execs bubblewrap, which
builds a private view of the machine: the system and the Python environment
read-only, the job's work/artifacts/ipc dirs the only writable paths, the batch's
data file read-only, sized tmpfs on /tmp and /dev/shm, no network, a private PID
namespace (its init reaps orphans and takes every process down with it).  Rubrics,
reference solutions, the results dir and the rest of the file system are simply not
there.  Where a layer is missing (no bwrap, no user namespaces, cgroups not
writable, macOS) the next one down is used and the gap is recorded as an inactive
:class:`Protection`.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from autograder.execution.limits import MIB, Limits
from autograder.results import Protection

_CGROUP_ROOT = Path("/sys/fs/cgroup")
# Read-only system paths the kernel needs; /etc is bound item by item so that
# /etc/passwd, /etc/shadow and friends stay out of reach.
_SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
_ETC_ITEMS = (
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "localtime",
    "timezone",
    "alternatives",
    "ssl",
    "ca-certificates",
    "fonts",
    "mime.types",
    "matplotlibrc",
)
_EXTRA_RO = ("/sys/devices/system/cpu",)  # CPU topology, read by TensorFlow's thread pools


@dataclass(frozen=True)
class Mounts:
    """What the kernel may see: writable dirs, read-only files/dirs, and its cwd."""

    writable: Sequence[Path]
    readonly: Sequence[Path]
    workdir: Path
    devices: Sequence[Path] = ()
    """Host device nodes bound in (its GPU's, see gpus.py); the rest of /dev stays minimal."""


@functools.cache
def bwrap_problem() -> str | None:
    """None when bubblewrap can build a sandbox here; else why not (one line)."""
    if not sys.platform.startswith("linux"):
        return f"bubblewrap needs Linux (this is {sys.platform})"
    exe = shutil.which("bwrap")
    if exe is None:
        return "bubblewrap (bwrap) is not installed"
    try:
        trial = ["--ro-bind", "/", "/", "--unshare-net", "--unshare-pid", "--dev", "/dev"]
        done = subprocess.run(
            [exe, *trial, "--die-with-parent", "true"],
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap cannot start: {exc}"
    if done.returncode != 0:
        lines = done.stderr.decode(errors="replace").strip().splitlines()
        return f"bubblewrap cannot create namespaces: {lines[-1] if lines else done.returncode}"
    return None


# --- cgroups ---------------------------------------------------------------------------


@dataclass
class _Cgroup:
    """One cgroup directory this job created (v1: one per controller; v2: one)."""

    path: Path
    version: int

    def write(self, name: str, value: str) -> None:
        (self.path / name).write_text(value, encoding="ascii")

    def read(self, name: str) -> str:
        try:
            return (self.path / name).read_text(encoding="ascii")
        except OSError:
            return ""

    def counter(self, name: str, key: str) -> int:
        for line in self.read(name).splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] == key and parts[1].isdigit():
                return int(parts[1])
        return 0

    def pids(self) -> list[int]:
        return [int(p) for p in self.read("cgroup.procs").split() if p.isdigit()]

    def kill(self) -> None:
        if self.version == 2 and (self.path / "cgroup.kill").exists():
            with contextlib.suppress(OSError):
                self.write("cgroup.kill", "1")
        # v1 (and v2 without cgroup.kill): a fork bomb can add processes while we
        # kill, but the pids cap bounds it and every round removes what it saw.
        for _ in range(200):
            pids = self.pids()
            if not pids:
                return
            for pid in pids:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)

    def remove(self) -> None:
        self.kill()
        for _ in range(50):
            try:
                self.path.rmdir()
            except FileNotFoundError:
                return
            except OSError:
                self.kill()  # EBUSY: a dying process is still listed
                continue
            return


def _own_cgroup(controller: str) -> str | None:
    """This process's cgroup path for a v1 controller, or the v2 path when controller is ''."""
    try:
        lines = Path("/proc/self/cgroup").read_text(encoding="ascii").splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if controller in controllers.split(",") if controller else controllers == "":
            return path
    return None


def _make_cgroup(base: Path, own: str, name: str, version: int) -> _Cgroup | None:
    path = base / own.lstrip("/") / name
    try:
        path.mkdir()
    except OSError:
        return None
    return _Cgroup(path, version)


def _cgroups_v2(name: str, limits: Limits) -> tuple[list[_Cgroup], set[str]]:
    own = _own_cgroup("")
    if own is None or not (_CGROUP_ROOT / "cgroup.controllers").exists():
        return [], set()
    parent = _CGROUP_ROOT / own.lstrip("/")
    with contextlib.suppress(OSError):
        (parent / "cgroup.subtree_control").write_text("+memory +pids", encoding="ascii")
    group = _make_cgroup(_CGROUP_ROOT, own, name, 2)
    if group is None:
        return [], set()
    done: set[str] = set()
    with contextlib.suppress(OSError):
        group.write("memory.max", str(limits.memory_mb * MIB))
        with contextlib.suppress(OSError):
            group.write("memory.swap.max", "0")
        done.add("memory")
    with contextlib.suppress(OSError):
        group.write("pids.max", str(limits.pids))
        done.add("pids")
    if not done:
        group.remove()
        return [], set()
    return [group], done


def _cgroups_v1(name: str, limits: Limits) -> tuple[list[_Cgroup], set[str]]:
    groups: list[_Cgroup] = []
    done: set[str] = set()
    settings = {
        "memory": [
            ("memory.limit_in_bytes", str(limits.memory_mb * MIB)),
            # Without swap accounting this file is absent and the write is skipped.
            ("memory.memsw.limit_in_bytes", str(limits.memory_mb * MIB)),
        ],
        "pids": [("pids.max", str(limits.pids))],
    }
    for controller, writes in settings.items():
        own = _own_cgroup(controller)
        if own is None:
            continue
        group = _make_cgroup(_CGROUP_ROOT / controller, own, name, 1)
        if group is None:
            continue
        try:
            group.write(*writes[0])
        except OSError:
            group.remove()
            continue
        for extra in writes[1:]:
            with contextlib.suppress(OSError):
                group.write(*extra)
        groups.append(group)
        done.add(controller)
    return groups, done


# --- the sandbox -----------------------------------------------------------------------


@dataclass
class Sandbox:
    """The limits of one kernel run: how to wrap its argv, and how to end it."""

    limits: Limits
    mounts: Mounts
    protections: list[Protection] = field(default_factory=list)
    cgroups: list[_Cgroup] = field(default_factory=list)
    rlimits: dict[str, int] = field(default_factory=dict)
    bwrap: str | None = None

    def wrap(self, argv: Sequence[str]) -> list[str]:
        """The kernel argv, confined: launcher, then bubblewrap when usable."""
        if os.name != "posix":  # no rlimits, cgroups or bwrap: the argv runs as it is
            return list(argv)
        config = {
            "cgroup_procs": [str(g.path / "cgroup.procs") for g in self.cgroups],
            "rlimits": self.rlimits,
        }
        launcher = [sys.executable, "-I", "-m", "autograder.execution.confine"]
        inner = [*self._bwrap_args(), "--", *argv] if self.bwrap else list(argv)
        return [*launcher, json.dumps(config), "--", *inner]

    def _bwrap_args(self) -> list[str]:
        assert self.bwrap is not None  # noqa: S101  # callers check it; narrows the type
        args = [self.bwrap, "--die-with-parent", "--new-session", "--unshare-net"]
        args += ["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
        args += ["--hostname", "sandbox", "--cap-drop", "ALL"]
        for path in _SYSTEM_DIRS:
            if os.path.islink(path):
                args += ["--symlink", os.readlink(path), path]
            elif os.path.isdir(path):
                args += ["--ro-bind", path, path]
        for item in _ETC_ITEMS:
            args += ["--ro-bind-try", f"/etc/{item}", f"/etc/{item}"]
        for path in _EXTRA_RO:
            args += ["--ro-bind-try", path, path]
        args += ["--proc", "/proc", "--dev", "/dev"]
        for node in self.mounts.devices:  # after --dev, which would hide them
            args += ["--dev-bind", str(node), str(node)]
        args += ["--size", str(self.limits.tmp_mb * MIB), "--tmpfs", "/tmp"]  # noqa: S108  # in the sandbox
        args += ["--size", str(self.limits.shm_mb * MIB), "--tmpfs", "/dev/shm"]  # noqa: S108  # in the sandbox
        # After the tmpfs mounts: a checkout (and its .venv) under /tmp must stay visible.
        for prefix in python_roots():
            args += ["--ro-bind", prefix, prefix]
        for rw in self.mounts.writable:
            args += ["--bind", str(rw), str(rw)]
        for ro in self.mounts.readonly:
            args += ["--ro-bind", str(ro), str(ro)]
        args += ["--chdir", str(self.mounts.workdir)]
        args += ["--setenv", "HOME", "/tmp", "--setenv", "TMPDIR", "/tmp"]  # noqa: S108  # its private tmpfs
        # The kernel's parent is the namespace's init (PID 1), which ipykernel's parent
        # poller would take for "the grader died"; --die-with-parent covers that case.
        args += ["--setenv", "JPY_PARENT_PID", "1"]
        return args

    def kill(self) -> None:
        """SIGKILL everything in the job's cgroups (the process group is the runner's job)."""
        for group in self.cgroups:
            group.kill()

    def events(self) -> list[str]:
        """Limits the kernel ran into, as short phrases for the execution message."""
        found: list[str] = []
        for group in self.cgroups:
            if group.counter("memory.oom_control", "oom_kill") or group.counter(
                "memory.events", "oom_kill"
            ):
                found.append(f"memory limit of {self.limits.memory_mb} MiB reached")
            if group.counter("pids.events", "max"):
                found.append(f"process/thread limit of {self.limits.pids} reached")
        return found

    def close(self) -> None:
        """Kill what is left and remove the cgroups; safe to call twice."""
        for group in self.cgroups:
            group.remove()
        self.cgroups = []


def python_roots() -> list[str]:
    """The interpreter's prefixes (venv and base), outermost first, without nesting."""
    candidates = {
        os.path.realpath(p)
        for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix)
    }
    candidates.add(os.path.dirname(os.path.dirname(os.path.realpath(sys.executable))))
    roots: list[str] = []
    for path in sorted(candidates, key=len):
        if not any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots):
            roots.append(path)
    # A venv is a directory of symlinks into the base install: bind its own path too.
    for path in (sys.prefix, sys.exec_prefix):
        if path not in roots and not any(path.startswith(r.rstrip("/") + "/") for r in roots):
            roots.append(path)
    return roots


def open_sandbox(limits: Limits, mounts: Mounts) -> Sandbox:
    """Create the job's cgroups and decide every layer; record which are active."""
    box = Sandbox(limits=limits, mounts=mounts)
    p = box.protections
    problem = bwrap_problem() if limits.sandbox else "disabled by the grading options"
    if problem is None:
        box.bwrap = shutil.which("bwrap")
        p += [
            Protection(name="network", active=True, detail="none (bubblewrap --unshare-net)"),
            Protection(
                name="filesystem",
                active=True,
                detail="system and Python read-only; only the job's work dir writable",
            ),
            Protection(
                name="tmp",
                active=True,
                detail=f"private /tmp ({limits.tmp_mb} MiB), /dev/shm ({limits.shm_mb} MiB)",
            ),
            Protection(
                name="processes-isolated",
                active=True,
                detail="private PID namespace: orphans die with the kernel",
            ),
        ]
    else:
        p += [
            Protection(name=name, active=False, detail=problem)
            for name in ("network", "filesystem", "tmp", "processes-isolated")
        ]
    if os.name != "posix":
        gap = f"unavailable on {sys.platform}"
        p += [Protection(name=n, active=False, detail=gap) for n in ("memory", "processes")]
        return box
    name = f"autograder-{os.getpid()}-{uuid.uuid4().hex[:10]}"
    groups, controllers = _cgroups_v2(name, limits)
    version = 2
    if not groups:
        groups, controllers = _cgroups_v1(name, limits)
        version = 1
    box.cgroups = groups
    if "memory" in controllers:
        p.append(
            Protection(
                name="memory",
                active=True,
                detail=f"{limits.memory_mb} MiB (cgroup v{version})",
            )
        )
    else:
        box.rlimits["DATA"] = limits.memory_mb * MIB
        p.append(
            Protection(
                name="memory",
                active=True,
                detail=f"{limits.memory_mb} MiB data segment (RLIMIT_DATA; no writable cgroup)",
            )
        )
    if "pids" in controllers:
        p.append(
            Protection(
                name="processes",
                active=True,
                detail=f"{limits.pids} processes+threads (cgroup v{version})",
            )
        )
    else:
        box.rlimits["NPROC"] = limits.pids
        root = os.geteuid() == 0 if hasattr(os, "geteuid") else False
        p.append(
            Protection(
                name="processes",
                active=not root,
                detail="RLIMIT_NPROC, which Linux does not enforce for root"
                if root
                else f"{limits.pids} processes per user (RLIMIT_NPROC)",
            )
        )
    box.rlimits["FSIZE"] = limits.file_size_mb * MIB
    box.rlimits["CORE"] = 0
    p.append(
        Protection(
            name="file-size",
            active=True,
            detail=f"{limits.file_size_mb} MiB per file (RLIMIT_FSIZE)",
        )
    )
    return box
