"""Review written answers by groups: ``autograder review OUT --question q1``.

A class's answers to one question (from a ``grade --out`` folder's result.json files)
are grouped by similarity: TF-IDF over Snowball stems, then agglomerative clustering
on cosine distance (scikit-learn; nothing to download).  The instructor fills in the
points of each group, or of single answers where a group is mixed, in the sheet, and
``autograder review apply SHEET`` turns it into entries of the overrides file, each
tied to the SHA-256 of the answer it reviewed.
"""

from __future__ import annotations

import csv
import datetime
import html
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from autograder.answer_text import stems
from autograder.errors import ReviewError
from autograder.i18n import Language, locale_language, text
from autograder.overrides import Override, OverridesFile
from autograder.reports.inert import csv_cell
from autograder.results import GradeReport

ReviewFormat = Literal["html", "csv", "yaml"]
DISTANCE = 0.6
"""Cosine distance under which answers share a group: paraphrases of one idea with a
shared vocabulary fall under it, answers stating different ideas do not."""
_MAX_RESULT_BYTES = 8 * 1024 * 1024


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SheetAnswer(_Frozen):
    submission: str = Field(description="Submission id.")
    student: str = Field(description="LMS student id, else the submission id.")
    sha256: str | None = Field(description="SHA-256 of the answer's visible text.")
    provisional: float = Field(description="The grader's provisional points.")
    text: str = Field(description="The answer as a reader sees it.")
    points: float | None = Field(
        default=None, ge=0, description="The instructor's points for this answer alone."
    )


class SheetGroup(_Frozen):
    group: int = Field(description="Group number, 1 = largest.")
    size: int = Field(description="Answers in the group.")
    representative: str = Field(description="The answer closest to the group's centre.")
    concepts: list[str] = Field(description="Concepts found in the representative answer.")
    provisional: float = Field(description="Provisional points of the representative.")
    mixed: bool = Field(description="Members' provisional points differ.")
    points: float | None = Field(
        default=None, ge=0, description="The instructor's points for the whole group."
    )
    answers: list[SheetAnswer] = Field(description="Every answer in the group.")


class ReviewSheet(_Frozen):
    check: str = Field(description="The answers check id.")
    question: str = Field(description="The question reviewed.")
    max_points: float = Field(description="Points the question is worth.")
    reviewer: str | None = Field(default=None, description="Who reviews (fill in).")
    groups: list[SheetGroup] = Field(description="Largest group first.")


class _Item(_Frozen):
    submission: str
    student: str
    check: str
    text: str
    sha256: str | None
    provisional: float
    max_points: float
    concepts: list[str]


def _error(message_id: str, **args: Any) -> ReviewError:
    """A one-line error in the reader's language (the locale's)."""
    return ReviewError(text(message_id, locale_language(), **args))


# --- Reading a class's answers ---------------------------------------------------------


def read_answers(out: Path, question: str) -> list[_Item]:
    """The answers to ``question`` in every ``*/result.json`` under ``out``."""
    files = sorted(out.glob("*/result.json"))
    if not files:
        raise _error("review.no_results", path=out)
    items: list[_Item] = []
    for file in files:
        with file.open("rb") as handle:  # bounded: a result is small, a bad one is skipped
            raw = handle.read(_MAX_RESULT_BYTES + 1)
        if len(raw) > _MAX_RESULT_BYTES:
            continue
        try:
            report = GradeReport.model_validate_json(raw)
        except ValidationError:
            continue
        items.extend(_items(report, question))
    if not items:
        args = {"path": out, "question": question}
        raise _error("review.no_question", **args)
    return items


def _items(report: GradeReport, question: str) -> Iterable[_Item]:
    for check in report.checks:
        if check.kind != "answers":
            continue
        for row in (check.details or {}).get("answers", []):
            if row.get("id") != question:
                continue
            yield _Item(
                submission=report.submission.id,
                student=report.submission.student_id or report.submission.id,
                check=check.id,
                text=str(row.get("text") or ""),
                sha256=row.get("sha256"),
                provisional=float(row.get("points", 0.0)),
                max_points=float(row.get("max_points", 0.0)),
                concepts=list(row.get("concepts", [])),
            )


# --- Grouping ---------------------------------------------------------------------------


def cluster(
    texts: list[str], keys: list[float] | None = None, distance: float = DISTANCE
) -> list[int]:
    """A group label per text.  Texts are only grouped with texts of the same key (the
    provisional points), so a wrong answer that shares the right words with correct ones
    is not hidden in their group; empty texts share one group of their own."""
    keys = keys or [0.0] * len(texts)
    labels = [-1] * len(texts)
    next_label = 0
    for key in sorted(set(keys)):
        filled = [i for i, t in enumerate(texts) if keys[i] == key and stems(t)]
        if len(filled) == 1:
            labels[filled[0]] = next_label
        elif filled:
            vectors = TfidfVectorizer(analyzer=stems, sublinear_tf=True).fit_transform(
                [texts[i] for i in filled]
            )
            model = AgglomerativeClustering(
                n_clusters=None, metric="cosine", linkage="average", distance_threshold=distance
            )
            for i, label in zip(filled, model.fit_predict(vectors.toarray()), strict=True):
                labels[i] = next_label + int(label)
        next_label = max(labels) + 1
    return labels


def _representative(texts: list[str]) -> int:
    """Index of the member most similar on average to the others."""
    if len(texts) < 3 or not any(stems(t) for t in texts):
        return 0
    vectors = TfidfVectorizer(analyzer=stems).fit_transform(texts).toarray()
    similarity = vectors @ vectors.T
    return int(np.argmax(similarity.sum(axis=1)))


def build_sheet(items: list[_Item], question: str) -> ReviewSheet:
    labels = cluster([item.text for item in items], [item.provisional for item in items])
    by_label: dict[int, list[_Item]] = {}
    for item, label in zip(items, labels, strict=True):
        by_label.setdefault(label, []).append(item)
    ordered = sorted(by_label.values(), key=lambda g: (-len(g), g[0].submission))
    groups = []
    for number, members in enumerate(ordered, start=1):
        rep = members[_representative([m.text for m in members])]
        groups.append(
            SheetGroup(
                group=number,
                size=len(members),
                representative=rep.text,
                concepts=rep.concepts,
                provisional=rep.provisional,
                mixed=len({m.provisional for m in members}) > 1,
                answers=[
                    SheetAnswer(
                        submission=m.submission,
                        student=m.student,
                        sha256=m.sha256,
                        provisional=m.provisional,
                        text=m.text,
                    )
                    for m in members
                ],
            )
        )
    return ReviewSheet(
        check=items[0].check,
        question=question,
        max_points=max(item.max_points for item in items),
        groups=groups,
    )


# --- Writing the sheet ------------------------------------------------------------------


def write_review(
    out: Path, question: str, fmt: ReviewFormat, target: Path, lang: Language
) -> tuple[ReviewSheet, Path]:
    """Group the answers and write the sheet (and, for html, the page beside it)."""
    sheet = build_sheet(read_answers(out, question), question)
    target.mkdir(parents=True, exist_ok=True)
    yaml_path = target / f"review-{question}.yaml"
    if fmt == "csv":
        path = target / f"review-{question}.csv"
        path.write_text(sheet_csv(sheet), encoding="utf-8-sig")
        return sheet, path
    yaml_path.write_text(sheet_yaml(sheet), encoding="utf-8")
    if fmt == "yaml":
        return sheet, yaml_path
    path = target / f"review-{question}.html"
    path.write_text(sheet_html(sheet, yaml_path.name, lang), encoding="utf-8")
    return sheet, path


def sheet_yaml(sheet: ReviewSheet) -> str:
    # safe_dump quotes whatever could read as YAML syntax: student text stays a string.
    return yaml.safe_dump(sheet.model_dump(), allow_unicode=True, sort_keys=False, width=100)


_CSV_COLUMNS = [
    "check",
    "question",
    "max_points",
    "group",
    "size",
    "mixed",
    "submission",
    "student",
    "sha256",
    "provisional",
    "text",
    "group_points",
    "points",
]


def _cell(value: Any) -> str:
    return csv_cell("" if value is None else str(value))


def sheet_csv(sheet: ReviewSheet) -> str:
    """One row per answer; `group_points` applies to every row of the group."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_CSV_COLUMNS)
    for group in sheet.groups:
        for answer in group.answers:
            values = [
                sheet.check,
                sheet.question,
                sheet.max_points,
                group.group,
                group.size,
                group.mixed,
                answer.submission,
                answer.student,
                answer.sha256,
                answer.provisional,
                answer.text,
                group.points,
                answer.points,
            ]
            writer.writerow([_cell(v) for v in values])
    return buffer.getvalue()


def sheet_html(sheet: ReviewSheet, sheet_name: str, lang: Language) -> str:
    """A self-contained page (inline CSS, no scripts, no links): works offline."""

    def t(key: str, **args: Any) -> str:
        return html.escape(text(key, lang, **args))

    def e(value: Any) -> str:
        return html.escape(str(value))

    answers = sum(g.size for g in sheet.groups)
    title = t("review.title", question=sheet.question, answers=answers, groups=len(sheet.groups))
    parts = [
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{title}</title><style>{_CSS}</style></head><body><h1>{title}</h1>",
        f"<p class='how'>{t('review.how', sheet=sheet_name)}</p>",
    ]
    for group in sheet.groups:
        rep = e(group.representative) if group.representative else t("review.empty")
        mixed = f"<p class='mixed'>{t('review.mixed')}</p>" if group.mixed else ""
        rows = "".join(
            f"<tr><td>{e(a.student)}</td><td>{e(a.provisional)}</td>"
            f"<td>{e(a.text) or t('review.empty')}</td></tr>"
            for a in group.answers
        )
        parts.append(
            f"<section><h2>{t('review.group', group=group.group)} · "
            f"{t('review.size', size=group.size)}</h2>"
            f"<blockquote>{rep}</blockquote>"
            f"<dl><dt>{t('review.concepts')}</dt><dd>{e(', '.join(group.concepts)) or '—'}</dd>"
            f"<dt>{t('review.provisional')}</dt>"
            f"<dd>{e(group.provisional)} / {e(sheet.max_points)}</dd></dl>"
            f"{mixed}<details><summary>{t('review.members')}</summary><table>"
            f"<tr><th>{t('review.student')}</th><th>{t('review.provisional')}</th>"
            f"<th>{t('review.question')}: {e(sheet.question)}</th></tr>"
            f"{rows}</table></details></section>"
        )
    parts.append("</body></html>")
    return "\n".join(parts)


_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
    "color:#222}section{border:1px solid #ccc;border-radius:6px;padding:.5rem 1rem;"
    "margin:1rem 0}blockquote{background:#f5f5f5;margin:.5rem 0;padding:.5rem 1rem;"
    "white-space:pre-wrap}dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}"
    "dt{font-weight:600}.mixed{color:#a40}.how{color:#555}table{border-collapse:collapse;"
    "width:100%}td,th{border-top:1px solid #ddd;padding:.2rem .4rem;text-align:left;"
    "vertical-align:top}td:first-child,td:nth-child(2),th:first-child,th:nth-child(2)"
    "{width:9rem}"
)


# --- Applying the sheet -----------------------------------------------------------------


def read_sheet(path: Path) -> ReviewSheet:
    """A sheet as ``review`` wrote it and the instructor filled it (YAML or CSV)."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
        if path.suffix.lower() == ".csv":
            return _sheet_from_csv(raw)
        return ReviewSheet.model_validate(yaml.safe_load(raw))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValidationError, ValueError) as exc:
        problem = str(exc).splitlines()[0]
        args = {"path": path, "problem": problem}
        raise _error("review.bad_sheet", **args) from None


def _number(value: str) -> float | None:
    value = value.strip().lstrip("'")
    return float(value.replace(",", ".")) if value else None


def _sheet_from_csv(raw: str) -> ReviewSheet:
    rows = list(csv.DictReader(io.StringIO(raw)))
    if not rows or set(_CSV_COLUMNS) - set(rows[0]):
        raise ValueError("expected the columns " + ", ".join(_CSV_COLUMNS))
    groups: dict[int, list[dict[str, str]]] = {}
    for row in rows:
        groups.setdefault(int(row["group"]), []).append(row)
    first = rows[0]
    return ReviewSheet(
        check=first["check"].lstrip("'"),
        question=first["question"].lstrip("'"),
        max_points=float(first["max_points"]),
        groups=[
            SheetGroup(
                group=number,
                size=len(members),
                representative="",
                concepts=[],
                provisional=0.0,
                mixed=False,
                points=next(
                    (p for m in members if (p := _number(m["group_points"])) is not None), None
                ),
                answers=[
                    SheetAnswer(
                        submission=m["submission"],
                        student=m["student"],
                        sha256=m["sha256"] or None,
                        provisional=float(m["provisional"]),
                        text=m["text"],
                        points=_number(m["points"]),
                    )
                    for m in members
                ],
            )
            for number, members in sorted(groups.items())
        ],
    )


def sheet_overrides(
    sheet: ReviewSheet, reviewer: str, today: datetime.date
) -> tuple[list[Override], int]:
    """One override per answer with points (its own, else its group's); and the count of
    answers left without points (they stay provisional)."""
    overrides, skipped = [], 0
    for group in sheet.groups:
        for answer in group.answers:
            points = answer.points if answer.points is not None else group.points
            if points is None:
                skipped += 1
                continue
            overrides.append(
                Override(
                    student=answer.student,
                    check=sheet.check,
                    question=sheet.question,
                    points=min(points, sheet.max_points),
                    comment=f"{sheet.question}: {reviewer}, {today.isoformat()} "
                    f"(group {group.group})",
                    answer_sha256=answer.sha256,
                    reviewer=reviewer,
                    reviewed_on=today,
                )
            )
    return overrides, skipped


def apply_sheet(
    sheet_path: Path, overrides_path: Path, reviewer: str | None, today: datetime.date
) -> tuple[int, int]:
    """Merge the sheet's reviews into the overrides file (replacing earlier reviews of the
    same answers); returns (answers written, answers left provisional)."""
    sheet = read_sheet(sheet_path)
    who = reviewer or sheet.reviewer
    if not who:
        args = {"path": sheet_path}
        raise _error("review.needs_reviewer", **args)
    new, skipped = sheet_overrides(sheet, who, today)
    kept: list[Override] = []
    if overrides_path.exists():
        from autograder.overrides import load_overrides  # noqa: PLC0415  # only when merging

        replaced = {(o.student, o.check, o.question) for o in new}
        kept = [
            o
            for o in load_overrides(overrides_path).overrides
            if (o.student, o.check, o.question) not in replaced
        ]
    document = OverridesFile(overrides=[*kept, *new]).model_dump(mode="json", exclude_none=True)
    overrides_path.write_text(
        yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return len(new), skipped


# --- Agreement with an instructor's labels (bench/answers_agreement.py, tests) ----------

Verdict = Literal["none", "partial", "full"]


def verdict(share: float) -> Verdict:
    """The three verdicts an instructor's label is compared on."""
    if share <= 1e-9:
        return "none"
    return "full" if share >= 1 - 1e-9 else "partial"


class Labelled(_Frozen):
    q: str = Field(description="Question id in the rubric.")
    lang: Literal["es", "en"]
    kind: str = Field(description="correct, paraphrase, partial, wrong, empty, ...")
    label: float = Field(ge=0, le=1, description="Share a careful instructor gives.")
    text: str


class Agreement(_Frozen):
    total: int
    agreeing: int
    wrong_full_credit: int = Field(description="Labelled 0, given full provisional credit.")
    wrong_any_credit: int = Field(description="Labelled 0, given some provisional credit.")
    mean_abs_error: float = Field(description="Mean |provisional share - label|.")
    disagreements: list[str] = Field(description="`q kind: provisional vs label` per miss.")

    @property
    def share(self) -> float:
        return self.agreeing / self.total if self.total else 0.0


def load_labelled(path: Path) -> list[Labelled]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Labelled.model_validate(item) for item in data["answers"]]


def agreement(questions: dict[str, Any], items: list[Labelled]) -> Agreement:
    """Provisional verdicts of ``questions`` (id -> Question) against the labels."""
    from autograder.answer_text import Answer  # noqa: PLC0415  # keeps the top import list short
    from autograder.checks.answers import score_answer  # noqa: PLC0415

    agreeing, wrong_full, wrong_any, error = 0, 0, 0, 0.0
    misses = []
    for item in items:
        answer = Answer(item.q, item.text, 1) if item.text.strip() else None
        share = float(score_answer(questions[item.q], answer, 1.0)["share"])
        error += abs(share - item.label)
        if verdict(share) == verdict(item.label):
            agreeing += 1
        else:
            misses.append(f"{item.q} {item.kind} ({item.lang}): {share:.2f} vs {item.label:g}")
        if item.label == 0 and share > 0:
            wrong_any += 1
            wrong_full += share >= 1 - 1e-9
    return Agreement(
        total=len(items),
        agreeing=agreeing,
        wrong_full_credit=wrong_full,
        wrong_any_credit=wrong_any,
        mean_abs_error=round(error / len(items), 4) if items else 0.0,
        disagreements=misses,
    )


def run_command(  # noqa: PLR0917  # the command's arguments, passed straight through
    target: str,
    sheet: Path | None,
    question: str | None,
    fmt: str,
    out: Path | None,
    reviewer: str | None,
    lang: Language,
) -> str:
    """``autograder review``: the line to print (the CLI only registers and prints)."""
    if target == "apply" and sheet is not None:
        overrides = out or sheet.with_name("overrides.yaml")
        count, skipped = apply_sheet(sheet, overrides, reviewer, datetime.date.today())
        return text("review.applied", lang, count=count, path=overrides, skipped=skipped)
    if fmt not in ("html", "csv", "yaml"):
        raise _error("review.bad_format", format=fmt)
    folder = Path(target)
    if question is None:
        raise _error("review.no_question", path=folder, question="--question")
    made, path = write_review(folder, question, fmt, out or folder / "review", lang)  # type: ignore[arg-type]  # checked above
    answers = sum(g.size for g in made.groups)
    return text("review.written", lang, groups=len(made.groups), answers=answers, path=path)
