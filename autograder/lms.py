"""LMS exports: safe zip extraction and student identities from Moodle/Canvas names.

A zip comes from students (through the LMS), so it is untrusted input: every entry is
checked before anything is written, and the whole archive is refused with one line
naming it when an entry would escape the target folder, is a link, has an absolute
path, or when the archive is too large or has too many entries (zip bombs).
"""

from __future__ import annotations

import re
import shutil
import stat
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from autograder.errors import ZipRefusedError

# Caps for one archive; nested archives count against their own caps.
MAX_ENTRIES = 20_000
MAX_TOTAL_BYTES = 4 * 1024**3
MAX_NESTING = 3
_CHUNK = 1 << 20

# Moodle: "Full Name_12345_assignsubmission_file_" (also onlinetext and other plugins).
_MOODLE = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission_[a-z]+_?$")
# Canvas: "lastnamefirstname[_late|_LATE]_12345_67890_original name.ipynb"; files that
# Canvas could not attribute lack the second number.
_CANVAS = re.compile(
    r"^(?P<name>[^_]+?)(?P<late>_late)?_(?P<id>\d+)_(?P<sub>\d+)(?:_(?P<file>.+))?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Identity:
    """Who a submission belongs to, as the LMS named them."""

    student_id: str | None
    display_name: str
    late: bool = False
    original_name: str | None = None
    """Canvas: the file name the student uploaded."""


def moodle_identity(folder_name: str) -> Identity | None:
    """``Full Name_12345_assignsubmission_file_`` -> (12345, Full Name)."""
    match = _MOODLE.match(unicodedata.normalize("NFC", folder_name))
    if match is None:
        return None
    return Identity(student_id=match["id"], display_name=match["name"].strip())


def canvas_identity(file_name: str) -> Identity | None:
    """``perezmaria_late_12345_67890_tarea.ipynb`` -> (12345, perezmaria, late)."""
    match = _CANVAS.match(unicodedata.normalize("NFC", file_name))
    if match is None:
        return None
    return Identity(
        student_id=match["id"],
        display_name=match["name"],
        late=match["late"] is not None,
        original_name=match["file"],
    )


def _entry_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return f"entry {name!r} is a symbolic link"
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return f"entry {name!r} has an absolute path"
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if ".." in parts:
        return f"entry {name!r} escapes the archive (..)"
    if "\x00" in name:
        return f"entry {name!r} has a NUL byte in its name"
    return None


def _decoded_name(info: zipfile.ZipInfo) -> str:
    """Zips made on Windows without the UTF-8 flag store names in cp437 or the local code
    page; Python decodes them as cp437, which turns ``María`` into ``Mar¡a``.  Most LMS
    exports are UTF-8 without the flag, so try that first."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def check_zip(
    zf: zipfile.ZipFile,
    archive: Path,
    *,
    max_entries: int = MAX_ENTRIES,
    max_bytes: int = MAX_TOTAL_BYTES,
) -> None:
    """Raise :class:`ZipRefusedError` if any entry of ``zf`` is unsafe or the caps are hit."""
    infos = zf.infolist()
    if len(infos) > max_entries:
        raise ZipRefusedError(f"{archive}: refused: {len(infos)} entries (more than {max_entries})")
    declared = 0
    for info in infos:
        problem = _entry_problem(info)
        if problem is not None:
            raise ZipRefusedError(f"{archive}: refused: {problem}")
        declared += info.file_size
    if declared > max_bytes:
        raise ZipRefusedError(
            f"{archive}: refused: {declared} bytes uncompressed (more than {max_bytes})"
        )


def zip_problem(archive: Path) -> str:
    """Why ``archive`` was left packed, in one line naming it (for a student's report)."""
    try:
        with zipfile.ZipFile(archive) as zf:
            check_zip(zf, Path(archive.name))
    except ZipRefusedError as exc:
        return str(exc)
    except (zipfile.BadZipFile, OSError) as exc:
        return f"{archive.name}: not a readable zip file ({exc})"
    return f"{archive.name}: not unpacked (nested more than {MAX_NESTING} deep, or corrupt)"


def safe_extract(
    archive: Path,
    target: Path,
    *,
    max_entries: int = MAX_ENTRIES,
    max_bytes: int = MAX_TOTAL_BYTES,
) -> Path:
    """Extract ``archive`` into ``target`` after checking every entry; return ``target``.

    Raises :class:`ZipRefusedError` (one line naming the zip) before writing anything
    when an entry is unsafe or the declared sizes exceed the caps, and stops if the
    real sizes exceed them while extracting (the caller discards ``target``).
    """
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ZipRefusedError(f"{archive}: not a readable zip file ({exc})") from None
    with zf:
        check_zip(zf, archive, max_entries=max_entries, max_bytes=max_bytes)
        infos = zf.infolist()
        target.mkdir(parents=True, exist_ok=True)
        written = 0
        for info in infos:
            name = unicodedata.normalize("NFC", _decoded_name(info)).replace("\\", "/")
            dest = target.joinpath(*PurePosixPath(name).parts)
            if info.is_dir():
                dest.mkdir(parents=True, exist_ok=True)
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                with zf.open(info) as src, dest.open("wb") as out:
                    # Declared sizes can lie; count what is really inflated.
                    while chunk := src.read(_CHUNK):
                        written += len(chunk)
                        if written > max_bytes:
                            raise ZipRefusedError(
                                f"{archive}: refused: inflates past {max_bytes} bytes"
                            )
                        out.write(chunk)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise ZipRefusedError(
                    f"{archive}: corrupt entry {info.filename!r}: {exc}"
                ) from None
    return target


def extract_nested(folder: Path, depth: int = 1) -> None:
    """Unpack every zip under ``folder`` next to itself (``x.zip`` -> ``x/``), recursively.

    Only for folders the grader owns (under its unpack dir).  A refused zip is left
    packed where it was; :func:`zip_problem` says why, for that student's report.
    """
    for archive in sorted(folder.rglob("*")):
        if not (archive.is_file() and archive.suffix.lower() == ".zip") or depth > MAX_NESTING:
            continue
        target = archive.with_suffix("")
        if target.exists():
            target = archive.with_name(archive.name + ".d")
        try:
            safe_extract(archive, target)
        except ZipRefusedError:
            shutil.rmtree(target, ignore_errors=True)
            continue
        archive.unlink()
        extract_nested(target, depth + 1)
