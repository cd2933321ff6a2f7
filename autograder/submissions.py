"""Find the submissions in a path and give each a stable id and a student identity.

Accepted layouts: one notebook/script; a folder of them (one per student); a folder per
student; a Moodle or Canvas zip (also inside such a folder), whose students' own zips
are unpacked too.  Zips are unpacked under ``unpack_dir``, never next to the input.

Several files of one student are one submission: every notebook runs (only when there
is none, every script), each in its own kernel, in name order (case-insensitive); a
rubric's ``submission_files`` pattern may narrow them.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from autograder.errors import UsageError
from autograder.lms import (
    Identity,
    canvas_identity,
    extract_nested,
    moodle_identity,
    safe_extract,
    zip_problem,
)

SUFFIXES = (".ipynb", ".py")
_IGNORED_DIRS = {"__pycache__", ".ipynb_checkpoints", ".git", ".venv", "__MACOSX"}


@dataclass(frozen=True)
class Submission:
    id: str
    path: Path
    """The (first) notebook or script that is run; the submission's name in reports."""
    files: tuple[Path, ...] = ()
    """Every file that runs, in order, when there are several; empty: ``path`` alone."""
    root: Path | None = None
    """A per-student folder copied whole into the working copy; None: the file alone."""
    note: str | None = None
    """How the file was chosen, when there was a choice."""
    student_id: str | None = None
    """The LMS's id for the student (Moodle participant / Canvas user), when known."""
    display_name: str | None = None
    """The student's name as the LMS wrote it; else the file or folder name."""
    late: bool = False
    """Canvas marked the file as submitted late."""
    problem: str | None = None
    """Why this submission cannot be graded at all (e.g. a refused zip); None: fine."""

    @property
    def sha256(self) -> str | None:
        """Of the file, or of every file in order: any edit means grading again."""
        digest = hashlib.sha256()
        try:
            for path in self.files or (self.path,):
                if self.files:
                    digest.update(f"{path.name}\0".encode())
                digest.update(path.read_bytes())
        except OSError:
            return None
        return digest.hexdigest()


def _ignored(path: Path) -> bool:
    return path.name.startswith(".") or path.name in _IGNORED_DIRS


def _is_source(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in SUFFIXES and not _ignored(path)


def _choose(found: list[Path], labels: dict[Path, str]) -> tuple[Submission, str | None]:
    """The files that run (every notebook, else every script, in name order) as a
    submission's ``path``/``files``, and a note naming the files left out."""
    notebooks = [p for p in found if p.suffix.lower() == ".ipynb"]
    chosen = sorted(notebooks or found, key=lambda p: labels.get(p, p.name).casefold())
    left = sorted(labels.get(p, p.name) for p in set(found) - set(chosen))
    note = f"not run: {', '.join(left)} (scripts next to notebooks)" if left else None
    files = tuple(chosen) if len(chosen) > 1 else ()
    return Submission(id="", path=chosen[0], files=files), note


def _sources_in(folder: Path) -> list[Path]:
    """Notebooks/scripts in ``folder`` or, when it holds none, anywhere below it."""
    top = [p for p in folder.iterdir() if _is_source(p)]
    if top:
        return top
    return [
        p
        for p in folder.rglob("*")
        if _is_source(p)
        and not any(_ignored(part) for part in p.relative_to(folder).parents if part != Path("."))
    ]


def _leftover_zips(folder: Path) -> list[str]:
    """Zips still packed in a folder the grader unpacked: refused ones, with the reason."""
    return [zip_problem(p) for p in sorted(folder.rglob("*")) if p.suffix.lower() == ".zip"]


def _owned_copy(folder: Path, unpack_dir: Path | None) -> Path:
    """A copy of a student folder with its zips unpacked; the input is never written to."""
    if unpack_dir is None or not any(p.suffix.lower() == ".zip" for p in folder.rglob("*")):
        return folder
    if unpack_dir.resolve() in folder.resolve().parents:
        return folder  # already ours: unpacked from an LMS export
    digest = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:8]
    copy = unpack_dir / "students" / f"{folder.name}-{digest}"
    if not (copy / ".complete").exists():
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(folder, copy, symlinks=True)
        extract_nested(copy)
        (copy / ".complete").write_text("")
    return copy


def _folder_submission(
    folder: Path, identity: Identity | None, unpack_dir: Path | None
) -> Submission | None:
    name = folder.name  # the student's, not that of the grader's unpacked copy
    folder = _owned_copy(folder, unpack_dir)
    refused = _leftover_zips(folder) if unpack_dir is not None else []
    found = _sources_in(folder)
    base = Submission(
        id=f"{identity.display_name}_{identity.student_id}" if identity else name,
        path=folder,
        root=folder,
        student_id=identity.student_id if identity else None,
        display_name=identity.display_name if identity else name,
    )
    if not found:
        if not refused and identity is None:
            return None
        why = "; ".join(refused) or "no notebook (.ipynb) or script (.py) was submitted"
        return replace(base, problem=why)
    labels = {p: p.relative_to(folder).as_posix() for p in found}
    chosen, note = _choose(found, labels)
    notes = [n for n in (note, *refused) if n]
    return replace(base, path=chosen.path, files=chosen.files, note="; ".join(notes) or None)


def _canvas_submissions(folder: Path) -> list[Submission]:
    """Files named ``name[_late]_userid_subid_file`` grouped by user id."""
    groups: dict[str, list[tuple[Path, Identity]]] = {}
    for entry in sorted(folder.iterdir(), key=lambda p: p.name.casefold()):
        ident = canvas_identity(entry.name)
        if ident is not None and ident.student_id is not None and not _ignored(entry):
            groups.setdefault(ident.student_id, []).append((entry, ident))
    subs: list[Submission] = []
    for student_id, entries in groups.items():
        ident = entries[0][1]
        late = any(i.late for _, i in entries)
        files = [p for p, _ in entries if _is_source(p)]
        folders = [p for p, _ in entries if p.is_dir()]
        labels = {p: i.original_name or p.name for p, i in entries}
        refused = [zip_problem(p) for p, _ in entries if p.suffix.lower() == ".zip"]
        for sub_folder in folders:
            for p in _sources_in(sub_folder):
                files.append(p)
                labels[p] = p.relative_to(folder).as_posix()
        base = Submission(
            id=f"{ident.display_name}_{student_id}",
            path=entries[0][0],
            student_id=student_id,
            display_name=ident.display_name,
            late=late,
        )
        if not files:
            why = "; ".join(refused) or "no notebook (.ipynb) or script (.py) was submitted"
            subs.append(replace(base, problem=why))
            continue
        chosen, note = _choose(files, labels)
        root = next((f for f in folders if f in chosen.path.parents), None)
        notes = [n for n in (note, *refused) if n]
        subs.append(
            replace(
                base,
                path=chosen.path,
                files=chosen.files,
                root=root,
                note="; ".join(notes) or None,
            )
        )
    return subs


def _moodle_submissions(
    folders: list[tuple[Path, Identity | None]], unpack_dir: Path | None
) -> list[Submission]:
    """One submission per student: Moodle gives a folder per plugin (file, onlinetext),
    so the first of a student's folders that holds a notebook is the one graded."""
    by_student: dict[str, list[Submission]] = {}
    for entry, ident in folders:
        sub = _folder_submission(entry, ident, unpack_dir)
        if sub is not None:
            by_student.setdefault(sub.student_id or sub.id, []).append(sub)
    return [next((s for s in subs if s.problem is None), subs[0]) for subs in by_student.values()]


def _lms_folder(folder: Path, unpack_dir: Path | None) -> list[Submission] | None:
    """Submissions of an unpacked LMS export, or None when ``folder`` is not one."""
    entries = sorted(
        (e for e in folder.iterdir() if not _ignored(e)), key=lambda p: p.name.casefold()
    )
    moodle = [(e, moodle_identity(e.name)) for e in entries if e.is_dir()]
    if moodle and any(ident is not None for _, ident in moodle):
        return _moodle_submissions(moodle, unpack_dir)
    if any(canvas_identity(e.name) is not None for e in entries):
        return _canvas_submissions(folder)
    return None


def _unpack(archive: Path, unpack_dir: Path | None) -> Path:
    if unpack_dir is None:
        raise UsageError(f"{archive}: zips need a folder to unpack into (unpack_dir)")
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()[:12]
    target = unpack_dir / f"{archive.stem}-{digest}"
    if not (target / ".complete").exists():
        # A half-unpacked folder from a killed run is redone from scratch.
        shutil.rmtree(target, ignore_errors=True)
        safe_extract(archive, target)
        # Students' own zips inside the export; refused ones stay packed and are
        # reported against their student.
        extract_nested(target)
        (target / ".complete").write_text("")
    return target


def _discover_folder(target: Path, unpack_dir: Path | None) -> list[Submission]:
    lms = _lms_folder(target, unpack_dir)
    if lms is not None:
        return lms
    found: list[Submission] = []
    for entry in sorted(target.iterdir(), key=lambda p: p.name.casefold()):
        if _ignored(entry):
            continue
        if entry.is_file() and entry.suffix.lower() in SUFFIXES:
            found.append(Submission(id=entry.stem, path=entry, display_name=entry.stem))
        elif entry.is_file() and entry.suffix.lower() == ".zip":
            found.extend(_discover_folder(_unpack(entry, unpack_dir), unpack_dir))
        elif entry.is_dir():
            sub = _folder_submission(entry, None, unpack_dir)
            if sub is not None:
                found.append(sub)
    return found


def discover(target: Path, unpack_dir: Path | None = None) -> list[Submission]:
    """The submissions under ``target``: a file, a zip, or a folder of files/folders/zips.

    Zips (LMS exports, students' own zips) are unpacked under ``unpack_dir``; a zip
    that is unsafe raises :class:`~autograder.errors.ZipRefusedError` when it is the
    export itself, and becomes that student's ``problem`` when it is a student's.
    """
    if not target.exists():
        raise UsageError(f"{target}: no such file or directory")
    if target.is_file():
        if target.suffix.lower() == ".zip":
            found = _discover_folder(_unpack(target, unpack_dir), unpack_dir)
        elif target.suffix.lower() in SUFFIXES:
            return [Submission(id=target.stem, path=target, display_name=target.stem)]
        else:
            raise UsageError(f"{target}: not a notebook (.ipynb), script (.py) or zip")
    else:
        found = _discover_folder(target, unpack_dir)
    if not found:
        raise UsageError(f"{target}: no notebooks (.ipynb) or scripts (.py) found")
    return _unique_ids(found)


def discover_all(targets: Iterable[Path], unpack_dir: Path | None = None) -> list[Submission]:
    """:func:`discover` over several paths (``grade a.ipynb b.ipynb dir/``), ids unique."""
    found = [sub for target in targets for sub in discover(target, unpack_dir)]
    return _unique_ids(found)


def _unique_ids(subs: list[Submission]) -> list[Submission]:
    """`ana.ipynb` and `ana.py` side by side must not overwrite each other's results."""
    seen: dict[str, int] = {}
    out = []
    for sub in subs:
        key = sub.id.casefold()
        seen[key] = seen.get(key, 0) + 1
        out.append(sub if seen[key] == 1 else replace(sub, id=f"{sub.id}-{seen[key]}"))
    return out
