"""``reference --seeds N``: one cache entry per seed, the spread of their metrics, and
its rendering in both languages.  Training is an injected fake that counts its calls."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from rich.console import Console

from autograder.datasets.base import DataOptions
from autograder.reference import cache
from autograder.reference.seeds import reference_seeds
from autograder.reports.reference import render_reference_seeds
from autograder.results import ReferenceSummary
from autograder.rubric import LoadedRubric, load_rubric

ROOT = Path(__file__).resolve().parents[2]
SYNTHETIC = DataOptions(source="synthetic", fraction=0.05)
# Test accuracy per seed; train accuracy is 0.1 higher, so every gap is 0.1.
ACCURACY = {0: 0.870, 1: 0.874, 2: 0.878, 3: 0.872, 4: 0.876}


@pytest.fixture
def loaded(tmp_path: Path) -> LoadedRubric:
    (tmp_path / "rubrics").mkdir()
    exercise = tmp_path / "exercises" / "fashion-mnist"
    exercise.mkdir(parents=True)
    shutil.copy(ROOT / "exercises" / "fashion-mnist" / "reference.ipynb", exercise)
    target = tmp_path / "rubrics" / "fashion-mnist.yaml"
    shutil.copy(ROOT / "rubrics" / "fashion-mnist.yaml", target)
    return load_rubric(target)


class FakeTrainer:
    """Stands in for a kernel run: writes the cache entry a real run would write."""

    def __init__(self, loaded: LoadedRubric, directory: Path) -> None:
        self.loaded, self.directory, self.seeds = loaded, directory, list[int]()

    def __call__(self, seed: int) -> cache.ReferenceOutcome:
        self.seeds.append(seed)
        key = cache.make_key(self.loaded, SYNTHETIC, seed)
        test = ACCURACY[seed]
        summary = ReferenceSummary(
            test_accuracy=test, train_accuracy=test + 0.1, overfitting_gap=0.1,
            trainable_params=101_770, total_params=101_770, duration_s=1.0,
            cache_key=key.digest(),
        )  # fmt: skip
        record = cache.ReferenceRecord(
            key=key, reference_path="reference.ipynb", summary=summary, score=10, max_score=10
        )
        return cache.ReferenceOutcome(record, cache.save(record, self.directory), False)


def test_each_seed_is_trained_once_and_the_second_call_trains_nothing(
    loaded: LoadedRubric, tmp_path: Path
) -> None:
    train = FakeTrainer(loaded, tmp_path / "cache")
    first, _ = reference_seeds(loaded, SYNTHETIC, 3, train, directory=tmp_path / "cache")
    assert train.seeds == [0, 1, 2]
    assert first.trained == 3
    second, _ = reference_seeds(loaded, SYNTHETIC, 5, train, directory=tmp_path / "cache")
    assert train.seeds == [0, 1, 2, 3, 4]  # raising --seeds trains only the new seeds
    assert [run.source for run in second.runs] == ["cache"] * 3 + ["trained"] * 2
    third, _ = reference_seeds(loaded, SYNTHETIC, 5, train, directory=tmp_path / "cache")
    assert train.seeds == [0, 1, 2, 3, 4]
    assert third.trained == 0
    forced, _ = reference_seeds(
        loaded, SYNTHETIC, 2, train, force=True, directory=tmp_path / "cache"
    )
    assert train.seeds[-2:] == [0, 1]
    assert forced.trained == 2


def test_the_spread_of_each_metric(loaded: LoadedRubric, tmp_path: Path) -> None:
    train = FakeTrainer(loaded, tmp_path)
    result, outcomes = reference_seeds(loaded, SYNTHETIC, 5, train, directory=tmp_path)
    assert [o.record.key.seed for o in outcomes] == [0, 1, 2, 3, 4]
    by_metric = {row.metric: row for row in result.metrics}
    test = by_metric["test_accuracy"]
    assert test.n == 5
    assert test.mean == pytest.approx(0.874)
    assert test.sd == pytest.approx(0.0031623, abs=1e-6)  # sample sd (n - 1)
    assert test.min == pytest.approx(0.870)
    assert test.max == pytest.approx(0.878)
    assert by_metric["train_accuracy"].mean == pytest.approx(0.974)
    assert by_metric["overfitting_gap"].sd == pytest.approx(0.0, abs=1e-9)


def test_one_seed_is_the_single_reference(loaded: LoadedRubric, tmp_path: Path) -> None:
    result, _ = reference_seeds(
        loaded, SYNTHETIC, 1, FakeTrainer(loaded, tmp_path), directory=tmp_path
    )
    test = next(row for row in result.metrics if row.metric == "test_accuracy")
    assert test.n == 1
    assert test.mean == pytest.approx(0.870)
    assert test.sd == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(ValueError, match="at least 1"):
        reference_seeds(loaded, SYNTHETIC, 0, FakeTrainer(loaded, tmp_path), directory=tmp_path)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["reference over 5 seeds", "test accuracy", "0.8740", "5 seed(s) from the cache"]),
        ("es", ["referencia en 5 semillas", "exactitud en test", "0,8740", "de la caché"]),
    ],
)
def test_the_table_in_both_languages(
    loaded: LoadedRubric, tmp_path: Path, lang: str, words: list[str]
) -> None:
    train = FakeTrainer(loaded, tmp_path)
    reference_seeds(loaded, SYNTHETIC, 5, train, directory=tmp_path)
    result, _ = reference_seeds(loaded, SYNTHETIC, 5, train, directory=tmp_path)
    out = io.StringIO()
    render_reference_seeds(result, lang=lang, console=Console(file=out, width=120))  # type: ignore[arg-type]
    page = out.getvalue()
    for word in words:
        assert word in page


@pytest.mark.parametrize(("lang", "word"), [("en", ": trained now"), ("es", ": entrenada ahora")])
def test_the_table_names_the_seeds_trained_now(
    loaded: LoadedRubric, tmp_path: Path, lang: str, word: str
) -> None:
    result, _ = reference_seeds(
        loaded, SYNTHETIC, 2, FakeTrainer(loaded, tmp_path), directory=tmp_path
    )
    out = io.StringIO()
    render_reference_seeds(result, lang=lang, console=Console(file=out, width=120))  # type: ignore[arg-type]
    assert out.getvalue().count(word) == 2
