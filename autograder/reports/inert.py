"""Student-derived text made inert for each kind of output.

File names, exception text, cell excerpts and display names come from the student's
side and reach an instructor's terminal, a Markdown summary, a spreadsheet and a CI
log.  Each renderer passes such text through the function for its medium here, so
one place decides what "harmless" means:

- terminal: no escape sequences (clear screen, cursor moves, hyperlinks, titles), no
  other C0/C1 controls, no bidirectional overrides that reorder what is shown;
- Markdown: the text shows literally; no link, image, HTML, emphasis or table break;
- CSV: no cell starts a formula (OWASP's rule for CSV injection);
- GitHub workflow commands: no line break, so no second command.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from pydantic import BaseModel

Model = TypeVar("Model", bound=BaseModel)

# ESC-introduced sequences first (CSI ... final byte, OSC ... BEL/ST, and two-byte
# escapes), so their parameters go with them instead of showing as "[2J".
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, up to BEL or ST
    r"|\x1b[P^_X][^\x1b]*(?:\x1b\\)?"  # DCS, PM, APC, SOS strings
    r"|\x1b[@-Z\\-_]"  # any other two-byte escape
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
# What is left of the control range, DEL, and the bidi controls ("Trojan Source").
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Inline Markdown only: our cells and lines never start with student text, so the
# block markers (#, -, 1.) cannot trigger; links need "[", HTML needs "<".
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def terminal(text: str, *, one_line: bool = False) -> str:
    """``text`` with every escape sequence and control character removed.

    Tabs survive; newlines too, unless ``one_line`` (then each line break is a space).
    """
    cleaned = _CONTROLS.sub("", _ESCAPES.sub("", text.replace("\r\n", "\n")))
    return " ".join(cleaned.split("\n")) if one_line else cleaned


def for_terminal(model: Model) -> Model:
    """A copy of a result (or any plain-data model) with every string made terminal-safe.

    Renderers call this once on what they are given, so a field added later is covered
    without anyone remembering to escape it.
    """
    return type(model).model_validate(_cleaned(model.model_dump()))


def _cleaned(value: Any) -> Any:
    if isinstance(value, str):
        return terminal(value)
    if isinstance(value, dict):
        return {_cleaned(k): _cleaned(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_cleaned(v) for v in value)
    return value


def markdown(text: str) -> str:
    """``text`` for a Markdown table cell or paragraph: shown literally, on one line."""
    plain = terminal(text, one_line=True).replace("&", "&amp;")
    plain = plain.replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", plain)


def csv_cell(text: str) -> str:
    """A spreadsheet cell that is never read as a formula.

    A leading ``= + - @`` (or tab, CR) gets a ``'`` in front, as OWASP recommends,
    unless the whole cell is a plain number (``-0.0312`` stays a number).
    """
    cleaned = terminal(text, one_line=True)
    if cleaned.startswith(_FORMULA_START) and not _NUMBER.fullmatch(cleaned):
        return "'" + cleaned
    return cleaned


def workflow_data(text: str) -> str:
    """The message part of a GitHub workflow command (``::error ...::<data>``)."""
    cleaned = terminal(text)
    return cleaned.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def workflow_property(text: str) -> str:
    """A property value of a workflow command (``file=``, ``title=``)."""
    return workflow_data(text).replace(":", "%3A").replace(",", "%2C")
