"""The answers check: written answers scored by the concepts they mention.

Keyword matching is a first pass, not a judgement: every result is marked "needs
review" so an instructor reads the answers (and may override the points).
"""

from __future__ import annotations

from typing import Any

from autograder.answers import concept_hits, find_answers, word_count
from autograder.checks import weighted
from autograder.checks.base import CheckContext, result
from autograder.results import CheckResult
from autograder.rubric.models import AnswersCheck, Question

_EXCERPT = 300


def check_answers(check: AnswersCheck, ctx: CheckContext) -> CheckResult:
    answers = find_answers(ctx.cells, check.questions)
    rows = [_score(q, answers.get(q.id)) for q in check.questions]
    shares = [(q.weight, row["share"]) for q, row in zip(check.questions, rows, strict=True)]
    status, points = weighted(check, shares)
    found = sum(1 for row in rows if row["found"])
    message = f"needs review: {found} of {len(rows)} answers found"
    weak = [f"{row['id']} ({row['problem']})" for row in rows if row["problem"]]
    if weak:
        message += "; " + ", ".join(weak)
    return result(
        check,
        status,
        message,
        expected={q.id: [c.name for c in q.concepts] for q in check.questions},
        measured={row["id"]: row["concepts"] for row in rows},
        points=points,
        details={"needs_review": True, "answers": rows},
    )


def _score(question: Question, answer: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": question.id,
        "question": question.text,
        "found": answer is not None,
        "cell": None,
        "words": 0,
        "concepts": [],
        "missing": [c.name for c in question.concepts],
        "share": 0.0,
        "problem": "not found",
        "excerpt": None,
    }
    if answer is None:
        return row
    words = word_count(answer.text)
    hit = [c.name for c in question.concepts if concept_hits(answer.text, c.any)]
    row.update(
        cell=answer.cell,
        words=words,
        concepts=hit,
        missing=[c.name for c in question.concepts if c.name not in hit],
        excerpt=answer.text[:_EXCERPT],
    )
    if words < question.min_words:
        row["problem"] = f"{words} words, fewer than {question.min_words}"
        return row
    row["share"] = len(hit) / len(question.concepts) if question.concepts else 1.0
    row["problem"] = "lacks " + ", ".join(row["missing"]) if row["missing"] else None
    return row
