"""Which GPUs the kernels get: probing the machine, ``--gpus``, and one lease per kernel.

The grader never imports TensorFlow to find GPUs (that costs seconds and grabs
device memory); :func:`probe_gpus` reads ``nvidia-smi``'s CSV, or the driver's
``/proc/driver/nvidia/gpus`` when the tool is absent.  Entry points take a
:data:`GpuProbe` (``Backends.gpus``), so tests hand in a fixed list of GPUs the
way httpx tests hand a client a transport.

Each kernel leases one GPU from a :class:`GpuPool` for the length of its run: the
least busy one, so ``--jobs`` up to the GPU count gives every kernel its own GPU,
and more kernels share them evenly (memory growth makes sharing possible).  A
kernel sees its GPU by UUID in ``CUDA_VISIBLE_DEVICES`` (stable however CUDA
numbers the devices it can open) and, under bubblewrap, only that GPU's device
node; a kernel without a GPU gets ``CUDA_VISIBLE_DEVICES=-1``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from autograder.errors import GpuError
from autograder.i18n import text

GpuChoice = Literal["auto", "none"] | tuple[int, ...]
"""``--gpus``: every GPU found, none, or these indices (nvidia-smi's numbering)."""

_SMI_QUERY = "--query-gpu=index,uuid,name,memory.total,pci.bus_id"
_SMI_TIMEOUT_S = 20.0
_MAX_PROBE_BYTES = 64 * 1024
_PROC_GPUS = Path("/proc/driver/nvidia/gpus")
_NAME_CHARS = re.compile(r"[^A-Za-z0-9 ._()+-]")
# Shared by every CUDA process; the per-GPU node is /dev/nvidia<minor>.
_COMMON_NODES = ("nvidiactl", "nvidia-uvm", "nvidia-uvm-tools")


@dataclass(frozen=True)
class Gpu:
    """One GPU of this machine, as the driver names it."""

    index: int
    """nvidia-smi's index (PCI bus order); what ``--gpus 0,1`` refers to."""
    name: str
    uuid: str | None = None
    memory_mb: int | None = None
    minor: int | None = None
    """Minor number of its device node ``/dev/nvidia<minor>``; None: same as index."""

    @property
    def label(self) -> str:
        """The result's device field, e.g. ``gpu:0 (NVIDIA H200)``."""
        return f"gpu:{self.index} ({self.name})" if self.name else f"gpu:{self.index}"

    @property
    def visible_devices(self) -> str:
        return self.uuid or str(self.index)


GpuProbe = Callable[[], tuple[Gpu, ...]]
"""The GPUs this grader may hand to kernels (:func:`probe_gpus`, or a test's list)."""

CPU_LABEL = "cpu"


def no_gpus() -> tuple[Gpu, ...]:
    """A probe for machines (and tests) that must not use a GPU."""
    return ()


def _clean_name(raw: str) -> str:
    return _NAME_CHARS.sub("", raw).strip()[:64]


def _int_or_none(raw: str) -> int | None:
    raw = raw.strip()
    return int(raw) if raw.isdigit() else None


def parse_smi_csv(output: str) -> tuple[Gpu, ...]:
    """GPUs from ``nvidia-smi --query-gpu=index,uuid,name,memory.total,pci.bus_id``.

    Lines that do not parse are skipped: a wrong GPU list is worse than a short one.
    """
    found: list[Gpu] = []
    for line in output.splitlines():
        index, sep, rest = line.partition(",")
        parts = rest.rsplit(",", 2) if sep else []
        if _int_or_none(index) is None or len(parts) != 3:
            continue
        uuid_name, memory, bus = parts
        uuid, _, name = uuid_name.strip().partition(",")
        found.append(
            Gpu(
                index=int(index),
                name=_clean_name(name),
                uuid=uuid.strip()[:80] or None,
                memory_mb=_int_or_none(memory.replace("MiB", "")),
                minor=_proc_minor(bus.strip()),
            )
        )
    return tuple(found)


def _proc_info(directory: Path) -> dict[str, str]:
    """``Key: value`` lines of one ``/proc/driver/nvidia/gpus/<bus>/information``."""
    try:
        with (directory / "information").open(encoding="ascii", errors="replace") as fh:
            raw = fh.read(_MAX_PROBE_BYTES)
    except OSError:
        return {}
    pairs = (line.partition(":") for line in raw.splitlines())
    return {key.strip(): value.strip() for key, sep, value in pairs if sep}


def _proc_minor(bus_id: str, root: Path = _PROC_GPUS) -> int | None:
    # nvidia-smi writes the PCI domain with 8 digits, the driver's directory with 4.
    domain, sep, rest = bus_id.lower().partition(":")
    if not sep:
        return None
    return _int_or_none(_proc_info(root / f"{domain[-4:]}:{rest}").get("Device Minor", ""))


def parse_proc_gpus(root: Path = _PROC_GPUS) -> tuple[Gpu, ...]:
    """GPUs from the driver's proc files; their PCI order is nvidia-smi's index."""
    try:
        buses = sorted(p.name for p in root.iterdir())
    except OSError:
        return ()
    found: list[Gpu] = []
    for index, bus in enumerate(buses):
        info = _proc_info(root / bus)
        found.append(
            Gpu(
                index=index,
                name=_clean_name(info.get("Model", "")),
                uuid=info.get("GPU UUID", "")[:80] or None,
                minor=_int_or_none(info.get("Device Minor", "")),
            )
        )
    return tuple(found)


def visible(gpus: Sequence[Gpu], setting: str | None) -> tuple[Gpu, ...]:
    """The GPUs the grader's own ``CUDA_VISIBLE_DEVICES`` leaves it, in that order.

    As CUDA reads it: indices or UUIDs, comma-separated; the list ends at the
    first entry that names no GPU (so ``-1`` or an empty value leave none).
    """
    if setting is None:
        return tuple(gpus)
    kept: list[Gpu] = []
    for token in (t.strip() for t in setting.split(",")):
        match = [g for g in gpus if token in (str(g.index), g.uuid)]
        if not match:
            break
        kept.extend(g for g in match if g not in kept)
    return tuple(kept)


def _run_smi(exe: str) -> str:
    """nvidia-smi's CSV, at most 64 KiB of it, within a time limit; '' when it fails."""
    with tempfile.TemporaryFile() as out:
        try:
            subprocess.run(
                [exe, _SMI_QUERY, "--format=csv,noheader,nounits"],
                stdout=out,
                stderr=subprocess.DEVNULL,
                timeout=_SMI_TIMEOUT_S,
                check=True,
            )
        except (OSError, subprocess.SubprocessError):
            return ""
        out.seek(0)
        return out.read(_MAX_PROBE_BYTES).decode("utf-8", errors="replace")


def probe_gpus() -> tuple[Gpu, ...]:
    """This machine's GPUs that the grader's environment lets it use; () when none."""
    exe = shutil.which("nvidia-smi")
    found = parse_smi_csv(_run_smi(exe)) if exe else ()
    if not found:
        found = parse_proc_gpus()
    return visible(found, os.environ.get("CUDA_VISIBLE_DEVICES"))


# --- --gpus and the pool ----------------------------------------------------------------


def parse_gpus(value: str) -> GpuChoice:
    """``auto``, ``none`` or ``0,1``; raises GpuError with the catalog's sentence."""
    word = value.strip().lower()
    if word in ("auto", "none"):
        return "auto" if word == "auto" else "none"
    tokens = [t.strip() for t in word.split(",")]
    if not tokens or not all(t.isdigit() for t in tokens):
        raise GpuError(text("gpus.bad_value", "en", value=value), "gpus.bad_value", value=value)
    return tuple(dict.fromkeys(int(t) for t in tokens))


def _described(gpus: Sequence[Gpu]) -> str:
    return ", ".join(str(g.index) for g in gpus) or "-"


def resolve_gpus(choice: GpuChoice, probe: GpuProbe) -> tuple[Gpu, ...]:
    """The GPUs kernels may use; raises GpuError when ``choice`` names one not found."""
    if choice == "none":
        return ()
    found = probe()
    if choice == "auto":
        return found
    by_index = {g.index: g for g in found}
    for index in choice:
        if index not in by_index:
            args = {"index": index, "found": _described(found)}
            raise GpuError(text("gpus.missing", "en", **args), "gpus.missing", **args)
    return tuple(by_index[i] for i in choice)


def default_kernels(cpu_default: int, gpus: Sequence[Gpu]) -> int:
    """Kernels at once when ``--jobs`` is not given: one per GPU, else the CPU's rule."""
    return min(cpu_default, len(gpus)) if gpus else cpu_default


class GpuPool:
    """Hands each running kernel the least busy GPU (ties: the first listed)."""

    def __init__(self, gpus: Sequence[Gpu] = ()) -> None:
        self.gpus = tuple(gpus)
        self._busy = [0] * len(self.gpus)
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def lease(self) -> Iterator[Gpu | None]:
        if not self.gpus:
            yield None
            return
        with self._lock:
            slot = min(range(len(self.gpus)), key=lambda i: (self._busy[i], i))
            self._busy[slot] += 1
        try:
            yield self.gpus[slot]
        finally:
            with self._lock:
                self._busy[slot] -= 1


def device_label(gpu: Gpu | None) -> str:
    return gpu.label if gpu is not None else CPU_LABEL


def kernel_gpu_env(gpu: Gpu | None) -> dict[str, str]:
    """What a kernel's environment says about GPUs: its own, or none at all."""
    env = {"TF_FORCE_GPU_ALLOW_GROWTH": "true", "CUDA_DEVICE_ORDER": "PCI_BUS_ID"}
    # -1, not unset: an unset variable would let TensorFlow take every GPU.
    env["CUDA_VISIBLE_DEVICES"] = gpu.visible_devices if gpu is not None else "-1"
    return env


def cpu_only_env(environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` for a process that must never touch a GPU (the evaluator)."""
    return {**environ, "CUDA_VISIBLE_DEVICES": "-1"}


def device_nodes(gpu: Gpu | None, dev: Path = Path("/dev")) -> list[Path]:
    """The device nodes a sandboxed kernel needs for ``gpu``: those that exist; none without."""
    if gpu is None:
        return []
    minor = gpu.index if gpu.minor is None else gpu.minor
    names = (f"nvidia{minor}", *_COMMON_NODES)
    return [dev / name for name in names if (dev / name).exists()]
