"""The honest-corpus table (tests/honest_corpus.py) against the files on disk."""

from __future__ import annotations

from tests.honest_corpus import COVERED, EXCLUDED, HAND_IN_SUFFIXES, ROOT, WALKED


def _hand_ins() -> set[str]:
    return {
        path.relative_to(ROOT).as_posix()
        for top in WALKED
        for path in (ROOT / top).rglob("*")
        if path.is_file() and path.suffix in HAND_IN_SUFFIXES
    }


def _excluded(relative: str) -> bool:
    return any(
        relative == key or (key.endswith("/") and relative.startswith(key)) for key in EXCLUDED
    )


def test_every_hand_in_is_graded_unflagged_or_excluded_with_a_reason() -> None:
    unclaimed = sorted(p for p in _hand_ins() if p not in COVERED and not _excluded(p))
    assert unclaimed == []


def test_the_table_names_only_files_that_exist() -> None:
    assert sorted(p for p in COVERED if not (ROOT / p).is_file()) == []
    assert sorted(p for p in EXCLUDED if not (ROOT / p).exists()) == []


def test_no_file_is_both_covered_and_excluded_and_every_reason_says_something() -> None:
    # A covered file inside an excluded folder (hostile/honest.py) is covered.
    assert sorted(set(COVERED) & set(EXCLUDED)) == []
    assert all(len(reason.split()) >= 4 for reason in EXCLUDED.values())


def test_every_covering_module_reads_the_table() -> None:
    for module in set(COVERED.values()):
        assert "honest_corpus" in (ROOT / module).read_text(encoding="utf-8"), module
