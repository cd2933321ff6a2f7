"""Shared pytest options and fixtures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

SNAPSHOTS = Path(__file__).parent / "snapshots"

Snapshot = Callable[[str, str], None]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        default=False,
        help="Rewrite tests/snapshots/<name> from the current output instead of comparing.",
    )


@pytest.fixture
def snapshot(request: pytest.FixtureRequest) -> Snapshot:
    """Compare ``text`` with ``tests/snapshots/<name>``; ``--update-snapshots`` rewrites it.

    Trailing spaces are dropped on both sides: Rich pads table cells with them and
    editors or git hooks strip them, which must not fail a test.
    """
    update = bool(request.config.getoption("--update-snapshots"))

    def check(name: str, text: str) -> None:
        path = SNAPSHOTS / name
        actual = _normalise(text)
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8", newline="\n")
            return
        if not path.exists():
            pytest.fail(f"snapshot {name} does not exist; run pytest --update-snapshots")
        expected = _normalise(path.read_text(encoding="utf-8"))
        # Compared as lists of lines so pytest shows a line-by-line diff.
        assert actual.splitlines() == expected.splitlines(), (
            f"output differs from snapshot {name}; if the change is intended, "
            "rerun with --update-snapshots and review the diff"
        )

    return check


def _normalise(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"
