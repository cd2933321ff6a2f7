"""A submission as data, so a Dask worker on another machine can grade it.

The client packs what grading reads of a submission (its file or files, or its whole
folder) into a :class:`Parcel`; the worker unpacks it into a temporary folder, calls
the very grade function the local executor calls, and sends the result back as JSON.
Nothing travels as a path: a worker needs only the package installed.

The client reads its own disk, never a link (a link in a student's folder is left
out, as a link is never followed), and never more than ``limit`` bytes in all.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from autograder.errors import ParcelTooBigError, SubmissionError
from autograder.i18n import text
from autograder.results import GradeReport
from autograder.submissions import Submission

PARCEL_LIMIT_BYTES = 64 * 1024**2
"""The most a submission may weigh (every file together) to travel to a worker."""
PARCEL_MAX_FILES = 10_000
"""The most files a per-student folder may hold to travel (each costs the scheduler)."""
_SKIPPED_DIRS = frozenset({".ipynb_checkpoints", "__pycache__"})
"""Left out of a folder, as the local run leaves them out of the working copy."""


@dataclass(frozen=True)
class Parcel:
    """One submission's bytes and its description, paths relative to the parcel."""

    submission: Submission
    """As discovered on the client (its paths mean nothing on a worker)."""
    files: tuple[tuple[str, bytes], ...]
    """(relative POSIX name, content) of every shipped file."""
    path: str
    """The name of ``submission.path`` among ``files``."""
    runs: tuple[str, ...] = ()
    """The names of ``submission.files``, in order."""
    root: str | None = None
    """The name of ``submission.root``: a folder shipped whole."""


def pack(sub: Submission, limit: int = PARCEL_LIMIT_BYTES) -> Parcel:
    """Read ``sub``'s files into a parcel; raises ParcelTooBigError past ``limit`` bytes.

    Names are kept relative to the folder above the submission's own, so the file
    names (and the folder's name) a rubric pattern may match are the same on the worker.
    """
    runs = sub.files or (sub.path,)
    if sub.root is not None:
        base = sub.root.parent
        # One past the cap is enough to refuse it: a huge folder is never listed whole.
        found = list(itertools.islice(_walk(sub.root), PARCEL_MAX_FILES + 1))
    else:
        base = Path(os.path.commonpath([p.parent for p in runs])).parent
        found = list(dict.fromkeys(runs))
    files: list[tuple[str, bytes]] = []
    left = limit
    if len(found) > PARCEL_MAX_FILES:
        message = text("batch.parcel_too_many", "en", id=sub.id, count=PARCEL_MAX_FILES)
        raise ParcelTooBigError(message)
    for path in found:
        data = _read(path, left, sub, limit)
        if data is None and path in runs:
            reason = "not a regular file"
            raise SubmissionError(text("batch.parcel_unreadable", "en", path=path, reason=reason))
        if data is not None:
            left -= len(data)
            files.append((_name(path, base), data))
    return Parcel(
        submission=sub,
        files=tuple(files),
        path=_name(sub.path, base),
        runs=tuple(_name(p, base) for p in sub.files),
        root=_name(sub.root, base) if sub.root is not None else None,
    )


def unpack(parcel: Parcel, directory: Path) -> Submission:
    """Write the parcel under ``directory`` (empty, the worker's own); the submission
    with its paths there.  Raises SubmissionError for a name that would leave it."""
    for name, data in parcel.files:
        target = directory / _safe(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL|O_NOFOLLOW: every file is new, and nothing here is a link.
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(target, flags, 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    return dataclasses.replace(
        parcel.submission,
        path=directory / _safe(parcel.path),
        files=tuple(directory / _safe(name) for name in parcel.runs),
        root=directory / _safe(parcel.root) if parcel.root is not None else None,
    )


def grade_parcel(grade: Callable[[Submission], GradeReport], parcel: Parcel) -> str:
    """The Dask task: grade the unpacked submission with ``grade``; the report as JSON.

    The worker writes nothing that outlives the task: the client stores the result.
    """
    with tempfile.TemporaryDirectory(prefix="autograder-parcel-") as folder:
        report = grade(unpack(parcel, Path(folder)))
    return report.model_dump_json()


def received(sub: Submission, payload: str) -> GradeReport:
    """The worker's JSON as the client's report: the path is the client's file again."""
    report = GradeReport.model_validate_json(payload)
    info = report.submission.model_copy(update={"path": str(sub.path)})
    return report.model_copy(update={"submission": info})


def _walk(root: Path) -> Iterator[Path]:
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS)
        for name in sorted(names):
            yield Path(folder) / name


def _read(path: Path, left: int, sub: Submission, limit: int) -> bytes | None:
    """At most ``left`` bytes of a regular file that is not a link; None for what is
    not one (a link, a socket) inside a folder; too big raises."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK)
    except OSError as exc:
        if sub.root is not None and path not in (sub.path, *sub.files):
            return None  # a link or an unreadable file in the folder: as if absent
        reason = exc.strerror or str(exc)
        message = text("batch.parcel_unreadable", "en", path=path, reason=reason)
        raise SubmissionError(message) from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None
        data = handle.read(left + 1)
    if len(data) > left:
        mib = limit / 1024**2
        raise ParcelTooBigError(text("batch.parcel_too_big", "en", id=sub.id, mib=mib))
    return data


def _name(path: Path, base: Path) -> str:
    return path.relative_to(base).as_posix()


def _safe(name: str) -> Path:
    """``name`` as a relative path that stays below the parcel's folder."""
    parts = PurePosixPath(name).parts
    if not parts or name.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise SubmissionError(text("batch.parcel_bad_name", "en", name=name))
    return Path(*parts)
