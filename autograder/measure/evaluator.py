"""Measure models in separate, long-lived evaluator processes with their own limits.

Loading a student's ``.keras`` file is the last place untrusted bytes meet the
grader: a crafted file could crash Keras, eat all memory or take forever.  So
:func:`autograder.measure.keras_model.measure_model` runs in a worker process, started
once (importing TensorFlow costs seconds), reused for every model, and restarted after
it crashes or overruns its time limit.  The worker loads the grader's data itself with
:func:`autograder.measure.data.grader_splits` (built-in and rubric-declared datasets
alike) and answers one JSON line per request on a private file descriptor: nothing
that Keras or TensorFlow print can be mistaken for an answer.

:class:`EvaluatorPool` keeps one worker per concurrent submission, so one student's
slow model delays only that student; a request's time limit starts when a worker
takes it, never while it waits for one.

Run as ``python -I -m autograder.measure.evaluator CONFIG_JSON FD`` by :class:`Evaluator`.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from autograder.datasets.base import DataOptions
from autograder.errors import EvaluationError
from autograder.execution.gpus import cpu_only_env
from autograder.execution.limits import MIB, Limits
from autograder.measure import Budget, Holdout
from autograder.measure.facts import ModelMeasurements
from autograder.measure.keras_model import validation_start
from autograder.results import Protection
from autograder.rubric.models import DatasetSpec
from autograder.timing import mark

_STARTUP_TIMEOUT_S = 600.0
_MAX_REPLY_BYTES = 16 * MIB


class EvaluatorConfig(BaseModel):
    """What the worker needs to rebuild the grader's data on its own."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    dataset: DatasetSpec = Field(description="The rubric's dataset block (incl. preprocessing).")
    data: DataOptions = Field(description="Source and fraction, as for the batch.")


class Evaluator:
    """A worker process that measures models; one per batch, restarted when it fails."""

    def __init__(self, config: EvaluatorConfig, limits: Limits, log: Path | None = None) -> None:
        self.config = config
        self.limits = limits
        self.log = log
        self.restarts = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._reply_fd = -1
        self._buffer = b""
        # Batch workers are threads sharing one evaluator: one request at a time.
        self._lock = threading.Lock()

    def __enter__(self) -> Evaluator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- lifecycle -----------------------------------------------------------------

    def _start(self) -> None:
        mark("evaluator.start")
        read_fd, write_fd = os.pipe()
        confine = {"rlimits": {"DATA": self.limits.evaluation_memory_mb * MIB, "CORE": 0}}
        argv = [sys.executable, "-I", "-m", "autograder.execution.confine", json.dumps(confine)]
        argv += ["--", sys.executable, "-I", "-m", "autograder.measure.evaluator"]
        argv += [self.config.model_dump_json(), str(write_fd)]
        sink = self.log.open("ab") if self.log is not None else subprocess.DEVNULL
        try:
            self._proc = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=sink,
                stderr=sink,
                pass_fds=(write_fd,),
                # Always CPU: the numbers that earn points must not depend on the machine's
                # GPU, and TensorFlow would otherwise reserve every GPU the kernels use.
                env=cpu_only_env(os.environ),
                start_new_session=True,  # its own process group: one killpg ends it all
            )
        finally:
            os.close(write_fd)
            if not isinstance(sink, int):
                sink.close()
        self._reply_fd = read_fd
        self._buffer = b""
        reply = self._read(_STARTUP_TIMEOUT_S, "starting")
        if reply.get("ready") is not True:
            self._kill()
            raise EvaluationError(f"the evaluator could not start: {reply.get('error')}")
        mark("evaluator.ready")

    def _kill(self) -> None:
        if self._proc is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._proc.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._proc.wait(timeout=10)
            if self._proc.stdin is not None:
                with contextlib.suppress(OSError):  # a dead reader: the pipe is broken
                    self._proc.stdin.close()
            self._proc = None
        if self._reply_fd >= 0:
            os.close(self._reply_fd)
            self._reply_fd = -1

    def close(self) -> None:
        """Stop the worker (SIGKILL: it holds no state worth a clean exit)."""
        self._kill()

    # --- requests --------------------------------------------------------------------

    def _read(self, timeout: float, doing: str) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._kill()
                self.restarts += 1
                raise EvaluationError(
                    f"the evaluator took longer than {timeout:g} s {doing}; it was killed"
                )
            ready, _, _ = select.select([self._reply_fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self._reply_fd, 65536)
            if not chunk or len(self._buffer) > _MAX_REPLY_BYTES:
                code = self._proc.poll() if self._proc is not None else None
                self._kill()
                self.restarts += 1
                how = f"signal {-code}" if code is not None and code < 0 else f"code {code}"
                raise EvaluationError(f"the evaluator crashed {doing} (exit {how})")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        reply: dict[str, Any] = json.loads(line)
        return reply

    @property
    def protection(self) -> Protection:
        return _protection(self.limits)

    @property
    def ready(self) -> bool:
        """Whether a started worker is waiting for requests (no start cost left)."""
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> None:
        """Start the worker now (TensorFlow's import costs seconds); errors wait for use."""
        with self._lock:
            if self._proc is None:
                with contextlib.suppress(EvaluationError):
                    self._start()

    def measure(
        self,
        path: Path,
        key: str,
        *,
        holdout: Holdout | None = None,
        budget: Budget | None = None,
    ) -> ModelMeasurements:
        """Measure one exported model; raises EvaluationError (the worker survives or restarts)."""
        with self._lock:
            # Timed from here: the wait for the lock is another submission's time.
            timeout_s = budget.require() if budget is not None else None
            started = time.monotonic()
            try:
                return self._measure(path, key, holdout, timeout_s)
            finally:
                if budget is not None:
                    budget.spend(time.monotonic() - started)

    def _measure(
        self, path: Path, key: str, holdout: Holdout | None, timeout_s: float | None
    ) -> ModelMeasurements:
        if self._proc is None:
            self._start()
        assert self._proc is not None  # noqa: S101  # set by _start(); narrows the type
        assert self._proc.stdin is not None  # noqa: S101  # started with stdin=PIPE
        try:
            request = {
                "path": str(path),
                "key": key,
                "holdout": holdout.model_dump() if holdout is not None else None,
            }
            self._proc.stdin.write(json.dumps(request).encode() + b"\n")
            self._proc.stdin.flush()
        except OSError as exc:  # the worker died between requests
            self._kill()
            self.restarts += 1
            raise EvaluationError(f"the evaluator was not running ({exc})") from exc
        limit = self.limits.evaluation_timeout_s
        if timeout_s is not None:
            limit = min(limit, max(timeout_s, 0.001))
        reply = self._read(limit, f"measuring {path.name}")
        if "error" in reply:
            raise EvaluationError(str(reply["error"]))
        return ModelMeasurements.model_validate(reply["measured"])


def _protection(limits: Limits) -> Protection:
    return Protection(
        name="evaluator",
        active=True,
        detail=f"models loaded (safe_mode) in a separate process: "
        f"{limits.evaluation_memory_mb} MiB, {limits.evaluation_timeout_s:g} s per model",
    )


class EvaluatorPool:
    """Up to ``size`` evaluator processes, each started on first use, shared by threads.

    A request waits for an idle worker, then gets the worker's full time limit (or the
    caller's remaining budget): one submission's slow model never eats another's time.
    """

    def __init__(
        self, config: EvaluatorConfig, limits: Limits, size: int = 1, log: Path | None = None
    ) -> None:
        if size < 1:
            raise ValueError("an evaluator pool needs at least one worker")
        self.limits = limits
        self._config = config
        self._log = log
        self._all: list[Evaluator] = []
        self._idle: queue.Queue[Evaluator] = queue.Queue()
        self.grow(size)

    @property
    def size(self) -> int:
        return len(self._all)

    def grow(self, size: int) -> list[Evaluator]:
        """Add workers until there are ``size``; returns the new ones (not yet started).

        A batch that trained its reference first reuses the reference's worker, with
        TensorFlow already loaded, and adds one per extra kernel.
        """
        added = [Evaluator(self._config, self.limits, self._log) for _ in range(size - self.size)]
        self._all.extend(added)
        for worker in added:
            self._idle.put(worker)
        return added

    @property
    def protection(self) -> Protection:
        return _protection(self.limits)

    def warm_up(self, workers: list[Evaluator] | None = None) -> list[threading.Thread]:
        """Start the workers (default: all) in the background, e.g. while the kernels run
        the notebooks.

        Each start imports TensorFlow and loads the data (seconds): begun now, it
        overlaps the kernels' own start instead of following the first notebook.
        """
        threads = [
            threading.Thread(target=worker.start, daemon=True, name=f"evaluator-start-{i}")
            for i, worker in enumerate(self._all if workers is None else workers)
        ]
        for thread in threads:
            thread.start()
        return threads

    @property
    def restarts(self) -> int:
        return sum(worker.restarts for worker in self._all)

    @property
    def ready(self) -> int:
        """How many workers are started and waiting."""
        return sum(worker.ready for worker in self._all)

    def measure(
        self,
        path: Path,
        key: str,
        *,
        holdout: Holdout | None = None,
        budget: Budget | None = None,
    ) -> ModelMeasurements:
        worker = self._idle.get()
        try:
            return worker.measure(path, key, holdout=holdout, budget=budget)
        finally:
            self._idle.put(worker)

    def close(self) -> None:
        for worker in self._all:
            worker.close()

    def __enter__(self) -> EvaluatorPool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


# --- the worker side -----------------------------------------------------------------


def serve(raw_config: str, reply_fd: int) -> None:
    """Answer one JSON line on ``reply_fd`` per request line on stdin."""
    # Library chatter on fd 1 must never be mixed with answers: those use reply_fd.
    os.dup2(2, 1)
    replies = os.fdopen(reply_fd, "wb", buffering=0)

    def answer(payload: dict[str, Any]) -> None:
        replies.write(json.dumps(payload).encode() + b"\n")

    try:
        from autograder.datasets import canaries  # noqa: PLC0415
        from autograder.measure.data import grader_splits  # noqa: PLC0415  # after fd 1 moved
        from autograder.measure.keras_model import measure_model  # noqa: PLC0415

        config = EvaluatorConfig.model_validate_json(raw_config)
        splits = grader_splits(config.dataset, config.data)
        planted = canaries.for_spec(config.dataset)
        import tensorflow as tf  # noqa: PLC0415  # start-up cost paid before "ready"

        tf.get_logger().setLevel("ERROR")
    except Exception as exc:  # noqa: BLE001  # reported to the grader, which names it in its error
        answer({"ready": False, "error": f"{type(exc).__name__}: {exc}"})
        return
    answer({"ready": True})
    for line in sys.stdin.buffer:
        request = json.loads(line)
        try:
            holdout = request.get("holdout")
            measured = measure_model(
                Path(request["path"]),
                str(request["key"]),
                splits,
                config.dataset.preprocessing,
                val_from=validation_start(
                    Holdout.model_validate(holdout) if holdout else None, len(splits.x_train)
                ),
                planted=planted,
            )
        except EvaluationError as exc:
            answer({"error": str(exc)})
        except Exception as exc:  # noqa: BLE001  # untrusted file: any failure is a message, not a crash
            answer({"error": f"{Path(request['path']).name}: {type(exc).__name__}: {exc}"})
        else:
            answer({"measured": measured.model_dump(mode="json")})


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]))
