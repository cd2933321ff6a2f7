"""Build the example notebooks from their percent-format sources under ``examples/``.

``examples/<path>.py`` becomes ``<path>.ipynb``: ``examples/submissions/cifar10-mlp/
correct.py`` is the source of ``submissions/cifar10-mlp/correct.ipynb``. A built
``exercises/<name>/master.ipynb`` is then split by ``autograder assign`` into the
exercise's ``student.ipynb`` and ``reference.ipynb`` (the student notebook naming
``rubrics/<name>.yaml``), so those two are checked for freshness here too. The sources
use jupytext's percent format, so editors (VS Code, PyCharm, Spyder) show them as cells:

    # %% [markdown]
    # # Title
    #
    # Text of the markdown cell.

    # %% tags=["skip-grading"]
    code_of_a_tagged_cell()

The generated notebooks are committed (graders and tests read them) and are nbformat
v4, validated, without outputs and with stable cell ids, so an unchanged source gives
a byte-identical file. Scripts (``.py`` hand-ins) and the deliberately broken fixtures
are committed as they are: they are their own source.

    python scripts/build_examples.py           # (re)write every notebook
    python scripts/build_examples.py --check   # exit 1 if a committed notebook is stale
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import nbformat
from nbformat import v4

from autograder.authoring.assign import assign, dumps

ROOT = Path(__file__).resolve().parent.parent

_MARKER = re.compile(r"^# %%(?P<markdown> \[markdown\])?(?: tags=(?P<tags>\[.*\]))?\s*$")


class SourceError(ValueError):
    """A percent-format source that does not say what its cells are."""


@dataclass(frozen=True)
class Cell:
    kind: Literal["code", "markdown"]
    source: str
    tags: tuple[str, ...] = ()


def parse_percent(text: str, name: str = "<source>") -> tuple[Cell, ...]:
    """The cells of a percent-format file; blank lines around each cell are not kept."""
    cells: list[tuple[Cell, list[str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        marker = _MARKER.match(line)
        if marker is not None:
            kind: Literal["code", "markdown"] = "markdown" if marker["markdown"] else "code"
            cells.append((Cell(kind, "", _tags(marker["tags"], name, number)), []))
        elif not cells:
            if line.strip():
                raise SourceError(f"{name}:{number}: text before the first '# %%' marker")
        else:
            cells[-1][1].append(
                _markdown_line(line, name, number) if cells[-1][0].kind == "markdown" else line
            )
    return tuple(Cell(cell.kind, "\n".join(lines).strip("\n"), cell.tags) for cell, lines in cells)


def _tags(raw: str | None, name: str, number: int) -> tuple[str, ...]:
    if raw is None:
        return ()
    try:
        tags = json.loads(raw)
    except json.JSONDecodeError:
        tags = None
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise SourceError(f"{name}:{number}: tags must be a JSON list of strings")
    return tuple(tags)


def _markdown_line(line: str, name: str, number: int) -> str:
    if line == "#" or not line:
        return ""
    if not line.startswith("# "):
        raise SourceError(f"{name}:{number}: a markdown line must start with '# '")
    return line[2:]


def percent_text(cells: tuple[Cell, ...]) -> str:
    """The percent-format source of ``cells`` (``parse_percent`` reads it back)."""
    chunks = []
    for cell in cells:
        marker = "# %% [markdown]" if cell.kind == "markdown" else "# %%"
        if cell.tags:
            marker += f" tags={json.dumps(list(cell.tags))}"
        if cell.kind == "markdown":
            body = "\n".join(f"# {line}" if line else "#" for line in cell.source.splitlines())
        else:
            body = cell.source
        chunks.append(f"{marker}\n{body}" if body else marker)
    return "\n\n".join(chunks) + "\n" if chunks else ""


def notebook_text(cells: tuple[Cell, ...]) -> str:
    nb = v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for index, cell in enumerate(cells, start=1):
        node = (
            v4.new_code_cell(cell.source)
            if cell.kind == "code"
            else v4.new_markdown_cell(cell.source)
        )
        node.id = f"cell-{index:02d}"  # stable ids keep regenerated files identical
        if cell.tags:
            node.metadata["tags"] = list(cell.tags)
        nb.cells.append(node)
    nbformat.validate(nb)
    return str(nbformat.writes(nb)) + "\n"


def targets(root: Path = ROOT) -> dict[Path, str]:
    """Every notebook built from ``root/examples`` (relative to ``root``) and its text."""
    out = {}
    for source in sorted((root / "examples").rglob("*.py")):
        relative = source.relative_to(root / "examples").with_suffix(".ipynb")
        cells = parse_percent(source.read_text(encoding="utf-8"), str(source))
        out[relative] = notebook_text(cells)
    for relative, text in list(out.items()):
        if relative.parts[0] == "exercises" and relative.name == "master.ipynb":
            out.update(assigned(root, relative, text))
    return out


def assigned(root: Path, master: Path, text: str) -> dict[Path, str]:
    """What ``autograder assign`` writes next to ``master`` (its text given)."""
    folder = master.parent
    rubric = root / "rubrics" / f"{folder.name}.yaml"
    # The shipped rubric, relative to the student notebook; else the one assign drafts.
    recorded = f"../../rubrics/{rubric.name}" if rubric.is_file() else "rubric.yaml"
    done = assign(nbformat.reads(text, as_version=4), source=str(master), rubric=recorded)
    return {
        folder / "student.ipynb": dumps(done.student),
        folder / "reference.ipynb": dumps(done.reference),
    }


def stale(root: Path = ROOT) -> list[Path]:
    """Generated notebooks that are missing or differ from what their source builds."""
    return [
        path
        for path, text in targets(root).items()
        if not (root / path).is_file() or (root / path).read_text(encoding="utf-8") != text
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="Only report stale notebooks.")
    args = parser.parse_args(argv)
    if args.check:
        out_of_date = stale()
        for path in out_of_date:
            print(f"out of date: {path} (run python scripts/build_examples.py)")
        return 1 if out_of_date else 0
    for path, text in targets().items():
        target = ROOT / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
