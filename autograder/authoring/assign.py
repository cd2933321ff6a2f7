"""``autograder assign``: one master notebook in, a student notebook and a reference out.

The master marks what students must not see, the way nbgrader and otter masters do:

- code lines between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` become
  ``# YOUR CODE HERE``, plus ``raise NotImplementedError()`` where the cell would
  otherwise not parse (a function body left empty) or do nothing at all, so that a
  student running the notebook stops at the first stub with a clear error;
- cells tagged ``solution`` are emptied to that stub (markdown ones to a prompt);
- markdown between ``<!-- BEGIN HIDDEN -->`` and ``<!-- END HIDDEN -->`` is removed,
  and a markdown cell left empty is dropped.

The reference is the master with the marker lines removed.  Both lose their outputs:
a master's outputs show the solution's numbers, and outputs would make the shipped
files change on every re-run.
"""

from __future__ import annotations

import ast
import copy
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from autograder.errors import AuthoringError
from autograder.i18n import text

SOLUTION_TAG = "solution"
CODE_STUB = "# YOUR CODE HERE"
RAISE_STUB = "raise NotImplementedError()"
ANSWER_STUB = "YOUR ANSWER HERE"

_BEGIN = re.compile(r"^(?P<indent>[ \t]*)#{1,3}\s*BEGIN SOLUTION\s*$", re.IGNORECASE)
_END = re.compile(r"^[ \t]*#{1,3}\s*END SOLUTION\s*$", re.IGNORECASE)
_HIDDEN_BEGIN = re.compile(r"^\s*<!--\s*BEGIN HIDDEN\s*-->\s*$", re.IGNORECASE)
_HIDDEN_END = re.compile(r"^\s*<!--\s*END HIDDEN\s*-->\s*$", re.IGNORECASE)
# IPython syntax is not Python: `!pip install` and `%matplotlib inline` lines are
# replaced by `pass` (same indentation) before a cell is parsed.
_MAGIC = re.compile(r"^(?P<indent>[ \t]*)[!%]")


@dataclass(frozen=True)
class Assignment:
    """What ``assign`` produces from one master notebook."""

    student: nbformat.NotebookNode
    reference: nbformat.NotebookNode
    stubs: int
    """Solution regions and solution-tagged cells replaced in the student notebook."""
    hidden: int
    """Hidden markdown regions removed from the student notebook."""


def _fail(key: str, **args: Any) -> AuthoringError:
    return AuthoringError(text(key, "en", **args), key, **args)


def assign(master: nbformat.NotebookNode, *, source: str, rubric: str | None) -> Assignment:
    """Split ``master`` (named ``source`` in errors) into student and reference notebooks.

    ``rubric`` is the rubric's path relative to the student notebook's folder; it goes
    into the student notebook's ``metadata.autograder.rubric`` so that
    ``autograder check student.ipynb`` finds it without ``--rubric``.
    """
    student = copy.deepcopy(master)
    reference = copy.deepcopy(master)
    student.cells, reference.cells = [], []
    stubs = hidden = 0
    for number, cell in enumerate(master.cells, start=1):
        where = {"path": source, "cell": number}
        tags = list(cell.get("metadata", {}).get("tags", []))
        lines = cell.source.splitlines()
        if cell.cell_type == "code":
            kept, regions = _strip_code(lines, where)
        elif cell.cell_type == "markdown":
            kept, regions = _strip_hidden(lines, where)
            hidden += regions
        else:
            kept, regions = lines, 0
        ref_lines = _without_markers(lines)
        if SOLUTION_TAG in tags:
            stubs += 1
            kept = [CODE_STUB, RAISE_STUB] if cell.cell_type == "code" else [ANSWER_STUB]
        elif cell.cell_type == "code" and regions:
            stubs += regions
            kept = _stubbed(lines, kept, where)
        if cell.cell_type == "markdown" and regions and not "".join(kept).strip():
            student_cell = None  # nothing but hidden text: the student never sees the cell
        else:
            student_cell = _cell_like(cell, kept, tags)
        if student_cell is not None:
            student.cells.append(student_cell)
        reference.cells.append(_cell_like(cell, ref_lines, tags))
    if stubs == 0 and hidden == 0:
        raise _fail("authoring.no_markers", path=source)
    if rubric is not None:
        student.metadata["autograder"] = {"rubric": rubric}
    return Assignment(student=student, reference=reference, stubs=stubs, hidden=hidden)


def _strip_code(lines: list[str], where: dict[str, Any]) -> tuple[list[str], int]:
    """Lines with every solution region replaced by the stub comment; and the count."""
    out: list[str] = []
    regions, inside = 0, False
    for line_no, line in enumerate(lines, start=1):
        begin, end = _BEGIN.match(line), _END.match(line)
        if begin:
            if inside:
                raise _fail("authoring.nested", line=line_no, **where)
            inside, regions = True, regions + 1
            out.append(begin.group("indent") + CODE_STUB)
        elif end:
            if not inside:
                raise _fail("authoring.unopened", line=line_no, **where)
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise _fail("authoring.unclosed", **where)
    return out, regions


def _strip_hidden(lines: list[str], where: dict[str, Any]) -> tuple[list[str], int]:
    out: list[str] = []
    regions, inside = 0, False
    for line_no, line in enumerate(lines, start=1):
        if _HIDDEN_BEGIN.match(line):
            if inside:
                raise _fail("authoring.nested", line=line_no, **where)
            inside, regions = True, regions + 1
        elif _HIDDEN_END.match(line):
            if not inside:
                raise _fail("authoring.unopened", line=line_no, **where)
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise _fail("authoring.unclosed", **where)
    return out, regions


def _without_markers(lines: list[str]) -> list[str]:
    markers = (_BEGIN, _END, _HIDDEN_BEGIN, _HIDDEN_END)
    return [line for line in lines if not any(m.match(line) for m in markers)]


def _stubbed(master: list[str], kept: list[str], where: dict[str, Any]) -> list[str]:
    """``kept``, with ``raise NotImplementedError()`` after each stub when it is needed."""
    if _parses(kept) and _does_something(kept):
        return kept
    raised: list[str] = []
    for line in kept:
        raised.append(line)
        if line.strip() == CODE_STUB:
            raised.append(line[: len(line) - len(line.lstrip())] + RAISE_STUB)
    if not _parses(raised) and _parses(master):
        error = _parse_error(raised)
        raise _fail("authoring.unparsable", error=error, **where)
    return raised


def _python(lines: list[str]) -> str:
    return "\n".join(
        (m.group("indent") + "pass") if (m := _MAGIC.match(line)) else line for line in lines
    )


def _parses(lines: list[str]) -> bool:
    return _parse_error(lines) == ""


def _parse_error(lines: list[str]) -> str:
    try:
        ast.parse(_python(lines))
    except SyntaxError as exc:
        return f"{exc.msg}, line {exc.lineno}"
    return ""


def _does_something(lines: list[str]) -> bool:
    """Whether the code has a statement besides ``pass`` (comments are not statements)."""
    body = ast.parse(_python(lines)).body
    return any(not isinstance(node, ast.Pass) for node in body)


def _cell_like(cell: Any, lines: list[str], tags: list[str]) -> nbformat.NotebookNode:
    new: nbformat.NotebookNode = copy.deepcopy(cell)
    new.source = "\n".join(lines)
    kept_tags = [t for t in tags if t != SOLUTION_TAG]
    if kept_tags:
        new.metadata["tags"] = kept_tags
    else:
        new.metadata.pop("tags", None)
    if new.cell_type == "code":
        new.outputs, new.execution_count = [], None
    return new


def read_master(path: Path) -> nbformat.NotebookNode:
    """The master notebook, or an error naming the file."""
    if path.suffix.lower() != ".ipynb":
        raise _fail("authoring.not_notebook", path=str(path), error="not an .ipynb file")
    try:
        notebook: nbformat.NotebookNode = nbformat.read(path, as_version=4)
    except (OSError, ValueError, KeyError, AttributeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise _fail("authoring.not_notebook", path=str(path), error=reason) from None
    return notebook


def write_assignment(
    master_path: Path, out_dir: Path, *, rubric: Path | None
) -> tuple[Path, Path, Assignment]:
    """Write ``student.ipynb`` and ``reference.ipynb`` into ``out_dir``.

    ``rubric`` is where the exercise's rubric lives (absolute or relative to the
    current directory); the student notebook records it relative to ``out_dir``.
    """
    relative = None
    if rubric is not None:
        # os.path: pathlib's relative_to cannot walk up before Python 3.12.
        relative = Path(os.path.relpath(rubric.resolve(), out_dir.resolve())).as_posix()
    assignment = assign(read_master(master_path), source=str(master_path), rubric=relative)
    out_dir.mkdir(parents=True, exist_ok=True)
    student, reference = out_dir / "student.ipynb", out_dir / "reference.ipynb"
    student.write_text(dumps(assignment.student), encoding="utf-8")
    reference.write_text(dumps(assignment.reference), encoding="utf-8")
    return student, reference, assignment


def dumps(notebook: nbformat.NotebookNode) -> str:
    """The notebook as Jupyter writes it, so a freshness test can compare bytes."""
    return str(nbformat.writes(notebook)) + "\n"
