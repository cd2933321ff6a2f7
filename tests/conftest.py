"""Shared pytest options and fixtures."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from autograder.datasets import real
from autograder.datasets.base import Splits

pytest_plugins = ("pytester",)

SNAPSHOTS = Path(__file__).parent / "snapshots"

Snapshot = Callable[[str, str], None]
KerasHome = Callable[[Path, Mapping[str, Any]], Path]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        default=False,
        help="Rewrite tests/snapshots/<name> from the current output instead of comparing.",
    )


# Longest first, so that xdist's two workers finish together: a module goes whole to
# one worker (--dist loadfile) in collection order (--no-loadscope-reorder; xdist would
# otherwise order modules by their number of tests, which puts one-test kernel modules
# of several minutes last). Module times from the CI run's --durations on 2 cores; a
# stale entry only costs balance, never a test.
SLOWEST_FIRST = (
    "tests/integration/test_exercises.py",  # 593 s in the 2026-12-03 CI run
    "tests/integration/test_attacks.py",  # 337 s
    "tests/integration/test_grading.py",  # 285 s
    "tests/integration/test_dask_cluster.py",  # 267 s
    "tests/integration/test_hostile.py",  # 210 s
    "tests/integration/test_real_patterns.py",  # 197 s
    "tests/integration/test_reference.py",  # 133 s
    "tests/integration/test_authoring.py",  # 108 s
    "tests/integration/test_runner.py",
    "tests/integration/test_environments_kernel.py",
    "tests/unit/test_evaluator.py",
    "tests/integration/test_batch_kernel.py",
    "tests/integration/test_check.py",
    "tests/integration/test_pytest_plugin.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {path: position for position, path in enumerate(SLOWEST_FIRST)}
    root = config.rootpath

    def key(item: pytest.Item) -> int:
        module = item.path.relative_to(root).as_posix() if item.path.is_relative_to(root) else ""
        return rank.get(module, len(rank))

    items.sort(key=key)  # stable: each module keeps its own order


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests never read or write the user's cache (reference runs live there)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield


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


@pytest.fixture(scope="session")
def fashion_keras_home() -> KerasHome:
    """Write arrays where Keras' own loader finds the real Fashion-MNIST: no network.

    Returns ``make(home, arrays) -> home``; point KERAS_HOME at ``home`` before Keras is
    imported (it reads the variable at import time), i.e. in a subprocess.
    """

    def make(home: Path, arrays: Mapping[str, Any]) -> Path:
        return real.write_cache(
            Splits(**{k: np.asarray(v, np.uint8) for k, v in arrays.items()}), home
        )

    return make
