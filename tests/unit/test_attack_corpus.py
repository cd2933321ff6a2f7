"""The attack corpus is what it claims: each attack is its honest twin plus attack cells.

tests/integration/test_attacks.py grades the corpus and compares each attack's score
with its twin's; that comparison means something only if the two do the same real
work.  So every attack is its twin byte for byte followed by cells headed
``# %% ATAQUE`` (the sandbox runs them as ordinary cells), and nothing else; an
attack notebook is its twin's cells followed by cells tagged ``ataque``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from autograder.answer_text import find_answers
from autograder.checks.answers import score_answer
from autograder.execution.source import SourceCell, read_cells
from autograder.rubric.loader import load_rubric
from autograder.rubric.models import AnswersCheck

ATTACKS = Path(__file__).resolve().parents[1] / "fixtures" / "attacks"
CORPUS = json.loads((ATTACKS / "corpus.json").read_text("utf-8"))["attacks"]
_HEADER = re.compile(r"^# ?%%(.*)$", re.MULTILINE)
RUBRIC = ATTACKS.parent / "rubrics" / "attacks.yaml"
MECHANISMS_COVERED = set(range(1, 10))
"""Issue 12's eight mechanisms, and 9: forged channel and state of our own."""
ATTACK_TAG = "ataque"


def corpus_file(name: str) -> Path:
    """The one script or notebook called ``name``."""
    (path,) = (p for p in (ATTACKS / f"{name}.py", ATTACKS / f"{name}.ipynb") if p.is_file())
    return path


def notebook_cells(path: Path) -> list[tuple[str, str, bool]]:
    """(type, source, tagged ``ataque``) of each cell."""
    return [
        (c.cell_type, c.source, ATTACK_TAG in c.get("metadata", {}).get("tags", []))
        for c in nbformat.read(path, as_version=4).cells
    ]


def without_attack_cells(text: str) -> str:
    """The script with every ``# %% ATAQUE`` cell (header to the next header) removed."""
    kept: list[str] = []
    dropping = False
    for line in text.splitlines(keepends=True):
        header = _HEADER.match(line)
        if header is not None:
            dropping = header.group(1).strip() == "ATAQUE"
        if not dropping:
            kept.append(line)
    return "".join(kept)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_each_attack_minus_its_attack_cells_is_its_twin(name: str) -> None:
    attack, twin = corpus_file(name), corpus_file(CORPUS[name]["twin"])
    assert attack.suffix == twin.suffix
    if attack.suffix == ".ipynb":
        attack_cells, twin_cells = notebook_cells(attack), notebook_cells(twin)
        # Appended, never interleaved: the twin's cells come first and unchanged.
        assert attack_cells[: len(twin_cells)] == twin_cells
        added = attack_cells[len(twin_cells) :]
        assert added, "an attack notebook adds at least one cell"
        assert all(tagged for _, _, tagged in added)
    else:
        assert without_attack_cells(attack.read_text("utf-8")) == twin.read_text("utf-8")


def test_every_file_is_an_attack_or_a_twin_and_twins_carry_no_attack() -> None:
    twins = {entry["twin"] for entry in CORPUS.values()}
    on_disk = {p.stem for p in ATTACKS.iterdir() if p.suffix in (".py", ".ipynb")}
    assert on_disk == set(CORPUS) | twins
    for twin in twins:
        text = corpus_file(twin).read_text("utf-8")
        assert "ATAQUE" not in text, twin
        assert f'"{ATTACK_TAG}"' not in text, twin


def test_the_corpus_is_large_enough_and_covers_what_it_says() -> None:
    assert len(CORPUS) >= 20
    covered = {m for entry in CORPUS.values() for m in entry["mechanisms"]}
    assert covered == MECHANISMS_COVERED


def test_the_cell_filter_drops_only_attack_cells() -> None:
    text = "# %%\na = 1\n# %% ATAQUE\nb = 2\n# %%\nc = 3\n"
    assert without_attack_cells(text) == "# %%\na = 1\n# %%\nc = 3\n"


def _answer_share(cells: tuple[SourceCell, ...]) -> float:
    (check,) = (c for c in load_rubric(RUBRIC).rubric.checks if isinstance(c, AnswersCheck))
    (question,) = check.questions
    share = score_answer(question, find_answers(cells, check.questions).get(question.id), 1.0)
    return float(share["share"])


def test_the_hidden_answer_would_score_if_it_were_visible() -> None:
    # Otherwise the batch's "no attack above its twin" would hold for the wrong reason.
    cells = read_cells(ATTACKS / "ataque_comentario_oculto.ipynb")
    assert _answer_share(cells) == 0
    shown = tuple(
        SourceCell(c.index, c.cell_type, c.source.replace("<!--", "").replace("-->", ""), c.tags)
        for c in cells
    )
    assert _answer_share(shown) > 0
