"""The message catalogs stay complete, and every check message can be translated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from autograder.i18n import (
    CATALOGS,
    choose_language,
    en,
    es,
    hint,
    locale_language,
    localized,
    placeholders,
    say,
)
from autograder.results import CheckResult

AUTOGRADER = Path(__file__).resolve().parents[2] / "autograder"


def test_catalogs_have_the_same_keys() -> None:
    assert set(en.MESSAGES) == set(es.MESSAGES)


@pytest.mark.parametrize("key", sorted(en.MESSAGES))
def test_catalog_entries_share_placeholders(key: str) -> None:
    assert placeholders(en.MESSAGES[key]) == placeholders(es.MESSAGES[key]), key


@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_entry_is_empty_or_untranslated_by_accident(lang: str) -> None:
    catalog = CATALOGS[lang]  # type: ignore[index]
    assert all(value.strip() for value in catalog.values())


# Words that read the same in both languages; any other sentence must be translated.
SAME_IN_BOTH = {"report.submission", "github.title", "github.total", "console.excerpt"}


def test_spanish_differs_from_english_for_sentences() -> None:
    # Entries that are pure symbols ("#", "F1") may coincide; sentences must not.
    same = {k for k, v in en.MESSAGES.items() if es.MESSAGES[k] == v and " " in v}
    assert same <= SAME_IN_BOTH


def test_every_message_id_used_in_the_code_exists() -> None:
    used: set[str] = set()
    for path in AUTOGRADER.rglob("*.py"):
        used.update(re.findall(r"""say\(\s*["']([a-z_.]+)["']""", path.read_text("utf-8")))
    assert used, "no say() calls found: the scan is broken"
    assert used <= set(en.MESSAGES), used - set(en.MESSAGES)


def test_say_refuses_unknown_keys() -> None:
    with pytest.raises(KeyError, match="no catalog entry"):
        say("nope.never")


def _result(**fields: object) -> CheckResult:
    base: dict[str, object] = {
        "id": "arch",
        "kind": "architecture",
        "status": "fail",
        "points": 0.0,
        "max_points": 2.0,
        "message": "layer 2: expected Dense(128, relu), found Dense(500, relu)",
    }
    return CheckResult.model_validate({**base, **fields})


def test_localized_translates_and_falls_back_to_the_english_message() -> None:
    said = say("architecture.mismatch", position=2, expected="Dense(128)", found="Dense(500)")
    check = _result(message_id=said.id, message_args=said.args)
    assert localized(check, "es") == "capa 2: se esperaba Dense(128), se encontró Dense(500)"
    assert localized(check, "en") == "layer 2: expected Dense(128), found Dense(500)"
    plain = _result()  # a check kind that has no catalog entry yet
    assert localized(plain, "es") == plain.message
    broken = _result(message_id="architecture.mismatch", message_args={"position": 2})
    assert localized(broken, "es") == broken.message


def test_hint_prefers_the_message_hint_and_skips_passing_checks() -> None:
    said = say("architecture.mismatch", position=2, expected="Dense(128)", found="Dense(500)")
    failing = _result(message_id=said.id, message_args=said.args)
    assert (
        hint(failing, "es") == "Compara la capa 2 de tu modelo con el enunciado: pide Dense(128)."
    )
    assert hint(failing.model_copy(update={"status": "pass"}), "es") is None
    assert hint(_result(), "en") is None


@pytest.mark.parametrize(
    ("flag", "rubric", "env", "expected"),
    [
        ("en", "es", {"LANG": "es_CO.UTF-8"}, "en"),
        (None, "es", {"LANG": "en_US.UTF-8"}, "es"),
        (None, None, {"LANG": "es_UY.UTF-8"}, "es"),
        (None, None, {"LC_ALL": "en_GB.UTF-8", "LANG": "es_ES.UTF-8"}, "en"),
        (None, None, {}, "en"),
        (None, None, {"LANG": "C.UTF-8"}, "en"),
    ],
)
def test_language_choice_order(
    flag: str | None, rubric: str | None, env: dict[str, str], expected: str
) -> None:
    assert choose_language(flag, rubric, env) == expected


def test_locale_language_reads_language_lists() -> None:
    assert locale_language({"LANGUAGE": "es:en"}) == "es"
