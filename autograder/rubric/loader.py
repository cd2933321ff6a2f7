"""Load a rubric file and turn every problem in it into one ``file:line: ...`` line.

Instructors write rubrics by hand, so a bad rubric must say *where* and *what* in
their words, not Pydantic's: the YAML is composed into nodes first so that each
validation error can be pointed at the line that caused it.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import types
import typing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NamedTuple, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from autograder.errors import RubricError
from autograder.rubric.models import DatasetName, Rubric

Loc = tuple[int | str, ...]

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True)
class LoadedRubric:
    """A validated rubric and the identity of the file it came from."""

    rubric: Rubric
    path: Path
    sha256: str
    """SHA-256 of the file bytes, so results can say exactly which rubric graded them."""


def load_rubric(path: Path) -> LoadedRubric:
    """Read, parse and validate ``path``; raise :class:`RubricError` listing every problem."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise RubricError(path, [f"{path}: rubric file not found"]) from None
    except IsADirectoryError:
        raise RubricError(path, [f"{path}: is a directory, not a rubric file"]) from None
    except OSError as err:
        raise RubricError(path, [f"{path}: cannot read: {err.strerror or err}"]) from None
    digest = hashlib.sha256(raw).hexdigest()
    root, data = _parse(path, raw)
    problems = [*_duplicate_keys(root), *_duplicate_check_ids(root, data)]
    try:
        rubric = Rubric.model_validate(data)
    except ValidationError as err:
        problems.extend(_describe_errors(root, data, err.errors(include_url=False)))
    if problems:
        # Stable sort: problems on one line keep Pydantic's (field) order.
        ordered = sorted(problems, key=lambda p: p.line)
        raise RubricError(path, [f"{path}:{p.line}: {p.text}" for p in ordered])
    return LoadedRubric(rubric=rubric, path=path, sha256=digest)


class _Problem(NamedTuple):
    line: int
    text: str


def rubric_json_schema() -> dict[str, Any]:
    """The JSON Schema of rubric files, for editors and ``autograder rubric schema``."""
    schema = Rubric.model_json_schema()
    return {"$schema": JSON_SCHEMA_DIALECT, **schema, "title": "autograder rubric"}


# --- reading -------------------------------------------------------------------------


def _parse(path: Path, raw: bytes) -> tuple[yaml.MappingNode, dict[str, Any]]:
    try:
        # utf-8-sig: editors on Windows like to prepend a BOM, which is not a problem.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problem = f"{path}:{line}: not UTF-8 text (byte 0x{raw[err.start]:02x}); save it as UTF-8"
        raise RubricError(path, [problem]) from None
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as err:
        raise RubricError(path, [_yaml_problem(path, text, err)]) from None
    except yaml.YAMLError as err:
        raise RubricError(path, [f"{path}: YAML error: {err}"]) from None
    finally:
        loader.dispose()
    if root is None:
        raise RubricError(path, [f"{path}:1: the file is empty; expected a mapping of rubric keys"])
    if not isinstance(root, yaml.MappingNode) or not isinstance(data, dict):
        found = _describe_node(root)
        line = root.start_mark.line + 1
        problem = f"{path}:{line}: top level must be a mapping of rubric keys, found {found}"
        raise RubricError(path, [problem])
    return root, data


def _yaml_problem(path: Path, text: str, err: yaml.MarkedYAMLError) -> str:
    problem, context = err.problem_mark, err.context_mark
    what = err.problem or "cannot parse"
    if context is not None and err.context:
        # PyYAML splits some sentences: context "expected a single document",
        # problem "but found another document".
        if what.startswith("but "):
            what = f"{err.context}, {what}"
        else:
            what += f" ({err.context} on line {context.line + 1})"
    # "Unexpected end of stream" points past the last line; where the open quote or
    # bracket started is the line to fix.
    at_end = problem is not None and problem.index >= len(text.rstrip())
    mark = context if (problem is None or at_end) and context is not None else problem
    where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
    return f"{where}: YAML syntax error: {what}"


def _describe_node(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.ScalarNode):
        return f"the value {node.value!r}" if node.value else "an empty value"
    return "a mapping"


# --- problems PyYAML and the models cannot see ---------------------------------------


def _duplicate_keys(root: yaml.Node) -> Iterator[_Problem]:
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
                where = _display((*steps, key.value))
                yield _Problem(
                    line,
                    f"{where}: duplicate key (first on line {first_line[key.value]}; "
                    "YAML would keep only the last)",
                )
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


def _duplicate_check_ids(root: yaml.Node, data: dict[str, Any]) -> Iterator[_Problem]:
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
            yield _Problem(
                _locate(root, ("checks", index, "id")),
                f"checks[{index}].id: duplicate check id {check_id!r} "
                f"(also used by checks[{other}] on line {_locate(root, ('checks', other, 'id'))})",
            )
        else:
            first[check_id] = index


# --- Pydantic errors, located and translated -----------------------------------------


@dataclass(frozen=True)
class _Located:
    """Where a Pydantic error points, with union tags taken out of the path."""

    steps: Loc
    """Path into the data, as shown to the user."""
    owner: Any
    """The type that holds the last step (a model for field errors)."""
    target: Any
    """The type expected at ``steps``."""
    branch: Any
    """For a plain union: the member this error came from; None otherwise."""
    branch_at: Loc
    """The path of that union value."""


def _describe_errors(
    root: yaml.Node, data: dict[str, Any], errors: Sequence[ErrorDetails]
) -> Iterator[_Problem]:
    unions: dict[Loc, list[tuple[ErrorDetails, _Located]]] = {}
    for error in errors:
        if _reported_elsewhere(error):
            continue
        where = _resolve(error["loc"])
        if where.branch is None:
            yield _problem(root, error, where)
        else:
            unions.setdefault(where.branch_at, []).append((error, where))
    # Pydantic says why *every* member of a union failed; report what the user meant.
    for at, members in unions.items():
        value = _value_at(data, at)
        meant = [(e, w) for e, w in members if _shape_fits(w.branch, value)]
        if meant and not all(_is_type_error_at_union(e, w) for e, w in meant):
            yield from (_problem(root, e, w) for e, w in meant)
        else:
            branches = dict.fromkeys(w.branch for _, w in members)
            expected = " or ".join(_type_phrase(b) for b in branches)
            message = f"{_prefix(at)}expected {expected}, got {_show(value)}"
            yield _Problem(_locate(root, at), message)


def _problem(root: yaml.Node, error: ErrorDetails, where: _Located) -> _Problem:
    steps, message = _translate(error, where)
    return _Problem(_locate(root, steps), f"{_prefix(steps)}{message}")


def _is_type_error_at_union(error: ErrorDetails, where: _Located) -> bool:
    return error["type"] in _TYPE_ERRORS and where.steps == where.branch_at


def _reported_elsewhere(error: ErrorDetails) -> bool:
    return error["type"] == "value_error" and "duplicate check id" in str(error["msg"])


def _resolve(loc: Loc) -> _Located:
    """Walk ``loc`` through the model types, dropping the union tags Pydantic inserts."""
    current: Any = Rubric
    owner: Any = None
    steps: list[int | str] = []
    branch: Any = None
    branch_at: Loc = ()
    for element in loc:
        current = _unwrap(current)
        members = _union_members(current)
        if members:
            chosen, is_tag = _pick_member(members, element)
            if chosen is not None:
                if not is_tag:
                    branch, branch_at = chosen, tuple(steps)
                current = chosen
                continue
        owner = current
        steps.append(element)
        current = _child_type(current, element)
    return _Located(tuple(steps), owner, _unwrap(current), branch, branch_at)


def _unwrap(tp: Any) -> Any:
    """Strip ``Annotated`` and ``Optional`` so that what is left is the real shape."""
    while True:
        if get_origin(tp) is typing.Annotated:
            tp = get_args(tp)[0]
            continue
        members = _union_members(tp)
        if members and type(None) in members:
            rest = tuple(m for m in members if m is not type(None))
            tp = rest[0] if len(rest) == 1 else typing.Union[rest]  # noqa: UP007
            continue
        return tp


def _union_members(tp: Any) -> tuple[Any, ...]:
    if get_origin(tp) in (typing.Union, types.UnionType):
        return tuple(_unwrap_annotated(m) for m in get_args(tp))
    return ()


def _unwrap_annotated(tp: Any) -> Any:
    return get_args(tp)[0] if get_origin(tp) is typing.Annotated else tp


def _pick_member(members: tuple[Any, ...], element: int | str) -> tuple[Any, bool]:
    """Which union member a loc element names, and whether it was a discriminator tag."""
    if not isinstance(element, str):
        return None, False
    for member in members:
        if _is_model(member) and _kind_of(member) == element:
            return member, True
    for member in members:
        name = getattr(member, "__name__", None)
        if name is None:
            continue
        # Plain unions label each member: `int`, `Range`, `function-after[_ordered(), Range]`,
        # and `constrained-float` for a number with bounds.
        if element in (name, f"constrained-{name}") or (
            _is_model(member) and re.search(rf"\b{name}\b", element)
        ):
            return member, False
    return None, False


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _kind_of(model: type[BaseModel]) -> str | None:
    field = model.model_fields.get("kind")
    if field is None or get_origin(field.annotation) is not Literal:
        return None
    value = get_args(field.annotation)[0]
    return value if isinstance(value, str) else None


def _child_type(tp: Any, element: int | str) -> Any:
    if _is_model(tp) and isinstance(element, str) and element in tp.model_fields:
        return tp.model_fields[element].annotation
    if get_origin(tp) is list and isinstance(element, int):
        return get_args(tp)[0]
    return Any


def _shape_fits(tp: Any, value: Any) -> bool:
    if _is_model(tp) or tp is dict:
        return isinstance(value, dict)
    if tp is list:
        return isinstance(value, list)
    return not isinstance(value, dict | list)


def _value_at(data: Any, steps: Loc) -> Any:
    for step in steps:
        in_list = isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data)
        if not in_list and not (isinstance(data, dict) and step in data):
            return None
        data = data[step]
    return data


_TYPE_ERRORS = frozenset(
    {
        "int_type",
        "int_parsing",
        "int_from_float",
        "float_type",
        "float_parsing",
        "bool_type",
        "bool_parsing",
        "string_type",
        "list_type",
        "dict_type",
        "model_type",
        "model_attributes_type",
    }
)


def _type_phrase(tp: Any) -> str:
    simple = {
        int: "an integer",
        float: "a number",
        str: "a text",
        bool: "true or false",
        dict: "a mapping",
        list: "a list",
    }
    if tp in simple:
        return simple[tp]
    if _is_model(tp):
        return f"a {{{', '.join(tp.model_fields)}}} mapping"
    if get_origin(tp) is list:
        return "a list"
    return getattr(tp, "__name__", str(tp))


def _translate(error: ErrorDetails, where: _Located) -> tuple[Loc, str]:
    """The path to show and the human phrase for one error."""
    kind = error["type"]
    steps = where.steps
    if kind == "missing" and steps:
        return steps[:-1], f"missing required key {steps[-1]!r}"
    if kind == "extra_forbidden" and steps:
        return steps, "unknown key" + _key_hint(where.owner, steps[-1])
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return _tag_problem(error, where)
    return steps, _phrase(error, where)


_BOUNDS = {
    "greater_than_equal": ("at least", "ge"),
    "greater_than": ("greater than", "gt"),
    "less_than_equal": ("at most", "le"),
    "less_than": ("less than", "lt"),
}


def _phrase(error: ErrorDetails, where: _Located) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error["input"]
    if kind == "literal_error":
        return _literal_problem(where.target, value)
    if kind in _TYPE_ERRORS:
        return f"expected {_type_phrase(_expected_type(kind, where))}, got {_show(value)}"
    if kind in _BOUNDS:
        phrase, key = _BOUNDS[kind]
        return f"must be {phrase} {_show(ctx.get(key))}, got {_show(value)}"
    if kind == "too_short":
        least = ctx.get("min_length", 1)
        return "must not be empty" if least == 1 else f"needs at least {least} entries"
    if kind == "string_pattern_mismatch":
        return _pattern_problem(str(ctx.get("pattern", "")), value)
    # Our own validators already speak the user's language; only drop Pydantic's prefix.
    message = str(error["msg"]).removeprefix("Value error, ")
    return message[:1].lower() + message[1:]


def _expected_type(kind: str, where: _Located) -> Any:
    if where.branch is not None and where.steps == where.branch_at:
        return where.branch
    by_error: dict[str, Any] = {"list_type": list, "string_type": str, "bool_type": bool}
    if kind.startswith("int"):
        return int
    if kind.startswith("float"):
        return float
    if kind.startswith("bool"):
        return bool
    if kind in by_error:
        return by_error[kind]
    return where.target if _is_model(where.target) else dict


def _key_hint(owner: Any, key: int | str) -> str:
    if not _is_model(owner):
        return ""
    allowed = list(owner.model_fields)
    close = difflib.get_close_matches(str(key), allowed, n=1)
    if close:
        return f" (did you mean {close[0]!r}?)"
    return f" (allowed: {', '.join(allowed)})"


def _tag_problem(error: ErrorDetails, where: _Located) -> tuple[Loc, str]:
    discriminator = str((error.get("ctx") or {}).get("discriminator", "'kind'")).strip("'")
    kinds = [k for m in _union_members(where.target) if (k := _kind_of(m)) is not None]
    expected = f"(expected one of: {', '.join(kinds)})"
    if error["type"] == "union_tag_not_found":
        return where.steps, f"missing required key {discriminator!r} {expected}"
    tag = (error.get("ctx") or {}).get("tag")
    value = error["input"].get(discriminator, tag) if isinstance(error["input"], dict) else tag
    return (
        (*where.steps, discriminator),
        f"unknown check kind {_show(value)} {expected}{_suggest(value, kinds)}",
    )


def _literal_problem(target: Any, value: Any) -> str:
    allowed = list(get_args(target))
    names = ", ".join(str(a) for a in allowed)
    if target == DatasetName:
        return f"{_show(value)} is not a known dataset (known: {names}){_suggest(value, allowed)}"
    if len(allowed) == 1:
        return f"must be {_show(allowed[0])}, got {_show(value)}"
    return f"must be one of: {names}; got {_show(value)}{_suggest(value, allowed)}"


def _suggest(value: Any, choices: Sequence[Any]) -> str:
    if not isinstance(value, str):
        return ""
    words = [c for c in choices if isinstance(c, str)]
    close = difflib.get_close_matches(value, words, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


_PATTERNS = {
    r"^[A-Za-z0-9_.-]+$": "use only letters, digits, '_', '.' and '-'",
    r"^[A-Za-z_][A-Za-z0-9_]*$": "must be a Python variable name",
}


def _pattern_problem(pattern: str, value: Any) -> str:
    rule = _PATTERNS.get(pattern, f"must match the pattern {pattern}")
    return f"{_show(value)} is not allowed: {rule}"


def _show(value: Any) -> str:
    """A short, one-line rendering of a YAML value for messages."""
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict | list):
        return "a mapping" if isinstance(value, dict) else "a list"
    text = str(value)
    return repr(text if len(text) <= 40 else text[:39] + "…")


# --- paths and lines -----------------------------------------------------------------


def _display(steps: Loc) -> str:
    out = ""
    for step in steps:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def _prefix(steps: Loc) -> str:
    return f"{_display(steps)}: " if steps else ""


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
