"""Text helpers several stages share: folding for comparisons, names, one-line errors.

Pure functions of strings; nothing here knows about notebooks, models or rubrics.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any


def fold(text: str) -> str:
    """Lower case without accents: ``¿Qué`` and ``que`` compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def snake_case(name: str) -> str:
    """``SparseCategoricalCrossentropy`` -> ``sparse_categorical_crossentropy``; KL stays kl."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def joined(source: Any) -> str:
    """A notebook field that is a string or a list of strings (nbformat allows both)."""
    if isinstance(source, str):
        return source
    if isinstance(source, list):
        return "".join(part for part in source if isinstance(part, str))
    return ""


def one_line(exc: BaseException) -> str:
    """``TypeName: first line`` of an exception, for a result message."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__


def thousands(value: float) -> str:
    """Counts as people read them: 101,770."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
