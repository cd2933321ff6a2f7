"""Load a rubric file and turn every problem in it into one ``file:line: ...`` line.

Instructors write rubrics by hand, so a bad rubric must say *where* and *what* in
their words, not Pydantic's: the YAML is composed into nodes first so that each
validation error (:mod:`.problems` phrases it) can be pointed at the line that caused
it, in each catalog language.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from pydantic import ValidationError

from autograder.errors import RubricError
from autograder.i18n import LANGUAGES, Language, text
from autograder.rubric.models import Rubric
from autograder.rubric.problems import Loc, Phrase, Problem, describe_errors

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True)
class LoadedRubric:
    """A validated rubric and the identity of the file it came from."""

    rubric: Rubric
    path: Path
    sha256: str
    """SHA-256 of the file bytes, so results can say exactly which rubric graded them."""


class _Line(NamedTuple):
    line: int | None
    problem: Problem


def load_rubric(path: Path) -> LoadedRubric:
    """Read, parse and validate ``path``; raise :class:`RubricError` listing every problem."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise _error(path, [_file_problem(None, "rubric.not_found")]) from None
    except IsADirectoryError:
        raise _error(path, [_file_problem(None, "rubric.is_directory")]) from None
    except OSError as err:
        problem = _file_problem(None, "rubric.unreadable", error=err.strerror or str(err))
        raise _error(path, [problem]) from None
    digest = hashlib.sha256(raw).hexdigest()
    root, data = _parse(path, raw)
    problems = [*_duplicate_keys(root), *_duplicate_check_ids(root, data)]
    try:
        rubric = Rubric.model_validate(data)
    except ValidationError as err:
        problems.extend(
            _Line(_locate(root, p.steps), p) for p in describe_errors(err.errors(include_url=False))
        )
    if problems:
        # Stable sort: problems on one line keep Pydantic's (field) order.
        raise _error(path, sorted(problems, key=lambda p: p.line or 0))
    return LoadedRubric(rubric=rubric, path=path, sha256=digest)


def rubric_summary(error: RubricError, lang: Language) -> str:
    """One line for ``error`` in ``lang``: the first problem and how many follow."""
    lines = error.problems_in(lang) or [str(error)]
    more = text("rubric.more", lang, count=len(lines) - 1) if len(lines) > 1 else ""
    return lines[0] + more


def rubric_json_schema() -> dict[str, Any]:
    """The JSON Schema of rubric files, for editors and ``autograder rubric schema``."""
    schema = Rubric.model_json_schema()
    return {"$schema": JSON_SCHEMA_DIALECT, **schema, "title": "autograder rubric"}


def _file_problem(line: int | None, key: str, **args: Any) -> _Line:
    return _Line(line, Problem((), Phrase(key, args)))


def _error(path: Path, problems: list[_Line]) -> RubricError:
    def lines(lang: Language) -> list[str]:
        out = []
        for line, problem in problems:
            where = f"{path}:{line}" if line is not None else str(path)
            out.append(f"{where}: {problem.render(lang)}")
        return out

    return RubricError(path, lines("en"), {lang: lines(lang) for lang in LANGUAGES})


# --- reading -------------------------------------------------------------------------


def _parse(path: Path, raw: bytes) -> tuple[yaml.MappingNode, dict[str, Any]]:
    try:
        # utf-8-sig: editors on Windows like to prepend a BOM, which is not a problem.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise _error(
            path, [_file_problem(line, "rubric.not_utf8", byte=f"{raw[err.start]:02x}")]
        ) from None
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as err:
        raise _error(path, [_yaml_problem(text, err)]) from None
    except yaml.YAMLError as err:
        raise _error(path, [_file_problem(None, "rubric.yaml_error", error=str(err))]) from None
    finally:
        loader.dispose()
    if root is None:
        raise _error(path, [_file_problem(1, "rubric.empty")])
    if not isinstance(root, yaml.MappingNode) or not isinstance(data, dict):
        line = root.start_mark.line + 1
        raise _error(path, [_file_problem(line, "rubric.not_mapping", found=_describe_node(root))])
    return root, data


def _yaml_problem(text: str, err: yaml.MarkedYAMLError) -> _Line:
    # PyYAML's own sentence stays in English: it is quoted, not ours to translate.
    problem, context = err.problem_mark, err.context_mark
    what: str | Phrase = err.problem or "cannot parse"
    if context is not None and err.context:
        # PyYAML splits some sentences: context "expected a single document",
        # problem "but found another document".
        if str(what).startswith("but "):
            what = f"{err.context}, {what}"
        else:
            what = Phrase(
                "rubric.yaml_context",
                {"problem": what, "context": err.context, "line": context.line + 1},
            )
    # "Unexpected end of stream" points past the last line; where the open quote or
    # bracket started is the line to fix.
    at_end = problem is not None and problem.index >= len(text.rstrip())
    mark = context if (problem is None or at_end) and context is not None else problem
    line = mark.line + 1 if mark is not None else None
    return _file_problem(line, "rubric.yaml_syntax", problem=what)


def _describe_node(node: yaml.Node) -> Phrase:
    if isinstance(node, yaml.SequenceNode):
        return Phrase("rubric.value.list")
    if isinstance(node, yaml.ScalarNode):
        if node.value:
            return Phrase("rubric.value.scalar", {"value": node.value})
        return Phrase("rubric.value.empty")
    return Phrase("rubric.value.mapping")


# --- problems PyYAML and the models cannot see ---------------------------------------


def _duplicate_keys(root: yaml.Node) -> Iterator[_Line]:
    # PyYAML silently keeps the last of two equal keys; a rubric that says `points`
    # twice almost certainly means something else by one of them.
    for steps, node in _walk_nodes(root, ()):
        if not isinstance(node, yaml.MappingNode):
            continue
        first_line: dict[str, int] = {}
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode):
                continue
            line = key.start_mark.line + 1
            if key.value in first_line:
                phrase = Phrase("rubric.duplicate_key", {"line": first_line[key.value]})
                yield _Line(line, Problem((*steps, key.value), phrase))
            else:
                first_line[key.value] = line


def _walk_nodes(node: yaml.Node, steps: Loc) -> Iterator[tuple[Loc, yaml.Node]]:
    yield steps, node
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                yield from _walk_nodes(value, (*steps, key.value))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _walk_nodes(item, (*steps, index))


def _duplicate_check_ids(root: yaml.Node, data: dict[str, Any]) -> Iterator[_Line]:
    # The model rejects duplicates too, but only once everything else is valid and
    # without a line; checking here reports it alongside the other problems.
    checks = data.get("checks")
    if not isinstance(checks, list):
        return
    first: dict[str, int] = {}
    for index, check in enumerate(checks):
        if not isinstance(check, dict) or not isinstance(check.get("id"), str):
            continue
        check_id = check["id"]
        if check_id in first:
            other = first[check_id]
            args = {"id": check_id, "other": other, "line": _locate(root, ("checks", other, "id"))}
            problem = Problem(("checks", index, "id"), Phrase("rubric.duplicate_check_id", args))
            yield _Line(_locate(root, problem.steps), problem)
        else:
            first[check_id] = index


# --- paths and lines -----------------------------------------------------------------


def _locate(root: yaml.Node, steps: Loc) -> int:
    """1-based line of the deepest node ``steps`` reaches (a key's line when reached by key)."""
    node: yaml.Node = root
    line = root.start_mark.line + 1
    for step in steps:
        found: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(step):
                    line, found = key.start_mark.line + 1, value
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(step, int)
            and 0 <= step < len(node.value)
        ):
            found = node.value[step]
            line = found.start_mark.line + 1
        if found is None:
            break
        node = found
    return line
