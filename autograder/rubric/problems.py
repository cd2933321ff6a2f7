"""Pydantic's validation errors, turned into catalog phrases located in the rubric.

Everything here reads public parts of an error: its ``loc``, its documented ``type``
and its ``ctx``.  Unions in the models are tagged (``Tag``, or the check ``kind``), so
each path element names either a key, an index or a tag we chose; the models' own
validators raise :func:`autograder.rubric.models.invalid` errors whose type is the
catalog key and whose context holds the arguments.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, Tag
from pydantic_core import ErrorDetails

from autograder.i18n import Language, en, text
from autograder.rubric.models import SHAPE_ERROR, DatasetName, Rubric

Loc = tuple[int | str, ...]


@dataclass(frozen=True)
class Phrase:
    """A catalog key and its arguments; an argument may be a phrase itself."""

    key: str
    args: Mapping[str, Any] = field(default_factory=dict)

    def render(self, lang: Language) -> str:
        args = {k: v.render(lang) if isinstance(v, Phrase) else v for k, v in self.args.items()}
        return text(self.key, lang, **args)


@dataclass(frozen=True)
class Problem:
    """One problem: the data path it concerns and what is wrong there."""

    steps: Loc
    phrase: Phrase

    def render(self, lang: Language) -> str:
        where = display(self.steps)
        return f"{where}: {self.phrase.render(lang)}" if where else self.phrase.render(lang)


def display(steps: Loc) -> str:
    """``checks[1].kind`` for ``("checks", 1, "kind")``."""
    out = ""
    for step in steps:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def describe_errors(errors: Sequence[ErrorDetails]) -> Iterator[Problem]:
    for error in errors:
        # The loader reports duplicate ids itself, with both lines.
        if error["type"] != "rubric.check_ids":
            yield _translate(error, _resolve(error["loc"]))


# --- where an error points ------------------------------------------------------------


@dataclass(frozen=True)
class _Located:
    steps: Loc
    """Path into the data, tags taken out."""
    owner: Any
    """The type that holds the last step (a model for field errors)."""
    target: Any
    """The type expected at ``steps``."""


def _resolve(loc: Loc) -> _Located:
    """Walk ``loc`` through the model types, dropping the union tags from the path."""
    current: Any = Rubric
    owner: Any = None
    steps: list[int | str] = []
    for element in loc:
        current = _unwrap(current)
        chosen = next((m for m in _members(current) if _tag_of(m) == element), None)
        if chosen is not None:
            current = chosen
            continue
        owner = current
        steps.append(element)
        current = _child_type(current, element)
    return _Located(tuple(steps), owner, _unwrap(current))


def _unwrap(tp: Any) -> Any:
    """Strip ``Annotated`` and ``Optional`` so that what is left is the real shape."""
    while True:
        if get_origin(tp) is typing.Annotated:
            tp = get_args(tp)[0]
            continue
        members = _members(tp)
        if type(None) in members:
            rest = tuple(m for m in members if m is not type(None))
            tp = rest[0] if len(rest) == 1 else typing.Union[rest]  # noqa: UP007  # a runtime tuple
            continue
        return tp


def _members(tp: Any) -> tuple[Any, ...]:
    return get_args(tp) if get_origin(tp) in (typing.Union, types.UnionType) else ()


def _tag_of(member: Any) -> str | None:
    if get_origin(member) is typing.Annotated:
        tags = [m.tag for m in member.__metadata__ if isinstance(m, Tag)]
        return tags[0] if tags else None
    return _kind_of(member) if _is_model(member) else None


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _kind_of(model: type[BaseModel]) -> str | None:
    kind = model.model_fields.get("kind")
    if kind is None or get_origin(kind.annotation) is not Literal:
        return None
    value = get_args(kind.annotation)[0]
    return value if isinstance(value, str) else None


def _child_type(tp: Any, element: int | str) -> Any:
    if _is_model(tp) and isinstance(element, str) and element in tp.model_fields:
        return tp.model_fields[element].annotation
    if get_origin(tp) is list and isinstance(element, int):
        return get_args(tp)[0]
    return Any


# --- what it says ---------------------------------------------------------------------

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
_BOUNDS = {
    "greater_than_equal": ("rubric.at_least", "ge"),
    "greater_than": ("rubric.greater_than", "gt"),
    "less_than_equal": ("rubric.at_most", "le"),
    "less_than": ("rubric.less_than", "lt"),
}
_PATTERNS = {
    r"^[A-Za-z0-9_.-]+$": "rubric.pattern.name",
    r"^[A-Za-z_][A-Za-z0-9_]*$": "rubric.pattern.identifier",
}


def _translate(error: ErrorDetails, where: _Located) -> Problem:
    kind, steps = error["type"], where.steps
    if kind == "missing" and steps:
        return Problem(steps[:-1], Phrase("rubric.missing_key", {"key": steps[-1]}))
    if kind == "extra_forbidden" and steps:
        return Problem(steps, _unknown_key(where.owner, steps[-1]))
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return _tag_problem(error, where)
    return Problem(steps, _phrase(error, where))


def _phrase(error: ErrorDetails, where: _Located) -> Phrase:  # noqa: PLR0911  # one return per error family
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error["input"]
    if kind == "literal_error":
        return _literal_problem(where.target, value)
    if kind in _TYPE_ERRORS:
        return _expected(_type_phrase(_expected_type(kind, where)), value)
    if kind == SHAPE_ERROR:
        first, second = (_type_phrase(m) for m in _members(where.target))
        return _expected(Phrase("rubric.type.either", {"first": first, "second": second}), value)
    if kind in _BOUNDS:
        key, bound = _BOUNDS[kind]
        return Phrase(key, {"limit": show(ctx.get(bound)), "value": show(value)})
    if kind == "too_short":
        least = ctx.get("min_length", 1)
        return (
            Phrase("rubric.not_empty")
            if least == 1
            else Phrase("rubric.at_least_entries", {"count": least})
        )
    if kind == "too_long":
        return Phrase("rubric.at_most_entries", {"count": ctx.get("max_length")})
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        key = _PATTERNS.get(pattern, "rubric.pattern")
        return Phrase(key, {"value": show(value), "pattern": pattern})
    if kind in en.MESSAGES:  # the models' own validators: the type is the catalog key
        return Phrase(kind, ctx)
    # A plain ValueError from a validator: its own words are all there is.
    reason = str(ctx.get("error", error["msg"]))
    return Phrase("rubric.invalid", {"error": reason[:1].lower() + reason[1:]})


def _expected(expected: Phrase, value: Any) -> Phrase:
    return Phrase("rubric.expected", {"expected": expected, "value": show(value)})


def _expected_type(kind: str, where: _Located) -> Any:
    for prefix, tp in (("int", int), ("float", float), ("bool", bool)):
        if kind.startswith(prefix):
            return tp
    by_error: dict[str, Any] = {"list_type": list, "string_type": str}
    if kind in by_error:
        return by_error[kind]
    return where.target if _is_model(where.target) else dict


def _type_phrase(tp: Any) -> Phrase:
    tp = _unwrap(tp)
    if _is_model(tp):
        return Phrase("rubric.type.model", {"fields": ", ".join(tp.model_fields)})
    if get_origin(tp) is list:
        tp = list
    name = getattr(tp, "__name__", "dict")
    return Phrase(
        f"rubric.type.{name}" if f"rubric.type.{name}" in en.MESSAGES else "rubric.type.dict"
    )


def _unknown_key(owner: Any, key: int | str) -> Phrase:
    if not _is_model(owner):
        return Phrase("rubric.unknown_key")
    allowed = list(owner.model_fields)
    close = difflib.get_close_matches(str(key), allowed, n=1)
    if close:
        return Phrase("rubric.unknown_key.close", {"close": close[0]})
    return Phrase("rubric.unknown_key.allowed", {"allowed": ", ".join(allowed)})


def _tag_problem(error: ErrorDetails, where: _Located) -> Problem:
    ctx = error.get("ctx") or {}
    discriminator = str(ctx.get("discriminator", "'kind'")).strip("'")
    kinds = [k for m in _members(where.target) if (k := _tag_of(m)) is not None]
    names = ", ".join(kinds)
    if error["type"] == "union_tag_not_found":
        return Problem(
            where.steps, Phrase("rubric.missing_kind", {"key": discriminator, "kinds": names})
        )
    tag = ctx.get("tag")
    value = error["input"].get(discriminator, tag) if isinstance(error["input"], dict) else tag
    phrase = Phrase(
        "rubric.unknown_kind",
        {"value": show(value), "kinds": names, "suggest": _suggest(value, kinds)},
    )
    return Problem((*where.steps, discriminator), phrase)


def _literal_problem(target: Any, value: Any) -> Phrase:
    allowed = list(get_args(target))
    names = ", ".join(str(a) for a in allowed)
    args = {"value": show(value), "names": names, "suggest": _suggest(value, allowed)}
    if target == DatasetName:
        return Phrase("rubric.unknown_dataset", args)
    if len(allowed) == 1:
        return Phrase("rubric.must_be", {"expected": show(allowed[0]), "value": show(value)})
    return Phrase("rubric.one_of", args)


def _suggest(value: Any, choices: Sequence[Any]) -> Phrase | str:
    if not isinstance(value, str):
        return ""
    words = [c for c in choices if isinstance(c, str)]
    close = difflib.get_close_matches(value, words, n=1, cutoff=0.6)
    return Phrase("rubric.suggest", {"close": close[0]}) if close else ""


def show(value: Any) -> Phrase | str:
    """A short, one-line rendering of a YAML value for messages."""
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict):
        return Phrase("rubric.value.mapping")
    if isinstance(value, list):
        return Phrase("rubric.value.list")
    shown = str(value)
    return repr(shown if len(shown) <= 40 else shown[:39] + "…")
