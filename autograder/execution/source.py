"""Read a submitted notebook or script into cells, and decide which cells run.

Malformed input raises :class:`InvalidSubmissionError` with one line that names the
file and the problem; nothing here executes student code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import nbformat

from autograder.errors import InvalidSubmissionError

SKIP_TAG = "skip-grading"
_CELL_MARKER = re.compile(r"^# ?%%")
_SHELL = re.compile(r"^\s*!")
_INSTALL_MAGIC = re.compile(r"^\s*%{1,2}(pip|conda|mamba)\b")


@dataclass(frozen=True)
class SourceCell:
    index: int
    """1-based position in the notebook (all cells) or the `# %%` chunk of a script."""
    cell_type: Literal["code", "markdown", "raw"]
    source: str
    tags: tuple[str, ...] = ()

    @property
    def excerpt(self) -> str:
        for line in self.source.splitlines():
            if line.strip() and not _CELL_MARKER.match(line):
                return line.strip()[:80]
        return ""


@dataclass(frozen=True)
class SubmissionSource:
    path: Path
    kind: Literal["notebook", "script"]
    cells: tuple[SourceCell, ...]
    skipped: tuple[tuple[int, str], ...] = field(default=())
    """(cell, reason) for code cells that will not run."""

    @property
    def runnable(self) -> list[SourceCell]:
        skipped = {index for index, _ in self.skipped}
        return [c for c in self.cells if c.cell_type == "code" and c.index not in skipped]


def skip_reason(cell: SourceCell) -> str | None:
    """Why a code cell is not run, or None. Pure, so reports and tests agree."""
    if SKIP_TAG in cell.tags:
        return f"tagged {SKIP_TAG}"
    lines = [line for line in cell.source.splitlines() if line.strip()]
    if lines and all(_SHELL.match(line) for line in lines):
        return "shell command (!)"
    if lines and all(_SHELL.match(line) or _INSTALL_MAGIC.match(line) for line in lines):
        return "package installation (%pip/%conda)"
    return None


def strip_filtered_lines(source: str) -> str:
    """Comment out shell escapes and installs inside otherwise normal cells."""
    out = []
    for line in source.splitlines():
        if _SHELL.match(line) or _INSTALL_MAGIC.match(line):
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}pass  # autograder skipped: {line.strip()}")
        else:
            out.append(line)
    return "\n".join(out)


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidSubmissionError(f"{path}: cannot read file: {exc.strerror}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidSubmissionError(
            f"{path}: not UTF-8 text (byte {exc.start}); save the file as UTF-8"
        ) from None


def _load_notebook(path: Path) -> tuple[SourceCell, ...]:
    text = _read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidSubmissionError(
            f"{path}: not a valid notebook: invalid JSON at line {exc.lineno}, column {exc.colno}"
        ) from None
    if not isinstance(data, dict) or ("cells" not in data and "worksheets" not in data):
        raise InvalidSubmissionError(f"{path}: not a valid notebook: no 'cells' list")
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as exc:  # noqa: BLE001  # nbformat raises assorted types for broken documents
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InvalidSubmissionError(f"{path}: not a valid notebook: {reason}") from None
    cells = []
    for position, cell in enumerate(nb.cells, start=1):
        cell_type = cell.get("cell_type")
        if cell_type not in ("code", "markdown", "raw"):
            continue
        source = cell.get("source", "")
        if isinstance(source, list):  # tolerated by some editors
            source = "".join(source)
        tags = tuple(str(t) for t in cell.get("metadata", {}).get("tags", []) or [])
        cells.append(SourceCell(position, cell_type, str(source), tags))
    return tuple(cells)


def _load_script(path: Path) -> tuple[SourceCell, ...]:
    text = _read_text(path)
    try:
        compile(text, str(path), "exec", dont_inherit=True)
    except SyntaxError as exc:
        raise InvalidSubmissionError(f"{path}:{exc.lineno}: syntax error: {exc.msg}") from None
    chunks: list[list[str]] = [[]]
    for line in text.splitlines():
        if _CELL_MARKER.match(line) and any(s.strip() for s in chunks[-1]):
            chunks.append([])
        chunks[-1].append(line)
    return tuple(SourceCell(i, "code", "\n".join(chunk)) for i, chunk in enumerate(chunks, start=1))


def _has_code(source: str) -> bool:
    return any(line.strip() and not line.lstrip().startswith("#") for line in source.splitlines())


def read_cells(path: Path) -> tuple[SourceCell, ...]:
    """The cells of a notebook or script, also one with no code (a notebook of written
    answers); raises InvalidSubmissionError for an unreadable file."""
    if path.suffix.lower() == ".ipynb":
        return _load_notebook(path)
    if path.suffix.lower() == ".py":
        return _load_script(path)
    raise InvalidSubmissionError(f"{path}: not a notebook (.ipynb) or script (.py)")


def load_source(path: Path) -> SubmissionSource:
    """Read and validate a submission file; raises InvalidSubmissionError."""
    suffix = path.suffix.lower()
    if suffix == ".ipynb":
        kind: Literal["notebook", "script"] = "notebook"
        cells = _load_notebook(path)
    elif suffix == ".py":
        kind = "script"
        cells = _load_script(path)
    else:
        raise InvalidSubmissionError(f"{path}: not a notebook (.ipynb) or script (.py)")
    code = [c for c in cells if c.cell_type == "code" and _has_code(c.source)]
    if not code:
        raise InvalidSubmissionError(f"{path}: empty {kind}: no code to run")
    skipped = tuple((c.index, reason) for c in code if (reason := skip_reason(c)) is not None)
    return SubmissionSource(path=path, kind=kind, cells=cells, skipped=skipped)
