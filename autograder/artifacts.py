"""What the kernel hands back: the artifact manifest, read as untrusted data.

The kernel side (:mod:`autograder.kernel.bootstrap`) writes ``manifest.json`` and one
``.keras`` file per model into the artifacts dir.  Everything is validated here; a
missing or garbled manifest simply means nothing was captured.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

MANIFEST = "manifest.json"
CallKind = Literal["compile", "fit", "evaluate", "predict"]


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


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
        if self.directory is None or model.file is None:
            return None
        path = self.directory / Path(model.file).name  # never follow a path from the kernel
        return path if path.is_file() else None


def read_artifacts(directory: Path) -> Artifacts:
    """Read the manifest; a missing or malformed one yields empty artifacts."""
    try:
        raw: Any = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        parsed = Artifacts.model_validate(raw)
    except (OSError, ValueError, ValidationError):
        return Artifacts(directory=directory)
    return parsed.model_copy(update={"directory": directory})
