"""Written answers as text: find them in a notebook's markdown, read what a reader sees,
and match a rubric's concepts on word stems.

A question is found by a cell tag (``answer:q1``: the tagged markdown cells are the
answer) or by a pattern on the question's text.  For patterns, the markdown is cut
into blocks (paragraphs, list items, headings); the answer is what follows the
question in its block plus the blocks after it, up to the next question.  Matching
ignores case and accents, so ``Que ocurre`` finds ``¿Qué ocurre``.

Scoring reads only the rendered text (:func:`visible_text`): what markdown-it renders,
minus HTML comments, hidden elements, link targets and image alt text, so keywords a
reader never sees earn nothing.  Words are compared on Snowball stems (PyStemmer,
Spanish and English both, since a class writes in either).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

import Stemmer
from markdown_it import MarkdownIt

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


# --- What a reader sees -------------------------------------------------------------

_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_NEVER_SHOWN = frozenset(["script", "style", "template", "head", "title", "noscript"])
_BREAKS = frozenset(
    [
        "p",
        "div",
        "li",
        "br",
        "tr",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "blockquote",
        "table",
        "ul",
        "ol",
        "hr",
    ]
)
# Inline styles that make text invisible on the page (Jupyter keeps `style` attributes).
_HIDING_STYLE = re.compile(
    r"display:none|visibility:hidden|font-size:0(?![.\d]*[1-9])|opacity:0(?![.\d]*[1-9])"
    r"|color:(white|#fff\b|#ffffff|transparent)"
)


class _VisibleText(HTMLParser):
    """Text nodes outside comments and hidden elements; attributes are never text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._open: list[tuple[str, bool]] = []

    def _hidden(self) -> bool:
        return bool(self._open) and self._open[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAKS:
            self.parts.append(" ")
        if tag in _VOID:
            return
        values = dict(attrs)
        style = "".join((values.get("style") or "").lower().split())
        if values.get("color"):  # <font color=white>
            style += "color:" + "".join((values["color"] or "").lower().split())
        hides = tag in _NEVER_SHOWN or any(k == "hidden" for k, _ in attrs)
        self._open.append((tag, self._hidden() or hides or bool(_HIDING_STYLE.search(style))))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BREAKS:
            self.parts.append(" ")
        for depth in range(len(self._open) - 1, -1, -1):
            name, hidden = self._open[depth]
            if name == tag:
                del self._open[depth:]
                return
            if hidden and (depth == 0 or not self._open[depth - 1][1]):
                # A browser keeps a hidden <div> open across a stray </p>; so do we.
                return

    def handle_data(self, data: str) -> None:
        if not self._hidden():
            self.parts.append(data)


def visible_text(markdown: str) -> str:
    """The text a reader of the rendered markdown sees, on one line."""
    html = _MARKDOWN.render(markdown)
    # A browser hides everything after an unclosed comment; html.parser would show it.
    opened = html.rfind("<!--")
    if opened > html.rfind("-->"):
        html = html[:opened]
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    # Zero-width and other format characters split keywords invisibly (so-<ZWSP>bre).
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return re.sub(r"\s+", " ", text).strip()


def text_sha256(text: str) -> str:
    """The fingerprint a review is tied to: the visible text, spaces normalised."""
    return hashlib.sha256(re.sub(r"\s+", " ", text).strip().encode("utf-8")).hexdigest()


# --- Words and stems -----------------------------------------------------------------

_WORD = re.compile(r"\w+")
# Words that turn the concept after them around ("no hay sobreajuste", "doesn't overfit").
NEGATIONS = frozenset(
    [
        "no",
        "nunca",
        "sin",
        "ni",
        "tampoco",
        "jamas",
        "not",
        "never",
        "without",
        "nor",
        "no",
        "isn",
        "doesn",
        "don",
        "didn",
        "wasn",
        "aren",
        "won",
        "cannot",
        "hardly",
    ]
)
# Function words: real sentences have some; a pasted list of keywords has almost none.
FUNCTION_WORDS = frozenset(
    [
        "el",
        "la",
        "los",
        "las",
        "un",
        "una",
        "unos",
        "unas",
        "de",
        "del",
        "al",
        "a",
        "en",
        "y",
        "o",
        "que",
        "se",
        "es",
        "son",
        "por",
        "para",
        "con",
        "como",
        "lo",
        "le",
        "les",
        "su",
        "sus",
        "mas",
        "muy",
        "pero",
        "porque",
        "cuando",
        "si",
        "no",
        "ya",
        "esta",
        "este",
        "esto",
        "estos",
        "hay",
        "ha",
        "han",
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "and",
        "or",
        "that",
        "is",
        "are",
        "was",
        "were",
        "be",
        "it",
        "its",
        "this",
        "these",
        "for",
        "with",
        "as",
        "by",
        "on",
        "at",
        "from",
        "because",
        "but",
        "so",
        "than",
        "when",
        "if",
        "not",
        "has",
        "have",
        "does",
        "do",
        "more",
        "which",
    ]
)


@lru_cache(maxsize=2)
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(language)


@dataclass(frozen=True)
class Word:
    """One word of an answer: folded, and its Spanish and English stems (folded)."""

    text: str
    stems: frozenset[str]

    def matches(self, term: Word) -> bool:
        """Same stem in either language, or (terms of 4+ letters) a word starting with it,
        so the rubric's older stems (``sobreajust``) keep matching."""
        if self.stems & term.stems:
            return True
        return len(term.text) >= 4 and self.text.startswith(term.text)


@lru_cache(maxsize=65536)
def word(raw: str) -> Word:
    lower = raw.casefold()
    stems = frozenset(fold(_stemmer(lang).stemWord(lower)) for lang in ("spanish", "english"))
    return Word(fold(lower), stems | {fold(lower)})


def words(text: str) -> list[Word]:
    return [word(w) for w in _WORD.findall(text.casefold())]


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def stems(text: str) -> list[str]:
    """One stem per word (Spanish stemmer on the folded word): the grouping vocabulary."""
    return [fold(_stemmer("spanish").stemWord(w)) for w in _WORD.findall(text.casefold())]


# --- Concepts ------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    term: str
    start: int
    """Index of the first word matched."""
    negated: bool


def find_term(text_words: list[Word], term: str, window: int) -> Hit | None:
    """The first place ``term`` (a word or short phrase) occurs, its words in order with
    at most ``window`` other words between the first and the last; a hit right after a
    negation is returned as negated unless the term itself carries the negation."""
    parts = words(term)
    if not parts:
        return None
    first_hit: Hit | None = None
    for start, candidate in enumerate(text_words):
        if not candidate.matches(parts[0]):
            continue
        at, ok = start, True
        limit = start + len(parts) - 1 + window
        for part in parts[1:]:
            at = next(
                (
                    i
                    for i in range(at + 1, min(limit, len(text_words) - 1) + 1)
                    if text_words[i].matches(part)
                ),
                -1,
            )
            if at < 0:
                ok = False
                break
        if not ok:
            continue
        negated = parts[0].text not in NEGATIONS and any(
            w.text in NEGATIONS for w in text_words[max(0, start - 2) : start]
        )
        hit = Hit(term, start, negated)
        if not negated:
            return hit
        first_hit = first_hit or hit
    return first_hit


def concept_found(text_words: list[Word], terms: list[str], window: int) -> Hit | None:
    """The first term of a concept found (not negated), else a negated one, else None."""
    hits = [h for t in terms if (h := find_term(text_words, t, window)) is not None]
    plain = [h for h in hits if not h.negated]
    chosen = plain or hits
    return chosen[0] if chosen else None


def concept_hits(text: str, keywords: list[str], window: int = 0) -> list[str]:
    """Terms of ``keywords`` found (not negated) in ``text``."""
    text_words = words(text)
    return [k for k in keywords if (h := find_term(text_words, k, window)) and not h.negated]


def function_word_share(text_words: list[Word]) -> float:
    if not text_words:
        return 0.0
    return sum(1 for w in text_words if w.text in FUNCTION_WORDS) / len(text_words)
