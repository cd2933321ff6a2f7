"""Message catalogs (es, en) and the language choice for student-facing reports.

Results stay plain data: a check stores a catalog key (``message_id``) and its
arguments next to the English ``message``; renderers translate with
:func:`localized` and fall back to ``message`` when a check has no key (so a new
check kind works before anyone writes its catalog entries).

Adopting it in a check is one keyword: ``result(..., said=say("<kind>.<verdict>", n=3))``.
"""

from __future__ import annotations

import os
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from autograder.i18n import en, es
from autograder.results import CheckResult

Language = Literal["es", "en"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
CATALOGS: dict[Language, Mapping[str, str]] = {"en": en.MESSAGES, "es": es.MESSAGES}
_BY_NAME: dict[str, Language] = {lang: lang for lang in LANGUAGES}
_LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")


@dataclass(frozen=True)
class Said:
    """A catalog key with its arguments, as a check hands it to ``result``."""

    id: str
    args: dict[str, Any] = field(default_factory=dict)


def say(message_id: str, **args: Any) -> Said:
    """A catalog message; raises KeyError at once for a key the catalogs lack."""
    if message_id not in en.MESSAGES:
        raise KeyError(f"no catalog entry {message_id!r} in autograder/i18n/en.py")
    return Said(message_id, args)


def placeholders(template: str) -> set[str]:
    """The field names in a ``str.format`` template: ``"{n:.2f} de {total}"`` -> {n, total}."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


class _Formatter(string.Formatter):
    """``str.format`` whose numbers use the language's separators (es: 0,861 and 101.770)."""

    def __init__(self, lang: Language) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        formatted: str = super().format_field(value, format_spec)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return numeral(formatted, self.lang)
        return formatted


_FORMATTERS: dict[Language, _Formatter] = {lang: _Formatter(lang) for lang in LANGUAGES}


def numeral(formatted: str, lang: Language) -> str:
    """A number formatted the English way (``101,770.5``) in ``lang``'s separators."""
    if lang == "en":
        return formatted
    return formatted.translate({ord(","): ".", ord("."): ","})


def text(message_id: str, lang: Language, **args: Any) -> str:
    """One catalog entry in ``lang``, formatted with ``lang``'s number separators."""
    return _FORMATTERS[lang].format(CATALOGS[lang][message_id], **args)


def has(message_id: str) -> bool:
    return message_id in en.MESSAGES


def localized(check: CheckResult, lang: Language) -> str:
    """The check's message in ``lang``; its English ``message`` if it has no catalog key."""
    if check.message_id is None or check.message_id not in CATALOGS[lang]:
        return check.message
    try:
        return text(check.message_id, lang, **check.message_args)
    except (KeyError, IndexError, ValueError):  # arguments from an older result file
        return check.message


def hint(check: CheckResult, lang: Language) -> str | None:
    """What to do about a check that did not pass: the message's own hint, else the kind's."""
    if check.status in ("pass", "skipped"):
        return None
    catalog = CATALOGS[lang]
    for key in (f"{check.message_id}.hint", f"hint.{check.kind}"):
        if key in catalog:
            try:
                return _FORMATTERS[lang].format(catalog[key], **check.message_args)
            except (KeyError, IndexError, ValueError):
                continue
    return None


def locale_language(environ: Mapping[str, str] | None = None) -> Language:
    """es or en from the POSIX locale variables (first one set wins); en otherwise."""
    env = os.environ if environ is None else environ
    for var in _LOCALE_VARS:
        value = env.get(var, "")
        if value:
            prefix = value.split(":")[0][:2].lower()
            return "es" if prefix == "es" else "en"
    return "en"


def choose_language(
    flag: str | None, rubric_default: str | None, environ: Mapping[str, str] | None = None
) -> Language:
    """``--lang``, else the rubric's ``language``, else the locale."""
    for choice in (flag, rubric_default):
        if choice is not None and choice in _BY_NAME:
            return _BY_NAME[choice]
    return locale_language(environ)
