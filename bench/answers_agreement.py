"""How far the provisional verdicts of the written answers agree with an instructor.

Scores the labelled answers of tests/fixtures/answers/labelled.yaml with the questions
of rubrics/fashion-mnist.yaml and prints: the share of answers whose verdict (nothing /
partial / full) matches the label, how many answers labelled 0 got full (and any)
credit, and how many review groups a 200-answer class collapses into per question (a
class drawn from the labelled answers, each retyped the way students vary a sentence).

    uv run python bench/answers_agreement.py
"""

from __future__ import annotations

import random
from pathlib import Path

from autograder.answer_text import Answer
from autograder.checks.answers import score_answer
from autograder.review import agreement, cluster, load_labelled
from autograder.rubric import load_rubric
from autograder.rubric.models import AnswersCheck, Question

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT / "tests" / "fixtures" / "answers" / "labelled.yaml"
RUBRIC = ROOT / "rubrics" / "fashion-mnist.yaml"
CLASS_SIZE = 200
_FILLERS = ["Creo que ", "En mi opinión, ", "I think ", "Pues ", "", "", ""]


def retyped(text: str, rng: random.Random) -> str:
    """The same answer as another student might type it: case, filler, punctuation."""
    out = rng.choice(_FILLERS) + text
    if rng.random() < 0.3:
        out = out.lower()
    if rng.random() < 0.3:
        out = out.rstrip(".") + rng.choice(["", ".", "!", " :)"])
    return out


def class_groups(question: Question, texts: list[str], seed: int = 0) -> int:
    """Review groups of a class: answers grouped within equal provisional points, as
    `autograder review` does."""
    rng = random.Random(seed)  # noqa: S311  # a reproducible sample, not a secret
    answers = [retyped(rng.choice(texts), rng) for _ in range(CLASS_SIZE)]
    points = [
        float(score_answer(question, Answer(question.id, a, 1), 1.0)["share"]) for a in answers
    ]
    return len(set(cluster(answers, points)))


def main() -> None:
    (check,) = [c for c in load_rubric(RUBRIC).rubric.checks if isinstance(c, AnswersCheck)]
    questions = {q.id: q for q in check.questions}
    items = load_labelled(LABELLED)
    result = agreement(questions, items)
    print(f"labelled answers: {result.total}")
    print(
        f"agreement of the provisional verdict: {result.agreeing}/{result.total} "
        f"= {result.share:.1%} (goal >= 90%)"
    )
    print(
        f"answers labelled 0 with full credit: {result.wrong_full_credit} (goal 0); "
        f"with any credit: {result.wrong_any_credit}"
    )
    print(f"mean |provisional - label|: {result.mean_abs_error:.3f} of a question")
    for miss in result.disagreements:
        print(f"  disagrees: {miss}")
    for qid, question in questions.items():
        texts = [i.text for i in items if i.q == qid]
        print(
            f"{qid}: a {CLASS_SIZE}-answer class drawn from {len(texts)} answers -> "
            f"{class_groups(question, texts)} review groups"
        )


if __name__ == "__main__":
    main()
