"""Canary placement, the decision rule and the inverted-gap flag, without a kernel."""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from autograder.datasets import canaries, split_rows
from autograder.datasets.base import Splits
from autograder.integrity import canary_flags, inverted_gap_flags
from autograder.measure.facts import ModelMeasurements
from autograder.measure.keras_model import canary_matches

KEY = b"k" * 32


def fake_splits(test_rows: int = 10_000) -> Splits:
    rng = np.random.default_rng(7)
    return Splits(
        x_train=rng.integers(0, 256, (100, 28, 28), dtype=np.uint8),
        y_train=rng.integers(0, 10, 100).astype(np.uint8),
        x_test=rng.integers(0, 256, (test_rows, 28, 28), dtype=np.uint8),
        y_test=rng.integers(0, 10, test_rows).astype(np.uint8),
    )


def planned(key: bytes = KEY) -> canaries.Canaries:
    return canaries.plan(key, dataset="mnist", image_shape=(28, 28), num_classes=10)


def where(fraction: float = 0.02, test_rows: int = 10_000) -> np.ndarray:
    rows = canaries.positions(planned(), test_rows, fraction)
    assert rows is not None
    return rows


def test_planting_keeps_shapes_and_dtypes_and_touches_only_canary_rows() -> None:
    splits = fake_splits()
    marked = canaries.plant(splits, planned(), 0.02)
    for name in ("x_train", "y_train", "x_test", "y_test"):
        before, after = getattr(splits, name), getattr(marked, name)
        assert before.shape == after.shape
        assert before.dtype == after.dtype
    changed = np.flatnonzero(np.any(splits.x_test != marked.x_test, axis=(1, 2)))
    assert len(changed) > 0
    assert set(changed) <= set(where().ravel())
    assert where().size <= canaries.MAX_SHARE * 10_000


def test_plan_is_deterministic_per_key_and_secret_across_keys() -> None:
    assert np.array_equal(planned().templates, planned().templates)
    assert np.array_equal(where(), where())
    assert not np.array_equal(planned().templates, planned(b"o" * 32).templates)


@pytest.mark.parametrize("fraction", [0.01, 0.02, 0.5, 1.0])
def test_canaries_lie_in_the_rows_a_shortened_fit_sees(fraction: float) -> None:
    assert where(fraction).max() < split_rows(10_000, fraction)


def test_small_test_splits_get_no_canaries() -> None:
    assert canaries.positions(planned(), 1_000, 1.0) is None
    assert canaries.positions(planned(), 10_000, 0.001) is None
    small = fake_splits(1_000)
    assert canaries.plant(small, planned(), 1.0) is small


def test_a_perfect_honest_model_loses_under_half_a_point() -> None:
    splits = fake_splits()
    marked = canaries.plant(splits, planned(), 0.02)
    # A model right on every real row, scored on the kernel's copy (the student's view).
    assert float(np.mean(marked.y_test == splits.y_test)) > 0.995


def test_the_threshold_keeps_false_alarms_under_1e_5() -> None:
    for classes in (3, 10, 100):
        count = canaries.templates_for(classes)
        t = canaries.threshold(count, classes)
        p = 1 / classes
        tail = sum(math.comb(count, k) * p**k * (1 - p) ** (count - k) for k in range(t, count + 1))
        assert tail <= canaries.FALSE_ALARM
        assert t <= count


def test_memorized_labels_are_flagged_and_chance_predictions_are_not() -> None:
    plan = planned()
    votes = np.repeat(plan.labels[:, None], 5, axis=1)
    assert canaries.matches(votes, plan) == len(plan.labels)
    [flagged] = canary_flags(canaries.matches(votes, plan), len(plan.labels), plan.threshold)
    assert flagged.evidence["method"] == "canaries"
    rng = np.random.default_rng(3)
    alarms = 0
    for _ in range(2_000):
        guess = rng.integers(0, 10, (len(plan.labels), 5))
        alarms += bool(
            canary_flags(canaries.matches(guess, plan), len(plan.labels), plan.threshold)
        )
    assert alarms == 0


def test_grader_variants_keep_the_template_and_shape() -> None:
    plan = planned()
    made = canaries.variants(plan, count=5)
    assert made.shape == (len(plan.labels) * 5, 28, 28)
    assert np.array_equal(made[::5], plan.templates)


def test_the_key_is_created_once_and_reused(tmp_path: Path) -> None:
    first = canaries.secret_key(tmp_path)
    assert canaries.secret_key(tmp_path) == first
    assert len(first) == 32
    assert (tmp_path / "canary.key").stat().st_mode & 0o077 == 0


def test_a_first_run_racing_threads_all_read_the_one_key(tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = set(pool.map(lambda _: canaries.secret_key(tmp_path), range(32)))
    assert len(keys) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["canary.key"]


def measured(train: float, test: float) -> ModelMeasurements:
    return ModelMeasurements(
        key="m", trainable_params=1, total_params=1, train_accuracy=train, test_accuracy=test
    )


def test_weights_trained_on_the_test_split_show_an_inverted_gap() -> None:
    [flagged] = inverted_gap_flags(measured(0.90, 0.99), 60_000, 10_000)
    assert flagged.code == "test_leakage"
    assert flagged.evidence["method"] == "inverted_gap"


@pytest.mark.parametrize(
    ("train", "test", "train_rows", "test_rows"),
    [(0.97, 0.96, 60_000, 10_000), (0.90, 0.92, 60_000, 10_000), (0.80, 0.90, 1_200, 200)],
)
def test_honest_gaps_and_noisy_small_splits_are_not_flagged(
    train: float, test: float, train_rows: int, test_rows: int
) -> None:
    assert inverted_gap_flags(measured(train, test), train_rows, test_rows) == []


class MemorizingModel:
    """Predicts the planted label of the nearest template (what a fit on x_test learns)."""

    def __init__(self, plan: canaries.Canaries, scale: float) -> None:
        self.templates = plan.templates.reshape(len(plan.labels), -1) / scale
        self.labels = plan.labels

    def predict_on_batch(self, batch: np.ndarray) -> np.ndarray:
        flat = batch.reshape(len(batch), -1)
        nearest = np.argmin(((flat[:, None, :] - self.templates[None]) ** 2).sum(axis=2), axis=1)
        rows: np.ndarray = np.eye(10)[self.labels[nearest]]
        return rows


class ConstantModel:
    def predict_on_batch(self, batch: np.ndarray) -> np.ndarray:
        rows: np.ndarray = np.tile(np.eye(10)[3], (len(batch), 1))
        return rows


def test_the_evaluator_counts_a_memorizing_model_and_not_a_constant_one() -> None:
    plan = planned()
    assert canary_matches(MemorizingModel(plan, 255.0), plan, None, 255.0) == len(plan.labels)
    constant = canary_matches(ConstantModel(), plan, None, 255.0)
    assert constant == int(np.sum(plan.labels == 3))
