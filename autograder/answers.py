"""Find the answers to written questions in a notebook's markdown.

A question is found by a cell tag (``answer:q1``: the tagged markdown cells are the
answer) or by a pattern on the question's text.  For patterns, the markdown is cut
into blocks (paragraphs, list items, headings); the answer is what follows the
question in its block plus the blocks after it, up to the next question.  Matching
ignores case and accents, so ``Que ocurre`` finds ``¿Qué ocurre``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from autograder.execution.source import SourceCell
from autograder.rubric.models import Question
from autograder.text import fold

_BLOCK_START = re.compile(r"^\s*(#{1,6}\s|\d+[.)]\s|[-*+]\s|\*\*\d+[.)])")


def _fold_in_place(text: str) -> str:
    """``fold`` one character at a time, so offsets stay those of ``text``."""
    out = []
    for char in text:
        folded = fold(char)
        out.append(folded if len(folded) == 1 else char.lower()[:1] or char)
    return "".join(out)


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    cell: int
    """1-based cell where the answer starts."""


@dataclass(frozen=True)
class _Block:
    cell: int
    text: str


def find_answers(cells: tuple[SourceCell, ...], questions: list[Question]) -> dict[str, Answer]:
    """The answer of every question that could be found, keyed by question id."""
    found: dict[str, Answer] = {}
    for question in questions:
        if question.tag is None:
            continue
        tagged = [c for c in cells if c.cell_type == "markdown" and question.tag in c.tags]
        if tagged:
            text = "\n\n".join(c.source.strip() for c in tagged)
            found[question.id] = Answer(question.id, text, tagged[0].index)
    blocks = _blocks(cells)
    starts = _question_starts(blocks, [q for q in questions if q.id not in found])
    positions = sorted(pos for pos, _ in starts.values())
    for qid, (pos, end) in starts.items():
        later = [p for p in positions if p > pos]
        stop = later[0] if later else len(blocks)
        rest = blocks[pos].text[end:]
        text = "\n".join([rest, *(b.text for b in blocks[pos + 1 : stop])])
        found[qid] = Answer(qid, _clean(text), blocks[pos].cell)
    return found


def _blocks(cells: tuple[SourceCell, ...]) -> list[_Block]:
    """Markdown cut at blank lines, headings and list items; each block on one line."""
    blocks: list[_Block] = []
    for cell in cells:
        if cell.cell_type != "markdown":
            continue
        current: list[str] = []
        for line in [*cell.source.splitlines(), ""]:
            if (not line.strip() or _BLOCK_START.match(line)) and current:
                blocks.append(_Block(cell.index, " ".join(current)))
                current = []
            if line.strip():
                current.append(line.strip())
    return blocks


def _question_starts(blocks: list[_Block], questions: list[Question]) -> dict[str, tuple[int, int]]:
    """Block index and offset (after the match) of each question, first match wins.

    Questions are looked for in order, each after the previous one when possible, so
    a phrase used early in the notebook (a section title) does not steal a question.
    """
    folded = [_fold_in_place(block.text) for block in blocks]
    starts: dict[str, tuple[int, int]] = {}
    taken: set[int] = set()
    after = 0
    for question in questions:
        if question.pattern is None:
            continue
        pattern = re.compile(fold(question.pattern))
        hit = _search(pattern, folded, after, taken) or _search(pattern, folded, 0, taken)
        if hit is not None:
            starts[question.id] = hit
            taken.add(hit[0])
            after = hit[0] + 1
    return starts


def _search(
    pattern: re.Pattern[str], folded: list[str], start: int, taken: set[int]
) -> tuple[int, int] | None:
    for index in range(start, len(folded)):
        if index in taken:
            continue
        text = folded[index]
        match = pattern.search(text)
        if match:
            # The shortest match: a greedy `.{0,40}test` must not eat into the answer.
            end = next(
                e
                for e in range(match.start(), match.end() + 1)
                if pattern.fullmatch(text, match.start(), e)
            )
            return index, _end_of_question(text, end)
    return None


def _end_of_question(text: str, end: int) -> int:
    """Skip the rest of the question sentence (up to '?', '.', ':' or closing '**')."""
    tail = re.match(r"[^?.:]*[?.:]?(\*\*)?", text[end:])
    return end + (tail.end() if tail else 0)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("**", " ")).strip(" ?:.*")


def word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


def concept_hits(text: str, keywords: list[str]) -> list[str]:
    """Keywords (stems) that start a word of ``text``, both folded."""
    folded = fold(text)
    return [k for k in keywords if re.search(r"(?<!\w)" + re.escape(fold(k)), folded)]
