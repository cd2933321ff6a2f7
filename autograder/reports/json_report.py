"""``result.json`` per submission and ``summary.json`` per class, written atomically.

Submission ids come from file names and LMS exports, i.e. from students, so they are
escaped into a single safe directory name before they touch the file system.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

from autograder.errors import AutograderError
from autograder.results import ClassSummary, GradeReport

RESULT_FILE = "result.json"
SUMMARY_FILE = "summary.json"

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

# Separators, `%` (our escape character) and what Windows forbids in a name, so that
# an output folder zipped on Linux still unpacks on a teacher's Windows laptop.
_ESCAPED = frozenset('/\\%:*?"<>|')
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)
# Leaves room for a hash suffix within the common 255-byte limit on a name.
_MAX_NAME_BYTES = 200


def safe_dirname(submission_id: str) -> str:
    """One path component for ``submission_id``: reversible %-escaping, never ``.``/``..``.

    Unicode and spaces are kept, so ``María José`` stays readable.
    """
    if not submission_id:
        raise AutograderError("a submission id must not be empty")
    chars = [_escape(c) if c in _ESCAPED or not c.isprintable() else c for c in submission_id]
    # A leading dot would hide the folder (and makes `.` and `..` impossible); Windows
    # drops trailing dots and spaces, which could merge two ids.
    if chars[0] == ".":
        chars[0] = _escape(".")
    if chars[-1] in (".", " "):
        chars[-1] = _escape(chars[-1])
    name = "".join(chars)
    if name.split(".")[0].upper() in _WINDOWS_RESERVED:
        name = _escape(name[0]) + name[1:]
    if len(name.encode("utf-8")) > _MAX_NAME_BYTES:
        digest = hashlib.sha256(submission_id.encode("utf-8")).hexdigest()[:12]
        head = name.encode("utf-8")[: _MAX_NAME_BYTES - 13].decode("utf-8", errors="ignore")
        name = f"{head}~{digest}"
    return name


def _escape(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))


def result_path(out_dir: Path, submission_id: str) -> Path:
    """Where :func:`write_result` puts the result of ``submission_id``."""
    return out_dir / safe_dirname(submission_id) / RESULT_FILE


def write_result(out_dir: Path, report: GradeReport) -> Path:
    """Write ``out_dir/<submission id>/result.json`` and return its path."""
    path = result_path(out_dir, report.submission.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Escaping keeps the name inside out_dir; a symlink planted there could still lead
    # out, so check where the folder really is.
    if path.parent.resolve().parent != out_dir.resolve():
        raise AutograderError(f"refusing to write outside {out_dir}: {path.parent} is a link")
    _write_atomic(path, report.model_dump_json(indent=2) + "\n")
    return path


def write_summary(out_dir: Path, summary: ClassSummary) -> Path:
    """Write ``out_dir/summary.json`` and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / SUMMARY_FILE
    _write_atomic(path, summary.model_dump_json(indent=2) + "\n")
    return path


def result_json_schema() -> dict[str, Any]:
    """JSON Schema of ``result.json``, for ``autograder schema result`` and CI tools."""
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        **GradeReport.model_json_schema(),
        "title": "autograder result",
    }


def summary_json_schema() -> dict[str, Any]:
    """JSON Schema of ``summary.json``."""
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        **ClassSummary.model_json_schema(),
        "title": "autograder class summary",
    }


def _write_atomic(path: Path, text: str) -> None:
    # A batch may be interrupted at any moment and resumed; a reader must see the
    # old file or the new one, never half of one.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if hasattr(os, "fchmod"):
            # mkstemp creates 0600; results are meant to be shared like any output.
            os.fchmod(fd, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so a reader sees the old file or the new one (exports)."""
    _write_atomic(path, text)
