"""The answers check: written answers, scored provisionally by the concepts they mention.

The points are a first pass, never a judgement: every row is ``provisional`` until an
instructor reviews it (``autograder review``), and a review is tied to the answer's
text by its SHA-256 so that a changed answer is flagged instead of keeping old points.
The policy itself (minimum length, concepts needed to be on topic, the least credit an
on-topic answer keeps) is the rubric's, per question; see :class:`Question`.
"""

from __future__ import annotations

from typing import Any

from autograder.answer_text import (
    Answer,
    concept_found,
    find_answers,
    function_word_share,
    text_sha256,
    visible_text,
    words,
)
from autograder.checks import weighted
from autograder.checks.base import CheckContext, result
from autograder.i18n import Said, say, text
from autograder.results import CheckResult, CheckStatus
from autograder.rubric.models import AnswersCheck, Question

_EXCERPT = 300
_TEXT_CAP = 4000
"""Characters of each answer kept in result.json: enough to review it, never unbounded."""


def check_answers(check: AnswersCheck, ctx: CheckContext) -> CheckResult:
    answers = find_answers(ctx.cells, check.questions)
    total_weight = sum(q.weight for q in check.questions)
    rows = [
        score_answer(q, answers.get(q.id), check.points * q.weight / total_weight)
        for q in check.questions
    ]
    shares = [(q.weight, row["share"]) for q, row in zip(check.questions, rows, strict=True)]
    status, points = weighted(check, shares)
    message, said = summary(rows)
    return result(
        check,
        status,
        message,
        expected={q.id: [c.name for c in q.concepts] for q in check.questions},
        measured={row["id"]: row["concepts"] for row in rows},
        points=points,
        details={"needs_review": True, "answers": rows},
        said=said,
    )


def score_answer(question: Question, answer: Answer | None, max_points: float) -> dict[str, Any]:
    """One question's row in the check's details: what was found and its provisional share."""
    row: dict[str, Any] = {
        "id": question.id,
        "question": question.text,
        "found": answer is not None,
        "cell": None,
        "words": 0,
        "concepts": [],
        "missing": [c.name for c in question.concepts],
        "negated": [],
        "misconceptions": [],
        "share": 0.0,
        "points": 0.0,
        "max_points": round(max_points, 4),
        "problem": "not_found",
        "verdict": "provisional",
        "text": None,
        "sha256": None,
        "excerpt": None,
    }
    if answer is None:
        return row
    shown = visible_text(answer.text)
    text_words = words(shown)
    found: list[str] = []
    negated: list[str] = []
    for concept in question.concepts:
        hit = concept_found(text_words, concept.any, concept.window)
        if hit is not None:
            (negated if hit.negated else found).append(concept.name)
    wrong = [
        c.name
        for c in question.misconceptions
        if (hit := concept_found(text_words, c.any, c.window)) is not None and not hit.negated
    ]
    row.update(
        cell=answer.cell,
        words=len(text_words),
        concepts=found,
        missing=[c.name for c in question.concepts if c.name not in found],
        negated=negated,
        misconceptions=wrong,
        text=shown[:_TEXT_CAP],
        sha256=text_sha256(shown),
        excerpt=shown[:_EXCERPT],
    )
    needed = min(question.min_concepts, len(question.concepts))
    if len(text_words) < question.min_words:
        row["problem"] = "too_short"
    elif function_word_share(text_words) < question.min_function_words:
        row["problem"] = "keywords_only"
    elif wrong:
        row["problem"] = "misconception"
    elif len(found) < needed:
        row["problem"] = "off_topic"
    else:
        share = len(found) / len(question.concepts) if question.concepts else 1.0
        floor = question.on_topic_credit
        row["share"] = round(floor + (1 - floor) * share, 4)
        row["problem"] = "lacks" if row["missing"] else None
    row["points"] = round(max_points * row["share"], 4)
    return row


def summary(rows: list[dict[str, Any]]) -> tuple[str, Said]:
    """The check's one line: how many answers were found, reviewed, and which to look at."""
    found = sum(1 for row in rows if row["found"])
    reviewed = sum(1 for row in rows if row["verdict"] == "reviewed")
    changed = [row["id"] for row in rows if row.get("review") == "changed"]
    weak = [row["id"] for row in rows if row["problem"] and row["verdict"] != "reviewed"]
    args = {"found": found, "total": len(rows), "reviewed": reviewed}
    if changed:
        said = say("answers.changed", **args, changed=", ".join(changed))
    elif reviewed == len(rows):
        said = say("answers.reviewed_all", **args)
    elif weak:
        said = say("answers.provisional_weak", **args, weak=", ".join(weak))
    else:
        said = say("answers.provisional", **args)
    return text(said.id, "en", **said.args), said


def apply_review(
    check: CheckResult, question: str, points: float, sha256: str | None
) -> CheckResult | None:
    """``check`` with the instructor's ``points`` for ``question``; None when the check
    has no such question.  When the answer's text no longer has ``sha256`` the review is
    not applied: the row keeps its provisional points and says ``review: changed``."""
    rows = [dict(row) for row in (check.details or {}).get("answers", [])]
    index = next((i for i, row in enumerate(rows) if row.get("id") == question), None)
    if index is None:
        return None
    row = rows[index]
    if sha256 is not None and row.get("sha256") != sha256:
        row["review"] = "changed"
    else:
        row.update(points=round(points, 4), verdict="reviewed", review="kept")
    rows[index] = row
    earned = round(sum(float(r.get("points", 0.0)) for r in rows), 4)
    status: CheckStatus = (
        "pass" if earned >= check.max_points else "partial" if earned > 0 else "fail"
    )
    message, said = summary(rows)
    details = {
        **(check.details or {}),
        "answers": rows,
        "needs_review": any(r["verdict"] != "reviewed" for r in rows),
    }
    return check.model_copy(
        update={
            "points": earned,
            "status": status,
            "message": message,
            "message_id": said.id,
            "message_args": said.args,
            "details": details,
        }
    )
