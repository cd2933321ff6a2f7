"""Written answers: finding them (tags, patterns) and scoring their concepts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from autograder.answers import concept_hits, find_answers
from autograder.artifacts import Artifacts
from autograder.checks.answers import check_answers
from autograder.checks.base import CheckContext
from autograder.execution.source import SourceCell, load_source
from autograder.rubric import load_rubric
from autograder.rubric.models import AnswersCheck, ConceptGroup, Question
from autograder.text import fold

ROOT = Path(__file__).resolve().parents[2]

OVERFIT = ConceptGroup(name="overfitting", any=["sobreajust", "overfit", "memoriz"])
UNSEEN = ConceptGroup(name="unseen data", any=["no ha visto", "nuev", "unseen"])
Q1 = Question(
    id="q1",
    tag="answer:q1",
    pattern=r"diferencia.{0,80}(entrenamiento|train).{0,40}(prueba|test)",
    concepts=[UNSEEN, OVERFIT],
    min_words=5,
)
Q2 = Question(id="q2", pattern=r"epocas|epochs", concepts=[OVERFIT], min_words=3)
CHECK = AnswersCheck(id="answers", points=2, questions=[Q1, Q2])


def md(index: int, text: str, *tags: str) -> SourceCell:
    return SourceCell(index=index, cell_type="markdown", source=text, tags=tags)


def code(index: int, text: str = "model.fit(x, y)") -> SourceCell:
    return SourceCell(index=index, cell_type="code", source=text)


def grade(cells: list[SourceCell], build: Any) -> Any:
    base = build.context(None)
    ctx = CheckContext(
        rubric=base.rubric,
        model=None,
        no_model_reason="",
        artifacts=Artifacts(),
        execution=None,
        cells=tuple(cells),
    )
    return check_answers(CHECK, ctx)


def test_fold_ignores_case_and_accents() -> None:
    assert fold("¿Qué ÉPOCAS Sobreajuste?") == "¿que epocas sobreajuste?"
    assert concept_hits("El modelo se SOBREAJUSTÓ", ["sobreajust"]) == ["sobreajust"]
    # Stems match the start of a word only.
    assert concept_hits("renuevo", ["nuev"]) == []


def test_answer_runs_from_the_question_to_the_next_one() -> None:
    cells = [
        md(1, "# Taller"),
        md(2, "**1. ¿Por qué hay una diferencia entre entrenamiento y prueba?**"),
        code(3),
        md(4, "Porque la red no ha visto los datos de prueba.\n\nY se sobreajusta."),
        md(5, "**2. ¿Y con 20 épocas?**\n\nMemoriza más."),
    ]
    answers = find_answers(tuple(cells), [Q1, Q2])
    assert answers["q1"].text == "Porque la red no ha visto los datos de prueba. Y se sobreajusta"
    assert answers["q1"].cell == 2
    assert answers["q2"].text == "Memoriza más"


def test_question_and_answer_in_one_list_item() -> None:
    cells = [
        md(
            1,
            "1. **Diferencia entre train y test.** El test tiene datos nuevos.\n"
            "2. **Épocas.** Con más épocas memoriza.",
        ),
    ]
    answers = find_answers(tuple(cells), [Q1, Q2])
    assert answers["q1"].text == "El test tiene datos nuevos"
    assert answers["q2"].text == "Con más épocas memoriza"


def test_a_tag_wins_over_the_pattern() -> None:
    cells = [
        md(1, "Diferencia entre train y test: ni idea."),
        md(2, "The model never saw the test data: unseen, so it overfits.", "answer:q1"),
    ]
    answer = find_answers(tuple(cells), [Q1])["q1"]
    assert answer.cell == 2
    assert "overfits" in answer.text


def test_scoring_shares_points_among_concepts_and_needs_review(build: Any) -> None:
    cells = [
        md(1, "Diferencia entre entrenamiento y prueba: la red no ha visto esos datos."),
        md(2, "## Épocas\n\nCon más épocas la red memoriza el entrenamiento."),
    ]
    outcome = grade(cells, build)
    # q1 has 1 of 2 concepts (0.5 of its point), q2 all of its concept (1 point).
    assert outcome.status == "partial"
    assert outcome.points == pytest.approx(1.5)
    assert outcome.message.startswith("needs review: 2 of 2 answers found")
    assert "q1 (lacks overfitting)" in outcome.message
    assert outcome.details["needs_review"] is True
    assert outcome.measured == {"q1": ["unseen data"], "q2": ["overfitting"]}


def test_missing_and_too_short_answers_earn_nothing(build: Any) -> None:
    cells = [md(1, "Diferencia entre train y test: sobreajuste.")]
    outcome = grade(cells, build)
    assert (outcome.status, outcome.points) == ("fail", 0)
    assert "q1 (1 words, fewer than 5)" in outcome.message
    assert "q2 (not found)" in outcome.message


def test_question_needs_a_tag_or_a_pattern() -> None:
    with pytest.raises(ValueError, match="needs a `tag` or a `pattern`"):
        Question(id="q9")


@pytest.mark.parametrize(
    "notebook",
    [
        "submissions/fashion-mnist/correct.ipynb",
        "submissions/fashion-mnist/logits.ipynb",
        # The reference must earn full marks against its own rubric.
        "exercises/fashion-mnist/reference.ipynb",
    ],
)
def test_fashion_mnist_examples_answer_all_five_questions(notebook: str, build: Any) -> None:
    rubric = load_rubric(ROOT / "rubrics" / "fashion-mnist.yaml").rubric
    (check,) = [c for c in rubric.checks if isinstance(c, AnswersCheck)]
    cells = load_source(ROOT / notebook).cells
    base = build.context(None)
    ctx = CheckContext(
        rubric=rubric,
        model=None,
        no_model_reason="",
        artifacts=base.artifacts,
        execution=None,
        cells=cells,
    )
    outcome = check_answers(check, ctx)
    assert outcome.points == pytest.approx(2), outcome.message
