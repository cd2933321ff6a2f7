"""Manual overrides: an instructor's YAML file that adjusts a check's points for a student.

```yaml
overrides:
  - student: "12345"          # LMS student id, or the submission id
    check: test-accuracy      # rubric check id
    points: 3
    comment: Trained on a GPU; accuracy re-checked by hand
```

Overrides are applied on top of the stored results every time the outputs are
written, so they show in every export and never touch the results store.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from autograder.checks.answers import apply_review
from autograder.errors import OverridesError
from autograder.results import CheckResult, CheckStatus, GradeReport, OverrideApplied


class Override(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    student: str = Field(min_length=1, description="LMS student id, or the submission id.")
    check: str = Field(min_length=1, description="The rubric check id to adjust.")
    points: float = Field(ge=0, description="Points to award for that check.")
    comment: str = Field(min_length=1, description="Why; shown in every export.")
    question: str | None = Field(
        default=None,
        description="For an answers check: the question reviewed (`autograder review`); "
        "`points` are then that question's, and the check's total is recomputed.",
    )
    answer_sha256: str | None = Field(
        default=None,
        description="SHA-256 of the reviewed answer's text; a changed answer keeps its "
        "provisional points and is flagged instead.",
    )
    reviewer: str | None = Field(default=None, description="Who reviewed the answer.")
    reviewed_on: datetime.date | None = Field(default=None, description="When.")


class OverridesFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    overrides: list[Override] = Field(description="One entry per adjusted check.")


class LoadedOverrides(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: Path
    overrides: list[Override]
    lines: list[int] = Field(description="YAML line of each override, for later problems.")


def _line_of(node: yaml.Node, loc: Sequence[int | str]) -> int:
    """The line of the deepest node along ``loc`` that exists in the YAML tree."""
    for step in loc:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            child = next(
                (v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == step),
                None,
            )
            if child is None:  # a missing key: point at its mapping
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if step >= len(node.value):
                break
            child = node.value[step]
        else:
            break
        node = child
    return node.start_mark.line + 1


def _where(loc: Sequence[int | str]) -> str:
    text = ""
    for step in loc:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def load_overrides(path: Path) -> LoadedOverrides:
    """Read and validate ``path``; raise :class:`OverridesError` with ``file:line`` problems."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise OverridesError(path, [f"{path}: overrides file not found"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise OverridesError(path, [f"{path}: cannot read: {exc}"]) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data: Any = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        # At the end of the stream the open quote or bracket is the line to fix.
        mark = exc.problem_mark
        if exc.context_mark is not None and (mark is None or mark.index >= len(text.rstrip())):
            mark = exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise OverridesError(path, [f"{path}:{line}: YAML syntax error: {exc.problem}"]) from None
    if root is None:
        raise OverridesError(path, [f"{path}:1: the file is empty; expected `overrides:`"])
    try:
        parsed = OverridesFile.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{path}:{_line_of(root, err['loc'])}: {_where(err['loc']) or 'top level'}: "
            f"{err['msg']}"
            for err in exc.errors(include_url=False)
        ]
        raise OverridesError(path, problems) from None
    lines = [_line_of(root, ("overrides", i)) for i in range(len(parsed.overrides))]
    return LoadedOverrides(path=path, overrides=parsed.overrides, lines=lines)


def _status(points: float, max_points: float) -> CheckStatus:
    if points >= max_points:
        return "pass"
    return "partial" if points > 0 else "fail"


def _matches(override: Override, report: GradeReport) -> bool:
    info = report.submission
    return override.student in (info.id, info.student_id)


def apply_overrides(loaded: LoadedOverrides, reports: list[GradeReport]) -> list[GradeReport]:
    """``reports`` with every override applied; an override that matches no student or
    no check of that student is an error naming its line (most likely a typo)."""
    problems: list[str] = []
    out = list(reports)
    for override, line in zip(loaded.overrides, loaded.lines, strict=True):
        hits = [i for i, r in enumerate(out) if _matches(override, r)]
        if not hits:
            problems.append(f"{loaded.path}:{line}: no submission for student {override.student!r}")
            continue
        for i in hits:
            applied = _apply(override, out[i])
            if applied is None:
                problems.append(
                    f"{loaded.path}:{line}: student {override.student!r} has no check "
                    f"{override.check!r}"
                )
                break
            out[i] = applied
    if problems:
        raise OverridesError(loaded.path, problems)
    return out


def _apply(override: Override, report: GradeReport) -> GradeReport | None:
    if override.question is not None:
        return _apply_review(override, report)
    checks: list[CheckResult] = []
    found: CheckResult | None = None
    for check in report.checks:
        if check.id != override.check:
            checks.append(check)
            continue
        found = check
        checks.append(
            check.model_copy(
                update={
                    "points": override.points,
                    "status": _status(override.points, check.max_points),
                    "message": f"{check.message} [override: {override.comment}]",
                }
            )
        )
    if found is None:
        return None
    record = OverrideApplied(
        check=override.check,
        points=override.points,
        previous_points=found.points,
        comment=override.comment,
    )
    return report.model_copy(
        update={
            "checks": checks,
            "score": round(sum(c.points for c in checks), 4),
            "overrides": [*report.overrides, record],
        }
    )


def _apply_review(override: Override, report: GradeReport) -> GradeReport | None:
    """A reviewed written answer: one question's points, kept only while its text is
    the one reviewed (:func:`autograder.checks.answers.apply_review`)."""
    if override.question is None:
        return None
    index = next((i for i, c in enumerate(report.checks) if c.id == override.check), None)
    if index is None:
        return None
    found = report.checks[index]
    updated = apply_review(found, override.question, override.points, override.answer_sha256)
    if updated is None:
        return None
    checks = [*report.checks[:index], updated, *report.checks[index + 1 :]]
    rows = (updated.details or {}).get("answers", [])
    kept = any(r.get("id") == override.question and r.get("review") == "kept" for r in rows)
    records = report.overrides
    if kept:
        record = OverrideApplied(
            check=override.check,
            points=updated.points,
            previous_points=found.points,
            comment=override.comment,
        )
        records = [*records, record]
    return report.model_copy(
        update={
            "checks": checks,
            "score": round(sum(c.points for c in checks), 4),
            "overrides": records,
        }
    )
