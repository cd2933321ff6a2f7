"""The reference cache: what its key covers, where it lives, and the warm-cache command."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pipeline_fakes import FakeMeasurer

from autograder.cli import main
from autograder.datasets.base import DataOptions
from autograder.errors import ReferenceSolutionError
from autograder.execution.runner import ExecutionRecord
from autograder.grading.grader import Backends
from autograder.reference import cache
from autograder.results import ReferenceSummary
from autograder.rubric import load_rubric

ROOT = Path(__file__).resolve().parents[2]
SYNTHETIC = DataOptions(source="synthetic", fraction=0.05)


@pytest.fixture
def rubric_copy(tmp_path: Path) -> Path:
    """The shipped rubric and its reference, copied so a test may edit either."""
    (tmp_path / "rubrics").mkdir()
    exercise = tmp_path / "exercises" / "fashion-mnist"
    exercise.mkdir(parents=True)
    shutil.copy(ROOT / "exercises" / "fashion-mnist" / "reference.ipynb", exercise)
    target = tmp_path / "rubrics" / "fashion-mnist.yaml"
    shutil.copy(ROOT / "rubrics" / "fashion-mnist.yaml", target)
    return target


def _record(key: cache.CacheKey) -> cache.ReferenceRecord:
    summary = ReferenceSummary(
        test_accuracy=0.68, train_accuracy=0.83, overfitting_gap=0.15, trainable_params=101_770,
        total_params=101_770, weights_sha256="ab" * 32, duration_s=40.0, cache_key=key.digest(),
    )  # fmt: skip
    return cache.ReferenceRecord(
        key=key,
        reference_path="reference.ipynb",
        summary=summary,
        history={"accuracy": [0.5, 0.6]},
        score=10,
        max_score=10,
    )


def test_key_changes_with_everything_that_changes_the_numbers(rubric_copy: Path) -> None:
    loaded = load_rubric(rubric_copy)
    base = cache.make_key(loaded, SYNTHETIC, 0)
    assert cache.make_key(loaded, SYNTHETIC, 0) == base
    variants = [
        cache.make_key(loaded, SYNTHETIC, 1),
        cache.make_key(loaded, DataOptions(source="synthetic", fraction=0.1), 0),
        cache.make_key(loaded, DataOptions(source="real", fraction=0.05), 0),
        base.model_copy(update={"tensorflow": "0.0"}),
        base.model_copy(update={"keras": "0.0"}),
        base.model_copy(update={"device": "gpu-x86_64"}),
    ]
    reference = rubric_copy.parents[1] / "exercises" / "fashion-mnist" / "reference.ipynb"
    reference.write_bytes(reference.read_bytes() + b"\n")
    variants.append(cache.make_key(loaded, SYNTHETIC, 0))
    rubric_copy.write_text(rubric_copy.read_text() + "\n# edited\n")
    variants.append(cache.make_key(load_rubric(rubric_copy), SYNTHETIC, 0))
    digests = {key.digest() for key in variants}
    assert base.digest() not in digests
    assert len(digests) == len(variants)


def test_entries_round_trip_and_bad_files_are_misses(tmp_path: Path, rubric_copy: Path) -> None:
    key = cache.make_key(load_rubric(rubric_copy), SYNTHETIC, 0)
    path = cache.save(_record(key), tmp_path)
    assert cache.load(key, tmp_path) == _record(key)
    other = key.model_copy(update={"seed": 5})
    path.rename(cache.entry_path(other, tmp_path))  # an entry filed under the wrong key
    assert cache.load(other, tmp_path) is None
    cache.entry_path(key, tmp_path).write_text("{truncated")
    assert cache.load(key, tmp_path) is None


def test_cache_lives_under_xdg_cache_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "autograder" / "reference"


def test_missing_reference_file_is_a_one_line_error(rubric_copy: Path) -> None:
    reference = rubric_copy.parents[1] / "exercises" / "fashion-mnist" / "reference.ipynb"
    reference.unlink()
    with pytest.raises(ReferenceSolutionError, match=r"reference solution .* not found"):
        cache.make_key(load_rubric(rubric_copy), SYNTHETIC, 0)


def test_warm_cache_answers_without_tensorflow_or_a_kernel(
    capsys: pytest.CaptureFixture[str], rubric_copy: Path
) -> None:
    key = cache.make_key(load_rubric(rubric_copy), SYNTHETIC, 0)
    cache.save(_record(key), cache.cache_dir())

    # Any kernel run or measurement would fail the command: a warm cache needs neither.
    refuse = Backends(runner=_refuse, measurer=FakeMeasurer())
    args = ["reference", "-r", str(rubric_copy), "--data", "synthetic", "--fraction", "0.05"]
    assert main(args, backends=refuse) == 0
    assert isinstance(refuse.measurer, FakeMeasurer)
    assert refuse.measurer.calls == []
    out = capsys.readouterr().out
    assert "cache" in out
    assert "0.6800" in out
    assert "10 / 10 against its rubric" in out


def _refuse(*_args: object) -> ExecutionRecord:
    raise AssertionError("a warm cache must not run a kernel")


def test_reference_command_without_a_declared_reference(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rubric = ROOT / "tests" / "fixtures" / "rubrics" / "valid.yaml"
    assert main(["reference", "-r", str(rubric), "--data", "synthetic"]) == 1
    assert "declares no `reference`" in capsys.readouterr().err
