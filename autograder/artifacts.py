"""What the kernel hands back: model bytes and a manifest, both untrusted data.

The kernel side (:mod:`autograder.kernel.probe`) publishes them over the Jupyter
channel; the runner passes each payload of its own requests to an
:class:`ArtifactSink`, which validates it and writes the files itself, into a dir
the kernel cannot see: regular files only, never through a link, with size caps per
model and in total.  Reading them back is bounded too.  A missing or garbled
manifest simply means nothing was captured.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import os
import re
import stat
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

MANIFEST = "manifest.json"
MIB = 1024 * 1024
MODEL_CAP = 64 * MIB
"""Largest .keras file accepted from a kernel."""
TOTAL_CAP = 256 * MIB
"""Largest sum of the models kept for one submission."""
MANIFEST_CAP = 8 * MIB
_KEY = re.compile(r"m[0-9]{1,5}")
# A multi-file submission's pooled exports, named by the grader: "<file index>-m<N>.keras".
POOLED_FILE = re.compile(r"[0-9]{1,3}-m[0-9]{1,5}\.keras")
CallKind = Literal["compile", "fit", "evaluate", "predict"]


class _Data(BaseModel):
    # NaN in a recorded history must survive the grader's own round trip.
    model_config = ConfigDict(frozen=True, extra="ignore", ser_json_inf_nan="constants")


class ExportedModel(_Data):
    key: str = Field(description="Stable id given by the kernel, e.g. m0.")
    file: str | None = Field(default=None, description="File name of the .keras export.")
    class_name: str = ""
    variables: list[str] = Field(default_factory=list, description="Globals bound to it.")
    compiled: bool = False
    fitted: bool = False
    save_error: str | None = None
    copy_of: str | None = Field(
        default=None,
        description="Key of the model that saved the file this one was loaded from "
        "(kernel-recorded; the grader verifies it by the weights before using it).",
    )


class RecordedCall(_Data):
    kind: CallKind
    model: str = Field(description="ExportedModel.key of the receiving model.")
    args: dict[str, Any] = Field(default_factory=dict, description="JSON-safe summary.")
    duration_s: float | None = None
    epochs_run: int | None = None
    history: dict[str, list[float]] = Field(default_factory=dict)
    error: str | None = None


class Artifacts(_Data):
    models: list[ExportedModel] = Field(default_factory=list)
    calls: list[RecordedCall] = Field(default_factory=list)
    directory: Path | None = None

    def calls_for(self, key: str, kind: CallKind) -> list[RecordedCall]:
        return [c for c in self.calls if c.model == key and c.kind == kind]

    def history(self, key: str) -> dict[str, list[float]]:
        """The model's per-epoch history across all its fit calls, in order."""
        merged: dict[str, list[float]] = {}
        for call in self.calls_for(key, "fit"):
            for name, values in call.history.items():
                merged.setdefault(name, []).extend(values)
        return merged

    def model_path(self, model: ExportedModel) -> Path | None:
        """The grader-written file of ``model``; the kernel's file name is never used."""
        if self.directory is None:
            return None
        if _KEY.fullmatch(model.key):
            path = self.directory / f"{model.key}.keras"
        elif model.file is not None and POOLED_FILE.fullmatch(model.file):
            path = self.directory / model.file
        else:
            return None
        with contextlib.suppress(OSError):
            if stat.S_ISREG(path.lstat().st_mode):
                return path
        return None


def read_bounded(path: Path, cap: int) -> bytes | None:
    """A regular file's bytes, never through a link and never more than ``cap``."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > cap:
            return None
        data = fh.read(cap + 1)
    return data if len(data) <= cap else None


def read_artifacts(directory: Path) -> Artifacts:
    """Read the manifest; a missing, oversized or malformed one yields empty artifacts."""
    data = read_bounded(directory / MANIFEST, MANIFEST_CAP)
    if data is None:
        return Artifacts(directory=directory)
    try:
        parsed = Artifacts.model_validate(json.loads(data))
    except (ValueError, ValidationError):
        return Artifacts(directory=directory)
    return parsed.model_copy(update={"directory": directory})


def _write_new(path: Path, data: bytes) -> None:
    """Write ``data`` to a fresh regular file and move it over ``path``."""
    partial = path.with_name(path.name + ".partial")
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(partial, flags, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(partial, path)


class ArtifactSink:
    """Validates the kernel's payloads and writes the artifact files, grader-side only."""

    def __init__(
        self, directory: Path, model_cap: int = MODEL_CAP, total_cap: int = TOTAL_CAP
    ) -> None:
        self.directory = directory
        self.model_cap = model_cap
        self.total_cap = total_cap
        self.sizes: dict[str, int] = {}
        self.problems: list[str] = []
        """What was refused, in plain words (the runner turns them into integrity flags)."""

    def accept(self, text: object) -> None:
        """Take one payload published by the runner's probe request."""
        if not isinstance(text, str) or len(text) > self.model_cap * 2:
            self.problems.append("a payload was not text or too large")
            return
        try:
            payload: Any = json.loads(text)
        except ValueError:
            self.problems.append("a payload was not valid JSON")
            return
        kind = payload.get("kind") if isinstance(payload, dict) else None
        if kind == "model":
            self._model(payload)
        elif kind == "manifest":
            self._manifest(payload)
        else:
            self.problems.append("a payload of unknown kind")

    def _model(self, payload: dict[str, Any]) -> None:
        key, encoded = payload.get("key"), payload.get("data")
        if not isinstance(key, str) or not _KEY.fullmatch(key) or not isinstance(encoded, str):
            self.problems.append("a model payload without a valid key")
            return
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            self.problems.append(f"model {key}: not base64")
            return
        total = sum(size for k, size in self.sizes.items() if k != key) + len(data)
        if len(data) > self.model_cap or total > self.total_cap:
            self.problems.append(f"model {key}: {len(data)} bytes is over the size cap")
            return
        _write_new(self.directory / f"{key}.keras", data)
        self.sizes[key] = len(data)

    def _manifest(self, payload: dict[str, Any]) -> None:
        try:
            parsed = Artifacts.model_validate(payload)
        except ValidationError:
            self.problems.append("the manifest did not validate")
            return
        data = parsed.model_dump_json(exclude={"directory"}).encode()
        if len(data) > MANIFEST_CAP:
            self.problems.append("the manifest is over the size cap")
            return
        _write_new(self.directory / MANIFEST, data)
