"""Find the submissions in a path and give each a stable id.

One rule for folders that hold several notebooks: the first in alphabetical order is
graded, and the report says which one and why.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import UsageError

SUFFIXES = (".ipynb", ".py")
_IGNORED_DIRS = {"__pycache__", ".ipynb_checkpoints", ".git", ".venv"}


@dataclass(frozen=True)
class Submission:
    id: str
    path: Path
    """The notebook or script that is run."""
    root: Path | None = None
    """A per-student folder copied whole into the working copy; None: the file alone."""
    note: str | None = None
    """How the file was chosen, when there was a choice."""

    @property
    def sha256(self) -> str | None:
        try:
            return hashlib.sha256(self.path.read_bytes()).hexdigest()
        except OSError:
            return None


def _candidates(folder: Path) -> list[Path]:
    return sorted(
        (p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES),
        key=lambda p: (p.suffix.lower() != ".ipynb", p.name.casefold()),
    )


def _folder_submission(folder: Path) -> Submission | None:
    found = _candidates(folder)
    if not found:
        return None
    note = None
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        note = f"{len(found)} files found ({names}); graded {found[0].name}, the first notebook"
    return Submission(id=folder.name, path=found[0], root=folder, note=note)


def discover(target: Path) -> list[Submission]:
    """The submissions under ``target``: a file, or a folder of files and/or folders."""
    if not target.exists():
        raise UsageError(f"{target}: no such file or directory")
    if target.is_file():
        if target.suffix.lower() not in SUFFIXES:
            raise UsageError(f"{target}: not a notebook (.ipynb) or script (.py)")
        return [Submission(id=target.stem, path=target)]
    found: list[Submission] = []
    for entry in sorted(target.iterdir(), key=lambda p: p.name.casefold()):
        if entry.name.startswith(".") or entry.name in _IGNORED_DIRS:
            continue
        if entry.is_file() and entry.suffix.lower() in SUFFIXES:
            found.append(Submission(id=entry.stem, path=entry))
        elif entry.is_dir():
            sub = _folder_submission(entry)
            if sub is not None:
                found.append(sub)
    if not found:
        raise UsageError(f"{target}: no notebooks (.ipynb) or scripts (.py) found")
    return _unique_ids(found)


def _unique_ids(subs: list[Submission]) -> list[Submission]:
    """`ana.ipynb` and `ana.py` side by side must not overwrite each other's results."""
    seen: dict[str, int] = {}
    out = []
    for sub in subs:
        key = sub.id.casefold()
        seen[key] = seen.get(key, 0) + 1
        renamed = sub.id if seen[key] == 1 else f"{sub.id}-{seen[key]}"
        out.append(Submission(id=renamed, path=sub.path, root=sub.root, note=sub.note))
    return out
