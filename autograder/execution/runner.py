"""Run a submission in its own Jupyter kernel, cell by cell, under outside timeouts.

nbclient executes the cells; we compose it rather than subclass it.  The kernel is
driven from an asyncio loop so that a kernel that dies (``os._exit``) or ignores
SIGINT can never block the grader: every wait has a deadline, and past the deadline
the whole kernel process group gets SIGKILL.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import json
import logging
import os
import signal
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import zmq
import zmq.asyncio
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

from autograder.artifacts import MODEL_CAP, ArtifactSink
from autograder.datasets.serving import provider_settings
from autograder.environments import (
    MODULE_QUERY,
    Environment,
    default_environment,
    module_from_reply,
)
from autograder.execution.gpus import Gpu, device_nodes, kernel_gpu_env
from autograder.execution.guard import Guard
from autograder.execution.limits import Limits
from autograder.execution.outputs import CappedLog
from autograder.execution.sandbox import Mounts, Sandbox, open_sandbox
from autograder.execution.source import SubmissionSource, strip_filtered_lines
from autograder.integrity import flag, refused
from autograder.kernel import bootstrap, probe, provider
from autograder.results import CellError, ExecutionSummary, IntegrityFlag, Protection, SkippedCell
from autograder.timing import mark

KERNEL_NAME = "autograder-python"
_INTERRUPT_GRACE_S = 5.0
_PROBE_TIMEOUT_S = 180.0
_STARTUP_TIMEOUT_S = 120.0
_CHECKPOINT_TIMEOUT_S = 120.0
# zmq drops (and disconnects) any single message over this size, before the grader
# holds it: a kernel cannot make the grader buffer more than one model's payload.
_MAX_MESSAGE_BYTES = MODEL_CAP * 4 // 3 + (1 << 20)


@dataclass(frozen=True)
class RunOptions:
    """Everything that shapes one kernel run."""

    cell_timeout_s: float
    total_timeout_s: float
    model_variable: str = "model"
    seed: int = 0
    datasets: Mapping[str, Path] = field(default_factory=dict)
    """Dataset name -> .npz served to ``load_data()`` in the kernel."""
    threads: int = 0
    """Intra-op threads for TensorFlow in the kernel; 0 lets TensorFlow decide."""
    epoch_cap: int | None = None
    """At most this many epochs per fit call (``check --quick``); None: as written."""
    train_fraction: float = 1.0
    """Share of each fit's samples (arrays) or steps (datasets) trained; data stays whole."""
    provider: Mapping[str, Any] = field(default_factory=dict)
    """Extra settings for the kernel's dataset provider: dataset facts, rendered messages."""
    limits: Limits = field(default_factory=Limits)
    """Sandbox, memory, process, disk and output limits."""
    environment: Environment = field(default_factory=default_environment)
    """The Python environment: the grader's own, or a rubric's overlay on top of it."""
    gpu: Gpu | None = None
    """The GPU this kernel may use (leased by the Grader); None: CPU only."""


@dataclass(frozen=True)
class JobPaths:
    """The per-submission scratch area; only ``work`` is the student's."""

    root: Path

    @property
    def work(self) -> Path:
        return self.root / "work"

    @property
    def artifacts(self) -> Path:
        """Written by the grader alone (:class:`ArtifactSink`); never mounted in the sandbox."""
        return self.root / "artifacts"

    @property
    def log(self) -> Path:
        return self.root / "kernel.log"

    @property
    def kernelspecs(self) -> Path:
        return self.root / "kernels"

    @property
    def ipc(self) -> Path:
        """Connection file and ZeroMQ sockets (ipc transport: no network needed)."""
        return self.root / "ipc"

    def create(self) -> None:
        for path in (self.work, self.artifacts, self.ipc, self.kernelspecs / KERNEL_NAME):
            path.mkdir(parents=True, exist_ok=True)


@dataclass(frozen=True)
class ExecutionRecord:
    summary: ExecutionSummary
    artifacts_dir: Path
    log_path: Path
    outputs: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    """Outputs of each executed cell (by cell index), as the kernel produced them."""
    integrity: list[IntegrityFlag] = field(default_factory=list)
    """Tampering the runner saw on its channel, and payloads it refused."""


# The grader's environment may hold tokens and paths to grading material; the kernel
# gets only what locale and libraries need; which GPU it sees is the grader's choice.
_PASSED_ENV = {"PATH", "LANG", "LANGUAGE", "TZ", "LD_LIBRARY_PATH"}
_PASSED_ENV |= {"SYSTEMROOT", "TF_ENABLE_ONEDNN_OPTS", "KERAS_BACKEND"}


def _kernel_env(options: RunOptions) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in _PASSED_ENV or k.startswith("LC_")}
    env.update(
        {
            "PYTHONHASHSEED": str(options.seed),
            "PYTHONUNBUFFERED": "1",
            "MPLBACKEND": "Agg",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "TF_DETERMINISTIC_OPS": "1",
            "AUTOGRADER_THREADS": str(options.threads),
        }
    )
    env.update(kernel_gpu_env(options.gpu))
    if options.threads > 0:
        env["OMP_NUM_THREADS"] = str(options.threads)
    if options.environment.site is not None:
        env["PYTHONPATH"] = str(options.environment.site)
    return env


def _write_kernelspec(job: JobPaths, sandbox: Sandbox) -> KernelSpecManager:
    # Our own spec, pinned to this interpreter, so a user's python3 kernelspec
    # (another venv, extra startup files) never decides what runs the submission.
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec = {
        "argv": sandbox.wrap(argv),
        "display_name": "autograder (Python)",
        "language": "python",
        # Inside its own session and PID namespace the kernel is out of reach of the
        # process-group SIGINT; ipykernel interrupts itself on request instead.
        "interrupt_mode": "message",
    }
    (job.kernelspecs / KERNEL_NAME / "kernel.json").write_text(json.dumps(spec))
    return KernelSpecManager(kernel_dirs=[str(job.kernelspecs)])


def _kill_process_group(km: Any) -> None:
    provisioner = getattr(km, "provisioner", None)
    pgid = getattr(provisioner, "pgid", None)
    process = getattr(provisioner, "process", None)
    if pgid is None and process is not None:
        pgid = process.pid
    if pgid is None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


@contextlib.contextmanager
def _job_logger(job: JobPaths) -> Iterator[logging.Logger]:
    logger = logging.getLogger(f"autograder.kernel.{id(job)}")
    logger.propagate = False  # nbclient's chatter belongs in the job log, not the console
    handler = logging.FileHandler(job.root / "nbclient.log", encoding="utf-8")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield logger
    finally:
        logger.removeHandler(handler)
        handler.close()


async def _silent(
    client: NotebookClient,
    code: str,
    timeout: float,
    expressions: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Run grader code in the kernel without touching cell numbering or outputs."""
    # jupyter_client's dual sync/async API is typed as sync; these calls are awaitable.
    kc: Any = client.kc
    km: Any = client.km
    msg_id = kc.execute(
        code, silent=True, store_history=False, allow_stdin=False, user_expressions=expressions
    )
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        try:
            msg = await kc.get_shell_msg(timeout=min(remaining, 1.0))
        except Exception:  # noqa: BLE001  # queue.Empty from zmq: poll again until the deadline
            if not await km.is_alive():
                raise DeadKernelError("kernel died") from None
            continue
        if msg.get("parent_header", {}).get("msg_id") == msg_id:
            content: dict[str, Any] = msg.get("content", {})
            return content


async def _request(
    client: NotebookClient, code: str, timeout: float, sink: ArtifactSink
) -> dict[str, Any]:
    """Run grader code silently and hand the artifacts it publishes to ``sink``.

    Only iopub messages whose parent is this request count: a student cell cannot
    inject into it.  Returns the execute reply's content once the kernel is idle.
    """
    kc: Any = client.kc
    km: Any = client.km
    msg_id = kc.execute(code, silent=True, store_history=False, allow_stdin=False)
    deadline = time.monotonic() + timeout
    reply: dict[str, Any] | None = None
    idle = False
    while reply is None or not idle:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        if not await km.is_alive():
            raise DeadKernelError("kernel died")
        with contextlib.suppress(Exception):  # queue.Empty: poll both channels again
            msg = await kc.get_iopub_msg(timeout=min(remaining, 0.2))
            if msg.get("parent_header", {}).get("msg_id") == msg_id:
                content = msg.get("content", {})
                if msg.get("msg_type") == "display_data":
                    data = content.get("data") or {}
                    if probe.MIME in data:
                        sink.accept(data[probe.MIME])
                elif msg.get("msg_type") == "status":
                    idle = content.get("execution_state") == "idle"
            continue
        if reply is None:
            with contextlib.suppress(Exception):  # queue.Empty
                msg = await kc.get_shell_msg(timeout=0.01)
                if msg.get("parent_header", {}).get("msg_id") == msg_id:
                    reply = dict(msg.get("content", {}))
    return reply


def _strip_forged(outputs: list[Any]) -> int:
    """Remove outputs carrying the private MIME type; returns how many there were."""
    forged = [o for o in outputs if isinstance(o.get("data"), dict) and probe.MIME in o["data"]]
    if forged:
        outputs[:] = [o for o in outputs if all(o is not f for f in forged)]
    return len(forged)


def _bootstrap_code(options: RunOptions) -> str:
    config = {
        "model_cap": MODEL_CAP,
        "seed": options.seed,
        "datasets": {name: str(path) for name, path in options.datasets.items()},
        "epoch_cap": options.epoch_cap,
        "train_fraction": options.train_fraction,
        # English catalog sentences unless the caller rendered the student's language.
        **provider_settings(options.datasets, "en"),
        **options.provider,
    }
    source = Path(bootstrap.__file__).read_text(encoding="utf-8")
    exporter = Path(probe.__file__).read_text(encoding="utf-8")
    data = Path(provider.__file__).read_text(encoding="utf-8")
    # A private namespace: nothing of ours lands in the student's globals.
    return (
        f"exec(compile({source!r}, '<autograder-bootstrap>', 'exec'), "
        f"__autograder_ns := {{'__name__': '_autograder_bootstrap'}}); "
        f"exec(compile({exporter!r}, '<autograder-probe>', 'exec'), __autograder_ns); "
        f"exec(compile({data!r}, '<autograder-provider>', 'exec'), __autograder_ns); "
        f"__autograder_ns['install']({config!r}); "
        f"__autograder_ns['install_provider']({config!r}); "
        f"import sys as __s; __s.modules['_autograder_state'].install_ns = __autograder_ns; "
        f"del __autograder_ns, __s"
    )


def _probe_code(options: RunOptions) -> str:
    return (
        "import sys as __s; "
        f"__s.modules['_autograder_state'].install_ns['probe']({options.model_variable!r}); "
        "del __s"
    )


_CHECKPOINT_CODE = (
    "import sys as __s; __s.modules['_autograder_state'].install_ns['checkpoint'](); del __s"
)


def _cell_errors(index: int, excerpt: str, outputs: list[dict[str, Any]]) -> list[CellError]:
    return [
        CellError(
            cell=index,
            ename=str(out.get("ename", "Error"))[:200],
            evalue=str(out.get("evalue", ""))[:500],
            excerpt=excerpt,
        )
        for out in outputs
        if out.get("output_type") == "error"
    ]


class _Run:
    """State of one kernel run; a class only to keep the async steps readable."""

    def __init__(self, source: SubmissionSource, job: JobPaths, options: RunOptions) -> None:
        # Typed Any: jupyter_client's async manager is annotated with its sync signatures.
        self.km: Any = None
        self.source = source
        self.job = job
        self.options = options
        self.errors: list[CellError] = []
        self.outputs: dict[int, list[dict[str, Any]]] = {}
        self.timed_out = False
        self.kernel_died = False
        self.message: str | None = None
        self.integrity: list[IntegrityFlag] = []
        self.sink = ArtifactSink(job.artifacts)
        self.deadline = time.monotonic() + options.total_timeout_s
        self.sandbox = open_sandbox(
            options.limits,
            Mounts(
                writable=[job.work, job.ipc],
                readonly=sorted(set(options.datasets.values()))
                + ([options.environment.site] if options.environment.site else []),
                workdir=job.work,
                devices=device_nodes(options.gpu),
            ),
        )
        self.guard = Guard(options.limits, [job.work])

    async def _kill(self, km: Any) -> None:
        _kill_process_group(km)
        self.sandbox.kill()
        with contextlib.suppress(Exception):
            await km.shutdown_kernel(now=True)

    async def _cell(self, client: NotebookClient, position: int) -> bool:
        """Run one cell; False when the run must stop (kernel gone or time spent)."""
        cell = self.source.runnable[position]
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            self.timed_out = True
            self.message = f"total time limit of {self.options.total_timeout_s:g} s reached"
            return False
        limit = min(self.options.cell_timeout_s, remaining)
        nb_cell = client.nb.cells[position]
        task = asyncio.ensure_future(client.async_execute_cell(nb_cell, position))
        self.guard.watch(nb_cell.outputs, lambda: self._kill(self.km))
        done, _ = await asyncio.wait({task}, timeout=limit)
        timed_out = not done
        if timed_out:
            with contextlib.suppress(Exception):
                await self.km.interrupt_kernel()
            done, _ = await asyncio.wait({task}, timeout=_INTERRUPT_GRACE_S)
        which = "total" if limit < self.options.cell_timeout_s else "cell"
        if timed_out:
            self.timed_out = True
            self.errors.append(
                CellError(
                    cell=cell.index,
                    ename="Timeout",
                    evalue=f"cell exceeded the {which} time limit ({limit:.0f} s)",
                    excerpt=cell.excerpt,
                )
            )
        if not done:
            # The cell ignored the interrupt: only SIGKILL of the process group is sure.
            task.cancel()
            await self._kill(self.km)
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await task  # retrieve it, or asyncio logs "exception never retrieved"
            self.kernel_died = True
            self.message = f"cell {cell.index} ignored the interrupt; the kernel was killed"
            return False
        try:
            task.result()
        except DeadKernelError:
            self.kernel_died = True
            self.message = f"the kernel died while running cell {cell.index}"
            self.errors.append(
                CellError(
                    cell=cell.index,
                    ename="KernelDied",
                    evalue="the kernel process exited",
                    excerpt=cell.excerpt,
                )
            )
            return False
        self.guard.finish_cell(nb_cell.outputs)
        forged = _strip_forged(nb_cell.outputs)
        if forged:
            self.integrity.append(flag("forged_channel", cell=cell.index, messages=forged))
        outputs = [dict(o) for o in nb_cell.get("outputs", [])]
        self.outputs[cell.index] = outputs
        if not timed_out:
            errors = _cell_errors(cell.index, cell.excerpt, outputs)
            if any(e.ename == "ModuleNotFoundError" for e in errors):
                errors = await self._name_missing_module(client, errors)
            self.errors.extend(errors)
        return which == "cell" or not timed_out

    async def _name_missing_module(
        self, client: NotebookClient, errors: list[CellError]
    ) -> list[CellError]:
        """Ask the kernel which module the import missed (the exception's ``name``)."""
        try:
            reply = await _silent(client, "", 10.0, {"module": MODULE_QUERY})
        except (TimeoutError, DeadKernelError):
            return errors
        module = module_from_reply(reply)
        return [
            e.model_copy(update={"module": module}) if e.ename == "ModuleNotFoundError" else e
            for e in errors
        ]

    async def run(self) -> ExecutionRecord:
        try:
            return await self._run()
        finally:
            self.sandbox.close()

    async def _run(self) -> ExecutionRecord:
        self.job.create()
        ksm = _write_kernelspec(self.job, self.sandbox)
        context = zmq.asyncio.Context()
        context.setsockopt(zmq.MAXMSGSIZE, _MAX_MESSAGE_BYTES)
        km = self.km = AsyncKernelManager(
            context=context,
            kernel_name=KERNEL_NAME,
            kernel_spec_manager=ksm,
            # ipc: sockets in the job dir, so the kernel needs no network (Windows: tcp).
            transport="ipc" if os.name == "posix" else "tcp",
            ip=str(self.job.ipc / "k") if os.name == "posix" else "127.0.0.1",
            connection_file=str(self.job.ipc / "connection.json"),
        )
        nb = nbformat.v4.new_notebook()
        nb.cells = [
            nbformat.v4.new_code_cell(strip_filtered_lines(c.source)) for c in self.source.runnable
        ]
        started = time.monotonic()
        log = CappedLog(self.job.log, self.options.limits.log_kb * 1024)
        with _job_logger(self.job) as logger:
            client = NotebookClient(
                nb,
                km=km,
                timeout=None,  # we enforce deadlines from outside, with SIGKILL if needed
                allow_errors=True,
                startup_timeout=int(_STARTUP_TIMEOUT_S),
                resources={"metadata": {"path": str(self.job.work)}},
                log=logger,
            )
            try:
                mark("kernel.start")
                async with client.async_setup_kernel(
                    env=_kernel_env(self.options), stdout=log.write_fd, stderr=log.write_fd
                ):
                    log.close_writer()
                    mark("kernel.ready")
                    guard = asyncio.ensure_future(self.guard.run())
                    try:
                        await self._drive(client)
                    finally:
                        guard.cancel()
                        with contextlib.suppress(asyncio.CancelledError):
                            await guard
            except Exception as exc:  # noqa: BLE001  # kernel start failure; nbclient raises assorted types
                self.kernel_died = True
                self.message = self.message or f"could not run the kernel: {exc}"
            finally:
                await self._kill(km)
                with contextlib.suppress(Exception):
                    await km.cleanup_resources()
                if client.kc is not None:
                    client.kc.stop_channels()
                # nbclient leaves its atexit hook behind when the kernel fails to start,
                # and at exit that hook prints a traceback; the kernel is already gone.
                atexit.unregister(client._cleanup_kernel)
                # Kill, not close: the cgroups' counters say which limit was hit.
                self.sandbox.kill()
                log.join(timeout=5.0)
                context.destroy(linger=0)
        self._explain_limits()
        summary = ExecutionSummary(
            duration_s=round(time.monotonic() - started, 3),
            errors=self.errors,
            timed_out=self.timed_out,
            kernel_died=self.kernel_died,
            skipped_cells=[SkippedCell(cell=i, reason=r) for i, r in self.source.skipped],
            message=self.message,
            protections=self._protections(),
            environment=self.options.environment.info,
        )
        integrity = self.integrity + refused(self.sink.problems)
        return ExecutionRecord(summary, self.job.artifacts, self.job.log, self.outputs, integrity)

    def _explain_limits(self) -> None:
        """Name the limit behind a killed kernel, so the report says more than 'died'."""
        reasons = self.sandbox.events() + self.guard.events()
        if reasons:
            why = "; ".join(reasons)
            self.message = f"{self.message} ({why})" if self.message else why.capitalize()

    def _protections(self) -> list[Protection]:
        limits = self.options.limits
        return [
            *self.sandbox.protections,
            Protection(
                name="timeouts",
                active=True,
                detail=f"cell {self.options.cell_timeout_s:g} s, total "
                f"{self.options.total_timeout_s:g} s; SIGKILL of the process group"
                + (" and cgroup" if self.sandbox.cgroups else ""),
            ),
            Protection(
                name="disk",
                active=True,
                detail=f"{limits.disk_mb} MiB in the job dir (polled; the kernel dies past it)",
            ),
            Protection(
                name="output",
                active=True,
                detail=f"{limits.cell_output_kb} KiB per cell, {limits.notebook_output_kb} KiB "
                f"per notebook, {limits.log_kb} KiB of kernel log",
            ),
        ]

    async def _drive(self, client: NotebookClient) -> None:
        try:
            reply = await _silent(client, _bootstrap_code(self.options), 300.0)
        except (TimeoutError, DeadKernelError):
            self.kernel_died = True
            self.message = "the grading bootstrap did not finish in the kernel"
            return
        if reply.get("status") != "ok":
            self.message = (
                f"grading bootstrap failed in the kernel: {reply.get('ename')}: "
                f"{reply.get('evalue')}"
            )
            self.kernel_died = True
            return
        mark("bootstrap.done")
        for position in range(len(self.source.runnable)):
            if not await self._cell(client, position) or not await self._export(
                client, _CHECKPOINT_CODE, _CHECKPOINT_TIMEOUT_S
            ):
                break
        mark("cells.done")
        if self.kernel_died or not await self.km.is_alive():
            return
        if not await self._export(client, _probe_code(self.options), _PROBE_TIMEOUT_S):
            self.message = self.message or "exporting the models after the last cell failed"
        mark("probe.done")

    async def _export(self, client: NotebookClient, code: str, timeout: float) -> bool:
        """Run a probe request; False when the kernel did not answer in time."""
        try:
            reply = await _request(client, code, timeout, self.sink)
        except (TimeoutError, DeadKernelError):
            self.integrity.append(flag("export_failed", reason="no answer in time"))
            return False
        if reply.get("status") != "ok":
            self.integrity.append(flag("export_failed", ename=str(reply.get("ename", ""))[:100]))
        return True


def run_source(source: SubmissionSource, job: JobPaths, options: RunOptions) -> ExecutionRecord:
    """Execute a submission in a fresh kernel; never raises for student behaviour."""
    return asyncio.run(_Run(source, job, options).run())
